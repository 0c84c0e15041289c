"""The board's check-ins: sittings of a workshop session, the board's decisions at each, and
the Delegation Board's history of level changes.

Why sittings of the same session, not copies: everything the workshop decided (focus areas,
the Delegation Board, the prototypes and their measures) is the session's, and every
participant's personal link names the session; a sitting adds to it and takes nothing away.
The votes of a sitting are ordinary answers (``submissions``) under the sitting's own steps,
so they stay private until revealed, the latest counts and the earlier are kept, exactly as
every other vote. What is new here is append-only too: a decision recorded again is a new
row (the latest counts), and a level change is a new entry in the board's history.

Every value is checked here, at the last line of defence, with a message a person can act
on; a refused value saves nothing and changes nothing already saved.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa

from ..validation import (
    FieldError,
    check_choice,
    check_date,
    check_number,
    check_text,
    show_date,
)
from . import schema as t
from .engine import with_retries
from .errors import NotAllowed, NotFound
from .parts import StoreParts
from .rows import Shared, StageRow, now, utc
from .shared import SharedMixin

SITTING_STATES = ("open", "closed")
DECISIONS = ("keep", "change", "stop")
LEVELS = (1, 7)  # the seven levels of delegation
PROTOTYPE_ID = 64  # characters in a prototype's id
MAX_SITTINGS = 240  # check-ins per session: twenty years of monthly sittings
ROUND_PREFIX = "check_in."  # a sitting's rounds are steps named check_in.<sitting>.<round>
# action -> (states it may start from, state it leads to): the same rules as every step's
# (store.MOVES, which a test holds this to); here because store.py imports this module.
ROUND_MOVES = {
    "open": (("closed",), "open"),
    "close": (("open",), "closed"),
    "reveal": (("closed",), "revealed"),
    "new_round": (("revealed",), "open"),
}


@dataclass(frozen=True)
class Sitting:
    id: int
    session_id: int
    number: int
    held_on: date
    state: str  # "open" or "closed"
    opened_at: datetime
    closed_at: datetime | None


@dataclass(frozen=True)
class CheckInDecision:
    id: int
    sitting_id: int
    prototype: str
    decision: str  # keep, change or stop
    reason: str
    learned: str  # what a stopped prototype taught
    created_at: datetime


@dataclass(frozen=True)
class LevelChange:
    id: int
    sitting_id: int
    area: str
    decision: str
    from_level: int | None
    to_level: int
    guardrails_held: bool | None
    changed_on: date
    reason: str
    created_at: datetime


def add_check_ins(conn: sa.Connection) -> None:
    """Version 3 -> 4: the check-ins' tables (sittings, decisions, level changes). Existing
    sessions are untouched: a session has no sitting until the facilitator starts one."""
    t.metadata.create_all(conn, tables=list(t.CHECK_IN_TABLES), checkfirst=True)


def _day(value: object) -> date:
    if isinstance(value, datetime):
        value = value.date()
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _sitting(row: sa.Row[Any]) -> Sitting:
    return Sitting(row.id, row.session_id, row.number, _day(row.held_on), row.state,
                   utc(row.opened_at), utc(row.closed_at) if row.closed_at else None)


def _decision(row: sa.Row[Any]) -> CheckInDecision:
    return CheckInDecision(row.id, row.sitting_id, row.prototype, row.decision, row.reason,
                           row.learned, utc(row.created_at))


def _change(row: sa.Row[Any]) -> LevelChange:
    return LevelChange(row.id, row.sitting_id, row.area, row.decision, row.from_level,
                       row.to_level, row.guardrails_held, _day(row.changed_on), row.reason,
                       utc(row.created_at))


def _level(value: object, label: str) -> int:
    low, high = LEVELS
    return check_number(value, low, high, label)


class CheckInsMixin(StoreParts):
    # -- sittings ---------------------------------------------------------------------------
    def start_sitting(self, session_id: int, held_on: object, key: str | None) -> Sitting:
        """Start the session's next check-in (numbered 1, 2, ...), held on ``held_on``. One
        sitting at a time: the one before must be closed first. Facilitator only."""
        day = check_date(held_on, "The check-in's date")
        session = self.session(session_id)
        s = t.check_in_sittings

        def work() -> int:
            with self._write() as conn:
                self._authorise(conn, session, key)
                self._bump(conn, session_id)  # also serialises two consoles starting at once
                last = conn.execute(sa.select(s).where(s.c.session_id == session_id)
                                    .order_by(s.c.number.desc()).limit(1)).first()
                if last is not None and last.state == "open":
                    raise NotAllowed(f"Check-in {last.number} is still open: close it before "
                                     "starting the next. Nothing was started.")
                if last is not None and day < _day(last.held_on):
                    raise FieldError(f"Check-in {last.number} was held on "
                                     f"{show_date(_day(last.held_on))}; the next cannot be "
                                     "held before it. Nothing was started.")
                number = (last.number if last is not None else 0) + 1
                if number > MAX_SITTINGS:
                    raise FieldError(f"This session has {number - 1} check-ins; a session "
                                     f"holds at most {MAX_SITTINGS} check-ins. Start a new "
                                     "session for the next. Nothing was started.")
                result = conn.execute(s.insert().values(
                    session_id=session_id, number=number, held_on=day, state="open",
                    opened_at=now(), closed_at=None))
                made = result.inserted_primary_key
                assert made is not None  # one row with an id
                return int(made[0])
        return self.sitting(with_retries(work))

    def sitting(self, sitting_id: int) -> Sitting:
        s = t.check_in_sittings
        with self._read() as conn:
            row = conn.execute(sa.select(s).where(s.c.id == sitting_id)).first()
        if row is None:
            raise NotFound("That check-in no longer exists.")
        return _sitting(row)

    def sittings(self, session_id: int) -> list[Sitting]:
        """The session's check-ins, the first first."""
        s = t.check_in_sittings
        with self._read() as conn:
            return [_sitting(r) for r in conn.execute(
                sa.select(s).where(s.c.session_id == session_id).order_by(s.c.number))]

    def close_sitting(self, sitting_id: int, key: str | None) -> Sitting:
        """Close an open check-in (facilitator only): its decisions are then on record."""
        found = self.sitting(sitting_id)
        session = self.session(found.session_id)
        s = t.check_in_sittings

        def work() -> None:
            with self._write() as conn:
                self._authorise(conn, session, key)
                self._bump(conn, session.id)
                state = conn.execute(sa.select(s.c.state).where(s.c.id == sitting_id)).scalar()
                if state != "open":
                    raise NotAllowed(f"Check-in {found.number} is already closed.")
                conn.execute(s.update().where(s.c.id == sitting_id)
                             .values(state="closed", closed_at=now()))
        with_retries(work)
        return self.sitting(sitting_id)

    def _open_sitting(self, conn: sa.Connection, sitting_id: int, number: int) -> None:
        state = conn.execute(sa.select(t.check_in_sittings.c.state)
                             .where(t.check_in_sittings.c.id == sitting_id)).scalar()
        if state != "open":
            raise NotAllowed(f"Check-in {number} is closed, so nothing more can be recorded "
                             "in it. Start a new check-in. Nothing was saved.")

    def move_check_in_round(self, session_id: int, stage: str, action: str,
                            key: str | None) -> StageRow:
        """Open, close or reveal a sitting's round, or start a new round of it, by the rules
        every step follows (facilitator only). Unlike ``move_stage`` it leaves the room's
        current step as it is: the workshop's screens know only the workshop's steps."""
        if not stage.startswith(ROUND_PREFIX) or len(stage) > 64:
            raise ValueError(f"{stage[:70]!r} is not a check-in round.")
        if action not in ROUND_MOVES:
            raise ValueError(f"Unknown round action {action!r}.")
        session = self.session(session_id)
        starts, target = ROUND_MOVES[action]
        st = t.stages

        def work() -> StageRow:
            with self._write() as conn:
                self._authorise(conn, session, key)
                self._bump(conn, session_id)  # also serialises with concurrent answers
                row = conn.execute(sa.select(st).where(
                    st.c.session_id == session_id, st.c.stage == stage)).first()
                rnd, state = (row.round, row.state) if row else (1, "closed")
                if state not in starts:
                    done = {"open": "opened", "close": "closed", "reveal": "revealed",
                            "new_round": "given a new round"}[action]
                    raise NotAllowed(f"This round is {state}, so it cannot be {done} now.")
                rnd = rnd + 1 if action == "new_round" else rnd
                values = dict(round=rnd, state=target, changed_at=now())
                if row:
                    conn.execute(st.update().where(st.c.session_id == session_id,
                                                   st.c.stage == stage).values(**values))
                else:
                    conn.execute(st.insert().values(session_id=session_id, stage=stage,
                                                    **values))
                conn.execute(t.stage_events.insert().values(
                    session_id=session_id, stage=stage, round=rnd, state=target, at=now()))
                return StageRow(stage, rnd, target)
        return with_retries(work)

    # -- the board's decisions --------------------------------------------------------------
    def record_check_in_decision(self, sitting_id: int, prototype: object, decision: object,
                                 reason: object, learned: object,
                                 key: str | None) -> CheckInDecision:
        """Record the board's keep, change or stop for one prototype at an open check-in,
        with its reason; a stop needs what it taught. Facilitator only. Recording again
        adds a row: the latest counts, the earlier stays on record."""
        pid = check_text(prototype, "short", "The prototype", required=True)
        if len(pid) > PROTOTYPE_ID:
            raise FieldError("That is not a prototype of this session. Nothing was saved.")
        made = check_choice(decision, DECISIONS, "The decision (keep, change or stop)")
        why = check_text(reason, "long", "The reason", required=True)
        taught = check_text(learned, "long", "What we learned")
        if made == "stop" and not taught:
            raise FieldError("A stopped prototype is kept for what it taught: write what we "
                             "learned before recording the stop. Nothing was saved.")
        found = self.sitting(sitting_id)
        session = self.session(found.session_id)
        d = t.check_in_decisions

        def work() -> int:
            with self._write() as conn:
                self._authorise(conn, session, key)
                self._bump(conn, session.id)
                self._open_sitting(conn, sitting_id, found.number)
                result = conn.execute(d.insert().values(
                    session_id=session.id, sitting_id=sitting_id, prototype=pid,
                    decision=made, reason=why, learned=taught, created_at=now()))
                key_ = result.inserted_primary_key
                assert key_ is not None
                return int(key_[0])
        rid = with_retries(work)
        with self._read() as conn:
            row = conn.execute(sa.select(d).where(d.c.id == rid)).one()
        return _decision(row)

    def check_in_decisions(self, session_id: int,
                           history: bool = False) -> list[CheckInDecision]:
        """The board's decisions in every check-in of a session, oldest first: the latest per
        check-in and prototype, or with ``history`` every one recorded."""
        d = t.check_in_decisions
        q = sa.select(d).where(d.c.session_id == session_id)
        if not history:
            latest = (sa.select(sa.func.max(d.c.id).label("id"))
                      .where(d.c.session_id == session_id)
                      .group_by(d.c.sitting_id, d.c.prototype).subquery())
            q = sa.select(d).join(latest, d.c.id == latest.c.id)
        with self._read() as conn:
            return [_decision(r) for r in conn.execute(q.order_by(d.c.id))]

    # -- the Delegation Board's history -----------------------------------------------------
    def record_level_change(self, sitting_id: int, area: object, decision: object,
                            from_level: object, to_level: object, guardrails_held: object,
                            changed_on: object, reason: object, key: str | None,
                            board: tuple[str, str] | None = None,
                            also: Sequence[tuple[str, str, object]] = ()) -> LevelChange:
        """Record a level the room agreed at an open check-in, with its date (facilitator
        only). With ``board`` (a shared step and item), the new level is saved there too as
        a new version; ``also`` (step, item, value) are saved as new versions too (the
        decision's guardrails with its next review date). All in one transaction: every
        part is kept or none."""
        what = check_text(area, "short", "The focus area", required=True)
        name = check_text(decision, "short", "The decision", required=True)
        was = None if from_level is None else _level(from_level, "The level it had")
        new = _level(to_level, "The agreed level")
        held = check_choice(guardrails_held, (None, True, False),
                            "Whether the guardrails held")
        day = check_date(changed_on, "The date of the change")
        why = check_text(reason, "long", "The reason")
        found = self.sitting(sitting_id)
        session = self.session(found.session_id)
        c = t.level_changes

        def work() -> int:
            with self._write() as conn:
                self._authorise(conn, session, key)
                self._bump(conn, session.id)
                self._open_sitting(conn, sitting_id, found.number)
                result = conn.execute(c.insert().values(
                    session_id=session.id, sitting_id=sitting_id, area=what, decision=name,
                    from_level=was, to_level=new, guardrails_held=held, changed_on=day,
                    reason=why, created_at=now()))
                if board is not None:
                    SharedMixin._insert_shared(conn, session.id, board[0], board[1],
                                               json.dumps(new), None, True)
                for step, item, value in also:
                    SharedMixin._insert_shared(conn, session.id, step, item,
                                               json.dumps(value), None, True)
                key_ = result.inserted_primary_key
                assert key_ is not None
                return int(key_[0])
        rid = with_retries(work)
        with self._read() as conn:
            row = conn.execute(sa.select(c).where(c.c.id == rid)).one()
        return _change(row)

    def level_changes(self, session_id: int) -> list[LevelChange]:
        """Every level change the session's check-ins agreed, oldest first."""
        c = t.level_changes
        with self._read() as conn:
            return [_change(r) for r in conn.execute(
                sa.select(c).where(c.c.session_id == session_id).order_by(c.c.id))]

    # -- shared work as it stood --------------------------------------------------------------
    def shared_as_of(self, session_id: int, stage: str, at: datetime) -> dict[str, Shared]:
        """Every shared item of a step as it stood at ``at``: the latest version saved by
        then (versions are never changed, so the past can be read back exactly)."""
        s = t.shared
        moment = at.astimezone(UTC) if at.tzinfo else at  # stored in UTC
        latest = (sa.select(sa.func.max(s.c.id).label("id"))
                  .where(s.c.session_id == session_id, s.c.stage == stage,
                         s.c.created_at <= moment)
                  .group_by(s.c.item).subquery())
        q = sa.select(s).join(latest, s.c.id == latest.c.id)
        with self._read() as conn:
            return {r.item: Shared(r.item, r.version, json.loads(r.payload), r.participant_id,
                                   bool(r.by_facilitator), utc(r.created_at))
                    for r in conn.execute(q)}
