"""The Prototype module as HTML: the canvas's field names, the commitment round's result, the
driver diagram, the PDSA log and a prototype's status in words. The screens and the report
show the same."""

from __future__ import annotations

from .. import prototype, tracking
from ..analysis import drivers
from ..charts.draw import Chart, figure, wrap_label
from ..markup import esc
from ..prototype import COMMITMENT, HELP, NOT_NOW, SUPPORT
from ..validation import show_date

LABELS = {f: label for f, label, _, _ in prototype.TEXT_FIELDS} | {
    "title": "Prototype name", "timebox_weeks": "Timebox (weeks)", "team": "Team",
    "measures": "Measures", "decisions": "Decisions the team holds"}


STATUS_WORDS = {"not started": "no cycles yet", "testing": "testing", "adopt": "adopted",
                "adapt": "adapting", "abandon": "abandoned"}


def commitment_chart(rows: list[tuple[str, dict[int, int]]], sentence: str) -> Chart:
    """People per answer for each prototype. Drawn by ``charts.specs.commitment``."""
    values = [{"prototype": wrap_label(label), "answer": COMMITMENT[k], "order": 2 - k,
               "people": n}
              for label, counts in rows for k, n in counts.items() if n]
    return Chart("prototype.commitment", {"values": values,
                                          "answers": list(COMMITMENT.values()),
                                          "sentence": sentence})


def solo_sentence(found: list[prototype.Prototype], made: dict) -> str:
    """One leader's own commitment: "You will help make 1 of 2 prototypes happen, and
    support 1." (no threshold: it counts helpers in a room)."""
    def mine(p, answer):
        c = made.get(p.id)
        return bool(c and c.counts.get(answer))

    helped = sum(mine(p, HELP) for p in found)
    backed = sum(mine(p, SUPPORT) for p in found)
    if not helped:  # "help make 0 of 2" reads oddly: say plainly that none is promised yet
        which = "the prototype" if len(found) == 1 else f"any of the {len(found)} prototypes"
        return (f"You have not said you will help with {which} yet"
                + (f"; you support {backed}." if backed else "."))
    text = (f"You will help make {helped} of {len(found)} "
            f"prototype{'s' if len(found) != 1 else ''} happen")
    return text + (f", and support {backed}." if backed else ".")


def commitment_html(found: list[prototype.Prototype], made: dict, need: int,
                    solo: bool = False) -> str:
    """The revealed commitment: flags, a chart with its sentence, and the table; for a solo
    leader, their own answers in a sentence that speaks to them, with no threshold."""
    short = {} if solo else prototype.lacking_helpers(found, made, need)
    rows, table = [], []
    flagged = [(p.label, short[p.id]) for p in found if p.id in short]
    for p in found:
        c = made.get(p.id)
        counts = c.counts if c else {HELP: 0, SUPPORT: 0, NOT_NOW: 0}
        rows.append((p.label, counts))
        names = (", ".join(c.helpers) if c else "") or ""
        if c and c.unnamed_helpers:
            names += (", " if names else "") + f"{c.unnamed_helpers} not named"
        table.append(f"<tr><th scope='row'>{esc(p.label)}</th><td>{counts[HELP]}</td>"
                     f"<td>{counts[SUPPORT]}</td><td>{counts[NOT_NOW]}</td>"
                     f"<td>{esc(names)}</td></tr>")
    enough = len(found) - len(flagged)
    sentence = (f"{enough} of {len(found)} prototype{'s' if len(found) != 1 else ''} "
                f"{'has' if enough == 1 else 'have'} at least {need} "
                f"{'person' if need == 1 else 'people'} who will help make "
                f"{'it' if enough == 1 else 'them'} happen.")
    if solo:
        sentence = solo_sentence(found, made)
    warn = ""
    if flagged:
        items = "".join(f"<li>{esc(label)}: {n} of the {need} needed</li>"
                        for label, n in flagged)
        warn = (f'<div class="cd-warn" role="alert"><strong>Not enough energy yet'
                f"</strong>: commit only to what the group has the stomach and energy "
                f"for. Pause these, or find more helpers:<ul>{items}</ul></div>")
    head = ("<table class='cd-table'><caption>Commitment per prototype</caption><thead>"
            "<tr><th scope='col'>Prototype</th><th scope='col'>Will help</th>"
            "<th scope='col'>Support</th><th scope='col'>Not now</th>"
            "<th scope='col'>Helpers (named if they agreed)</th></tr></thead><tbody>")
    tab = head + "".join(table) + "</tbody></table>"
    chart = (figure(commitment_chart(rows, sentence), sentence, tab) if rows
             else f"<p>{sentence}</p>")
    return warn + chart


ROW_PX = 64  # the driver diagram's layout, in pixels
COL_PX = 190
BOX_PX = 160
LINE_PX = 13


def diagram_chart(d: drivers.Diagram, sentence: str) -> Chart:
    """The boxes, lines and column heads laid out in pixels. Drawn by
    ``charts.specs.driver_diagram``."""
    boxes = [{"x": b.column * COL_PX, "y": b.y * ROW_PX,
              "x2": b.column * COL_PX + BOX_PX, "top": b.y * ROW_PX - ROW_PX * 0.42,
              "bottom": b.y * ROW_PX + ROW_PX * 0.42, "tx": b.column * COL_PX + 6,
              "lines": drivers.wrap(b.text, 24)}
             for b in d.boxes]
    for b in boxes:  # centre a block of lines on its box (Vega anchors the first line)
        b["ty"] = b["y"] - (len(b["lines"]) - 1) * LINE_PX / 2
    by_id = {b.id: box for b, box in zip(d.boxes, boxes, strict=True)}
    links = [{"x": by_id[a]["x2"], "y": by_id[a]["y"],
              "x2": by_id[b]["x"], "y2": by_id[b]["y"]} for a, b in d.links]
    heads = [{"x": c * COL_PX, "y": -ROW_PX * 0.8, "lines": [name]}
             for c, name in enumerate(drivers.COLUMNS)]
    return Chart("prototype.drivers", {
        "boxes": boxes, "links": links, "heads": heads, "width": 4 * COL_PX,
        "height": max(d.rows, 1) * ROW_PX, "top": -ROW_PX, "line_px": LINE_PX,
        "sentence": sentence})


def as_list(aim: str, outline: drivers.Outline, extra: list[str]) -> str:
    """The tree as nested lists: what a screen reader (or a printout) reads."""
    def items(nodes):
        return "".join(f"<li>{esc(n.text)}" + (f"<ul>{items(n.children)}</ul>"
                                                if n.children else "") + "</li>"
                       for n in nodes)
    loose = "".join(f"<li>Change idea not yet linked to a driver: {esc(i)}</li>"
                    for i in extra)
    return (f"<ul><li>Aim: {esc(aim or '(no aim yet)')}<ul>{items(outline.primary)}</ul>"
            f"</li>{loose}</ul>")


def cycles_html(found: list[tracking.Cycle]) -> str:
    """The log as cards, cycle 1 first (also used by the report)."""
    if not found:
        return ('<p class="cd-note">No cycles logged yet. Plan the first: what you will '
                "do, and what you predict will happen.</p>")
    out = []
    for i, c in enumerate(found, 1):
        act = tracking.ACTS.get(c.act, "not decided yet")
        parts = "".join(f"<dt>{esc(label.split(':')[0])}</dt><dd>{esc(c.value.get(f))}"
                        "</dd>" for f, label in tracking.CYCLE_FIELDS.items()
                        if c.value.get(f))
        out.append(f'<div class="cd-card"><h4>Cycle {i}, {esc(show_date(c.day))}: '
                   f"{esc(act)}</h4><dl>{parts}</dl>"
                   f"<p class='cd-small'>Saved {c.version} "
                   f"time{'s' if c.version != 1 else ''}; every version is kept.</p>"
                   "</div>")
    return "".join(out)
