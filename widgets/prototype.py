"""The Prototype module's canvases and commitment round, read through the reveal filter.

Why: high-performing systems let frontline teams try small changes, measure them for
improvement and drop what fails. A canvas is a team's plan for one small test of change;
the commitment round asks who will actually carry it, because the seed "The Old World Bites
Back" advises committing "only to those solutions that they have the stomach and the energy
for".

Storage: every canvas field is its own shared item (``["canvas", id, field]``), so two people
editing different fields never overwrite each other, and the same field is versioned (the
later save wins, the earlier is kept, the stale writer is told).
"""

from __future__ import annotations

import json
import re
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from . import cede
from .analysis.canvas import MAX_WEEKS, MEASURE_KINDS
from .session import View
from .store import SavedShared
from .validation import (
    CANVAS_ROWS,
    MEASURE_MAGNITUDE,
    THRESHOLD_PEOPLE,
    TIMEBOX_WEEKS,
    FieldError,
    check_choice,
    check_number,
    check_text,
    example_date,
)

DESIGN, COMMIT, TRACK = "prototype.design", "prototype.commit", "prototype.track"

# The canvas in the order a team fills it in: (field, label, size, hint). A hint's {by} and
# {week} are filled in by hint(), from today, so an example never names a date gone by.
TEXT_FIELDS = (
    ("aim", "Aim: what, how much, by when", "long",
     "e.g. Reduce falls on Ward 7 from 12 to 6 a month by {by}"),
    ("drivers", "Drivers (one per line; start a line with - for a secondary driver, -- for "
                "a change idea)", "long",
     "Patients are supervised at night\n- Hourly rounds\n-- Intentional rounding chart"),
    ("cause", "The cause we are tackling (not the symptom), and the evidence for it", "long",
     "e.g. Most falls happen at night on the way to the toilet: audit of 40 falls"),
    ("need", "Whose need it meets", "short", "e.g. Older patients at risk of falling"),
    ("change_idea", "The change idea we will test", "long",
     "e.g. Intentional rounding every hour at night"),
    ("prediction", "Our prediction: what we expect to happen", "long",
     "e.g. Night falls halve within six weeks"),
    ("smallest_test", "The smallest test: who, where, when", "short",
     "e.g. Two nurses on Ward 7, nights of {week}"),
    ("stop_criteria", "Stop criteria: what result or harm ends the test", "long",
     "e.g. Stop if any patient is harmed or nurses cannot keep up"),
    ("unblock", "What the leaders will unblock", "long",
     "e.g. Release two hours a week of the ward sister's time"),
)
LIST_FIELDS = ("team", "measures", "decisions")


def hint(name: str, today: date | None = None) -> str:
    """A canvas field's example, its dates counted from ``today``: an aim due at the end of
    the month six months on, a smallest test in the nights of next week."""
    today = today or date.today()
    by = example_date(months=6, today=today, shown=True)
    monday = today + timedelta(days=7 - today.weekday())
    sunday = monday + timedelta(days=6)
    week = (f"{monday.day} to {sunday.day} {sunday:%B}" if monday.month == sunday.month
            else f"{monday.day} {monday:%B} to {sunday.day} {sunday:%B}")
    text = next(h for f, _, _, h in TEXT_FIELDS if f == name)
    return text.format(by=by, week=week)

META_FIELDS = ("area", "title", "created", "removed", "timebox_weeks")
FIELDS = tuple(f for f, *_ in TEXT_FIELDS) + LIST_FIELDS + META_FIELDS

BETTER = {"higher": "Higher is better", "lower": "Lower is better",
          "neither": "Neither (just watch it)"}

# The commitment round's three answers, stored as numbers (the store keeps votes as values).
HELP, SUPPORT, NOT_NOW = 2, 1, 0
COMMITMENT = {HELP: "I will help make this happen", SUPPORT: "I support it",
              NOT_NOW: "Not for me now"}
DEFAULT_THRESHOLD = 3


def key(*parts: str) -> str:
    return json.dumps(list(parts), ensure_ascii=False)


def parts(item: str) -> list[str]:
    names: list[str] = json.loads(item)
    return names


@dataclass
class Prototype:
    id: str
    values: dict[str, Any] = field(default_factory=dict)  # field -> current value
    versions: dict[str, int] = field(default_factory=dict)  # field -> its value's version

    @property
    def area(self) -> str:
        return str(self.values.get("area") or "")

    @property
    def title(self) -> str:
        return str(self.values.get("title") or "Untitled prototype")

    @property
    def label(self) -> str:
        return f"{self.area}: {self.title}" if self.area else self.title

    def canvas(self) -> dict[str, Any]:
        """The canvas as the check and the driver diagram read it."""
        return {f: self.values.get(f) for f in FIELDS}


def areas(view: View) -> list[str]:
    """The focus areas prototypes belong to (those the Focus module chose)."""
    return cede.focus_areas(view)


OTHER = "Other"


def area_options(view: View) -> list[str]:
    """The areas a new canvas may name: the focus areas, or "Other" before there are any
    (a solo leader, or a session that skipped Focus)."""
    return areas(view) or [OTHER]


def prototypes(view: View, include_removed: bool = False) -> list[Prototype]:
    """Every prototype in the session, in focus-area order, oldest first within an area."""
    found: dict[str, Prototype] = {}
    for item, saved in view.store.shared(view.session.id, DESIGN).items():
        bits = parts(item)
        if len(bits) != 3 or bits[0] != "canvas":
            continue
        p = found.setdefault(bits[1], Prototype(bits[1]))
        p.values[bits[2]] = saved.value
        p.versions[bits[2]] = saved.version
    order = {a: i for i, a in enumerate(areas(view))}
    out = [p for p in found.values() if include_removed or not p.values.get("removed")]
    return sorted(out, key=lambda p: (order.get(p.area, len(order)),
                                      str(p.values.get("created") or ""), p.id))


def get(view: View, pid: str) -> Prototype | None:
    return next((p for p in prototypes(view, include_removed=True) if p.id == pid), None)


def _save(view: View, stage: str, item: str, value: object,
          base_version: int | None) -> SavedShared:
    v = view.viewer
    return view.store.save_shared(view.session.id, stage, item, value,
                                  participant_id=v.participant_id, key=v.key,
                                  base_version=base_version)


def create(view: View, area: str, title: str) -> Prototype:
    """Start a canvas. The id is random, so two people starting at once never collide.
    A bad area or name raises ``FieldError`` and nothing is saved."""
    area = check_choice(area, area_options(view), "That focus area")
    title = _title(title)
    made = Prototype(secrets.token_hex(4))
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    for name, value in (("area", area), ("title", title), ("created", stamp)):
        saved = _save(view, DESIGN, key("canvas", made.id, name), value, 0)
        made.values[name], made.versions[name] = value, saved.version
    return made


def save_fields(view: View, pid: str, changes: Mapping[str, object],
                base_versions: Mapping[str, int]) -> list[str]:
    """Save the changed fields; returns the fields someone else had changed meanwhile.

    Every value is checked first (:func:`check_field`), here and not by the page's boxes:
    one bad value raises ``FieldError`` and nothing at all is saved."""
    for name in changes:
        if name not in FIELDS:
            raise KeyError(f"A canvas has no field called {name!r}.")
    p = get(view, pid)
    if p is None:
        raise FieldError("That prototype does not exist. Nothing was saved.")
    checked = {name: check_field(view, p, name, value) for name, value in changes.items()}
    stale = []
    for name, value in checked.items():
        saved = _save(view, DESIGN, key("canvas", pid, name), value,
                      base_versions.get(name, 0))
        if saved.stale:
            stale.append(name)
    return stale


# A canvas's fields as named in a message: its label up to the first colon or bracket.
NAMES = {f: label.split(" (")[0].split(":")[0] for f, label, _, _ in TEXT_FIELDS} | {
    "title": "The prototype's name", "timebox_weeks": "The timebox", "team": "The team",
    "measures": "The measures", "decisions": "The decisions the team holds",
    "area": "The focus area"}
_SIZES = {f: size for f, _, size, _ in TEXT_FIELDS}
_MEASURE_ID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


def check_field(view: View, p: Prototype, name: str, value: object) -> Any:
    """The value to store for one canvas field, or ``FieldError`` saying what is wrong.

    Text within its limit and free of control characters; the timebox a number of weeks;
    the team and measures at most :data:`~.validation.CANVAS_ROWS` rows each, a measure's
    kind and direction among the choices and its target a finite number; the decisions
    those the Delegation Board gives the area (or held already); the area a focus area.
    ``created`` and ``removed`` are the kit's own (:func:`create`, :func:`remove`)."""
    label = NAMES.get(name, name)
    if name == "title":
        return _title(value)
    if name in _SIZES:
        return check_text(value, _SIZES[name], label)
    if name == "timebox_weeks":
        if value is None:
            return None
        low, high = TIMEBOX_WEEKS
        return check_number(value, low, high, "The timebox (in weeks)", whole=False)
    if name == "area":
        return check_choice(value, area_options(view), label)
    if name in LIST_FIELDS:
        if not isinstance(value, list | tuple):
            raise FieldError(f"{label} must be a list. Nothing was saved.")
        if len(value) > CANVAS_ROWS and name != "decisions":
            raise FieldError(f"{label} has {len(value)} rows; a canvas holds at most "
                             f"{CANVAS_ROWS}. Keep the few that matter. Nothing was saved.")
        if name == "team":
            return [_member(i, m) for i, m in enumerate(value, 1)]
        if name == "measures":
            out = [_measure(i, m) for i, m in enumerate(value, 1)]
            if len({m["id"] for m in out}) != len(out):
                raise FieldError("Two measures have the same id. Nothing was saved.")
            return out
        offered = {d for d, _ in held_decisions(view, p.area)} | {
            d for d in p.values.get("decisions") or [] if isinstance(d, str)}
        return sorted({check_choice(d, offered, "A decision the team holds")
                       for d in value})
    raise FieldError(f"{label} is set by the kit, not typed. Nothing was saved.")


def _title(value: object) -> str:
    title = check_text(value, "short", NAMES["title"])
    if not title:
        raise FieldError("The prototype needs a short name, such as “Night-time rounding on "
                         "Ward 7”. Nothing was saved.")
    return title


def _member(i: int, m: object) -> dict[str, Any]:
    if not isinstance(m, dict) or set(m) - {"role", "frontline"}:
        raise FieldError(f"Team member {i} is not a role with a front-line tick. Nothing was "
                         "saved.")
    return {"role": check_text(m.get("role"), "short", f"Role {i}"),
            "frontline": check_choice(m.get("frontline", False), (True, False),
                                      f"Role {i}'s front-line tick")}


def _measure(i: int, m: object) -> dict[str, Any]:
    fields = {"id", "name", "kind", "better", "definition", "target"}
    if not isinstance(m, dict) or set(m) - fields:
        raise FieldError(f"Measure {i} is not a measure (name, kind, which way is better, "
                         "definition, target). Nothing was saved.")
    mid = m.get("id")
    if not isinstance(mid, str) or not _MEASURE_ID.match(mid):
        raise FieldError(f"Measure {i} has no usable id. Nothing was saved.")
    name = check_text(m.get("name"), "short", f"Measure {i}'s name")
    label = f"Measure “{name or i}”"
    target = m.get("target")
    return {"id": mid, "name": name,
            "kind": check_choice(m.get("kind", "outcome"), tuple(MEASURE_KINDS),
                                 f"{label}'s kind"),
            "better": check_choice(m.get("better"), (None, *BETTER),
                                   f"{label}'s better direction"),
            "definition": check_text(m.get("definition"), "long", f"{label}'s definition"),
            "target": None if target is None else check_number(
                target, -MEASURE_MAGNITUDE, MEASURE_MAGNITUDE, f"{label}'s target",
                whole=False)}


def remove(view: View, pid: str, removed: bool = True) -> None:
    """Set a canvas aside (it stays in the history and can be brought back)."""
    check_choice(removed, (True, False), "Setting aside")
    if get(view, pid) is None:
        raise FieldError("That prototype does not exist. Nothing was saved.")
    _save(view, DESIGN, key("canvas", pid, "removed"), removed, None)


def held_decisions(view: View, area: str) -> list[tuple[str, int | None]]:
    """The Cede board's decisions for an area, with the level the room agreed (or None)."""
    return [(r.decision, r.agreed) for r in cede.board(view) if r.area == area]


def max_weeks(view: View) -> int:
    """The longest timebox before the canvas check prompts (12 weeks unless the facilitator
    set another)."""
    saved = view.store.shared(view.session.id, DESIGN).get(key("max_weeks"))
    return int(saved.value) if saved is not None else MAX_WEEKS


def set_max_weeks(view: View, weeks: int) -> None:
    """The facilitator's longest timebox before the check prompts; ``FieldError`` unless a
    whole number of weeks in :data:`~.validation.TIMEBOX_WEEKS`."""
    weeks = check_number(weeks, *TIMEBOX_WEEKS, "The longest timebox (in weeks)")
    view.store.save_shared(view.session.id, DESIGN, key("max_weeks"), weeks,
                           participant_id=view.viewer.participant_id, key=view.viewer.key,
                           facilitator_only=True)


# -- commitment ------------------------------------------------------------------------------
@dataclass
class Commitment:
    prototype: str
    counts: dict[int, int]  # answer -> how many
    helpers: list[str]  # names of those who will help and agreed to be named
    unnamed_helpers: int

    @property
    def help(self) -> int:
        return self.counts.get(HELP, 0)


def threshold(view: View) -> int:
    saved = view.store.shared(view.session.id, COMMIT).get(key("threshold"))
    return int(saved.value) if saved is not None else DEFAULT_THRESHOLD


def set_threshold(view: View, people: int) -> None:
    """The facilitator's (or a solo leader's) bar for "enough energy": ``FieldError``
    unless a whole number of people in :data:`~.validation.THRESHOLD_PEOPLE`."""
    people = check_number(people, *THRESHOLD_PEOPLE, "The helpers a prototype needs")
    view.store.save_shared(view.session.id, COMMIT, key("threshold"), people,
                           participant_id=view.viewer.participant_id, key=view.viewer.key,
                           facilitator_only=True)


def submit_commitment(view: View, item: str, answer: object) -> None:
    """Save the viewer's private answer for one prototype (help, support, not now). Checked
    here, not by the buttons: a bad item or answer raises ``FieldError``, nothing stored."""
    check_choice(item, [key("p", p.id) for p in prototypes(view)], "That prototype")
    checked = check_choice(answer, list(COMMITMENT), "Your answer")
    view.store.submit(view.session.id, view.voter(), COMMIT, item, checked, uuid.uuid4().hex)


def commitments(view: View, round: int | None = None) -> dict[str, Commitment] | None:
    """Revealed commitment per prototype id, or None while the round is private."""
    if not view.is_revealed(COMMIT, round):
        return None
    out: dict[str, Commitment] = {}
    for name, a in view.group_answers(COMMIT, round):
        pid = parts(a.item)[1]
        c = out.setdefault(pid, Commitment(pid, {HELP: 0, SUPPORT: 0, NOT_NOW: 0}, [], 0))
        if a.value in COMMITMENT:
            c.counts[int(a.value)] += 1
            if a.value == HELP:
                if name:
                    c.helpers.append(name)
                else:
                    c.unnamed_helpers += 1
    return out


def short_of_energy(view: View) -> dict[str, int]:
    """After the reveal: prototypes with fewer helpers than the threshold, and how many they
    have. Empty before the reveal (nothing can be flagged on private votes)."""
    made = commitments(view)
    if made is None:
        return {}
    return lacking_helpers(prototypes(view), made, threshold(view))


def lacking_helpers(found: list[Prototype], made: dict[str, Commitment],
                    need: int) -> dict[str, int]:
    """The prototypes among ``found`` with fewer than ``need`` people who will help, and how
    many they have: the one rule behind the "not enough energy yet" flag."""
    helpers = {p.id: made[p.id].help if p.id in made else 0 for p in found}
    return {pid: n for pid, n in helpers.items() if n < need}
