"""Tracking a prototype: its PDSA cycles and the values of its measures over time.

Why here and not in the page: the participant's page, the console, the room screen and the
report all read the same log and the same series. Both are shared work saved as versions:
nothing is ever deleted, and every earlier version stays in the history.

A measure's series is one list of (date, value). Adding values merges them into the list
saved a moment before (same date: the new value replaces the old, and the caller is told),
so two people entering different weeks at once both land. A series holds at most
``validation.MEASURE_POINTS`` finite values within ``MEASURE_MAGNITUDE`` of zero, checked
here, where every screen's and file's values are stored, before anything is saved.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from . import prototype
from .analysis.spc_rules import XMR_RULE, XMR_RULES
from .prototype import TRACK, key, parts
from .session import View
from .store import SavedShared, Shared
from .validation import (
    MEASURE_MAGNITUDE,
    MEASURE_POINTS,
    PDSA_CYCLES,
    Column,
    FieldError,
    check_choice,
    check_date,
    check_text,
    read_table,
)

ACTS = {"adopt": "Adopt: keep it and make it standard",
        "adapt": "Adapt: change it and test again",
        "abandon": "Abandon: stop, and keep what we learned"}
CYCLE_FIELDS = {"plan": "Plan: what we will do, who, where, when",
                "prediction": "Prediction: what we expect to happen",
                "do": "Do: what actually happened",
                "study": "Study: the results against the prediction",
                "next": "Next: what the next cycle will test"}
RULE_LENGTHS = tuple(XMR_RULES)  # a chart's shift and trend length: the first by default
VALUE_COLUMNS = (Column("date", "date", unique=True, help="the date of the value, such as "
                                                          "2025-03-03"),
                 Column("value", "number", minimum=-MEASURE_MAGNITUDE,
                        maximum=MEASURE_MAGNITUDE, help="a number, such as 12"))


@dataclass
class Cycle:
    id: str
    prototype: str
    value: dict[str, Any]  # date, logged, plan, prediction, do, study, act, next
    version: int

    @property
    def day(self) -> date:
        return date.fromisoformat(self.value["date"])

    @property
    def act(self) -> str:
        return str(self.value.get("act") or "")


def _save(view: View, item: str, value: object, base_version: int | None) -> SavedShared:
    v = view.viewer
    return view.store.save_shared(view.session.id, TRACK, item, value,
                                  participant_id=v.participant_id, key=v.key,
                                  base_version=base_version)


def _track(view: View) -> dict[str, Shared]:
    return view.store.shared(view.session.id, TRACK)


def tracking_work(view: View) -> dict[str, Shared]:
    """Every prototype's tracking (PDSA cycles, values, settings), read once, for a screen
    that asks ``status`` of several prototypes in one refresh."""
    return _track(view)


def cycles(view: View, pid: str, shared: dict[str, Shared] | None = None) -> list[Cycle]:
    """A prototype's cycles by date (then by when they were logged): cycle 1 first."""
    shared = _track(view) if shared is None else shared
    out = []
    for item, saved in shared.items():
        bits = parts(item)
        if bits[0] == "cycle" and bits[1] == pid:
            out.append(Cycle(bits[2], pid, saved.value, saved.version))
    return sorted(out, key=lambda c: (c.value.get("date", ""), c.value.get("logged", ""),
                                      c.id))


def check_cycle(value: object) -> dict[str, Any]:
    """A cycle as it is stored, or ``FieldError`` saying what is wrong: a real date, the
    plan written, each part text within the long limit and free of control characters, the
    act adopt, adapt, abandon or not decided, and when it was first logged (the kit's)."""
    if not isinstance(value, dict):
        raise FieldError("A cycle must be a date with its plan. Nothing was saved.")
    unknown = set(value) - {"date", "logged", "act", *CYCLE_FIELDS}
    if unknown:
        raise FieldError("A cycle has no part called "
                         f"“{str(sorted(map(str, unknown))[0])[:40]}”. Nothing was saved.")
    out: dict[str, Any] = {"date": check_date(value.get("date"),
                                              "The cycle's date").isoformat()}
    for f, label in CYCLE_FIELDS.items():
        if f in value:
            out[f] = check_text(value[f], "long", label.split(":")[0])
    if not out.get("plan"):
        raise FieldError("Write the plan first: what you will do, who, where and when. "
                         "Nothing was saved.")
    if "act" in value:
        out["act"] = check_choice(value["act"], (None, "", *ACTS),
                                  "The act (adopt, adapt or abandon)")
    if value.get("logged") is not None:
        try:
            datetime.fromisoformat(value["logged"])
        except (TypeError, ValueError):
            raise FieldError("When the cycle was logged is not a moment. Nothing was "
                             "saved.") from None
        out["logged"] = value["logged"]
    return out


def save_cycle(view: View, pid: str, value: object, cycle_id: str | None = None,
               base_version: int | None = None) -> tuple[str, bool]:
    """Log a new cycle (``cycle_id`` None) or a new version of one; returns (id, stale).
    Checked here (:func:`check_cycle`): a bad cycle raises ``FieldError``, nothing saved.
    A prototype logs at most :data:`~.validation.PDSA_CYCLES` cycles."""
    checked = check_cycle(value)
    if prototype.get(view, pid) is None:
        raise FieldError("That prototype does not exist. Nothing was saved.")
    logged = {c.id for c in cycles(view, pid)}
    if cycle_id is not None and cycle_id not in logged:
        raise FieldError("That cycle does not exist. Nothing was saved.")
    if cycle_id is None and len(logged) >= PDSA_CYCLES:
        raise FieldError(f"This prototype has {len(logged)} cycles; a log holds at most "
                         f"{PDSA_CYCLES}. Write the new test into the latest cycle, or "
                         "start a new prototype. Nothing was saved.")
    cid = cycle_id or secrets.token_hex(4)
    checked.setdefault("logged", datetime.now(UTC).isoformat(timespec="seconds"))
    saved = _save(view, key("cycle", pid, cid), checked, base_version or 0)
    return cid, saved.stale


def status(view: View, pid: str, shared: dict[str, Shared] | None = None) -> str:
    """Where the prototype stands: the latest cycle's act, or "testing", or "not started"."""
    found = cycles(view, pid, shared)
    if not found:
        return "not started"
    return found[-1].act or "testing"


# -- measures --------------------------------------------------------------------------------
@dataclass
class Series:
    points: list[tuple[date, float]]
    version: int
    rule: int  # shift and trend length, one of RULE_LENGTHS
    breaks: list[date]  # dates from which limits are recalculated

    @property
    def dates(self) -> list[date]:
        return [d for d, _ in self.points]

    @property
    def values(self) -> list[float]:
        return [v for _, v in self.points]

    def break_indices(self) -> list[int]:
        return [i for i, d in enumerate(self.dates) if d in set(self.breaks) and i > 0]


def series(view: View, pid: str, mid: str, shared: dict[str, Shared] | None = None) -> Series:
    shared = _track(view) if shared is None else shared
    saved = shared.get(key("values", pid, mid))
    points = [(date.fromisoformat(d), float(v)) for d, v in (saved.value if saved else [])]
    chart = shared.get(key("chart", pid, mid))
    settings = chart.value if chart else {}
    return Series(sorted(points), saved.version if saved else 0,
                  int(settings.get("rule", XMR_RULE)),
                  [date.fromisoformat(d) for d in settings.get("breaks", [])])


def add_points(view: View, pid: str, mid: str,
               points: list[tuple[date, float]]) -> tuple[int, list[tuple[date, float]]]:
    """Merge values into the measure's series. Returns (how many were new, and the
    (date, old value) pairs that a new value replaced). Raises FieldError, with nothing
    saved, for a value that is not a usable number or a series past its size limit."""
    points = [(check_date(d, f"The date {str(d)[:20]}"), v) for d, v in points]
    for _d, v in points:
        if isinstance(v, bool) or not isinstance(v, int | float) \
                or not math.isfinite(v) or abs(v) > MEASURE_MAGNITUDE:
            raise FieldError(f"{v!s:.20} is not a value a measure can hold: values are numbers "
                             f"from -{MEASURE_MAGNITUDE:,.0f} to {MEASURE_MAGNITUDE:,.0f}, each "
                             "on a real date. Nothing was added.")
    current = series(view, pid, mid)
    merged = dict(current.points)
    grown = len(merged.keys() | {d for d, _ in points})
    if grown > MEASURE_POINTS:
        raise FieldError(f"This measure would have {grown:,} values; a measure holds at most "
                         f"{MEASURE_POINTS} (ten years of weekly values). Nothing was added. "
                         "Remove values it no longer needs, or start a new measure.")
    replaced = [(d, merged[d]) for d, v in points if d in merged and merged[d] != v]
    added = sum(1 for d, _ in points if d not in merged)
    merged.update(points)
    _save(view, key("values", pid, mid),
          [[d.isoformat(), v] for d, v in sorted(merged.items())], current.version)
    return added, replaced


def remove_point(view: View, pid: str, mid: str, day: date) -> bool:
    """Take one date's value out of the series (the earlier version keeps it)."""
    day = check_date(day, "The date")
    current = series(view, pid, mid)
    kept = [(d, v) for d, v in current.points if d != day]
    if len(kept) == len(current.points):
        return False
    _save(view, key("values", pid, mid), [[d.isoformat(), v] for d, v in kept],
          current.version)
    return True


def save_settings(view: View, pid: str, mid: str, rule: int, breaks: list[date]) -> None:
    """A chart's shift and trend length and the dates its limits are recalculated from;
    ``FieldError`` (nothing saved) for another length, a date that is not real or more
    breaks than a measure has points."""
    if type(rule) is not int or rule not in RULE_LENGTHS:
        said = " or ".join(f"{n} ({why})" for n, why in XMR_RULES.items())
        raise FieldError(f"Shifts and trends are {said} points long. Nothing was saved.")
    if not isinstance(breaks, list | tuple) or len(breaks) > MEASURE_POINTS:
        raise FieldError(f"A chart's limits can be recalculated from at most {MEASURE_POINTS} "
                         "dates. Nothing was saved.")
    days = {check_date(d, "The date to recalculate from").isoformat() for d in breaks}
    _save(view, key("chart", pid, mid), {"rule": rule, "breaks": sorted(days)}, None)


def read_values(data: bytes, what: str = "file") -> list[tuple[date, float]]:
    """A measure's values from a CSV file with the columns date and value."""
    rows = read_table(data, VALUE_COLUMNS, what, max_rows=MEASURE_POINTS)
    return [(r["date"], float(r["value"])) for r in rows]
