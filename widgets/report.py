"""The workshop report: one self-contained HTML file for the board papers.

Why one file with everything inline: it must open on a board member's laptop years later,
on a hospital network with no internet, and print on A4. Charts are the same SVG the screens
show, with their sentences as text alternatives; there are no scripts, fonts or images to
fetch. It reads the session through the reveal filter like every screen: a step that was
never revealed appears as "not revealed", never as its answers.
"""

from __future__ import annotations

from datetime import UTC, datetime

from . import agenda, cede, focus, prototype, tracking
from .analysis import drivers, spc
from .analysis.delegation import board_sentence
from .charts.draw import figure  # draws no widgets: see widgets/html
from .html.cede import board_chart, level_html
from .html.focus import results_html as focus_html
from .html.prototype import (
    LABELS,
    STATUS_WORDS,
    as_list,
    commitment_html,
    cycles_html,
    diagram_chart,
)
from .html.readiness import results_html as readiness_html
from .html.spc_chart import measure_html as shown
from .html.spc_chart import run_chart_rules
from .html.style import STYLE
from .markup import esc
from .session import View
from .stages import STAGES
from .validation import show_date


def _e(value) -> str:
    return esc(value)


def _not_revealed(what: str) -> str:
    return f'<p class="cd-note">{_e(what)} was not revealed, so no answers are shown.</p>'


def readiness_section(view: View) -> str:
    body = readiness_html(view)
    return body or _not_revealed("The readiness check")


def focus_section(view: View) -> str:
    data = focus.care_data(view)
    areas, _, proposed = focus.shortlist(view, data)
    made = focus.decision(view)
    cap = focus.capacity(view)
    whose = "the data's proposal" if proposed else "agreed by the room"
    out = [f"<p>Data: <strong>{_e(data.name)}</strong> ({len(data.table)} care areas).</p>",
           f"<p>Shortlist ({whose}, {len(areas)} areas): {_e(', '.join(areas))}.</p>"]
    if made:
        items = "".join(f"<li>{_e(a)}</li>" for a in made["areas"])
        reason = f"<p>Reason recorded: {_e(made['reason'])}</p>" if made.get("reason") else ""
        limit = (f"{cap['limit']} programmes" if cap.get("mode") == "programmes"
                 else f"{cap['limit']} effort points")
        agreed = "capacity" in view.store.shared(view.session.id, focus.DECIDE)
        out.append(f"<h3>The focus areas chosen</h3><ol>{items}</ol>{reason}"
                   f"<p>Capacity: {_e(limit)}{'' if agreed else ' (the default)'}.</p>")
    else:
        out.append("<p>No focus areas were recorded.</p>")
    out.append(focus_html(focus.results(view, data), technical=False))
    return "".join(out)


def cede_section(view: View) -> str:
    rows = cede.board(view)
    if not rows:
        return "<p>No decisions were played.</p>"
    gaps = cede.gaps(rows)
    sentence = board_sentence(gaps)
    missing = cede.warnings(rows)
    head = ("<table class='cd-table'><caption>The Delegation Board</caption><thead><tr>"
            "<th scope='col'>Decision</th><th scope='col'>Today</th><th scope='col'>Proposed"
            "</th><th scope='col'>Agreed</th><th scope='col'>Gap</th><th scope='col'>Owner"
            "</th><th scope='col'>Guardrails</th></tr></thead><tbody>")
    body = []
    for r in rows:
        g = gaps.get((r.area, r.decision))
        guard = "; ".join(f"{label}: {r.guardrails[k]}" for k, label in cede.GUARDRAILS.items()
                          if r.guardrails.get(k))  # in the form's order
        if (r.area, r.decision) in missing:
            guard = (guard + "; " if guard else "") + "NOT SAFE TO DELEGATE YET: missing " + \
                ", ".join(missing[(r.area, r.decision)])
        body.append(f"<tr><th scope='row'>{_e(r.area)}: {_e(r.decision)}</th>"
                    f"<td>{level_html(r.today)}</td><td>{level_html(r.proposed)}</td>"
                    f"<td>{level_html(r.agreed)}</td><td>{'' if g is None else f'{g:+g}'}</td>"
                    f"<td>{_e(r.owner)}</td><td>{_e(guard)}</td></tr>")
    table = head + "".join(body) + "</tbody></table>"
    chart = (figure(board_chart(rows, sentence), sentence)
             if any(r.today is not None or r.agreed is not None for r in rows)
             else f"<p>{_e(sentence)}</p>")
    plans = []
    for area in cede.focus_areas(view):
        plan = cede.pushback(view, area)
        if any(plan.values()):
            items = "".join(f"<dt>{_e(label)}</dt><dd>{_e(plan[k])}</dd>"
                            for k, label in cede.PUSHBACK.items() if plan.get(k))  # form's order
            plans.append(f"<h4>Pushback plan: {_e(area)}</h4><dl>{items}</dl>")
    poker = "" if cede.last_revealed(view) else _not_revealed("Delegation Poker")
    return poker + chart + table + "".join(plans)


def prototype_section(view: View) -> str:
    found = prototype.prototypes(view)
    if not found:
        return "<p>No prototypes were designed.</p>"
    made = prototype.commitments(view)
    out = [commitment_html(found, made, prototype.threshold(view)) if made is not None
           else _not_revealed("The commitment round")]
    track = view.store.shared(view.session.id, prototype.TRACK)
    for p in found:
        v = p.values
        fields = "".join(f"<dt>{_e(label)}</dt><dd>{_e(v.get(f))}</dd>"
                         for f, label, _, _ in prototype.TEXT_FIELDS
                         if f != "drivers" and v.get(f))
        team = ", ".join(f"{m['role']}{' (front line)' if m.get('frontline') else ''}"
                         for m in v.get("team") or [])
        extra = [(LABELS["team"], team),
                 (LABELS["timebox_weeks"], f"{float(v['timebox_weeks']):g}"
                  if v.get("timebox_weeks") else ""),
                 (LABELS["decisions"], ", ".join(v.get("decisions") or []))]
        fields += "".join(f"<dt>{_e(k)}</dt><dd>{_e(x)}</dd>" for k, x in extra if x)
        outline = drivers.parse(str(v.get("drivers") or ""))
        idea = str(v.get("change_idea") or "").strip()
        d = drivers.layout(str(v.get("aim") or ""), outline, [idea] if idea else [])
        diagram = (figure(diagram_chart(d, d.sentence()), d.sentence(),
                          as_list(str(v.get("aim") or ""), outline, []), "The diagram as a list")
                   if outline.primary else f"<p>{_e(d.sentence())}</p>")
        measures = [measure_html(m, tracking.series(view, p.id, m["id"], track))
                    for m in v.get("measures") or [] if m.get("name")]
        status = STATUS_WORDS[tracking.status(view, p.id, track)]
        out.append(f'<div class="cd-card"><h3>{_e(p.label)}</h3>'
                   f"<p>Status: <strong>{_e(status)}</strong></p><dl>{fields}</dl>"
                   f"<h4>Driver diagram</h4>{diagram}"
                   f"<h4>PDSA cycles</h4>{cycles_html(tracking.cycles(view, p.id, track))}"
                   f"{''.join(measures) or '<p>No measures were named.</p>'}</div>")
    return "".join(out)


NO_VALUES = "No values recorded yet."


def measure_html(m: dict, s: tracking.Series) -> str:
    """One measure for the board: what it is, then the screen's account of it (definition,
    chart, icons), or plainly that it has no values yet (never the screen's instructions
    for adding them)."""
    better = prototype.BETTER.get(m.get("better") or "", "no direction chosen")
    target = m.get("target")
    aim = ("no target" if target is None else
           f"target {target:g}" if isinstance(target, int | float) else f"target {target}")
    kind = f"{m['kind']} measure" if m.get("kind") else "kind not chosen"
    head = (f"<h4>{_e(m['name'])} ({_e(kind)}; "
            f"{_e(better[:1].lower() + better[1:])}; {_e(aim)})</h4>")
    return head + shown(m, s, "<p>Nobody has said which way is better for this measure, "
                        "so changes are not read as improvement or concern.</p>", NO_VALUES)


def appendix_section(view: View) -> str:
    """The method in its own terms, for whoever checks the working: the body of the report
    says the same in plain words."""
    s = view.session
    people = view.people_count()
    data = focus.care_data(view)
    r = focus.results(view, data)
    events = view.store.stage_events(s.id)
    reveals = "".join(
        f"<li>{_e(STAGES[st].title if st in STAGES else st)}, round {rnd}: revealed "
        f"{_e(show_date(at.date()))} {at:%H:%M} UTC</li>"
        for st, rnd, state, at in events if state == "revealed")
    plan = agenda.current(view)
    ranking = ""
    if r.ready:
        ranking = (f"{focus.method_html(r)}<p>Top N = {r.n}, from the capacity. With the same "
                   f"data, answers and random seed {r.seed}, the figures come out the same "
                   "again.</p>")
    track = view.store.shared(s.id, prototype.TRACK)
    rules = "".join(
        f"<li>{_e(p.label)}: {_e(m['name'])}: shifts and trends of "
        f"{tracking.series(view, p.id, m['id'], track).rule} points</li>"
        for p in prototype.prototypes(view) for m in p.values.get("measures") or []
        if m.get("name"))
    return (f"<h3>Focus: the data and the ranking</h3><p>Data file {_e(data.name)}, "
            f"SHA-256 <code>{_e(data.sha256)}</code> (a fingerprint that shows whether a file "
            f"is the one used).</p>{ranking}"
            "<h3>Measures: statistical process control</h3>"
            "<p>XmR charts with mean and limits at mean ± 2.66 × mean moving range, "
            f"from {spc.MIN_POINTS_FOR_LIMITS} points. Before that, a run chart on the "
            f"median marks {run_chart_rules()} Special causes: a point outside the "
            "limits; a shift or trend of 7 points (or 6 where set, listed below); two of "
            "three points beyond 2 sigma on the same side. A point on the mean ends a "
            f"shift and an equal neighbour ends a trend.</p>{f'<ul>{rules}</ul>' if rules else ''}"
            f"<h3>The record</h3><ul><li>Session {_e(s.code)}, created "
            f"{_e(show_date(s.created_at.date()))}; "
            f"{people} {'participant' if people == 1 else 'participants'}.</li>"
            f"<li>Agenda: {_e(plan.title)}, {plan.minutes()} minutes.</li>"
            "<li>Only revealed results are included; names appear beside answers only for "
            "people who agreed.</li></ul>"
            f"<h3>When each step was revealed</h3><ul>{reveals or '<li>None</li>'}</ul>")


APPENDIX = "Appendix: method and record"


def build(view: View) -> str:
    """The report as one HTML document."""
    s = view.session
    made = datetime.now(UTC)
    sections = [("Board readiness", readiness_section), ("Focus", focus_section),
                ("Cede: the Delegation Board", cede_section), ("Prototypes", prototype_section),
                (APPENDIX, appendix_section)]
    body = "".join(f'<section class="cd-section"><h2>{_e(title)}</h2>{make(view)}</section>'
                   for title, make in sections)
    body = body.replace("<details>", "<details open>")  # tables behind charts print too
    return ("<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{_e(s.title)}: workshop report</title>{STYLE}</head>"
            f'<body class="cd-report"><main class="cd-page"><h1>{_e(s.title)}</h1>'
            f"<p>Workshop report for session {_e(s.code)}, made "
            f"{_e(show_date(made.date()))} at {made:%H:%M} UTC. Made with Conductor.</p>"
            f"{body}</main></body></html>")
