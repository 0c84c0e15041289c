"""The check-in as HTML (issue 20): the portfolio table the Making Data Count way, the
revealed keep, change or stop and delegation review rounds, the board's decisions, what
stopped work taught, the Delegation Board's history and the focus held steady.

The room screen, the console, the participants' page and the board paper all show these,
so they are written once here, without widgets. Every icon has its words beside it (the
words carry the meaning, never the colour alone); every string a person typed is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .. import cede, check_in
from ..analysis import portfolio as pf
from ..check_in import CHOICES, MOVES, FocusCount, Learned, ReviewItem, SittingSummary, Tally
from ..markup import esc
from ..store.check_ins import CheckInDecision, LevelChange, Sitting
from ..validation import show_date

#: A variation icon's family -> (its class in kit.css, its mark), as widgets/html/spc_chart.
VARIATION_ICON = {"concern": ("concern", "■"), "improvement": ("improvement", "▲"),
                  "neither": ("neither", "◆"), "common": ("common", "●")}
ASSURANCE_ICON = {"pass": ("passes", "P"), "fail": ("fails", "F"),
                  "hit_or_miss": ("hit-or-miss", "?")}
ACT_WORDS = {"adopt": "adopt", "adapt": "adapt", "abandon": "abandon"}
UNBLOCK_WORDS = check_in.UNBLOCK_STATES


def _icon(kind: str, mark: str) -> str:
    return f'<span class="cd-icon cd-icon-{kind}" aria-hidden="true">{mark}</span> '


def variation_html(m: pf.MeasureIcons) -> str:
    """The variation icon with its words (no icon before there are enough points)."""
    family = m.variation.split("_")[0]
    found = VARIATION_ICON.get(family)
    icon = _icon(*found) if found else ""
    return f'<span class="cd-ci-icon">{icon}{esc(m.variation_words)}</span>'


def assurance_html(m: pf.MeasureIcons) -> str:
    found = ASSURANCE_ICON.get(m.assurance)
    icon = _icon(*found) if found else ""
    return f'<span class="cd-ci-icon">{icon}{esc(m.assurance_words)}</span>'


def measures_cell(row: pf.Row) -> str:
    if not row.measures:
        return "No measures named."
    return "".join(f'<div class="cd-ci-measure"><strong>{esc(m.name)}</strong>'
                   f"<br>Variation: {variation_html(m)}<br>Assurance: {assurance_html(m)}"
                   "</div>" for m in row.measures)


def cycles_cell(row: pf.Row) -> str:
    n = row.cycles
    return (f"{n} PDSA cycle{'s' if n != 1 else ''}; latest decision: "
            f"{esc(ACT_WORDS.get(row.latest_act, row.act_words))}")


def unblock_cell(row: pf.Row) -> str:
    if not row.unblocks:
        return "Nothing promised."
    out = []
    for u in row.unblocks:
        due = f", due {show_date(u.due)}" if u.due else ""
        out.append(f"“{esc(u.text)}”: {esc(UNBLOCK_WORDS.get(u.status, u.status))}{due}")
    return "<br>".join(out)


def decision_words(decision: str | None) -> str:
    return CHOICES.get(decision or "", "") if decision else ""


NO_PORTFOLIO = "<p>No prototypes yet: the portfolio fills as the workshop's prototypes do.</p>"


def row_class(r: pf.Row) -> str:
    """A portfolio row's class: stopped (kept for what it taught), needing the board's
    attention, or neither."""
    return (' class="cd-ci-stopped"' if r.stopped else
            ' class="cd-ci-attention"' if r.rank < pf.REST else "")


def decided_html(r: pf.Row, lead: str) -> str:
    """The board's decision at this sitting, on its own line under the prototype's name."""
    return (f"<br>{esc(lead)}: <strong>{esc(decision_words(r.decision))}</strong>"
            if r.decision else "")


#: The full portfolio's columns (console, participants' pages, board paper).
PORTFOLIO_COLUMNS = ("Prototype and focus area", "Measures (latest icons)", "PDSA cycles",
                     "Helpers", "Promised to unblock", "Why it is here")


def portfolio_table(rows: Sequence[pf.Row], caption: str = "The portfolio: what needs the "
                    "board's attention comes first") -> str:
    """One row per prototype, in the attention order, each with why it is where it is."""
    if not rows:
        return NO_PORTFOLIO
    body = []
    for r in rows:
        cls, decided = row_class(r), decided_html(r, "The board decided")
        cells = (measures_cell(r), cycles_cell(r), esc(r.helpers_words), unblock_cell(r),
                 esc(r.placed))
        body.append(
            f"<tr{cls} role='row'><th scope='row' role='rowheader'>{esc(r.title)}<br>"
            f"<span class='cd-when'>{esc(r.area)}</span>{decided}</th>"
            + "".join(f"<td role='cell' data-label='{esc(head)}'>{cell}</td>"
                      for head, cell in zip(PORTFOLIO_COLUMNS[1:], cells, strict=True))
            + "</tr>")
    heads = "".join(f"<th scope='col' role='columnheader'>{esc(h)}</th>"
                    for h in PORTFOLIO_COLUMNS)
    # cd-cards: a card per prototype on a phone (kit.css, section 5), each cell under its
    # column's name; the roles keep it a table for screen readers when it is laid out so.
    return ("<table class='cd-table cd-portfolio cd-cards' role='table'><caption>"
            + esc(caption) + "</caption><thead role='rowgroup'><tr role='row'>" + heads
            + "</tr></thead><tbody role='rowgroup'>" + "".join(body) + "</tbody></table>")


def _short_measure(m: pf.MeasureIcons) -> str:
    """A measure on one line, for the room: its name, then each icon with a few words."""
    family = VARIATION_ICON.get(m.variation.split("_")[0])
    assured = ASSURANCE_ICON.get(m.assurance)
    variation = (_icon(*family) if family else "") + esc(pf.VARIATION_SHORT.get(m.variation, ""))
    assurance = (_icon(*assured) if assured else "") + esc(pf.ASSURANCE_SHORT.get(m.assurance,
                                                                                   ""))
    if m.variation == "too_few":  # no icon of either kind yet: said once
        return (f'<div class="cd-ci-measure"><strong>{esc(m.name)}</strong>: too few points '
                "for icons yet</div>")
    return (f'<div class="cd-ci-measure"><strong>{esc(m.name)}</strong>: '
            f'<span class="cd-ci-icon">{variation}</span>; '
            f'<span class="cd-ci-icon">{assurance}</span></div>')


def why_words(row: pf.Row) -> str:
    """Why a row is where it is, without its place: the board reads the order."""
    if not row.reasons:
        return "Nothing here needs the board's attention."
    return " ".join(r.words for r in row.reasons)


def portfolio_room_table(rows: Sequence[pf.Row]) -> str:
    """The portfolio for the projector: the same order and icons with fewer, shorter words
    (each measure on a line, the reasons for its place), so a row reads from the back of a
    room and the first rows fit the screen. Helpers and what the leaders promised to
    unblock are in the full table (console, pages, board paper); an overdue promise is
    among the reasons here."""
    if not rows:
        return NO_PORTFOLIO
    body = []
    for r in rows:
        cls, decided = row_class(r), decided_html(r, "Decided")
        measures = ("".join(_short_measure(m) for m in r.measures) if r.measures
                    else "No measures named.")
        cycles = f"{r.cycles}, latest: {esc(ACT_WORDS.get(r.latest_act, r.act_words))}"
        body.append(f"<tr{cls}><th scope='row'>{esc(r.title)}<br><span class='cd-when'>"
                    f"{esc(r.area)}</span>{decided}</th><td>{measures}</td><td>{cycles}</td>"
                    f"<td>{esc(why_words(r))}</td></tr>")
    return ("<table class='cd-table cd-portfolio cd-portfolio-room'><caption>The portfolio: "
            "what needs the board's attention comes first</caption><thead><tr>"
            "<th scope='col'>Prototype</th><th scope='col'>Measures: variation; assurance</th>"
            "<th scope='col'>PDSA cycles</th><th scope='col'>Why it is here</th></tr></thead>"
            "<tbody>" + "".join(body) + "</tbody></table>")


def portfolio_sentence(rows: Sequence[pf.Row]) -> str:
    """The portfolio in one sentence: how many need the board's attention, and which first."""
    if not rows:
        return "No prototypes yet."
    need = [r for r in rows if r.rank < pf.REST]
    stopped = sum(r.stopped for r in rows)
    n = len(rows)
    head = f"{n} prototype{'s' if n != 1 else ''}"
    if not need:
        text = f"{head}: none needs the board's attention today."
    else:
        text = (f"{head}: {len(need)} need{'s' if len(need) == 1 else ''} the board's "
                f"attention. First: “{need[0].title}”. {need[0].reasons[0].words}")
    if stopped:
        text += f" {stopped} stopped and kept for what {'it' if stopped == 1 else 'they'} taught."
    return text


def changes_html(changes: Sequence[pf.Change]) -> str:
    if not changes:
        return "<p>Nothing has changed since the last sitting.</p>"
    items = "".join(f"<li><strong>{esc(c.title)}</strong>: {esc(' '.join(c.what))}</li>"
                    for c in changes)
    return f"<ul>{items}</ul>"


def _named(t: Tally, answer: str) -> str:
    names = t.names.get(answer) or []
    return f" ({esc(', '.join(names))})" if names else ""


def keep_html(votes: Mapping[str, Tally] | None, titles: Mapping[str, str]) -> str:
    """The revealed keep, change or stop round, one line per prototype; or a note while the
    answers are private."""
    if votes is None:
        return ('<p class="cd-note">The answers stay private until the facilitator reveals '
                "them.</p>")
    if not votes:
        return "<p>Nobody answered this round.</p>"
    out = []
    for pid, title in titles.items():
        t = votes.get(pid)
        if t is None:
            continue
        parts = "; ".join(f"{esc(words)}: {t.counts.get(k, 0)}{_named(t, k)}"
                          for k, words in CHOICES.items())
        top = max(t.counts.values())
        leaders = [CHOICES[k] for k, n in t.counts.items() if n == top]
        most = (f"Most said {leaders[0].lower()}" if len(leaders) == 1 else
                "The room is split between " + " and ".join(x.lower() for x in leaders))
        out.append(f"<li><strong>{esc(title)}</strong>: {parts}. {esc(most)} "
                   f"({t.answers} answer{'s' if t.answers != 1 else ''}).</li>")
    return f"<ul class='cd-ci-votes'>{''.join(out)}</ul>"


def keep_room_table(votes: Mapping[str, Tally] | None, titles: Mapping[str, str]) -> str:
    """The revealed keep, change or stop round for the projector: a row per prototype, a
    column per answer (with the names of those who agreed to be named) and what most said.
    The same note as ``keep_html`` while the answers are private."""
    if not votes:
        return keep_html(votes, titles)
    body = []
    for pid, title in titles.items():
        t = votes.get(pid)
        if t is None:
            continue
        top = max(t.counts.values())
        leaders = [CHOICES[k] for k, n in t.counts.items() if n == top]
        most = leaders[0] if len(leaders) == 1 else "Split: " + " and ".join(
            x.lower() for x in leaders)
        cells = "".join(f"<td>{t.counts.get(k, 0)}{_named(t, k)}</td>" for k in CHOICES)
        body.append(f"<tr><th scope='row'>{esc(title)}</th>{cells}<td><strong>{esc(most)}"
                    f"</strong> ({t.answers} answer{'s' if t.answers != 1 else ''})</td></tr>")
    heads = "".join(f"<th scope='col'>{esc(words)}</th>" for words in CHOICES.values())
    return ("<table class='cd-table cd-ci-keep-room'><caption>Keep, change or stop: what the "
            "room said</caption><thead><tr><th scope='col'>Prototype</th>" + heads
            + "<th scope='col'>Most said</th></tr></thead><tbody>" + "".join(body)
            + "</tbody></table>")


def review_html(votes: Mapping[tuple[str, str], check_in.ReviewTally] | None,
                items: Sequence[ReviewItem]) -> str:
    if votes is None:
        return ('<p class="cd-note">The answers stay private until the facilitator reveals '
                "them.</p>")
    out = []
    for i in items:
        t = votes.get((i.area, i.decision))
        if t is None:
            continue
        held = (f"{t.held.counts['yes']} said the guardrails held{_named(t.held, 'yes')}, "
                f"{t.held.counts['no']} said they did not{_named(t.held, 'no')}")
        moves = "; ".join(f"{esc(words)}: {t.move.counts.get(k, 0)}{_named(t.move, k)}"
                          for k, words in MOVES.items())
        out.append(f"<li><strong>{esc(i.decision)}</strong> ({esc(i.area)}, now "
                   f"{esc(i.level_words)}): {held}. {moves}.</li>")
    return f"<ul class='cd-ci-votes'>{''.join(out)}</ul>" if out else \
        "<p>Nobody answered this round.</p>"


def review_items_html(items: Sequence[ReviewItem]) -> str:
    """Every delegated decision due for review, with its guardrails."""
    if not items:
        return "<p>No delegated decision has reached its review date.</p>"
    out = []
    for i in items:
        guard = "".join(f"<li>{esc(label)}: {esc(i.guardrails[k])}</li>"
                        for k, label in cede.GUARDRAILS.items()
                        if i.guardrails.get(k) and k != "review_date")
        out.append(f'<div class="cd-card"><h4>{esc(i.decision)} ({esc(i.area)})</h4>'
                   f"<p>Level now: <strong>{esc(i.level_words)}</strong>. Owner: "
                   f"{esc(i.owner or 'not named')}. Review date: {show_date(i.review_date)}."
                   f"</p><ul>{guard}</ul></div>")
    return "".join(out)


def decisions_html(made: Mapping[str, CheckInDecision], titles: Mapping[str, str]) -> str:
    if not made:
        return "<p>No decisions recorded yet.</p>"
    out = []
    for pid, d in made.items():
        learned = (f"<br>What we learned: {esc(d.learned)}" if d.decision == "stop"
                   and d.learned else "")
        out.append(f"<li><strong>{esc(titles.get(pid, pid))}</strong>: "
                   f"{esc(decision_words(d.decision))}. Why: {esc(d.reason)}{learned}</li>")
    return f"<ul>{''.join(out)}</ul>"


def learned_html(found: Sequence[Learned]) -> str:
    """Stopped work, kept for what it taught: a success of learning, not a failure."""
    if not found:
        return "<p>No prototype has been stopped yet.</p>"
    out = "".join(f"<li><strong>{esc(x.title)}</strong> ({esc(x.area)}), stopped at check-in "
                  f"{x.sitting} on {show_date(x.held_on)}. It taught us: {esc(x.learned)} "
                  f"(Why we stopped: {esc(x.reason)})</li>" for x in found)
    return ("<p>Stopping a test that did not work is a success of learning: the board "
            f"spent little and now knows more.</p><ul>{out}</ul>")


def level_changes_html(changes: Sequence[LevelChange]) -> str:
    if not changes:
        return "<p>No level has been changed at a check-in yet.</p>"
    out = []
    for c in changes:
        held = ("" if c.guardrails_held is None else
                " The guardrails held." if c.guardrails_held else
                " The guardrails did not hold.")
        out.append(f"<li>{esc(check_in.describe_change(c))}{held} Why: {esc(c.reason)}</li>")
    return f"<ul>{''.join(out)}</ul>"


def focus_html(count: FocusCount) -> str:
    items = "".join(f"<li>{esc(a)}</li>" for a in count.areas)
    cls = "cd-warn" if count.over else "cd-note"
    return f'<p class="{cls}">{esc(count.words)}</p><ol>{items}</ol>'


def history_html(found: Sequence[SittingSummary]) -> str:
    if not found:
        return "<p>No check-in yet.</p>"
    return "<ul>" + "".join(f"<li>{esc(h.words)}</li>" for h in found) + "</ul>"


def sitting_title(s: Sitting) -> str:
    state = "open now" if s.state == "open" else "closed"
    return f"Check-in {s.number}, {show_date(s.held_on)} ({state})"
