"""Charts: drawn offline to SVG, named by their sentence, cached on disk by spec."""

from __future__ import annotations

from widgets.ui import charts

SPEC = {"data": {"values": [{"a": "x", "b": 1}, {"a": "y", "b": 3}]}, "mark": "bar",
        "encoding": {"x": {"field": "a", "type": "nominal"},
                     "y": {"field": "b", "type": "quantitative"}}}


def test_figure_is_one_named_image_with_its_sentence(monkeypatch, tmp_path):
    monkeypatch.setenv("CONDUCTOR_CHART_CACHE", str(tmp_path))
    html = charts.figure(SPEC, 'y is three times x <script>')
    assert html.count('role="img"') == 1  # Vega's inner roles are stripped
    assert "aria-roledescription" not in html
    assert 'aria-label="y is three times x &lt;script&gt;"' in html
    assert "<figcaption>y is three times x &lt;script&gt;</figcaption>" in html
    assert "<script" not in html


def test_drawings_are_cached_by_spec(monkeypatch, tmp_path):
    monkeypatch.setenv("CONDUCTOR_CHART_CACHE", str(tmp_path))
    drawn = []
    real = charts._draw
    monkeypatch.setattr(charts, "_draw", lambda spec: drawn.append(1) or real(spec))
    first = charts.svg(SPEC)
    assert charts.svg(SPEC) == first and len(drawn) == 1
    charts.svg({**SPEC, "mark": "point"})
    assert len(drawn) == 2
    assert len(list(tmp_path.glob("*.svg"))) == 2


def test_an_unwritable_cache_only_costs_speed(monkeypatch, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("CONDUCTOR_CHART_CACHE", str(blocked / "charts"))
    assert charts.svg(SPEC).startswith("<svg")
