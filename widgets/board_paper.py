"""The check-in's board paper (issue 20): one self-contained HTML file, like the workshop
report, for the papers of the board's next meeting.

It carries the portfolio table with its icons and sentences, each measure's chart, the
board's decisions with their reasons, the delegation changes, and what stopped work taught.
It reads module logic through the reveal filter, never the screens: a round that was never
revealed shows as not revealed, and names appear only beside people who agreed. Like the
report it holds no scripts, fonts or images to fetch, so it opens offline and prints on A4.
"""

from __future__ import annotations

from datetime import UTC, datetime

from . import check_in, prototype, tracking
from .analysis import portfolio as pf
from .html import check_in as h
from .html.style import STYLE
from .markup import esc
from .report import measure_html
from .session import View
from .store.check_ins import Sitting
from .validation import show_date


def _section(title: str, body: str) -> str:
    return f'<section class="cd-section"><h2>{esc(title)}</h2>{body}</section>'


def _not_revealed(what: str) -> str:
    return f'<p class="cd-note">{esc(what)} was not revealed, so no answers are shown.</p>'


def _measures(view: View, sitting: Sitting, rows: list[pf.Row]) -> str:
    """Each prototype's measures as charts, as they stood at the sitting (when it closed, for
    a closed one)."""
    if sitting.closed_at is not None:
        track = view.store.shared_as_of(view.session.id, prototype.TRACK, sitting.closed_at)
    else:
        track = view.store.shared(view.session.id, prototype.TRACK)
    found = {p.id: p for p in prototype.prototypes(view)}
    out = []
    for r in rows:
        p = found.get(r.id)
        if p is None:
            continue
        charts = [measure_html(m, tracking.series(view, p.id, m["id"], track))
                  for m in p.values.get("measures") or [] if m.get("name")]
        out.append(f'<div class="cd-card"><h3>{esc(r.title)} ({esc(r.area)})</h3>'
                   f"<p>{esc(r.placed)}</p>"
                   f"{''.join(charts) or '<p>No measures were named.</p>'}</div>")
    return "".join(out) or "<p>No prototypes.</p>"


def _rounds(view: View, sitting: Sitting, rows: list[pf.Row]) -> str:
    titles = {r.id: r.title for r in rows}
    keep = check_in.keep_votes(view, sitting)
    review = check_in.review_votes(view, sitting)
    due = check_in.due_for_review(view, sitting.held_on)
    return ("<h3>Keep, change or stop: what the room said</h3>"
            + (h.keep_html(keep, titles) if keep is not None
               else _not_revealed("The keep, change or stop round"))
            + "<h3>The board's decisions and reasons</h3>"
            + h.decisions_html(check_in.decisions(view, sitting), titles)
            + "<h3>Delegated decisions due for review</h3>" + h.review_items_html(due)
            + "<h3>Delegation review: what the room said</h3>"
            + (h.review_html(review, due) if review is not None
               else _not_revealed("The delegation review")))


def _appendix() -> str:
    variation = "".join(f"<li>{esc(w)}</li>" for k, w in pf.VARIATION.items() if w)
    assurance = "".join(f"<li>{esc(w)}</li>" for k, w in pf.ASSURANCE.items() if w)
    return ("<p>Each measure is read the Making Data Count way: an XmR chart (mean and "
            "process limits from the data) says whether the latest point shows a special "
            "cause, and whether the target can be met as the process runs now.</p>"
            f"<h3>Variation icons</h3><ul>{variation}</ul>"
            f"<h3>Assurance icons</h3><ul>{assurance}</ul>"
            "<h3>The attention order</h3><p>A special cause of concern on any measure comes "
            "first, then a target the process cannot meet, then no update since the last "
            "sitting, then an overdue promise to unblock, then the rest; work the board "
            "stopped comes last, kept for what it taught.</p>"
            "<p>Only revealed rounds are included; names appear beside answers only for "
            "people who agreed.</p>")


def build(view: View, sitting: Sitting | None = None) -> str:
    """The board paper for ``sitting`` (the open check-in, else the latest) as one HTML
    document. Raises ``ValueError`` when the session has no check-in yet."""
    sitting = sitting or check_in.current(view)
    if sitting is None:
        raise ValueError("This session has no check-in yet: start one from the console.")
    s = view.session
    rows = check_in.portfolio(view, sitting)
    made = datetime.now(UTC)
    title = f"{s.title}: check-in {sitting.number}, {show_date(sitting.held_on)}"
    state = ("open at the time of writing" if sitting.state == "open" else
             "closed; figures as they stood when it closed")
    body = [
        _section("The portfolio",
                 f"<p><strong>{esc(h.portfolio_sentence(rows))}</strong></p>"
                 + h.portfolio_table(rows)
                 + "<h3>What changed since the last sitting</h3>"
                 + h.changes_html(check_in.compare(view, sitting))),
        _section("Keep, change or stop; the delegation review", _rounds(view, sitting, rows)),
        _section("What we learned from stopped work", h.learned_html(check_in.learned(view))),
        _section("The Delegation Board's history",
                 h.level_changes_html(check_in.board_history(view))),
        _section("Focus held steady", h.focus_html(check_in.focus_count(view))),
        _section("Each measure's chart", _measures(view, sitting, rows)),
        _section("The check-ins so far", h.history_html(check_in.history(view))),
        _section("Appendix: how to read this paper", _appendix()),
    ]
    page = "".join(body).replace("<details>", "<details open>")  # tables print too
    return ("<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{esc(title)}: board paper</title>{STYLE}</head>"
            f'<body class="cd-report"><main class="cd-page"><h1>{esc(title)}</h1>'
            f"<p>Board paper for session {esc(s.code)}: check-in {sitting.number} "
            f"({esc(state)}). Made {esc(show_date(made.date()))} at {made:%H:%M} UTC. Made "
            f"with Conductor.</p>{page}</main></body></html>")
