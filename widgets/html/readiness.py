"""The board readiness check's results as HTML: the group's profile once revealed, as a
chart with its sentence, a table, and the statements to talk about first. The profile comes
from module logic (``widgets.readiness.revealed_profile``); the room screen, the console,
the participant's page and the report show this same HTML."""

from __future__ import annotations

from ..charts.draw import Chart, figure, wrap_label
from ..content import READINESS_BY_ID
from ..markup import esc
from ..readiness import revealed_profile
from ..session import View


def results_html(view: View, round: int | None = None) -> str:
    """The group profile: chart with its sentence, a table, and three discussion prompts."""
    found = revealed_profile(view, round)
    if found is None:
        return ""
    rows, labels, solo, sentence = found.rows, found.labels, found.solo, found.sentence
    if found.empty:
        return f'<p class="cd-note">{esc(sentence)}</p>'

    # The profile's plain rows, not its DataFrame: a page showing it loads no pandas (35 MB
    # of a kernel; benchmarks/memory.py). The room's chart shows each statement in a few
    # words (``short``): read from ten metres, the full statement is the table's and the
    # participant's page's.
    values = [{"label": wrap_label(labels[r.item], WRAP),
               "short": READINESS_BY_ID[r.item].short if r.item in READINESS_BY_ID else "",
               "lowest": r.lowest, "highest": r.highest, "q1": r.q1, "q3": r.q3,
               "median": r.median} for r in rows if r.answers]
    spec = Chart("readiness.profile", {"values": values, "sentence": sentence})
    table = [f"<table class='cd-table'><caption>{'Your' if solo else 'Group'} ratings, 1 to 5"
             "</caption><thead><tr>"
             "<th scope='col'>Statement</th><th scope='col'>Answers</th>"
             "<th scope='col'>Median</th><th scope='col'>Middle half</th>"
             "<th scope='col'>Lowest to highest</th></tr></thead><tbody>"]
    for r in rows:
        if r.answers:
            table.append(f"<tr><th scope='row'>{esc(labels[r.item])}</th><td>{r.answers}</td>"
                         f"<td>{r.median:g}</td><td>{r.q1:g} to {r.q3:g}</td>"
                         f"<td>{r.lowest:g} to {r.highest:g}</td></tr>")
        else:
            table.append(f"<tr><th scope='row'>{esc(labels[r.item])}</th><td>0</td>"
                         "<td colspan='3'>No ratings</td></tr>")
    table.append("</tbody></table>")
    prompts = found.talk_first
    talk = "".join(f"<li><strong>{esc(labels[i])}</strong>: "
                   f"{esc(READINESS_BY_ID[i].prompt)}</li>" for i in prompts)
    talk_html = (f"<h3>Talk about these first</h3><p>The room is furthest apart on these. Ask "
                 f"the highest and lowest to explain their view.</p><ol>{talk}</ol>"
                 if prompts else "<p>The room broadly agrees on every statement.</p>")
    title = f"<h3>The group's readiness profile (round {found.round})</h3>"
    if solo:
        title = "<h3>Your readiness profile</h3>"
        talk_html = ("<p>These are your own ratings. Run the check with your board to see "
                     "where you see things differently: that is where the useful "
                     "conversation is.</p>")
    return title + figure(spec, sentence, "".join(table)) + KEY + talk_html


WRAP = 46  # characters per line of a statement beside the chart


# The chart's three marks in words (named in its legend: ``charts.specs.SPREAD``, ...).
KEY = ('<p class="cd-key">How to read the chart: for each statement the grey line runs from '
       "the lowest rating to the highest, the blue bar covers the middle half of answers, "
       "and the orange tick marks the median (half rated it higher, half lower).</p>")

