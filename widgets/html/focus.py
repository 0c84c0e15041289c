"""Focus results as HTML: the ranking, how robust its top few are, and where people disagree.

Why show robustness: a ranking computed from one set of weights looks precise and is not.
Showing how often each area stays in the top N when the weights move (a little, around the
group's, and anywhere at all) lets a board see which choices are safe and which hang on a
judgement worth discussing. (SMAA: Lahdelma, Hokkanen & Salminen, 1998.) The console, the
room screen, the participant's page and the report show this same HTML.
"""

from __future__ import annotations

from .. import focus
from ..analysis.shares import whole_percentages
from ..care_areas import CRITERIA
from ..charts.draw import Chart, figure, in_the_room
from ..focus import method_html, near, plain_html
from ..markup import esc


def robustness_sentence(r: focus.Results) -> str:
    top = r.ranked()[: r.n]
    safe = [row for row in top if (row.top_centred or 0) >= 0.8]
    shaky = [row.area for row in top if (row.top_centred or 0) < 0.5]
    text = (f"With {r.weights_source} weights, {top[0].area} ranks first. {len(safe)} of the "
            f"top {r.n} stay in the top {r.n} under at least 80% of weightings near "
            + ("yours" if r.solo else "the group's"))
    if shaky:
        text += f"; {', '.join(shaky)} {'depends' if len(shaky) == 1 else 'depend'} " \
                "on the exact weights"
    return text + "."


def robustness_chart(r: focus.Results, sentence: str) -> Chart:
    """Drawn by ``charts.specs.robustness``: two bars per ranked area."""
    ranked = r.ranked()
    values = []
    for row in ranked:
        values.append({"area": row.area, "method": near(r), "share": row.top_centred or 0.0})
        values.append({"area": row.area, "method": "Any weights",
                       "share": row.top_uniform or 0.0})
    return Chart("focus.robustness", {"values": values, "areas": [row.area for row in ranked],
                                      "methods": [near(r), "Any weights"], "n": int(r.n),
                                      "sentence": sentence})


def weight_percentages(r: focus.Results) -> dict[str, int]:
    """The weights as whole percentages that add up to 100, largest first."""
    weights = r.weights or {}
    return whole_percentages(dict(sorted(weights.items(), key=lambda kv: -kv[1])))


def results_html(r: focus.Results, technical: bool = True) -> str:
    """The ranking, robustness, disagreement and weights; then the method in its own terms
    (``technical``, for the facilitator's screens) or in plain words (the report)."""
    if not r.ready:
        role = ' role="status"' if r.pending else ""
        return f'<p class="cd-note"{role}>{esc(r.reason)}</p>'
    sentence = robustness_sentence(r)
    rows = []
    for row in r.ranking or []:
        rank = "" if row.flag else f"{row.rank}"
        score = "" if row.flag else f"{(row.score or 0) * 100:.0f}"
        close = "" if row.flag else f"{row.top_centred or 0:.0%}"
        anyw = "" if row.flag else f"{row.top_uniform or 0:.0%}"
        flag = "Not scored: nobody rated it, so it is not ranked" if row.flag else ""
        rows.append(f"<tr><td>{rank}</td><th scope='row'>{esc(row.area)}</th><td>{score}</td>"
                    f"<td>{close}</td><td>{anyw}</td><td>{esc(flag)}</td></tr>")
    table = ("<table class='cd-table'><caption>Ranking (score out of 100) and robustness"
             "</caption><thead><tr><th scope='col'>Rank</th><th scope='col'>Care area</th>"
             "<th scope='col'>Score</th>"
             f"<th scope='col'>In top {r.n}, {near(r).lower()}</th>"
             f"<th scope='col'>In top {r.n}, any weights</th><th scope='col'>Note</th></tr>"
             f"</thead><tbody>{''.join(rows)}</tbody></table>")
    weights = "".join(f"<li>{esc(CRITERIA[k].label)}: {p}%</li>"
                      for k, p in weight_percentages(r).items())
    disputed = (f"<p><strong>Where people differ most:</strong> {esc(', '.join(r.disputed))}. "
                "Ask the highest and lowest scorers to explain before anyone else speaks.</p>"
                if r.disputed else "<p>People scored the areas much alike.</p>")
    if r.solo:  # one person's scores: nobody to differ from
        disputed = ("<p>These are your own scores and weights. Run Focus with your board to "
                    "see where its members differ.</p>")
    method = method_html(r) if technical else plain_html(r)  # worded in module logic
    chart = figure(robustness_chart(r, sentence), sentence)
    if in_the_room():  # the room's first page: where to start the conversation, then the chart
        return (f"<h3>The ranking</h3>{disputed}{chart}{table}"
                f"<h4>Weights used</h4><ul>{weights}</ul>{method}")
    return (f"<h3>The ranking</h3>{chart}"
            f"{table}{disputed}<h4>Weights used</h4><ul>{weights}</ul>{method}")
