"""The session's agenda and its timer.

Why an agenda in the kit: a workshop that overruns loses its last module, and the last
module (Prototype) is where the work becomes real. The facilitator picks a plan (one
three-hour session, three one-hour sessions, or a custom order); the console and the room
screen show where the room is in it, and a countdown keeps each step to its time.

Why an end time: the kernel writes the moment a step should end, once; every browser counts
down to it by itself. An idle page therefore sends nothing, and a late joiner sees the same
time left as everyone else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from .session import View
from .stages import STAGES
from .store import Shared

AGENDA = "agenda"  # the shared-work stage that holds the plan and the timer
EXTRAS = {"welcome": "Welcome: why we are here and how today works",
          "break": "Break",
          "close": "Close: what we have committed to, and what happens next"}


@dataclass(frozen=True)
class Step:
    item: str  # a stage key, or one of EXTRAS
    minutes: int
    part: int = 1  # which sitting (1 for a single session)

    @property
    def title(self) -> str:
        if self.item in STAGES:
            return STAGES[self.item].title
        return EXTRAS[self.item] if self.item in EXTRAS else CHECK_IN_STEPS[self.item][0]


@dataclass(frozen=True)
class Agenda:
    name: str
    title: str
    steps: tuple[Step, ...]

    def minutes(self, part: int | None = None) -> int:
        return sum(s.minutes for s in self.steps if part is None or s.part == part)

    @property
    def parts(self) -> list[int]:
        return sorted({s.part for s in self.steps})

    def minutes_for(self, item: str) -> int | None:
        return next((s.minutes for s in self.steps if s.item == item), None)

    def as_value(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title,
                "steps": [[s.item, s.minutes, s.part] for s in self.steps]}

    @classmethod
    def from_value(cls, value: dict[str, Any]) -> Agenda:
        steps = tuple(Step(i, int(m), int(p)) for i, m, p in value["steps"]
                      if i in STAGES or i in EXTRAS)
        return cls(value["name"], value["title"], steps)


def _steps(plan: list[tuple[str, int, int]]) -> tuple[Step, ...]:
    """Only the steps the kit has, so an agenda never names a module that is not there."""
    return tuple(Step(i, m, p) for i, m, p in plan if i in STAGES or i in EXTRAS)


def _standard() -> list[tuple[str, int, int]]:
    """The three-hour session: every step at its own minutes (``StageInfo.minutes``, the one
    place they are written), with a welcome, a break after Focus and a close."""
    plan = [("welcome", 10, 1)]
    for key, info in STAGES.items():
        plan.append((key, info.minutes, 1))
        if key == "focus.decide":
            plan.append(("break", 10, 1))
    return [*plan, ("close", 10, 1)]


THREE_HOURS = Agenda("three-hours", "One three-hour session", _steps(_standard()))
THREE_SITTINGS = Agenda("three-sittings", "Three one-hour sessions", _steps([
    ("welcome", 5, 1), ("readiness", 10, 1), ("focus.shortlist", 10, 1),
    ("focus.score", 10, 1), ("focus.weights", 5, 1), ("focus.decide", 20, 1),
    ("cede.setup", 10, 2), ("cede.poker", 25, 2), ("cede.board", 25, 2),
    ("prototype.design", 35, 3), ("prototype.commit", 10, 3), ("prototype.track", 10, 3),
    ("close", 5, 3)]))
TEMPLATES = {a.name: a for a in (THREE_HOURS, THREE_SITTINGS)}

#: The check-in's own agenda (issue 20): one sitting of 45 to 60 minutes, every month or
#: quarter. Its steps are timed here, once; the console's clock, the room's countdown, the
#: README and the facilitator guide all read these minutes.
CHECK_IN_STEPS = {
    "check_in.welcome": ("Check-in: welcome, and what we said we would do", 5),
    "check_in.portfolio": ("Check-in: read the portfolio, what needs attention first", 15),
    "check_in.keep": ("Check-in: keep, change or stop", 15),
    "check_in.review": ("Check-in: delegation review", 10),
    "check_in.focus": ("Check-in: focus held steady", 5),
    "check_in.close": ("Check-in: close, decisions and the next date", 5),
}
CHECK_IN = Agenda("check-in", "The check-in", tuple(
    Step(item, minutes) for item, (_, minutes) in CHECK_IN_STEPS.items()))


def custom(steps: list[tuple[str, int]], part_breaks: tuple[int, ...] = ()) -> Agenda:
    """A facilitator's own order. Each step once, 1 to 180 minutes; ValueError says what
    is wrong in words a facilitator can act on."""
    if not steps:
        raise ValueError("Choose at least one step for the agenda.")
    seen: set[str] = set()
    out: list[Step] = []
    part = 1
    for n, (item, minutes) in enumerate(steps):
        if item not in STAGES and item not in EXTRAS:
            raise ValueError(f"There is no workshop step called {item!r}.")
        if item in seen and item != "break":
            raise ValueError(f"“{Step(item, 1).title}” is in the agenda twice.")
        if not 1 <= int(minutes) <= 180:
            raise ValueError(f"“{Step(item, 1).title}”: give it 1 to 180 minutes.")
        if n in part_breaks:
            part += 1
        seen.add(item)
        out.append(Step(item, int(minutes), part))
    return Agenda("custom", "Custom order", tuple(out))


def saved(view: View) -> Agenda | None:
    """The agenda the facilitator chose for this session, or None before they choose."""
    row = view.store.shared(view.session.id, AGENDA).get("plan")
    return Agenda.from_value(row.value) if row else None


def current(view: View) -> Agenda:
    return saved(view) or THREE_HOURS


def minutes_for(view: View, item: str) -> int:
    """The time this session's agenda gives a step: what its countdown runs and what the
    screens say. A step the agenda leaves out gets its standard time."""
    found = current(view).minutes_for(item)
    return found if found is not None else STAGES[item].minutes


def choose(view: View, agenda: Agenda) -> None:
    view.store.save_shared(view.session.id, AGENDA, "plan", agenda.as_value(),
                           participant_id=view.viewer.participant_id, key=view.viewer.key,
                           facilitator_only=True)


# -- the timer ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Timer:
    item: str
    ends_at: datetime  # UTC

    @property
    def title(self) -> str:
        return Step(self.item, 1).title

    def seconds_left(self, now: datetime | None = None) -> float:
        return (self.ends_at - (now or datetime.now(UTC))).total_seconds()


def timer(view: View, shared: dict[str, Shared] | None = None) -> Timer | None:
    shared = view.store.shared(view.session.id, AGENDA) if shared is None else shared
    saved = shared.get("timer")
    if not saved or not saved.value:
        return None
    return Timer(saved.value["item"], datetime.fromisoformat(saved.value["ends_at"]))


def _save_timer(view: View, value: dict[str, str] | None) -> None:
    view.store.save_shared(view.session.id, AGENDA, "timer", value,
                           participant_id=view.viewer.participant_id, key=view.viewer.key,
                           facilitator_only=True)


def start_timer(view: View, item: str, minutes: int) -> Timer:
    ends = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=minutes)
    _save_timer(view, {"item": item, "ends_at": ends.isoformat()})
    return Timer(item, ends)


def add_minutes(view: View, minutes: int) -> Timer | None:
    """More (or, with a negative number, less) time for the running step."""
    t = timer(view)
    if t is None:
        return None
    base = max(t.ends_at, datetime.now(UTC).replace(microsecond=0))
    ends = base + timedelta(minutes=minutes)
    _save_timer(view, {"item": t.item, "ends_at": ends.isoformat()})
    return Timer(t.item, ends)


def stop_timer(view: View) -> None:
    _save_timer(view, None)


def start_for_stage(view: View, stage: str) -> Timer | None:
    """When the facilitator moves the room to a step the agenda times, its clock starts."""
    minutes = current(view).minutes_for(stage)
    if minutes is None:
        return None
    t = timer(view)
    if t is not None and t.item == stage and t.seconds_left() > 0:
        return t  # already running for this step: reopening does not reset it
    return start_timer(view, stage, minutes)


def clock(minutes_from_start: int) -> str:
    return f"{minutes_from_start // 60}:{minutes_from_start % 60:02d}"
