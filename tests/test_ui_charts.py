"""Charts: drawn offline to SVG, named by their sentence, cached on disk by spec."""

from __future__ import annotations

from widgets.charts import draw as charts

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


# -- hold the room: text the renderer cannot take, charts too big to draw ------------------
CONTROL = "\x00\x01\x07\x08\x0b\x0c\x1b\ufffe\uffff"


def test_xml_safe_drops_only_what_xml_cannot_hold():
    assert charts.xml_safe("a\x07b\x00c\x1bd\ufffe\ud800e") == "abcde"
    kept = "tab\tline\nreturn\r é 🙂 \u202e right-to-left \x7f \x85 <b>&amp;"
    assert charts.xml_safe(kept) == kept
    spec = {"title": "Bell\x07", "data": {"values": [{"a\x01": "x\x1b", "n": 3}]},
            "list": ["\x08", 1.5, None, True]}
    assert charts.xml_safe(spec) == {"title": "Bell", "data": {"values": [{"a": "x", "n": 3}]},
                                     "list": ["", 1.5, None, True]}


def test_control_characters_never_reach_the_renderer(tmp_path):
    """vl-convert aborts the whole process (SIGABRT, uncatchable) on a control character in
    a chart's text, so the drawing runs in a child process that must live to print."""
    import json
    import subprocess
    import sys

    spec = {**SPEC, "title": f"Bell{CONTROL}title",
            "data": {"values": [{"a": f"{c}area", "b": n} for n, c in enumerate(CONTROL)]}}
    code = ("import json, sys; from widgets.charts import draw as charts; "
            "html = charts.figure(json.loads(sys.argv[1]), 'Falls\\x07 by ward\\x1b'); "
            "print('<svg' in html, '\\x07' in html, '\\x1b' in html)")
    env = {"CONDUCTOR_CHART_CACHE": str(tmp_path), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code, json.dumps(spec)], env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["True", "False", "False"]


def test_a_chart_too_big_to_draw_is_a_message_that_never_reaches_the_renderer(monkeypatch,
                                                                              tmp_path):
    monkeypatch.setenv("CONDUCTOR_CHART_CACHE", str(tmp_path))

    def never(_spec):
        raise AssertionError("a chart past the limit reached the renderer")

    monkeypatch.setattr(charts, "_draw", never)
    rows = [{"a": f"2025-{i}", "b": i} for i in range(300_000)]
    html = charts.figure({**SPEC, "data": {"values": rows}}, "Falls by week",
                         "<table><tr><td>1</td></tr></table>")
    assert "<svg" not in html
    assert f"{charts.MAX_ROWS:,}" in html and "could not be drawn" in html
    assert "<figcaption>Falls by week</figcaption>" in html and "<table>" in html
    huge = {**SPEC, "title": "x" * (charts.MAX_SPEC_BYTES + 1)}
    assert "could not be drawn" in charts.figure(huge, "A long title")


def test_a_drawing_that_fails_is_a_message_on_that_chart_only(monkeypatch, tmp_path):
    monkeypatch.setenv("CONDUCTOR_CHART_CACHE", str(tmp_path))

    def broken(_spec):
        raise ValueError("the engine gave up")

    monkeypatch.setattr(charts, "_draw", broken)
    html = charts.figure(SPEC, "y is three times x")
    assert "<svg" not in html and "could not be drawn" in html
    assert "<figcaption>y is three times x</figcaption>" in html
    assert "engine gave up" not in html  # no technical detail on a participant's screen
    assert not list(tmp_path.glob("*.svg"))  # a failure is not cached
