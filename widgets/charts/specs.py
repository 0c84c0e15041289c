"""Every chart of the workshop, built with altair where it is drawn.

Why here and not in the screens: ``import altair`` costs a process some 46 MB and 1.7 s
(its Vega-Lite schema and jsonschema; ``benchmarks/altair_cost.py``), and a participant's
kernel never needs it. A screen describes a chart compactly (:class:`.charts.Chart`:
the chart's kind, its data rows and its sentence); :func:`build` turns that description
into a Vega-Lite spec with altair, which checks it against the Vega-Lite schema, in the
process that draws it: the server's chart service (``widgets.charts.service``), or the
kernel itself when there is no service (a self-guided notebook, the tests), which then
pays altair's import once. This module imports altair only inside the builders, so a
kernel may import its names (:data:`MDC_COLOURS`, :data:`SPREAD`) without it.

One builder per kind of chart, named as the workshop names it: there is no other
definition of a chart's look in the kit.

Accessibility comes from Vega-Lite's own options, never from editing the spec or the SVG
(:func:`_finish`): the sentence is the spec's ``description``; ``aria`` false on the
config (axes and legends hidden from the accessibility tree, no generated descriptions),
on every mark and on titles, so the drawing's one name is the sentence that
:func:`.charts.figure` gives the ``<svg>`` (``role="img"``). What no option reaches is
set in ``charts.py`` (:func:`.charts._draw`), and says why there.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from ..html.style import PALETTE

# The readiness chart's three marks, named in its legend and in words beside it
# (``readiness/results.py``'s KEY).
SPREAD, MIDDLE, MEDIAN = "Lowest to highest", "Middle half of answers", "Median"

# Making Data Count's colours for a measure's points (special cause improvement blue,
# concern orange, neither purple, common cause grey), each with its own marker shape so
# nobody needs to tell the colours apart.
MDC_COLOURS = {"Improvement": "#00B0F0", "Concern": "#E46C0A", "Neither": "#490092",
               "Common cause": "#A6A6A6"}
MDC_SHAPES = {"Improvement": "triangle-up", "Concern": "square", "Neither": "diamond",
              "Common cause": "circle"}
# The board's levels, 1 (pale sand) to 7 (the palette's blue).
LEVEL_LOW = "#F6E8C3"
NOT_NOW_GREY = "#BBBBBB"  # "Not for me now", quieter than the two ways of backing a prototype


# The room screen's version of every chart (``room=True``, set by ``charts.draw`` for the
# room: issue 17). One definition per chart; the room's options draw it at the size the
# projector shows it, so its labels are not shrunk by the page: the whole chart about as
# wide as the room's result column at 1920x1080 (kit.css, section 4) and its words at
# least 20 px there (labels 22 px, titles 24 px). At 1280x720 the page scales it by 2/3,
# as it scales the room's text.
ROOM_WIDTH = 1180
ROOM_FONT, ROOM_TITLE = 22, 24
ROOM_LINE = 26  # px per line of a wrapped label
# Charts with a row per item, cut into parts of at most this many rows for the room, so
# each part fits the screen below its heading (``charts.draw.room_parts``): the field
# naming a row, and the most rows in one part.
ROOM_ROWS = {"readiness.profile": ("label", 14), "focus.robustness": ("area", 8),
             "cede.board": ("decision", 6), "prototype.commitment": ("prototype", 7)}


def wrapped_labels(labels, room: bool = False) -> tuple[dict, int]:
    """The axis settings that draw labels wrapped by ``charts.wrap_label`` on several
    lines, and the pixels each row of a chart needs for the longest of ``labels``."""
    lines = max((str(label).count("\n") + 1 for label in labels), default=1)
    line = ROOM_LINE if room else 13
    axis = {"labelExpr": "split(datum.label, '\\n')", "labelLimit": 0,
            "labelLineHeight": line}
    return axis, line * lines + 8


def _room_config(config: dict) -> dict:
    """``config`` with the room's type sizes added: axis labels and titles, legends and
    chart titles, all at least 20 px."""
    words = {"labelFontSize": ROOM_FONT, "titleFontSize": ROOM_TITLE}
    return {**config,
            "axis": {**config.get("axis", {}), **words, "titlePadding": 12},
            "legend": {**config.get("legend", {}), **words, "symbolSize": 260,
                       "labelLimit": 0},
            "title": {**config.get("title", {}), "fontSize": 26,
                      "subtitleFontSize": ROOM_FONT}}


def _palette() -> dict[str, str]:
    """The kit's colour-blind-safe palette (Okabe and Ito), defined once in
    ``widgets.html.style`` (``ui.common`` would bring ipywidgets into the report)."""

    return PALETTE


def _finish(chart, sentence: str, room: bool = False, **config) -> dict:
    """The spec as a dict, checked against the Vega-Lite schema: the sentence as its
    description, and no ARIA roles or generated descriptions inside it (axes, legends and
    marks), since the whole drawing is one image named by that sentence. ``room``: the
    room screen's type sizes."""
    if room:
        config = _room_config(config)
    chart = chart.properties(description=sentence).configure(
        aria=False, mark={"aria": False}, **config)
    return chart.to_dict(validate=True)


def readiness_profile(values: list[dict], sentence: str, room: bool = False) -> dict:
    """The readiness profile: a grey line from lowest to highest, a blue bar for the middle
    half and an orange tick at the median, one row per statement, with a legend naming the
    three. ``values``: label, lowest, highest, q1, q3, median, and optionally short (the
    statement in a few words, which the room's version shows: ``room``)."""
    import altair as alt  # here, not at the top: 2.5 s to import (benchmarks/import_cost.py)

    p = _palette()
    field = "short" if room and values and all(r.get("short") for r in values) else "label"
    axis, row = wrapped_labels((r[field] for r in values), room)
    # The legend names the three marks: each layer's rows carry their mark's name as a
    # field (a constant colour datum with a scale and a legend is outside Vega-Lite 6).
    colour = alt.Color("part:N", title=None, scale=alt.Scale(
        domain=[SPREAD, MIDDLE, MEDIAN], range=[p["grey"], p["blue"], p["orange"]]),
        legend=alt.Legend(orient="top", direction="horizontal", labelLimit=0) if room
        else alt.Legend(orient="bottom", direction="vertical", labelLimit=300))

    def named(layer, part: str):
        return layer.transform_calculate(part=json.dumps(part)).encode(color=colour)

    x_scale = alt.Scale(domain=[1, 5])
    base = alt.Chart().encode(
        y=alt.Y(f"{field}:N", sort=None, title=None,
                axis=alt.Axis(**axis, labelFontSize=ROOM_FONT if room else 11)))
    spread = named(base.mark_rule(strokeWidth=4 if room else 2).encode(
        x=alt.X("lowest:Q", scale=x_scale, title="Rating (1 to 5)",
                axis=alt.Axis(tickCount=5)), x2="highest:Q"), SPREAD)
    middle = named(base.mark_bar(height=row * 0.5 if room else 12).encode(
        x=alt.X("q1:Q", scale=x_scale), x2="q3:Q"), MIDDLE)
    median = named(base.mark_tick(thickness=6 if room else 4,
                                  size=row * 0.8 if room else 20).encode(
        x=alt.X("median:Q", scale=x_scale)), MEDIAN)
    # The rows go on the layer, once (on each layer altair would copy them).
    chart = alt.layer(spread, middle, median, data=alt.Data(values=values)).properties(
        width=ROOM_WIDTH - 520 if room else 260, height=alt.Step(row))
    return _finish(chart, sentence, room)


def _ms(iso: str) -> int:
    """Milliseconds since 1970 (UTC) for an ISO date, as Vega's time scales want."""
    return int(datetime.fromisoformat(iso).replace(tzinfo=UTC).timestamp() * 1000)


def measure(values: list[dict], name: str, sentence: str, target: float | None = None,
            limits: bool = False, centre_title: str = "Median", room: bool = False) -> dict:
    """A measure the Making Data Count way: the values, the centre line per segment,
    process limits (an XmR chart) or not (a run chart), the target, and each point
    coloured and shaped by its signal. ``values``: date (ISO), value, segment, centre,
    upper and lower (with limits), signal (a key of :data:`MDC_COLOURS`)."""
    import altair as alt  # here, not at the top: 2.5 s to import (benchmarks/import_cost.py)

    # Ticks on the data's own dates (at most about ten), so a label sits under its point.
    # (six in the room, upright: its labels are large)
    step = max(1, -(-len(values) // (6 if room else 10)))
    ticks = [_ms(r["date"]) for r in values[::step]]
    x = alt.X("date:T", timeUnit="utcyearmonthdate", title=None,
              axis=alt.Axis(values=ticks, format="%-d %b %y", labelAngle=0 if room else -40))
    base = alt.Chart().encode(x=x)
    layers = [
        base.mark_line(color="#6B6B6B", strokeWidth=1.5).encode(
            y=alt.Y("value:Q", title=name, scale=alt.Scale(zero=False))),
        base.mark_line(color="#1A1A1A", strokeWidth=1.5).encode(y="centre:Q",
                                                                 detail="segment:N"),
    ]
    if limits:
        layers += [base.mark_line(color="#1A1A1A", strokeDash=[6, 4], strokeWidth=1).encode(
            y=f"{edge}:Q", detail="segment:N") for edge in ("upper", "lower")]
    if target is not None:
        # One row of its own: on the measure's rows the line was drawn once per point.
        layers.append(alt.Chart(alt.Data(values=[{}])).mark_rule(
            color="#009E73", strokeDash=[2, 3], strokeWidth=2).encode(y=alt.YDatum(target)))
    domain = list(MDC_COLOURS)
    layers.append(base.mark_point(filled=True, size=180 if room else 70, opacity=1).encode(
        y="value:Q",
        color=alt.Color("signal:N", title="Point",
                        scale=alt.Scale(domain=domain, range=list(MDC_COLOURS.values()))),
        shape=alt.Shape("signal:N", title="Point",
                        scale=alt.Scale(domain=domain, range=list(MDC_SHAPES.values())))))
    lines = (f"Solid line: {centre_title.lower()}"
             + ("; dashed: process limits" if limits else "")
             + ("; green dotted: target" if target is not None else ""))
    title = alt.TitleParams(name, subtitle=lines, anchor="start", aria=False)
    chart = alt.layer(*layers, data=alt.Data(values=values)).properties(
        width=ROOM_WIDTH - 420 if room else 420, height=240 if room else 220, title=title)
    # (in the room the key goes beside the chart: below it, it would cost a page its height)
    return _finish(chart, sentence, room, legend={"orient": "right" if room else "bottom"})


def pareto(values: list[dict], what: str, sentence: str, money: bool = False,
           room: bool = False) -> dict:
    """A Pareto chart: blue bars, largest first, under the orange cumulative share and a
    dashed line at 80%. ``values``: area, value, cumulative (0 to 1)."""
    import altair as alt  # here, not at the top: 2.5 s to import (benchmarks/import_cost.py)

    p = _palette()
    # (upright in the room: slanted labels this large would cross their neighbours)
    x = alt.X("area:N", sort=None, title=None,
              axis=alt.Axis(labelAngle=-90, labelLimit=260) if room
              else alt.Axis(labelAngle=-50, labelLimit=150))
    axis = alt.Axis(labelExpr="'£' + format(datum.value / 1e6, ',.0f') + 'm'") if money \
        else alt.Axis()
    bars = alt.Chart().mark_bar(color=p["blue"]).encode(
        x=x, y=alt.Y("value:Q", title=what, axis=axis))
    share = alt.Chart().mark_line(color=p["orange"], strokeWidth=3,
                                  point={"color": p["orange"]}).encode(
        x=x, y=alt.Y("cumulative:Q", title="Cumulative share", axis=alt.Axis(format="%"),
                     scale=alt.Scale(domain=[0, 1])))
    # One row of its own, so the line is drawn once.
    eighty = alt.Chart(alt.Data(values=[{}])).mark_rule(
        color=p["ink"], strokeDash=[6, 4]).encode(y=alt.YDatum(0.8, type="quantitative"))
    chart = alt.layer(bars, alt.layer(share, eighty), data=alt.Data(values=values)) \
        .resolve_scale(y="independent").properties(width=ROOM_WIDTH - 220 if room else 560,
                                                   height=300 if room else 220)
    return _finish(chart, sentence, room)


def variation(values: list[dict], named: list[str], sentence: str,
              room: bool = False) -> dict:
    """Variation against volume: one blue point per care area (patients a year on a log
    scale, variation between sites), the ``named`` areas labelled. ``values``: area,
    patients, variation."""
    import altair as alt  # here, not at the top: 2.5 s to import (benchmarks/import_cost.py)

    p = _palette()
    x_scale, y_scale = alt.Scale(type="log"), alt.Scale()
    width, height = (ROOM_WIDTH - 380, 420) if room else (560, 260)
    font, dx = (ROOM_FONT, 10) if room else (11, 7)
    if values:
        # Fixed domains, so where each point lands is known here, and a label that would
        # cross another (close points) is left off: the chart names the points that stand
        # apart, and the table beside it names every one.
        xs = [float(r["patients"]) for r in values if float(r["patients"]) > 0] or [1.0]
        ys = [float(r["variation"]) for r in values]
        x_dom, y_dom = [min(xs) / 1.3, max(xs) * 1.3], [0.0, max(max(ys), 0.01) * 1.15]
        x_scale = alt.Scale(type="log", domain=x_dom, nice=False)
        y_scale = alt.Scale(domain=y_dom, nice=False)
        named = _apart(values, named, x_dom, y_dom, width, height, font, dx)
    base = alt.Chart().encode(
        x=alt.X("patients:Q", scale=x_scale, title="Patients a year (log scale)"),
        y=alt.Y("variation:Q", scale=y_scale, title="Variation between sites (CV)"))
    points = base.mark_point(filled=True, size=160 if room else 70, color=p["blue"])
    labels = base.transform_filter(alt.FieldOneOfPredicate(field="area", oneOf=named)) \
        .mark_text(align="left", dx=dx, fontSize=font,
                   color=p["ink"]).encode(text="area:N")
    chart = alt.layer(points, labels, data=alt.Data(values=values)).properties(
        width=width, height=height)
    return _finish(chart, sentence, room)


def _apart(values: list[dict], named: list[str], x_dom: list[float], y_dom: list[float],
           width: int, height: int, font: float, dx: float) -> list[str]:
    """The ``named`` areas whose labels (``font`` px type, ``dx`` right of their point)
    cross no label kept before them, in ``named``'s order."""
    where = {r["area"]: r for r in values}
    span = math.log(x_dom[1]) - math.log(x_dom[0])
    kept: list[str] = []
    boxes: list[tuple[float, float, float, float]] = []
    for area in named:
        r = where.get(area)
        if r is None or float(r["patients"]) <= 0:
            continue
        x = (math.log(float(r["patients"])) - math.log(x_dom[0])) / span * width + dx
        y = height - (float(r["variation"]) - y_dom[0]) / (y_dom[1] - y_dom[0]) * height
        box = (x, y - font * 0.7, x + len(area) * font * 0.6, y + font * 0.7)
        if all(box[2] < b[0] or b[2] < box[0] or box[3] < b[1] or b[3] < box[1]
               for b in boxes):
            kept.append(area)
            boxes.append(box)
    return kept


def robustness(values: list[dict], areas: list[str], methods: list[str], n: int,
               sentence: str, room: bool = False) -> dict:
    """How often each ranked area stays in the top ``n``: two bars per area, weights near
    the group's (blue) and any weights (orange). ``values``: area, method, share (0 to 1);
    ``areas`` in rank order; ``methods`` the two bars' names in that order."""
    import altair as alt  # here, not at the top: 2.5 s to import (benchmarks/import_cost.py)

    p = _palette()
    chart = alt.Chart(alt.Data(values=values)).mark_bar(height=20 if room else 9).encode(
        y=alt.Y("area:N", sort=areas, title=None, axis=alt.Axis(labelLimit=440 if room else 200)),
        yOffset=alt.YOffset("method:N", sort=methods),
        x=alt.X("share:Q", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%"),
                title=f"Share of weightings in the top {n}"),
        color=alt.Color("method:N", title=None,
                        scale=alt.Scale(domain=methods, range=[p["blue"], p["orange"]]),
                        legend=alt.Legend(orient="bottom")),
    )
    chart = chart.properties(width=ROOM_WIDTH - 520, height=56 * len(areas)) if room \
        else chart.properties(width=360)
    return _finish(chart, sentence, room)


def whole_people(top: int) -> dict:
    """A count axis in whole people: integer ticks only, at most about six of them.

    Why explicit values: with one vote per bar Vega-Lite draws ticks at 0, 0.5 and 1 even
    with ``tickMinStep``, and a format of "d" alone then labels two ticks "1"."""
    step = max(1, -(-top // 5))
    last = max(step, -(-top // step) * step)
    return {"scale": {"domain": [0, last], "nice": False},
            "axis": {"values": list(range(0, last + 1, step)), "format": "d",
                     "tickMinStep": 1}}


def poker(values: list[dict], levels: list[str], sentence: str, room: bool = False) -> dict:
    """Delegation Poker's cards for one decision: how many chose each level, today
    (orange) and proposed (blue) side by side. ``values``: level (its number and name, in
    ``levels``' order), kind ("Today" or "Proposed"), count."""
    import altair as alt  # here, not at the top: 2.5 s to import (benchmarks/import_cost.py)

    p = _palette()
    people = whole_people(max((r["count"] for r in values), default=0))
    chart = alt.Chart(alt.Data(values=values)).mark_bar().encode(
        x=alt.X("level:O", sort=levels, title=None, axis=alt.Axis(labelAngle=0 if room else -30)),
        xOffset=alt.XOffset("kind:N"),
        y=alt.Y("count:Q", title="People", scale=alt.Scale(**people["scale"]),
                axis=alt.Axis(**people["axis"])),
        color=alt.Color("kind:N", title=None,
                        scale=alt.Scale(domain=["Today", "Proposed"],
                                        range=[p["orange"], p["blue"]]),
                        legend=alt.Legend(orient="top")),
    ).properties(width=ROOM_WIDTH - 100 if room else 330, height=260 if room else 140)
    return _finish(chart, sentence, room)


def delegation_board(values: list[dict], sentence: str, room: bool = False) -> dict:
    """The Delegation Board as a grid: one row per decision, today's and the agreed level
    in pale sand (1) to blue (7), each cell naming its level. ``values``: decision (wrapped
    by ``charts.wrap_label``), column ("Today" or "Agreed"), level, text."""
    import altair as alt  # here, not at the top: 2.5 s to import (benchmarks/import_cost.py)

    p = _palette()
    axis, row = wrapped_labels((r["decision"] for r in values), room)
    base = alt.Chart().encode(
        y=alt.Y("decision:N", title=None, sort=None, axis=alt.Axis(**axis)),
        x=alt.X("column:N", title=None, sort=["Today", "Agreed"],
                axis=alt.Axis(orient="top", labelAngle=0)))
    cells = base.mark_rect().encode(color=alt.Color(
        "level:Q", title="Level", scale=alt.Scale(domain=[1, 7], range=[LEVEL_LOW, p["blue"]])))
    words = base.mark_text(fontSize=ROOM_FONT if room else 11).encode(
        text="text:N",
        color=alt.when("datum.level >= 5").then(alt.value("white")).otherwise(
            alt.value("black")))
    chart = alt.layer(cells, words, data=alt.Data(values=values)).properties(
        width=ROOM_WIDTH - 640 if room else 200, height=alt.Step(row))
    return _finish(chart, sentence, room)


def commitment(values: list[dict], answers: list[str], sentence: str,
               room: bool = False) -> dict:
    """Who has the energy: one stacked bar per prototype, people who will help (blue),
    support it (sky) or not now (grey). ``values``: prototype (wrapped), answer (one of
    ``answers``, in that order), order (stacking), people."""
    import altair as alt  # here, not at the top: 2.5 s to import (benchmarks/import_cost.py)

    p = _palette()
    axis, row = wrapped_labels((r["prototype"] for r in values), room)
    chart = alt.Chart(alt.Data(values=values)).mark_bar(stroke="white").encode(
        y=alt.Y("prototype:N", title=None, sort=None, axis=alt.Axis(**axis)),
        x=alt.X("people:Q", title="People", axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("answer:N", title=None,
                        scale=alt.Scale(domain=answers,
                                        range=[p["blue"], p["sky"], NOT_NOW_GREY]),
                        legend=alt.Legend(orient="bottom")),
        order=alt.Order("order:Q"),
    ).properties(width=ROOM_WIDTH - 560 if room else 300, height=alt.Step(row))
    return _finish(chart, sentence, room)


def driver_diagram(boxes: list[dict], links: list[dict], heads: list[dict], width: int,
                   height: int, top: float, line_px: int, sentence: str,
                   room: bool = False) -> dict:
    """A driver diagram: columns of boxes (aim, primary and secondary drivers, change
    ideas) joined by grey lines, each column headed in blue. Positions are in pixels,
    laid out by the screen (``analysis.drivers.layout``): ``boxes`` x, x2, top, bottom,
    tx, ty, lines; ``links`` x, y, x2, y2; ``heads`` x, y, lines; the y scale runs from
    ``top`` to ``height`` (drawn over ``height - top`` pixels). ``room``: the same layout
    drawn larger (up to twice, as wide as the room's result column allows), type too."""
    import altair as alt  # here, not at the top: 2.5 s to import (benchmarks/import_cost.py)

    p = _palette()
    k = max(1.0, min(2.0, ROOM_WIDTH / max(width, 1))) if room else 1.0
    sx = alt.Scale(domain=[0, width], range=[0, width * k])
    sy = alt.Scale(domain=[top, height], range=[0, (height - top) * k])

    def xy(x: str = "x", y: str = "y") -> dict:
        return {"x": alt.X(f"{x}:Q", scale=sx, axis=None),
                "y": alt.Y(f"{y}:Q", scale=sy, axis=None)}

    lines = alt.Chart(alt.Data(values=links)).mark_rule(color=p["grey"]).encode(
        **xy(), x2="x2:Q", y2="y2:Q")
    frames = alt.Chart(alt.Data(values=boxes)).mark_rect(
        fill="#EEF6FB", stroke=p["blue"], cornerRadius=4).encode(
        **xy("x", "top"), x2="x2:Q", y2="bottom:Q")
    words = alt.Chart(alt.Data(values=boxes)).transform_calculate(
        label="join(datum.lines, '\\n')").mark_text(
        align="left", baseline="middle", fontSize=11 * k, lineBreak="\n",
        lineHeight=line_px * k, color=p["ink"]).encode(**xy("tx", "ty"), text="label:N")
    columns = alt.Chart(alt.Data(values=heads)).mark_text(
        align="left", fontWeight="bold", fontSize=12 * k, color=p["blue"]).encode(
        **xy(), text="lines:N")
    chart = alt.layer(lines, frames, words, columns).properties(
        width=width * k, height=(height - top) * k)
    return _finish(chart, sentence, view={"stroke": None})


BUILDERS: dict[str, Callable[..., dict]] = {
    "readiness.profile": readiness_profile,
    "focus.pareto": pareto,
    "focus.variation": variation,
    "focus.robustness": robustness,
    "cede.poker": poker,
    "cede.board": delegation_board,
    "prototype.commitment": commitment,
    "prototype.drivers": driver_diagram,
    "prototype.measure": measure,
}


def build(kind: str, params: dict[str, Any]) -> dict:
    """The Vega-Lite spec (a dict, checked against the schema) for a chart described as
    ``kind`` with ``params``."""
    try:
        builder = BUILDERS[kind]
    except KeyError:
        raise ValueError(f"no chart called {kind!r}") from None
    return builder(**params)
