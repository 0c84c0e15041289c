"""The board's check-in on its focus areas, delegated decisions and prototypes (issue 20).

Why: a workshop day ends with a few focus areas, decisions moved closer to the front line
with guardrails and review dates, and prototypes with measures; the articles behind the kit
say boards then drift back to long lists and control, judge rather than learn from
measures, and let prototypes linger. A check-in is a new sitting of the same session, every
month or quarter: the portfolio read the Making Data Count way, a private keep, change or
stop round per prototype, a review of each delegated decision whose review date has come,
and the focus areas held to the room's capacity.

A sitting belongs to the session, so everything the workshop decided comes with it and every
participant's personal link keeps working. Its two votes (keep, change or stop; the
delegation review) are the session's own steps, ``check_in.<sitting>.keep`` and
``check_in.<sitting>.review``: answers in the store's vote log, private until the
facilitator reveals the round, read here through the session's reveal rules
(:meth:`View.is_revealed`, names only where people agreed). Screens ask this module for
everything and never build a store key.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, cast

from . import cede, focus, prototype, tracking
from .analysis import portfolio as pf
from .delegation_levels import BY_NUMBER
from .session import ACTIONS, View, participant_label
from .store import NotAllowed, Shared, Store
from .store.check_ins import CheckInDecision, LevelChange, Sitting
from .validation import FieldError, check_choice, check_date, check_text, parse_date, show_date

KEEP, REVIEW = "keep", "review"
ROUNDS = {KEEP: "Keep, change or stop", REVIEW: "Delegation review"}
WORK = "check_in.work"  # shared work teams update before a sitting (what is blocked)
#: The keep, change or stop round's answers, with the words on the buttons.
CHOICES = {"keep": "Keep going", "change": "Change course", "stop": "Stop and learn"}
#: The delegation review's answers: did the guardrails hold, and where should the level go?
HELD = {True: "The guardrails held", False: "The guardrails did not hold"}
MOVES = {"stay": "Stay at this level", "front": "Move towards the front line",
         "back": "Move back"}
UNBLOCK_STATES = {"promised": "Promised", "in hand": "In hand", "done": "Done"}


def key(*parts: str) -> str:
    return json.dumps(list(parts), ensure_ascii=False)


def _parts(item: str) -> list[str]:
    names: list[str] = json.loads(item)
    return names


def _day(value: object, label: str) -> date:
    """A date typed (ISO or day-first, as everywhere in the kit) or given."""
    if isinstance(value, str) and "/" in value:
        try:
            return check_date(parse_date(value), label)
        except FieldError as err:
            raise FieldError(f"{label}: {err} Nothing was saved.") from None
    return check_date(value, label)


# -- sittings ------------------------------------------------------------------------------
def start(view: View, held_on: object) -> Sitting:
    """Start the session's next check-in, held on ``held_on`` (facilitator only; the store
    checks the key). Numbered 1, 2, ...; one open at a time."""
    return view.store.start_sitting(view.session.id, _day(held_on, "The check-in's date"),
                                    view.viewer.key)


def close(view: View, sitting: Sitting) -> Sitting:
    """Close a check-in (facilitator only): its decisions are then on record, and the next
    check-in's "since the last sitting" counts from now."""
    return view.store.close_sitting(_own(view, sitting).id, view.viewer.key)


def sittings(view: View) -> list[Sitting]:
    """The session's check-ins, the first first."""
    return view.store.sittings(view.session.id)


def current(view: View) -> Sitting | None:
    """The open check-in, else the latest one, else None."""
    found = sittings(view)
    return next((s for s in found if s.state == "open"), found[-1] if found else None)


def _own(view: View, sitting: Sitting) -> Sitting:
    """The sitting as stored now, and only if it is this session's."""
    fresh = view.store.sitting(sitting.id)
    if fresh.session_id != view.session.id:
        raise NotAllowed("That check-in belongs to another session.")
    return fresh


def _previous(view: View, sitting: Sitting) -> Sitting | None:
    return next((s for s in sittings(view) if s.number == sitting.number - 1), None)


def workshop_ended(view: View, before: datetime | None = None) -> datetime:
    """When the workshop day ended, as far as the record shows: its last step moved (before
    ``before``, leaving out the check-ins' own rounds), else when the session began."""
    moves = [at for stage, _r, _s, at in view.store.stage_events(view.session.id)
             if not stage.startswith("check_in.") and (before is None or at < before)]
    return max([view.session.created_at, *moves])


def since(view: View, sitting: Sitting) -> datetime:
    """The moment "since the last sitting" counts from: when the check-in before closed (or
    began, if it never closed), or for the first check-in when the workshop ended."""
    before = _previous(view, sitting)
    if before is None:
        return workshop_ended(view, sitting.opened_at)
    return before.closed_at or before.opened_at


# -- before the sitting: what is blocked --------------------------------------------------
def save_unblock(view: View, pid: str, status: object, due: object = None) -> bool:
    """Where the leaders' promise to unblock a prototype stands (promised, in hand, done),
    and when it is due. Shared work: anyone in the session may update it from their
    personal link. True when someone else had saved it since (the later save wins)."""
    p = prototype.get(view, pid)
    if p is None or p.values.get("removed"):
        raise FieldError("That prototype does not exist. Nothing was saved.")
    state = check_choice(status, list(UNBLOCK_STATES), "Where the promise stands")
    day = None if due in (None, "") else _day(due, "The date it is due").isoformat()
    saved = view.store.save_shared(view.session.id, WORK, key("unblock", pid),
                                   {"status": state, "due": day},
                                   participant_id=view.viewer.participant_id,
                                   key=view.viewer.key)
    return saved.stale


# -- the portfolio -------------------------------------------------------------------------
class _AsOf:
    """A store that answers ``shared`` as the work stood at a moment (every other call goes
    to the store as it is): the session as the board saw it at an earlier sitting."""

    def __init__(self, store: Store, at: datetime):
        self.store = store
        self.at = at

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    def shared(self, session_id: int, stage: str) -> dict[str, Shared]:
        return self.store.shared_as_of(session_id, stage, self.at)


@contextmanager
def _as_of(view: View, at: datetime | None) -> Iterator[View]:
    if at is None:
        yield view
        return
    yield View(cast(Store, _AsOf(view.store, at)), view.session, view.viewer)


def _last_updated(pid: str, *works: dict[str, Shared]) -> datetime | None:
    """The newest save to a prototype's canvas, cycles, values, chart or unblock."""
    found = [s.created_at for work in works for item, s in work.items()
             if len(bits := _parts(item)) >= 2 and bits[1] == pid]
    return max(found) if found else None


def _measure(view: View, pid: str, m: dict[str, Any],
             track: dict[str, Shared]) -> pf.MeasureInput:
    s = tracking.series(view, pid, str(m["id"]), track)
    return pf.MeasureInput(id=str(m["id"]), name=str(m.get("name") or m["id"]),
                           better=str(m.get("better") or "neither"), target=m.get("target"),
                           dates=s.dates, values=s.values, rule=s.rule,
                           breaks=s.break_indices())


def _decisions_upto(view: View, sitting: Sitting) -> dict[str, CheckInDecision]:
    """Each prototype's decision at this sitting, or a stop recorded at an earlier one (a
    stopped prototype stays stopped)."""
    numbers = {s.id: s.number for s in sittings(view)}
    out: dict[str, CheckInDecision] = {}
    for d in view.store.check_in_decisions(view.session.id):
        n = numbers.get(d.sitting_id, 0)
        if d.sitting_id == sitting.id or (n < sitting.number and d.decision == "stop"):
            out[d.prototype] = d
    return out


def inputs(view: View, sitting: Sitting, at: datetime | None = None) -> list[pf.PrototypeInput]:
    """What the portfolio is built from, read from the store (as it stood at ``at``, or as
    it is): one entry per prototype, in the focus areas' order."""
    made = prototype.commitments(view)
    need = prototype.threshold(view)
    decided = _decisions_upto(view, sitting)
    with _as_of(view, at) as then:
        design = then.store.shared(view.session.id, prototype.DESIGN)
        track = then.store.shared(view.session.id, prototype.TRACK)
        work = then.store.shared(view.session.id, WORK)
        out = []
        for p in prototype.prototypes(then):
            cycles = tracking.cycles(then, p.id, track)
            promise = str(p.values.get("unblock") or "")
            state = work.get(key("unblock", p.id))
            unblocks = []
            if promise:
                value = state.value if state is not None else {}
                due = value.get("due")
                unblocks.append(pf.Unblock(promise, str(value.get("status") or "promised"),
                                           date.fromisoformat(due) if due else None))
            d = decided.get(p.id)
            out.append(pf.PrototypeInput(
                id=p.id, title=p.title, area=p.area,
                measures=tuple(_measure(then, p.id, m, track)
                               for m in p.values.get("measures") or []),
                cycles=len(cycles), latest_act=cycles[-1].act if cycles else "",
                helpers=None if made is None else (made[p.id].help if p.id in made else 0),
                threshold=need, unblocks=tuple(unblocks),
                last_updated=_last_updated(p.id, design, track, work),
                decision=d.decision if d else None, learned=d.learned if d else ""))
    return out


def portfolio(view: View, sitting: Sitting) -> list[pf.Row]:
    """The portfolio for a sitting, in the attention order, each row with its reasons: as it
    is while the sitting is open, as it stood when it closed once closed."""
    sitting = _own(view, sitting)
    return pf.portfolio(inputs(view, sitting, sitting.closed_at), since=since(view, sitting),
                        today=sitting.held_on)


def not_updated(view: View, sitting: Sitting) -> list[pf.Row]:
    """The prototypes nobody has updated since the last sitting (stopped ones left out)."""
    return [r for r in portfolio(view, sitting)
            if any(x.code == "no_update" for x in r.reasons)]


def compare(view: View, sitting: Sitting) -> list[pf.Change]:
    """What changed since the last sitting: the portfolio now (or when this sitting closed)
    against the portfolio as it stood when the last sitting closed (for the first check-in,
    when the workshop ended)."""
    sitting = _own(view, sitting)
    before_at = since(view, sitting)
    before = _previous(view, sitting)
    then = pf.portfolio(inputs(view, before, before_at) if before else
                        [_undecided(p) for p in inputs(view, sitting, before_at)],
                        since=None, today=before.held_on if before else before_at.date())
    return pf.changes(then, portfolio(view, sitting))


def _undecided(p: pf.PrototypeInput) -> pf.PrototypeInput:
    """The prototype as it was before any check-in decided on it."""
    return pf.PrototypeInput(**{**p.__dict__, "decision": None, "learned": ""})


# -- the rounds ----------------------------------------------------------------------------
def stage(sitting: Sitting, round_: str) -> str:
    """The step a sitting's round is kept under (the store's vote log and stage states)."""
    check_choice(round_, list(ROUNDS), "That round")
    return f"check_in.{sitting.id}.{round_}"


def move_round(view: View, sitting: Sitting, round_: str, action: str) -> str:
    """Open, close or reveal a sitting's round, or start a new round of it (facilitator
    only: the store checks the key). Revealing an open round closes it first. Returns the
    round's state. An open round needs an open check-in. The room's current step stays as
    it is (the workshop's screens know only the workshop's steps)."""
    sitting = _own(view, sitting)
    step = stage(sitting, round_)
    act = check_choice(action, ACTIONS, "That action")
    if act in ("open", "new_round") and sitting.state != "open":
        raise NotAllowed(f"Check-in {sitting.number} is closed: start a new check-in to vote "
                         "again.")
    if act == "reveal" and view.stage(step).state == "open":
        view.store.move_check_in_round(view.session.id, step, "close", view.viewer.key)
    return view.store.move_check_in_round(view.session.id, step, act, view.viewer.key).state


def round_state(view: View, sitting: Sitting, round_: str) -> str:
    return view.stage(stage(sitting, round_)).state


def room_round(view: View, sitting: Sitting) -> str | None:
    """The round the room is on at this sitting: the later of the two that has been opened
    (the delegation review follows keep, change or stop), or None before either opens (the
    room looks at the portfolio). The room screen shows that round's note or result first."""
    opened = view.store.stages(view.session.id)
    for round_ in (REVIEW, KEEP):
        if stage(sitting, round_) in opened:
            return round_
    return None


@dataclass
class Tally:
    """One revealed question: how many chose each answer, and the names of those who
    agreed to be named."""

    counts: dict[str, int]
    names: dict[str, list[str]] = field(default_factory=dict)
    answers: int = 0

    def add(self, answer: str, name: str | None) -> None:
        self.counts[answer] = self.counts.get(answer, 0) + 1
        self.answers += 1
        if name:
            self.names.setdefault(answer, []).append(name)


def _revealed(view: View, step: str, round: int | None) -> list[tuple[str | None, Any]] | None:
    """The round's answers with names where people agreed, or None while it is private (the
    reveal rule every vote follows: :meth:`View.is_revealed`)."""
    rnd = view.stage(step).round if round is None else round
    if not view.is_revealed(step, rnd):
        return None
    people = {p.id: p for p in view.store.participants(view.session.id)}
    return [(participant_label(people[a.participant_id]), a)
            for a in view.store.latest_answers(view.session.id, step, rnd)
            if a.participant_id in people]


@dataclass(frozen=True)
class RevealedAnswer:
    """One person's answer in a revealed round of a sitting, for the individual export."""

    round: str  # KEEP or REVIEW
    number: int  # the round's number (a round opened again is round 2)
    item: str  # what it answers, in words: a prototype's name, or a decision and its area
    value: Any  # "keep", "change" or "stop"; a review's {"held": ..., "move": ...}
    name: str | None  # None unless the person agreed to be named
    participant_id: int


def revealed_answers(view: View, sitting: Sitting) -> list[RevealedAnswer]:
    """Every answer of this sitting's revealed rounds, one per person and item (their
    latest), as the workshop's votes are exported: nothing of a round still private."""
    titles = {p.id: p.title for p in prototype.prototypes(view)}
    out = []
    for round_ in (KEEP, REVIEW):
        step = stage(sitting, round_)
        for number in range(1, view.stage(step).round + 1):
            for name, a in _revealed(view, step, number) or []:
                parts = _parts(a.item)
                item = (titles.get(parts[1], parts[1]) if round_ == KEEP
                        else f"{parts[-1]} ({parts[1]})")
                out.append(RevealedAnswer(round_, number, item, a.value, name,
                                          a.participant_id))
    return out


def submit_keep(view: View, sitting: Sitting, pid: str, answer: object) -> None:
    """The viewer's private keep, change or stop for one prototype. Checked here: a bad
    prototype or answer raises ``FieldError`` and nothing is stored; the store refuses it
    while the round is not open."""
    live = [p.id for p in prototype.prototypes(view)]
    check_choice(pid, live, "That prototype")
    checked = check_choice(answer, list(CHOICES), "Your answer")
    view.store.submit(view.session.id, view.voter(), stage(sitting, KEEP), key("p", pid),
                      checked, uuid.uuid4().hex)


def my_keep(view: View, sitting: Sitting) -> dict[str, str]:
    """The viewer's own answers in the current round, by prototype id."""
    return {_parts(item)[1]: str(v) for item, v in view.my_answers(stage(sitting, KEEP)).items()}


def keep_votes(view: View, sitting: Sitting, round: int | None = None) -> dict[str, Tally] | None:
    """The revealed keep, change or stop answers per prototype id; None while private."""
    found = _revealed(view, stage(sitting, KEEP), round)
    if found is None:
        return None
    out: dict[str, Tally] = {}
    for name, a in found:
        if a.value in CHOICES:
            out.setdefault(_parts(a.item)[1], Tally({c: 0 for c in CHOICES})).add(a.value, name)
    return out


def record_decision(view: View, sitting: Sitting, pid: str, decision: object, reason: object,
                    learned: object = "") -> CheckInDecision:
    """The board's decision for one prototype at an open check-in, with its reason; a stop
    needs what the prototype taught (facilitator only; checked here and by the store)."""
    sitting = _own(view, sitting)
    if prototype.get(view, pid) is None:
        raise FieldError("That prototype does not exist. Nothing was saved.")
    return view.store.record_check_in_decision(sitting.id, pid, decision, reason, learned,
                                               view.viewer.key)


def decisions(view: View, sitting: Sitting) -> dict[str, CheckInDecision]:
    """The board's decision per prototype id at this sitting (the latest recorded)."""
    return {d.prototype: d for d in view.store.check_in_decisions(view.session.id)
            if d.sitting_id == sitting.id}


@dataclass(frozen=True)
class Learned:
    prototype: str
    title: str
    area: str
    sitting: int
    held_on: date
    reason: str
    learned: str


def learned(view: View) -> list[Learned]:
    """Every stopped prototype with what it taught: a success of learning, kept."""
    numbers = {s.id: s for s in sittings(view)}
    out = []
    for d in view.store.check_in_decisions(view.session.id):
        p = prototype.get(view, d.prototype)
        if d.decision == "stop" and p is not None and d.sitting_id in numbers:
            s = numbers[d.sitting_id]
            out.append(Learned(p.id, p.title, p.area, s.number, s.held_on, d.reason, d.learned))
    return out


# -- delegation review -----------------------------------------------------------------------
@dataclass(frozen=True)
class ReviewItem:
    area: str
    decision: str
    level: int | None  # the agreed level now
    owner: str
    guardrails: dict[str, str]
    review_date: date

    @property
    def level_words(self) -> str:
        return (f"{self.level} {BY_NUMBER[self.level].name}" if self.level in BY_NUMBER
                else "No level agreed")


def due_for_review(view: View, today: date) -> list[ReviewItem]:
    """Every delegated decision whose review date has come by ``today``, with its guardrails,
    the soonest first."""
    out = []
    for r in cede.board(view):
        when = r.guardrails.get("review_date")
        if not when:
            continue
        day = date.fromisoformat(when)
        if day <= today:
            out.append(ReviewItem(r.area, r.decision, r.agreed, r.owner, dict(r.guardrails),
                                  day))
    return sorted(out, key=lambda i: i.review_date)


def _reviewable(view: View, sitting: Sitting) -> list[ReviewItem]:
    return due_for_review(view, sitting.held_on)


def submit_review(view: View, sitting: Sitting, area: str, decision: str, held: object,
                  move: object) -> None:
    """The viewer's private review of one delegated decision: did the guardrails hold, and
    should the level stay, move towards the front line or move back."""
    due = [(i.area, i.decision) for i in _reviewable(view, _own(view, sitting))]
    check_choice((area, decision), due, "That decision (it is not due for review)")
    value = {"held": check_choice(held, list(HELD), "Whether the guardrails held"),
             "move": check_choice(move, list(MOVES), "Where the level should go")}
    view.store.submit(view.session.id, view.voter(), stage(sitting, REVIEW),
                      key("d", area, decision), value, uuid.uuid4().hex)


def my_review(view: View, sitting: Sitting) -> dict[tuple[str, str], dict[str, Any]]:
    out = {}
    for item, v in view.my_answers(stage(sitting, REVIEW)).items():
        _, area, decision = _parts(item)
        out[(area, decision)] = cast(dict[str, Any], v)
    return out


@dataclass
class ReviewTally:
    held: Tally
    move: Tally


def review_votes(view: View, sitting: Sitting,
                 round: int | None = None) -> dict[tuple[str, str], ReviewTally] | None:
    """The revealed review answers per (area, decision); None while private."""
    found = _revealed(view, stage(sitting, REVIEW), round)
    if found is None:
        return None
    out: dict[tuple[str, str], ReviewTally] = {}
    for name, a in found:
        if not isinstance(a.value, dict) or a.value.get("move") not in MOVES:
            continue
        _, area, decision = _parts(a.item)
        t = out.setdefault((area, decision), ReviewTally(Tally({"yes": 0, "no": 0}),
                                                         Tally({m: 0 for m in MOVES})))
        t.held.add("yes" if a.value.get("held") else "no", name)
        t.move.add(str(a.value["move"]), name)
    return out


#: Days from a review to the next, unless the board sets another date: a quarter.
NEXT_REVIEW_DAYS = 91


def next_review_default(sitting: Sitting) -> date:
    """The next review date a console offers: a quarter after this sitting."""
    return sitting.held_on + timedelta(days=NEXT_REVIEW_DAYS)


def record_level_change(view: View, sitting: Sitting, area: str, decision: str,
                        to_level: object, reason: object, guardrails_held: object = None,
                        changed_on: object = None, next_review: object = None) -> LevelChange:
    """Record the level the room agreed for a delegated decision at an open check-in, on the
    Delegation Board and in its history, with its date (the sitting's, unless given), and
    the decision's next review date in its guardrails (``next_review``, typed or given; a
    quarter on by default), so it comes up again when the board said, not at every
    sitting from now on. Facilitator only. The decision must be on the board; the level
    1 to 7; the next review after this sitting."""
    sitting = _own(view, sitting)
    row = next((r for r in cede.board(view) if (r.area, r.decision) == (area, decision)), None)
    if row is None:
        raise FieldError(f"Nothing was recorded: “{str(decision)[:80]}” is not on the "
                         f"Delegation Board for {str(area)[:80]}.")
    day = sitting.held_on if changed_on is None else _day(changed_on, "The date of the change")
    blank = next_review is None or (isinstance(next_review, str) and not next_review.strip())
    then = next_review_default(sitting) if blank else _day(next_review, "The next review date")
    if then <= sitting.held_on:
        raise FieldError(f"The next review date ({show_date(then)}) must come after this "
                         f"check-in ({show_date(sitting.held_on)}). Nothing was recorded.")
    guardrails = {**row.guardrails, "review_date": then.isoformat()}
    return view.store.record_level_change(
        sitting.id, area, decision, row.agreed, to_level, guardrails_held, day, reason,
        view.viewer.key, board=(cede.BOARD, cede.key("agreed", area, decision)),
        also=[(cede.BOARD, cede.key("guardrails", area, decision), guardrails)])


def board_history(view: View) -> list[LevelChange]:
    """The Delegation Board's history: every level change a check-in agreed, oldest first."""
    return view.store.level_changes(view.session.id)


def describe_change(c: LevelChange) -> str:
    """A level change in words, for the board's history."""
    to = f"{c.to_level} {BY_NUMBER[c.to_level].name}"
    if c.from_level is None:
        what = f"set to {to}"
    else:
        way = ("towards the front line" if c.to_level > c.from_level else
               "back" if c.to_level < c.from_level else "kept")
        was = f"{c.from_level} {BY_NUMBER[c.from_level].name}"
        what = f"kept at {to}" if way == "kept" else f"moved {way}, from {was} to {to}"
    return f"{show_date(c.changed_on)}: {c.decision} ({c.area}) {what}."


# -- focus held steady ---------------------------------------------------------------------
@dataclass(frozen=True)
class FocusCount:
    areas: list[str]
    mode: str  # "programmes" or "effort"
    limit: float
    over: str | None  # the over-capacity warning, or None

    @property
    def words(self) -> str:
        if self.mode == "effort":
            head = f"{len(self.areas)} focus areas, within an effort capacity of {self.limit:g}"
        else:
            head = f"{len(self.areas)} of {self.limit:g} focus areas the room has capacity for"
        return f"{head}. {self.over}" if self.over else f"{head}."


def focus_count(view: View) -> FocusCount:
    """The focus areas against the capacity the room set."""
    cap = focus.capacity(view)
    areas = cede.focus_areas(view)
    over = focus.over_capacity(areas, cap, focus.care_data(view).table) if areas else None
    return FocusCount(areas, str(cap["mode"]), float(cap["limit"]), over)


def candidates(view: View) -> list[str]:
    """Areas that could join the focus: the shortlist's, then the data's, not chosen yet."""
    chosen = set(cede.focus_areas(view))
    listed = focus.shortlist(view)[0] + list(focus.care_data(view).table.areas)
    return [a for a in dict.fromkeys(listed) if a not in chosen]


def change_focus(view: View, add: object, gives_way: object, reason: object) -> list[str]:
    """Add a focus area by naming the one that gives way (the rule of a few, kept), with the
    reason (facilitator only). Returns the areas now in focus. Nothing is saved unless
    every part is right."""
    now = cede.focus_areas(view)
    if not now:
        raise FieldError("The workshop has not chosen its focus areas yet. Nothing was saved.")
    new = check_choice(add, candidates(view), "The area to add")
    if gives_way in (None, ""):
        raise FieldError(f"Name the focus area that gives way to {new}: the board keeps to "
                         "a few. Nothing was saved.")
    old = check_choice(gives_way, now, "The area that gives way")
    why = check_text(reason, "long", "The reason", required=True)
    areas = [new if a == old else a for a in now]
    made = focus.decision(view) or {}
    view.store.save_shared(view.session.id, focus.DECIDE, "decision",
                           {**made, "areas": areas, "reason": why, "n": len(areas)},
                           key=view.viewer.key, facilitator_only=True)
    return areas


# -- history -------------------------------------------------------------------------------
@dataclass(frozen=True)
class SittingSummary:
    sitting: Sitting
    decided: int  # prototypes the board decided on
    stopped: int
    level_changes: int

    @property
    def words(self) -> str:
        s = self.sitting
        state = "open now" if s.state == "open" else "closed"
        return (f"Check-in {s.number}, {show_date(s.held_on)} ({state}): {self.decided} "
                f"decision{'s' if self.decided != 1 else ''} on prototypes, {self.stopped} "
                f"stopped and learned from, {self.level_changes} delegation "
                f"change{'s' if self.level_changes != 1 else ''}.")


def history(view: View) -> list[SittingSummary]:
    """Each of the session's check-ins in a line, the first first."""
    made = view.store.check_in_decisions(view.session.id)
    moved = board_history(view)
    return [SittingSummary(s, sum(1 for d in made if d.sitting_id == s.id),
                           sum(1 for d in made if d.sitting_id == s.id and d.decision == "stop"),
                           sum(1 for c in moved if c.sitting_id == s.id))
            for s in sittings(view)]

