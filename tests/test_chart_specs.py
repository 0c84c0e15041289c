"""Every chart of the workshop is built with altair where it is drawn (issue 16, item 3).

Each kind's spec is checked against the Vega-Lite schema (altair validates on
``to_dict``) and drawn; the accessibility and the colours come from the builders, through
Vega-Lite's options."""

from __future__ import annotations

import re

import pytest

from tests import test_chart_service as served
from widgets.charts import specs as chart_specs

SENTENCE = "Falls are down since March"
PROFILE = [{"label": "The board has\nthe capacity", "lowest": 1, "highest": 5, "q1": 2,
            "q3": 4, "median": 3.0},
           {"label": "We agree on aims", "lowest": 2, "highest": 4, "q1": 2.5, "q3": 3.5,
            "median": 3.0}]
MEASURE = [{"date": f"2025-{1 + i // 4:02d}-{1 + 7 * (i % 4):02d}", "value": 20.0 + i % 3,
            "segment": 0, "centre": 21.0, "upper": 24.0, "lower": 18.0,
            "signal": "Improvement" if i == 5 else "Common cause"} for i in range(16)]
SAMPLES = {
    "readiness.profile": {"values": PROFILE, "sentence": SENTENCE},
    "prototype.measure": {"values": MEASURE, "name": "Falls", "sentence": SENTENCE,
                          "target": 19.0, "limits": True, "centre_title": "Mean"},
    "focus.pareto": {"values": [{"area": "Sepsis", "value": 4e6, "cumulative": 0.6},
                                {"area": "Falls", "value": 2.6e6, "cumulative": 1.0}],
                     "what": "Cost (£ a year)", "sentence": SENTENCE, "money": True},
    "focus.variation": {"values": [{"area": "Sepsis", "patients": 900, "variation": 0.4},
                                   {"area": "Falls", "patients": 120, "variation": 0.1}],
                        "named": ["Sepsis"], "sentence": SENTENCE},
    "focus.robustness": {"values": [{"area": a, "method": m, "share": s}
                                    for a, s in (("Sepsis", 0.9), ("Falls", 0.3))
                                    for m in ("Near the group's weights", "Any weights")],
                         "areas": ["Sepsis", "Falls"],
                         "methods": ["Near the group's weights", "Any weights"], "n": 1,
                         "sentence": SENTENCE},
    "cede.poker": {"values": [{"level": f"{n} L{n}", "kind": k, "count": c}
                              for n, c in ((1, 0), (2, 3), (5, 1)) for k in ("Today", "Proposed")],
                   "levels": ["1 L1", "2 L2", "5 L5"], "sentence": SENTENCE},
    "cede.board": {"values": [{"decision": "Sepsis: Budget\nfor the ward", "column": "Today",
                               "level": 2.0, "text": "2 Sell"},
                              {"decision": "Sepsis: Budget\nfor the ward", "column": "Agreed",
                               "level": 6.0, "text": "6 Inquire"}], "sentence": SENTENCE},
    "prototype.commitment": {"values": [{"prototype": "Huddles", "answer": "I will help",
                                         "order": 0, "people": 3},
                                        {"prototype": "Huddles", "answer": "Not now",
                                         "order": 2, "people": 1}],
                             "answers": ["I will help", "I support it", "Not now"],
                             "sentence": SENTENCE},
    "prototype.drivers": {"boxes": [{"x": 0, "x2": 160, "top": -27, "bottom": 27, "tx": 6,
                                     "ty": 0, "lines": ["Fewer falls"]},
                                    {"x": 190, "x2": 350, "top": -27, "bottom": 27,
                                     "tx": 196, "ty": -6.5, "lines": ["Staff know", "the signs"]}],
                          "links": [{"x": 160, "y": 0, "x2": 190, "y2": 0}],
                          "heads": [{"x": 0, "y": -51, "lines": ["Aim"]},
                                    {"x": 190, "y": -51, "lines": ["Primary drivers"]}],
                          "width": 760, "height": 64, "top": -64, "line_px": 13,
                          "sentence": SENTENCE},
}


def test_every_kind_of_chart_has_a_sample_here():
    assert set(SAMPLES) == set(chart_specs.BUILDERS)


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_each_chart_is_valid_vega_lite_and_draws(kind):
    import altair as alt
    import vl_convert as vlc

    spec = chart_specs.build(kind, SAMPLES[kind])  # altair checks it against the schema
    assert spec["$schema"] == alt.SCHEMA_URL
    alt.Chart.from_dict(spec)  # and reads it back: nothing outside Vega-Lite
    # The sentence names the chart; Vega-Lite's options keep everything inside it out of
    # the accessibility tree.
    assert spec["description"] == SENTENCE
    assert spec["config"]["aria"] is False and spec["config"]["mark"]["aria"] is False
    drawn = vlc.vegalite_to_svg(spec, allowed_base_urls=[])
    assert drawn.startswith("<svg")
    # What a screen reader would meet: only Vega's frame around the drawing, which no
    # option reaches (``ui.charts._draw`` deals with it); no axis, legend, title or mark.
    assert set(exposed(drawn)) <= {("g", "graphics-object", None)}


def exposed(svg: str) -> list[tuple[str, str | None, str | None]]:
    """The elements of a drawing in the accessibility tree that carry a role or a name
    (outside any ``aria-hidden`` part): (tag, role, name)."""
    from xml.etree import ElementTree

    found = []

    def walk(node, hidden: bool) -> None:
        hidden = hidden or node.get("aria-hidden") == "true"
        if not hidden and (node.get("role") or node.get("aria-label")):
            found.append((node.tag.rsplit("}", 1)[-1], node.get("role"),
                          node.get("aria-label")))
        for child in node:
            walk(child, hidden)

    walk(ElementTree.fromstring(svg), False)  # noqa: S314 - a drawing made here
    return found


def test_an_unknown_chart_is_refused_by_name():
    with pytest.raises(ValueError, match="no chart called 'pie'"):
        chart_specs.build("pie", {})


def _svg(kind: str, **change) -> str:
    import vl_convert as vlc

    return vlc.vegalite_to_svg(chart_specs.build(kind, {**SAMPLES[kind], **change}))


def test_the_colour_blind_palette_and_making_data_count_colours():
    profile = _svg("readiness.profile")
    for colour in ("#6B6B6B", "#0072B2", "#E69F00"):  # grey, blue, orange (Okabe and Ito)
        assert colour in profile
    for name in (chart_specs.SPREAD, chart_specs.MIDDLE, chart_specs.MEDIAN):
        assert name in profile  # the legend names the three marks
    measure = _svg("prototype.measure")
    assert "#00B0F0" in measure and "#A6A6A6" in measure  # improvement, common cause
    assert "#009E73" in measure  # the target
    poker = _svg("cede.poker")
    assert "#E69F00" in poker and "#0072B2" in poker


def test_a_line_across_the_chart_is_drawn_once_not_once_per_point():
    """The measure's target and the Pareto chart's 80% line were drawn once for every row
    of data (16 points, 16 lines on top of each other)."""
    def rule_marks(svg: str) -> list[int]:
        return [g.count("<line") for g in re.findall(
            r'<g class="mark-rule role-mark[^"]*"[^>]*>(.*?)</g>', svg)]

    assert rule_marks(_svg("prototype.measure")) == [1]
    assert rule_marks(_svg("focus.pareto")) == [1]


def test_whole_people_on_the_poker_axis():
    assert chart_specs.whole_people(1)["axis"]["values"] == [0, 1]
    assert chart_specs.whole_people(13)["axis"]["values"] == [0, 3, 6, 9, 12, 15]
    labels = re.findall(r">(\d+(?:\.\d+)?)</text>", _svg("cede.poker"))
    assert labels and all("." not in x for x in labels)


# -- where the specs are built: in the drawing process, never in a participant's kernel ----
def test_a_described_chart_is_one_image_named_by_its_sentence(monkeypatch, tmp_path):
    from widgets.charts import draw as charts

    monkeypatch.setenv("CONDUCTOR_CHART_CACHE", str(tmp_path))
    for kind, params in SAMPLES.items():
        html = charts.figure(charts.Chart(kind, params), SENTENCE)
        drawing = html[html.index("<svg"):html.index("</svg>") + 6]
        # The one thing a screen reader meets: the image, named by its sentence.
        assert exposed(drawing) == [("svg", "img", SENTENCE)], kind
        assert f"<figcaption>{SENTENCE}</figcaption>" in html


def test_a_described_chart_is_cached_and_counted_like_a_spec(monkeypatch, tmp_path):
    from widgets.charts import draw as charts

    monkeypatch.setenv("CONDUCTOR_CHART_CACHE", str(tmp_path))
    drawn = []
    real = charts._draw
    monkeypatch.setattr(charts, "_draw", lambda spec: drawn.append(spec) or real(spec))
    chart = charts.Chart("prototype.measure", SAMPLES["prototype.measure"])
    first = charts.svg(chart)
    assert charts.svg(chart) == first and len(drawn) == 1
    assert drawn[0] == {"chart": "prototype.measure", "params": chart.params}  # what is sent
    many = charts.Chart("prototype.measure", {**chart.params,
                                              "values": chart.params["values"] * 400})
    assert "6,400 points" in charts.figure(many, "Falls")  # past MAX_ROWS: never drawn
    assert len(drawn) == 1


def test_control_characters_in_a_description_never_reach_the_renderer(tmp_path):
    """In a child process: the renderer aborts the process it runs in on a control
    character, and this process must live to report."""
    import subprocess
    import sys

    code = """
from widgets.charts import draw as charts
rows = [{"label": "Bell\\x07 and escape\\x1b", "lowest": 1, "highest": 5, "q1": 2,
         "q3": 4, "median": 3.0}]
html = charts.figure(charts.Chart("readiness.profile",
                                  {"values": rows, "sentence": "Bell\\x07"}), "Bell\\x07")
print("<svg" in html, "\\x07" in html, "\\x1b" in html)
"""
    env = {"CONDUCTOR_CHART_CACHE": str(tmp_path), "PATH": "/usr/bin:/bin",
           "PYTHONPATH": ":".join(p for p in sys.path if p)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["True", "False", "False"]


PAGE_WITH_CHARTS = r"""
import sys
from widgets.ui import pages
page = getattr(pages, sys.argv[1] + "_page")()
def texts(w):
    own = [w.value] if isinstance(getattr(w, "value", None), str) else []
    return own + [t for c in getattr(w, "children", ()) for t in texts(c)]
shown = "".join(texts(page))
print(shown.count("<svg"), "altair" in sys.modules, "vl_convert" in sys.modules)
"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A demonstration session (every step filled and revealed: every kind of chart shows),
    a participant's link to it, and a chart service."""
    import os
    import subprocess
    import sys
    import time

    from widgets import keys
    from widgets.server.demo import seed_demo
    from widgets.session import join
    from widgets.store import Store

    tmp = tmp_path_factory.mktemp("demo")
    db = f"sqlite:///{tmp / 'store.sqlite'}"
    store = Store(db)
    store.set_setting("facilitator_key_hash", keys.hash_secret("k" * 24))
    session = seed_demo(store, "k" * 24)
    _, token = join(store, session.code, "Reader")
    store.dispose()
    port = served.free_port()
    proc = subprocess.Popen([sys.executable, "-m", "widgets.charts.service", "--port",
                             str(port)])
    for _ in range(300):
        if served._accepts(port):
            break
        time.sleep(0.1)
    served.until_ready(f"http://127.0.0.1:{port}/svg")
    env = {k: v for k, v in os.environ.items() if k not in ("SERVER_SOFTWARE", "VOILA_PREHEAT")}
    env.update(CONDUCTOR_DATABASE_URL=db,
               CONDUCTOR_CHART_SERVICE=f"http://127.0.0.1:{port}/svg")
    yield env, session, token, tmp
    proc.kill()
    proc.wait()


def _page(demo, page: str, cache: str, **env) -> tuple[int, bool, bool]:
    """Build ``page`` as a participant's kernel does: (charts shown, altair loaded, the
    drawing engine loaded)."""
    import subprocess
    import sys

    base, session, token, tmp = demo
    env = {**base, "CONDUCTOR_CHART_CACHE": str(tmp / cache),
           "QUERY_STRING": f"room={session.room_token}" if page == "room" else f"p={token}",
           **env}
    done = subprocess.run([sys.executable, "-c", PAGE_WITH_CHARTS, page], env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    charts, altair, engine = done.stdout.split()
    return int(charts), altair == "True", engine == "True"


@pytest.mark.parametrize("page", ["readiness", "focus", "cede", "prototype", "room"])
def test_a_participants_kernel_never_imports_altair(demo, page):
    """Every module page of the demo, built as a participant's kernel builds it with the
    server's chart service on: its charts are drawn, and neither altair nor the drawing
    engine is loaded in the kernel."""
    charts, altair, engine = _page(demo, page, f"served-{page}")
    assert charts >= 1 and (altair, engine) == (False, False)


def test_without_the_service_a_kernel_builds_and_draws_its_charts(demo):
    """A self-guided notebook (no server, so no service): the page's own process builds
    the spec with altair and draws it, paying altair's import there."""
    dead = f"http://127.0.0.1:{served.free_port()}/svg"
    charts, altair, engine = _page(demo, "readiness", "own", CONDUCTOR_CHART_SERVICE=dead)
    assert charts >= 1 and (altair, engine) == (True, True)


# -- the room screen's versions (issue 17, item 2) ---------------------------------------

def _sizes(svg: str) -> list[float]:
    """Every font size in a drawing, in px."""
    return [float(s) for s in re.findall(r'font-size(?:="|:\s*)([\d.]+)px', svg)]


def _width(svg: str) -> float:
    return float(re.search(r'<svg[^>]*\swidth="([\d.]+)"', svg).group(1))


# The driver diagram is laid out in pixels by the screen (analysis.drivers.layout); the room
# draws it larger, up to twice, but its words follow that layout (see the report).
ROOM_KINDS = sorted(set(SAMPLES) - {"prototype.drivers"})


@pytest.mark.parametrize("kind", ROOM_KINDS)
def test_the_rooms_charts_are_drawn_large_for_the_projector(kind):
    """The room version of each chart: valid, as wide as the room's result column at
    1920x1080 (not a participant's chart scaled up or down), every word at least 20 px."""
    import altair as alt

    spec = chart_specs.build(kind, {**SAMPLES[kind], "room": True})
    alt.Chart.from_dict(spec)
    drawn = _svg(kind, room=True)
    sizes = _sizes(drawn)
    assert sizes and min(sizes) >= 20, (kind, sorted(set(sizes)))
    assert 0.6 * chart_specs.ROOM_WIDTH <= _width(drawn) <= 1.05 * chart_specs.ROOM_WIDTH
    # The participant's chart is another size of the same chart: small type, narrower.
    small = _svg(kind)
    assert min(_sizes(small)) < 20 and _width(small) < _width(drawn)


def test_the_room_draws_the_driver_diagram_larger():
    small, large = _svg("prototype.drivers"), _svg("prototype.drivers", room=True)
    assert _width(large) > 1.4 * _width(small)
    assert min(_sizes(large)) > 1.4 * min(_sizes(small))


def test_the_rooms_readiness_profile_names_statements_in_a_few_words():
    values = [{**r, "short": short} for r, short in zip(PROFILE, ("Capacity", "Aims"),
                                                         strict=True)]
    spec = chart_specs.build("readiness.profile", {"values": values, "sentence": SENTENCE,
                                                   "room": True})
    assert '"short:N"' in str(spec).replace("'", '"') or "short" in str(spec["layer"][0])
    drawn = vl_svg(spec)
    assert "Capacity" in drawn and "the capacity" not in drawn
    # the participant's chart keeps the whole statement
    assert "the capacity" in vl_svg(chart_specs.build(
        "readiness.profile", {"values": values, "sentence": SENTENCE}))


def vl_svg(spec: dict) -> str:
    import vl_convert as vlc

    return vlc.vegalite_to_svg(spec, allowed_base_urls=[])


def test_a_long_chart_is_cut_into_parts_that_fit_the_room():
    from widgets.charts.draw import Chart, room_parts

    rows = [{"decision": f"Area {i}: decision {i}", "column": c, "level": 3.0,
             "text": "3 Consult"} for i in range(9) for c in ("Today", "Agreed")]
    parts = room_parts(Chart("cede.board", {"values": rows, "sentence": SENTENCE}))
    most = chart_specs.ROOM_ROWS["cede.board"][1]
    assert len(parts) == 2  # 9 decisions, at most 6 a part: 5 and 4, not 6 and 3
    per_part = [len({r["decision"] for r in p.params["values"]}) for p in parts]
    assert per_part == [5, 4] and max(per_part) <= most
    # every row once, a decision's two cells in one part, in order, drawn for the room
    assert [r for p in parts for r in p.params["values"]] == rows
    assert all(p.params["room"] is True for p in parts)
    # a short chart is one part; the robustness chart's row order follows its part
    few = room_parts(Chart("cede.board", {"values": rows[:4], "sentence": SENTENCE}))
    assert len(few) == 1 and few[0].params["values"] == rows[:4]
    areas = [f"Area {i}" for i in range(12)]
    robust = [{"area": a, "method": m, "share": 0.5} for a in areas for m in ("N", "A")]
    parts = room_parts(Chart("focus.robustness", {"values": robust, "areas": areas,
                                                  "methods": ["N", "A"], "n": 3,
                                                  "sentence": SENTENCE}))
    assert [p.params["areas"] for p in parts] == [areas[:6], areas[6:]]


def test_only_the_room_gets_the_room_version(monkeypatch):
    from widgets.charts import draw

    drawn = []
    monkeypatch.setattr(draw, "svg", lambda spec: drawn.append(spec) or "<svg></svg>")
    rows = [{"decision": f"D{i}", "column": "Today", "level": 2.0, "text": "2 Sell"}
            for i in range(8)]
    chart = draw.Chart("cede.board", {"values": rows, "sentence": SENTENCE})
    one = draw.figure(chart, SENTENCE)
    assert one.count("<figure") == 1 and "room" not in drawn[0].params
    drawn.clear()
    with draw.for_the_room():
        two = draw.figure(chart, SENTENCE, "<table></table>")
    assert two.count("<figure") == 2 and two.count("<table>") == 1
    assert all(d.params["room"] for d in drawn)
    assert "Part 1 of 2. " + SENTENCE in two and "Part 2 of 2, continued." in two
    drawn.clear()
    draw.figure(chart, SENTENCE)  # after the block: the participant's chart again
    assert "room" not in drawn[0].params
