"""A measure's chart the Making Data Count way: an XmR chart from 13 points, a run chart
before that, with the variation and assurance icons and a sentence.

Why these colours and shapes: Making Data Count colours special cause improvement blue
(#00B0F0), concern orange (#E46C0A), neither purple (#490092) and common cause grey
(#A6A6A6). Each also has its own marker shape, so nobody needs to tell the colours apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..analysis import spc
from ..charts.draw import Chart, figure
from ..markup import esc
from ..tracking import Series
from ..validation import show_date

WORDS = {"improvement": "Improvement", "concern": "Concern", "neutral": "Neither",
         "": "Common cause"}
# name -> (words, background, text colour, mark); text colours keep a 4.5:1 contrast.
# Each icon: its words, its class in kit.css (Making Data Count's colour) and its mark.
ICON_TEXT = {
    "special cause improvement": ("Special cause improvement", "improvement", "▲"),
    "special cause concern": ("Special cause concern", "concern", "■"),
    "special cause neither": ("Special cause: neither better nor worse", "neither", "◆"),
    "common cause": ("Common cause variation", "common", "●"),
    "consistently passes": ("The target will be met consistently", "passes", "P"),
    "consistently fails": ("The target will not be met without change", "fails", "F"),
    "hit or miss": ("Hit or miss: the target falls inside the limits", "hit-or-miss", "?"),
}


@dataclass
class MeasureChart:
    spec: Chart | None  # drawn by ``charts.specs.measure``, with altair, where it is drawn
    sentence: str
    table: str  # HTML table: the numbers behind the chart
    variation: str  # spc icon names, "none" before 13 points
    assurance: str
    limits: bool  # an XmR chart (True) or a run chart (False)
    no_assurance: str = ""  # why there is no assurance icon, when there is none


def build(s: Series, name: str, better: str = "higher", target: float | None = None
          ) -> MeasureChart:
    values, dates = s.values, s.dates
    if not values:
        return MeasureChart(None, f"No values yet for “{name}”. Add the first below.", "",
                            "none", "none", False)
    breaks = s.break_indices()
    sentence = spc.spc_sentence(values, dates, better=better, shift_length=s.rule,
                                trend_length=s.rule, breaks=breaks)
    rows = [{"date": d.isoformat(), "shown": show_date(d), "value": v} for d, v in s.points]
    limits = len(values) >= spc.MIN_POINTS_FOR_LIMITS
    if limits:
        r = spc.xmr(values, better=better, shift_length=s.rule, trend_length=s.rule,
                    breaks=breaks)
        for seg_no, seg in enumerate(r.segments):
            for i in range(seg.start, seg.end):
                rows[i].update(segment=seg_no, centre=seg.mean, upper=seg.upper,
                               lower=seg.lower)
        signals = r.signal
        variation, assurance = spc.variation_icon(r), spc.assurance_icon(r, target, better)
        centre_title = "Mean"
    else:
        rc = spc.run_chart(values, better=better)
        for row in rows:
            row.update(segment=0, centre=rc.median)
        signals = rc.signal
        variation = assurance = "none"
        centre_title = "Median"
    for row, sig in zip(rows, signals, strict=True):
        row["signal"] = WORDS[sig]
    spec = Chart("prototype.measure", {
        "values": [{k: v for k, v in row.items() if k != "shown"} for row in rows],
        "name": name, "sentence": sentence, "target": target, "limits": limits,
        "centre_title": centre_title})
    why = ("no target is set" if target is None else
           "neither direction is better" if better == "neither" else "")
    return MeasureChart(spec, sentence, _table(rows, limits, centre_title), variation,
                        assurance, limits, why)


def _table(rows: list[dict], limits: bool, centre_title: str) -> str:
    head = ["Date", "Value", centre_title] + (["Lower limit", "Upper limit"] if limits
                                             else []) + ["Point"]
    out = ["<table class='cd-table'><thead><tr>"
           + "".join(f"<th scope='col'>{h}</th>" for h in head) + "</tr></thead><tbody>"]
    for r in rows:
        cells = [f"{r['value']:g}", f"{r['centre']:.3g}"]
        if limits:
            cells += [f"{r['lower']:.3g}", f"{r['upper']:.3g}"]
        cells.append(r["signal"])
        out.append(f"<tr><th scope='row'>{esc(r['shown'])}</th>"
                   + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def icons_html(chart: MeasureChart) -> str:
    """The two icons as badges with words (the words carry the meaning, not the colour)."""
    if not chart.limits:
        return ('<p class="cd-note">The icons and process limits appear from '
                f"{spc.MIN_POINTS_FOR_LIMITS} points. Until then this is a run chart on the "
                f"median: it marks {run_chart_rules()}</p>")
    out = []
    for label, name in (("Variation (latest point)", chart.variation),
                        ("Assurance against the target", chart.assurance)):
        if name == "none":
            out.append(f"<li>{label}: none, because {chart.no_assurance}.</li>")
            continue
        text, kind, mark = ICON_TEXT[name]
        out.append(f'<li><span class="cd-icon cd-icon-{kind}" aria-hidden="true">{mark}</span> '
                   f"{label}: <strong>{esc(text)}</strong></li>")
    return f'<ul class="cd-icons">{"".join(out)}</ul>'


def run_chart_rules() -> str:
    """What a run chart marks, and the rule it leaves to people: said once, for the
    screen's note under a short series, the report's measures and its appendix."""
    return (f"a shift ({spc.RUN_SHIFT} points on one side), a trend ({spc.RUN_TREND} rising or "
            "falling) and too few or too many runs. One more rule is yours: a point so far "
            "from the rest that everyone looking would call it unusual (an “astronomical "
            "point”) needs asking about. No calculation defines it, so the chart does not "
            "mark it.")


def measure_html(m: dict, s: Series, undirected: str, empty: str | None = None) -> str:
    """One measure: its definition, its chart with the sentence, the icons (or the run
    chart's rules) and the dates its limits were recalculated from. The Prototype screen
    and the report both show a measure this way; only their notes differ: ``undirected``
    (HTML) when nobody has said which way is better, ``empty`` (words) before the first
    value (the chart's own sentence when not given)."""
    definition = (f"<p><strong>Definition:</strong> {esc(m.get('definition'))}</p>"
                  if m.get("definition") else "")
    chart = build(s, m["name"], m.get("better") or "neither", m.get("target"))
    if not chart.spec:
        return definition + f'<p class="cd-note">{esc(empty or chart.sentence)}</p>'
    breaks = (f"<p>Limits recalculated from: {esc(', '.join(show_date(d) for d in s.breaks))}."
              "</p>" if s.breaks else "")
    return (definition + ("" if m.get("better") else undirected)
            + figure(chart.spec, chart.sentence, chart.table) + icons_html(chart) + breaks)
