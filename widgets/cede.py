"""The Cede module's state for one session, read through the reveal filter.

Why: "move authority to the information" (L. David Marquet; the seed "What good looks
like" says the same of boards). For each chosen focus area the room decides which decisions
move towards the front line, how far, with which guardrails, and who is accountable. The
participant's page, the console and the room screen all ask this module, so they agree.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass

from . import focus
from .decisions import default_played, starter
from .session import View

SETUP, POKER, BOARD = "cede.setup", "cede.poker", "cede.board"
KINDS = ("today", "proposed")


def key(*parts: str) -> str:
    """A store item key from names (JSON, so any character in a name is safe)."""
    return json.dumps(list(parts), ensure_ascii=False)


def parts(item: str) -> list[str]:
    return json.loads(item)


def focus_areas(view: View) -> list[str]:
    """The areas the Focus module chose; Cede starts from them."""
    made = focus.decision(view)
    return list(made["areas"]) if made else []


def catalogue(view: View, setup: dict | None = None) -> list[dict]:
    """The session's decision areas: the starter catalogue until the facilitator edits it.

    ``setup`` is the set-up step's shared work, when the caller has already read it.
    """
    setup = _setup(view) if setup is None else setup
    saved = setup.get("catalogue")
    if saved is not None:
        return saved.value
    return [{"decision": r["decision"], "meaning": r["meaning"]} for r in starter()]


def played_by_area(view: View) -> dict[str, list[str]]:
    """The decisions the room plays for each focus area (default: the four most relevant),
    from one read of the set-up step."""
    setup = _setup(view)
    names = {d["decision"] for d in catalogue(view, setup)}
    out = {}
    for area in focus_areas(view):
        saved = setup.get(key("played", area))
        chosen = saved.value if saved is not None else default_played(starter())
        out[area] = [d for d in chosen if d in names]
    return out


def played(view: View, area: str) -> list[str]:
    """The decisions the room plays for one area."""
    return played_by_area(view).get(area, [])


def _setup(view: View) -> dict:
    return view.store.shared(view.session.id, SETUP)


@dataclass(frozen=True)
class PokerVote:
    """One revealed card: who played it (``name`` only if they agreed to be named), for
    which decision, today's level or the proposed one."""

    participant: int
    name: str | None
    area: str
    decision: str
    kind: str
    level: int


def poker_votes(view: View, round: int | None = None) -> list[PokerVote]:
    """Revealed poker votes, as plain rows (a Cede page shows a dozen decisions of a few
    votes each: no data frame needed). Empty while the round is unrevealed."""
    votes = []
    for name, a in view.group_answers(POKER, round):
        area, decision, kind = parts(a.item)
        if a.value is not None:
            votes.append(PokerVote(a.participant_id, name, area, decision, kind,
                                   int(a.value)))
    return votes


def last_revealed(view: View) -> int | None:
    st = view.stage(POKER)
    if st.state == "revealed":
        return st.round
    return st.round - 1 if st.round > 1 else None


def shared_board(view: View) -> dict:
    return {k: v.value for k, v in view.store.shared(view.session.id, BOARD).items()}


@dataclass
class BoardRow:
    area: str
    decision: str
    today: float | None  # median of the latest revealed "today" votes
    proposed: float | None
    agreed: int | None
    owner: str
    guardrails: dict


def board(view: View) -> list[BoardRow]:
    """Every played decision with today's level, the proposal, the agreed level and its
    owner and guardrails."""
    rnd = last_revealed(view)
    levels: dict[tuple[str, str, str], list[int]] = {}
    for v in poker_votes(view, rnd) if rnd is not None else []:
        levels.setdefault((v.area, v.decision, v.kind), []).append(v.level)
    saved = shared_board(view)
    out = []
    for area, decisions in played_by_area(view).items():
        for decision in decisions:
            med = {kind: float(statistics.median(levels[(area, decision, kind)]))
                   if levels.get((area, decision, kind)) else None for kind in KINDS}
            out.append(BoardRow(area, decision, med["today"], med["proposed"],
                                saved.get(key("agreed", area, decision)),
                                saved.get(key("owner", area, decision)) or "",
                                saved.get(key("guardrails", area, decision)) or {}))
    return out


def warnings(rows: list[BoardRow]) -> dict[tuple[str, str], list[str]]:
    """What is missing per (area, decision): an owner, and guardrails from Advise up."""
    from .analysis.delegation import guardrail_gaps

    agreed = {(r.area, r.decision): r.agreed for r in rows if r.agreed is not None}
    owners = {(r.area, r.decision): r.owner for r in rows}
    guards = {(r.area, r.decision): r.guardrails for r in rows}
    return guardrail_gaps(agreed, owners, guards)


def gaps(rows: list[BoardRow]):
    from .analysis.delegation import cede_gaps

    today = {(r.area, r.decision): r.today for r in rows if r.today is not None}
    agreed = {(r.area, r.decision): r.agreed for r in rows if r.agreed is not None}
    return cede_gaps(today, agreed)


def pushback(view: View, area: str) -> dict:
    return shared_board(view).get(key("pushback", area)) or {}
