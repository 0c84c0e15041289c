"""Who is this page for, and what may they see?

Why one module: privacy must not depend on each screen remembering the rules. Every view,
the room screen and every export reads answers through :class:`View`, the reveal filter:
votes stay private until the facilitator reveals the round, individual answers never carry
a name unless that person agreed, and a hidden name is never shown.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from . import keys
from .paths import forget_drawings
from .stages import STAGES, stage_info
from .store import Answer, NotAllowed, NotFound, ParticipantRow, SessionRow, StageRow, Store

# Screens read these through the session (what a page is for), so they are exported here.
from .urls import in_voila as in_voila
from .urls import page_link as page_link
from .urls import query_params as query_params
from .validation import FieldError, check_choice, check_text, show_time

ROLES = ("facilitator", "participant", "room", "solo")
SOLO_SETTING = "solo_session_id"


class JoinError(Exception):
    """Joining failed; the message says why and what to do."""


@dataclass(frozen=True)
class Viewer:
    """The person (or screen) a page is for. ``key`` is held only by the facilitator."""

    role: str
    participant_id: int | None = None
    key: str | None = None

    @property
    def can_run_stages(self) -> bool:
        return self.role in ("facilitator", "solo")


def participant_label(person: ParticipantRow) -> str | None:
    """The name to show beside this person's answers, or None (not agreed, or hidden)."""
    if person.named_ok and not person.hidden and person.display_name:
        return person.display_name
    return None


def roster_name(person: ParticipantRow) -> str:
    """How the facilitator's list of who has joined shows a person."""
    if person.hidden:
        return "(name hidden)"
    return person.display_name or "Anonymous"


@dataclass(frozen=True)
class Withdrawal:
    """Removing one person from a session, said in full before it is done.

    Why one definition: ``conductor withdraw`` (a data-protection request) and the console's
    Remove (someone who joined twice) take away the same things, so they say the same
    words, ask first, and remove through the same store call, which checks the key.
    """

    session: SessionRow
    person: ParticipantRow
    answers: int  # answers they have given (earlier ones too): all of them go

    @property
    def who(self) -> str:
        """The person, as the facilitator tells them apart: the name they joined with
        (hidden or not: a hidden name is hidden from the room, not from the facilitator)
        and when they joined, since a duplicate has the same name."""
        p = self.person
        when = f"(joined {show_time(p.joined_at)})"
        return f"“{p.display_name}” {when}" if p.display_name else \
            f"an anonymous participant {when}"

    def _what(self, n: int) -> str:
        things = [f"{n} answer{'s' if n != 1 else ''}"] if n else []
        things += ["name"] if self.person.display_name else []
        things.append("personal link")
        listed = ", ".join(things[:-1]) + f" and {things[-1]}" if len(things) > 1 else \
            things[0]
        return f"the {listed} of {self.who} in session {self.session.code}"

    @property
    def what(self) -> str:
        return self._what(self.answers)

    def question(self) -> str:
        """What the facilitator confirms."""
        return (f"This removes {self.what}, for good. Shared work they wrote stays with "
                "the group. Their personal link stops working.")

    def done(self, gone: int) -> str:
        return (f"Removed {self._what(gone)}. Shared work they wrote stays with the group "
                "and no longer names them.")


def plan_withdrawal(store: Store, session: SessionRow, participant_id: int) -> Withdrawal:
    """What removing this person would take away (nothing is removed yet)."""
    person = store.participant(participant_id)
    if person.session_id != session.id:
        raise NotFound("That participant is no longer in this session.")
    return Withdrawal(session, person, store.count_submissions(session.id,
                                                               participant_id=person.id))


def withdraw(store: Store, plan: Withdrawal, key: str | None) -> str:
    """Remove the person ``plan`` describes; the store checks the facilitator key. Returns
    what was done, in words."""
    gone = store.withdraw_participant(plan.person.id, key, session_id=plan.session.id)
    forget_drawings()  # a drawn chart may show their answers or their name
    return plan.done(gone)


TOO_MANY_TRIES = ("Too many tries with a wrong code: wait a minute, check the code on the "
                  "room screen and try again.")


class JoinTries:
    """A page's recent wrong codes: past ``limit`` in ``seconds``, joining waits.

    Why: a script speaking to the start page's kernel guessed about 74 codes a second. A
    person who mistypes tries two or three times; five wrong codes in a minute is a guesser.
    """

    def __init__(self, limit: int = 5, seconds: float = 60.0,
                 clock: Callable[[], float] | None = None):
        self.limit = limit
        self.seconds = seconds
        self.clock = clock or time.monotonic
        self._wrong: list[float] = []

    def check(self) -> None:
        cutoff = self.clock() - self.seconds
        self._wrong = [t for t in self._wrong if t > cutoff]
        if len(self._wrong) >= self.limit:
            raise JoinError(TOO_MANY_TRIES)

    def wrong(self) -> None:
        self._wrong.append(self.clock())


#: A session closes itself to new joiners this long after its last step (a step opened,
#: closed, revealed or moved, or joining reopened). Why: a code is on the projector and in
#: everyone's notes; without an end, anyone holding an old code could join a finished
#: session and read its revealed results. A workshop day is over well within 12 hours.
SELF_CLOSE_AFTER = timedelta(hours=12)

CLOSED_TO_JOINERS = "This session is closed to new joiners. Ask the facilitator to reopen it."


@dataclass(frozen=True)
class Joining:
    """Whether a session takes new joiners now. People already in are never affected:
    their personal links keep working either way."""

    open: bool
    by_itself: bool = False  # closed by the self-close clock, not by the facilitator
    closed_at: datetime | None = None  # when it closed (by the facilitator or by itself)
    closes_at: datetime | None = None  # while open: when it will close itself

    def describe(self) -> str:
        """The state in words, for the console."""
        if self.open:
            when = f" on {show_time(self.closes_at)}" if self.closes_at else ""
            return (f"Open to new joiners. It closes itself to new joiners{when}, "
                    f"{_hours(SELF_CLOSE_AFTER)} after its last step, unless the room moves "
                    "on.")
        when = show_time(self.closed_at) if self.closed_at else "earlier"
        if self.by_itself:
            return (f"Closed to new joiners: it closed itself on {when}, "
                    f"{_hours(SELF_CLOSE_AFTER)} after its last step. People already in "
                    "keep their personal links. Reopen it if people still need to join.")
        return (f"Closed to new joiners since {when}: the join code no longer lets anyone "
                "in. People already in keep their personal links.")


def _hours(span: timedelta) -> str:
    hours = span.total_seconds() / 3600
    return f"{hours:g} hour{'s' if hours != 1 else ''}"


def joining(store: Store, session: SessionRow, now: datetime | None = None) -> Joining:
    """Does ``session`` take new joiners at ``now``? Closed by the facilitator, or by
    itself :data:`SELF_CLOSE_AFTER` its last step (``Store.last_activity``: a step moved,
    or joining reopened, which is how the console reopens a session that closed itself)."""
    if session.joins_closed_at is not None:
        return Joining(open=False, closed_at=session.joins_closed_at)
    closes = store.last_activity(session.id) + SELF_CLOSE_AFTER
    if (now or datetime.now(UTC)) >= closes:
        return Joining(open=False, by_itself=True, closed_at=closes)
    return Joining(open=True, closes_at=closes)


def set_joining(store: Store, session: SessionRow, open_to_joiners: bool,
                key: str | None) -> SessionRow:
    """Close ``session`` to new joiners, or reopen it (the store checks the facilitator
    key). Reopening starts the self-close clock again."""
    return store.set_joining(session.id, open_to_joiners, key)


ACTIONS = ("open", "close", "reveal", "new_round")


def move_stage(view: View, stage: str, action: str) -> StageRow:
    """Open, close or reveal a step, or start a new round of it (the facilitator, or a solo
    leader on their own session: the store checks the key). Revealing a round that is still
    open closes it first, so a solo leader needs one click."""
    step = check_choice(stage, list(STAGES), "That step")
    act = check_choice(action, ACTIONS, "That action")
    if act == "reveal" and view.stage(step).state == "open":
        view.store.move_stage(view.session.id, step, "close", view.viewer.key)
    return view.store.move_stage(view.session.id, step, act, view.viewer.key)


def move_room(view: View, stage: str) -> None:
    """Put the room (its screen and the step bar) on ``stage`` (the facilitator only)."""
    step = check_choice(stage, list(STAGES), "That step")
    view.store.set_current_stage(view.session.id, step, view.viewer.key)


def start_alone(view: View, stage: str) -> None:
    """A leader working alone opens a step by opening its page: nobody else is there to
    open it. Only a step never answered is opened (a closed or revealed one stays so)."""
    if view.viewer.role != "solo":
        raise NotAllowed("Only a leader working alone opens a step by opening its page.")
    step = check_choice(stage, list(STAGES), "That step")
    if view.stage(step).state == "closed" and not view.store.answered(view.session.id,
                                                                      step, 1):
        view.store.move_stage(view.session.id, step, "open", None)


def create_session(store: Store, title: object, key: str | None) -> SessionRow:
    """A new live session (the facilitator key is checked by the store); an empty title
    becomes "Workshop session"."""
    text = check_text(title, "short", "The session title") or "Workshop session"
    return store.create_session(text, key)


def hide_name(store: Store, participant_id: int, key: str | None, hidden: bool = True) -> None:
    """Hide a participant's display name everywhere, or show it again (facilitator only)."""
    store.hide_participant_name(participant_id, key, hidden)


def join(store: Store, code: str, name: str = "", anonymous: bool = False,
         named_ok: bool = False, tries: JoinTries | None = None,
         now: datetime | None = None) -> tuple[ParticipantRow, str]:
    """Join a live session by its code. Returns the participant and their personal token.
    With ``tries`` (a page's), wrong codes are counted and too many make joining wait. A
    session closed to new joiners (:func:`joining`, at ``now``) is refused."""
    if tries is not None:
        tries.check()
    typed = keys.normalise_code(code)
    if not typed:
        raise JoinError("Type the six-character code shown on the room screen.")
    if not keys.is_valid_code(typed):
        raise JoinError(f"'{code.strip()[:20]}' is not a session code: codes have six letters "
                        "and numbers, like ACK34X. Check the room screen and try again.")
    session = store.session_by_code(typed)
    if session is None or session.solo:
        if tries is not None:
            tries.wrong()
        raise JoinError(f"No session has the code {typed}. Check the room screen and try "
                        "again.")
    if not joining(store, session, now).open:
        raise JoinError(CLOSED_TO_JOINERS)
    display = None
    if not anonymous:
        try:
            display = check_text(name, "name", "Your name", required=True)
        except FieldError as err:
            raise JoinError(str(err)) from None
    token = keys.new_secret()
    person = store.add_participant(session.id, keys.hash_secret(token), display,
                                   named_ok=named_ok and not anonymous)
    return person, token


def opening_session(sessions: list[SessionRow], asked: str | None) -> SessionRow | None:
    """The session a console or room screen opens on: the one its address names, else the
    only one there is. Among several, None: the facilitator chooses (the newest may be a
    demonstration or last month's)."""
    if asked:
        code = keys.normalise_code(asked)
        return next((s for s in sessions if s.code == code), None)
    return sessions[0] if len(sessions) == 1 else None


def participant_from_token(store: Store, token: str | None) -> ParticipantRow | None:
    if not token:
        return None
    return store.participant_by_token_hash(keys.hash_secret(token))


def solo_session(store: Store) -> tuple[SessionRow, ParticipantRow]:
    """The self-guided session for a notebook opened without a code, kept across restarts."""
    remembered = store.get_setting(SOLO_SETTING)
    if remembered:
        try:
            session = store.session(int(remembered))
            people = store.participants(session.id)
            # SQLite may give a deleted session's id to a new one: only a solo session counts.
            if session.solo and people:
                return session, people[0]
        except (NotFound, ValueError):  # deleted, or not a number: simply made again
            pass
    session = store.create_session("Self-guided session", key=None, solo=True)
    person = store.add_participant(session.id, keys.hash_secret(keys.new_secret()), "You",
                                   named_ok=True)
    store.set_setting(SOLO_SETTING, str(session.id))
    return session, person


@dataclass(frozen=True)
class Progress:
    """Who has answered a round: a count for everyone, names for the facilitator only."""

    joined: int
    answered: int
    names: tuple[str, ...]


# The store's reads of a session's state: what a snapshot answers once per refresh.
READS = ("session", "stage", "stages", "participants", "participant", "latest_answers",
         "count_round", "answered", "items_answered", "shared", "dataset", "stage_events",
         "last_activity", "worked_out",
         # the check-ins' (store/check_ins.py): a page asks for the open sitting each time
         "sitting", "sittings", "check_in_decisions", "level_changes", "shared_as_of")


class Snapshot:
    """A store that answers each read once: the same question (method and arguments) gets
    the answer it got first. Any other call (a write) goes to the store and forgets every
    answer, so a change is read back at once. Held for one refresh (:meth:`View.one_snapshot`).
    """

    def __init__(self, store: Store):
        self.store = store
        self._answers: dict[tuple[object, ...], object] = {}

    def __getattr__(self, name: str) -> Any:
        found = getattr(self.store, name)
        if not callable(found) or name == "revision":
            return found
        if name not in READS:
            def call(*args: Any, **kwargs: Any) -> Any:
                self._answers.clear()
                return found(*args, **kwargs)
            return call

        def read(*args: Any, **kwargs: Any) -> Any:
            asked = (name, args, tuple(sorted(kwargs.items())))
            if asked not in self._answers:
                self._answers[asked] = found(*args, **kwargs)
            return self._answers[asked]
        return read

    def stage(self, session_id: int, stage: str) -> StageRow:
        """One step's state, from the one read of every step (as ``Store.stage``)."""
        steps: dict[str, StageRow] = self.stages(session_id)
        return steps.get(stage, StageRow(stage, 1, "closed"))


class View:
    """The reveal filter: everything a viewer may see of one session, and nothing more."""

    def __init__(self, store: Store, session: SessionRow, viewer: Viewer):
        if viewer.role not in ROLES:
            raise ValueError(f"Unknown role {viewer.role!r}")
        if viewer.role == "facilitator" and not store.is_facilitator(viewer.key):
            raise NotAllowed("This link does not carry the facilitator key.")
        self.store = store
        self.session = session
        self.viewer = viewer
        # Revealed rounds are frozen (the store refuses answers to them), so their answers
        # are read once; the round's row count is checked each time so that a withdrawal
        # (rows removed for data protection) is never hidden by the cache.
        self._frozen: dict[tuple[str, int], tuple[int, list[Answer]]] = {}

    def refresh(self) -> None:
        self.session = self.store.session(self.session.id)

    @contextmanager
    def one_snapshot(self) -> Iterator[None]:
        """Within the block, the session's state is read once: every part of a page that a
        refresh (or a build) asks is answered from the same reads (:class:`Snapshot`).

        Why: each part asks module logic for what it shows, and module logic asks the store;
        a Prototype page of eight parts read the design work eight times per refresh."""
        if isinstance(self.store, Snapshot):
            yield  # already inside one
            return
        real = self.store
        self.store = cast(Store, Snapshot(real))
        try:
            yield
        finally:
            self.store = real

    def stage(self, key: str) -> StageRow:
        return self.store.stage(self.session.id, key)

    def voter(self) -> int:
        """The viewer's participant id, for an answer of their own. A screen of no one
        person (the console, the room screen) has none, and cannot vote."""
        if self.viewer.participant_id is None:
            raise NotAllowed("Only people who have joined this session can answer. Join with "
                             "the session's code first.")
        return self.viewer.participant_id

    def my_answers(self, stage: str) -> dict[str, object]:
        """The viewer's own current answers for the stage's current round."""
        if self.viewer.participant_id is None:
            return {}
        st = self.stage(stage)
        rows = self.store.latest_answers(self.session.id, stage, st.round,
                                         participant_id=self.viewer.participant_id)
        return {a.item: a.value for a in rows}

    def progress(self, stage: str) -> Progress:
        st = self.stage(stage)
        people = self.store.participants(self.session.id)
        done = self.store.answered(self.session.id, stage, st.round)
        names: tuple[str, ...] = ()
        if self.viewer.can_run_stages:
            names = tuple(roster_name(p) for p in people if p.id in done)
        return Progress(joined=len(people), answered=len(done), names=names)

    def is_revealed(self, stage: str, round: int | None = None) -> bool:
        st = self.stage(stage)
        if round is None or round == st.round:
            return st.state == "revealed"
        return round < st.round  # every earlier round was revealed before a new one began

    def group_answers(self, stage: str, round: int | None = None) -> list[tuple[str | None,
                                                                               Answer]]:
        """Everyone's current answers, each with a name only where that person agreed.

        Shared work is visible as it is written; votes only once the round is revealed.
        Returns an empty list while the round is unrevealed.
        """
        st = self.stage(stage)
        rnd = st.round if round is None else round
        if stage_info(stage).kind == "vote" and not self.is_revealed(stage, rnd):
            return []
        people = {p.id: p for p in self.store.participants(self.session.id)}
        rows = self._round_answers(stage, rnd)
        return [(participant_label(people[a.participant_id]), a) for a in rows
                if a.participant_id in people]

    def _round_answers(self, stage: str, rnd: int) -> list[Answer]:
        if not self.is_revealed(stage, rnd):
            return self.store.latest_answers(self.session.id, stage, rnd)
        count = self.store.count_round(self.session.id, stage, rnd)
        cached = self._frozen.get((stage, rnd))
        if cached is None or cached[0] != count:
            cached = (count, self.store.latest_answers(self.session.id, stage, rnd))
            self._frozen[(stage, rnd)] = cached
        return cached[1]

    def people_count(self) -> int:
        return len(self.store.participants(self.session.id))

    def roster(self) -> list[ParticipantRow]:
        """Who has joined, for the facilitator only."""
        if not self.viewer.can_run_stages:
            raise NotAllowed("Only the facilitator sees who has joined.")
        return self.store.participants(self.session.id)
