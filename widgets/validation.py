"""One place that checks everything people type or upload.

Why one module: a participant's name, a canvas field and an analyst's CSV file must meet
the same rules everywhere (field limits, dates, files up to 10 MB), and every problem must
come back as a sentence that names the row, the column and the fix. Nothing is applied
until the whole input is valid, and nothing is ever cut short silently.
"""

from __future__ import annotations

import calendar
import csv
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal, TypeVar, overload

T = TypeVar("T")

LIMITS = {"name": 80, "short": 200, "long": 5000}
# The largest file a page may send, so the largest file anywhere (the command line's checks
# too). A file reaches the kernel as one websocket message, and Voila closes a page's
# websocket on any message over 10 MiB (10,485,760 bytes): the file vanished with the page's
# connection. A file of this size travels as binary in a message a few hundred bytes longer
# (390 for "full.csv", measured by tests/e2e/test_upload_limit.py), well inside that.
MAX_UPLOAD_BYTES = 10_000_000
UPLOAD_LIMIT = f"{MAX_UPLOAD_BYTES // 1_000_000} MB"
# A measure's series (data/README.md): at most ten years of weekly values, each a finite
# number no further from zero than a million million. Past that a chart costs a kernel
# gigabytes, and no run chart a room reads needs more.
MEASURE_POINTS = 520
MEASURE_MAGNITUDE = 1e12
# Control characters (NUL, BEL, backspace, ESC, DEL, C1, U+FFFE/U+FFFF, lone surrogates):
# invisible, usually pasted from another program, and fatal to the chart renderer. Tab, new
# line and return are ordinary text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
CONTROL = _CONTROL  # the same set, for showing old text inertly (markup.inert)
# Dates a person can store (a PDSA cycle, a measure's value, a review date): a real day in
# these years. A typing slip such as 0225 or 20255 would stretch a run chart over centuries.
DATE_YEARS = (1900, 2100)
# The Prototype canvas and its tracking: a timebox (and the facilitator's longest timebox
# before the check prompts) in weeks, the helpers a prototype needs (the threshold for
# "enough energy"), the rows of a canvas's team and of its measures, and the PDSA cycles
# one prototype can log (four years of weekly cycles).
TIMEBOX_WEEKS = (1, 104)
THRESHOLD_PEOPLE = (1, 10)
CANVAS_ROWS = 20
PDSA_CYCLES = 200


class FieldError(ValueError):
    """A typed value broke a rule; ``str()`` is the message to show beside the field."""


def check_text(value: object, kind: str, label: str, required: bool = False) -> str:
    """Trim surrounding spaces and check the length limit for ``kind`` (name/short/long).

    Hostile text (tags, links) is accepted as it is: it is escaped wherever it is shown,
    which keeps what the person typed without letting it act. Control characters are
    refused (:func:`control_problem`): they mean nothing to a reader and stop the renderer.
    """
    limit = LIMITS[kind]
    if value is not None and not isinstance(value, str):
        raise FieldError(f"{label} must be text. Nothing was saved yet.")
    text = (value or "").strip()
    if required and not text:
        raise FieldError(f"{label} is empty. Type something, or choose the anonymous option.")
    if len(text) > limit:
        raise FieldError(f"{label} is {len(text):,} characters long; the limit is {limit:,}. "
                         "Shorten it and save again: nothing was saved yet.")
    problem = control_problem(text)
    if problem:
        raise FieldError(f"{label} {problem} Delete it and try again: nothing was saved yet.")
    return text


def control_problem(text: str) -> str | None:
    """What is wrong with ``text`` if it holds a control character, else None; the words
    follow the field's name ("The drivers holds...") or "this text" in a file's cell."""
    found = _CONTROL.search(text)
    if found is None:
        return None
    return (f"holds an invisible control character (U+{ord(found.group()):04X}, at character "
            f"{found.start() + 1:,}), often pasted from another program.")


# -- dates -----------------------------------------------------------------------------------
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DAY_FIRST = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_date(text: str) -> date:
    """ISO (2025-04-03) or day-first (03/04/2025). Anything else is refused with a reason.

    Why refuse "3-4-25" or "04/03/25": in a room of UK and US colleagues they mean two
    different days, and a wrong date on a run chart moves a signal.
    """
    raw = (text or "").strip()
    for pattern, order in ((_ISO, "ymd"), (_DAY_FIRST, "dmy")):
        m = pattern.match(raw)
        if m:
            parts = dict(zip(order, (int(g) for g in m.groups()), strict=True))
            try:
                day = date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                raise FieldError(f"'{raw}' is not a real date (check the day and month).") \
                    from None
            problem = _year_problem(day, f"'{raw}'")
            if problem:
                raise FieldError(problem)
            return day
    raise FieldError(f"'{raw[:40]}' is not a date this kit can read without guessing. Use "
                     "2025-04-03 (year-month-day) or 03/04/2025 (day/month/year).")


def check_date(value: object, label: str) -> date:
    """``value`` if it is a real day (a ``date``, not a moment, or its ISO text as stored)
    in :data:`DATE_YEARS`, else :class:`FieldError` saying why."""
    if isinstance(value, str):
        m = _ISO.match(value.strip())
        try:
            value = date(*(int(g) for g in m.groups())) if m else value
        except ValueError:
            raise FieldError(f"{label} is not a real date (check the day and month). Nothing "
                             "was saved.") from None
    if type(value) is not date:
        raise FieldError(f"{label} is not a date. Nothing was saved.")
    problem = _year_problem(value, label)
    if problem:
        raise FieldError(f"{problem} Nothing was saved.")
    return value


def _year_problem(day: date, label: str) -> str | None:
    low, high = DATE_YEARS
    if low <= day.year <= high:
        return None
    return (f"{label} is in the year {day.year}; dates here are from {low} to {high}. Check "
            "the year.")


def show_date(d: date) -> str:
    """The way dates appear on screen and in reports: 3 Apr 2025."""
    return f"{d.day} {d.strftime('%b %Y')}"


def example_date(days: int = 0, months: int = 0, today: date | None = None,
                 shown: bool = False) -> str:
    """A date for a form's example, counted from today so it is never a date gone by:
    ``days`` on, or the last day of the month ``months`` on. As a date box's placeholder
    ("e.g. 2027-03-07"), or ``shown`` as the screen writes dates, inside a longer example."""
    d = (today or date.today()) + timedelta(days=days)
    if months:
        year, month = divmod(d.year * 12 + d.month - 1 + months, 12)
        d = date(year, month + 1, calendar.monthrange(year, month + 1)[1])
    return show_date(d) if shown else f"e.g. {d.isoformat()}"


def show_time(moment: datetime) -> str:
    """The way a moment appears to the facilitator (console, Remove…, the command line):
    3 Apr 2025 at 14:35, in this machine's time zone (the room's clock), 24-hour.

    One definition, so the console and ``conductor withdraw`` name the same person with
    the same time; the day is spelled out so no one reads 03/04 two ways."""
    local = moment.astimezone()
    return f"{show_date(local.date())} at {local:%H:%M}"


# -- numbers and choices a page sends --------------------------------------------------------
# A page's boxes and buttons limit what a person can enter, but the browser is not a trust
# boundary: a script speaking the widget protocol can widen a box's max, send 1e400 or NaN,
# or pick a choice no button offers. Module logic checks every number and choice here,
# before anything is stored; a widget trait is never the check.
WEIGHT_POINTS = 100  # each person splits this many points of weight across the criteria


@overload
def check_number(value: object, low: float, high: float, label: str,
                 whole: Literal[True] = True) -> int: ...
@overload
def check_number(value: object, low: float, high: float, label: str,
                 whole: Literal[False]) -> float: ...
@overload
def check_number(value: object, low: float, high: float, label: str,
                 whole: bool) -> int | float: ...
def check_number(value: object, low: float, high: float, label: str,
                 whole: bool = True) -> int | float:
    """``value`` if it is a finite number from ``low`` to ``high`` (a whole one if
    ``whole``), else :class:`FieldError` naming the range. True and False are not numbers."""
    kind = "a whole number" if whole else "a number"
    refused = FieldError(f"{label} must be {kind} from {low:g} to {high:g}. Nothing was "
                         "saved.")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise refused
    if isinstance(value, float) and (not math.isfinite(value)
                                     or (whole and not value.is_integer())):
        raise refused
    if not low <= value <= high:
        raise refused
    return int(value) if whole else float(value)


def check_choice(value: object, options: Iterable[T], label: str) -> T:
    """``value`` if it is one of ``options`` (same type too: 1 is not True), else
    :class:`FieldError`."""
    for option in options:
        if type(option) is type(value) and option == value:
            return option  # the same value, as the option it matched
    raise FieldError(f"{label} is not one of the choices offered. Nothing was saved.")


def check_weights(points: object, criteria: Sequence[str]) -> dict[str, int]:
    """One person's split of 100 points: a whole number from 0 to 100 for each of
    ``criteria`` (a criterion left out counts as 0), adding up to exactly 100."""
    if not isinstance(points, Mapping):
        raise FieldError("Weights must give points for each criterion. Nothing was saved.")
    unknown = [k for k in points if k not in criteria]
    if unknown:
        raise FieldError("Weights name a criterion this step does not have. Nothing was "
                         "saved.")
    split = {c: check_number(points.get(c, 0), 0, WEIGHT_POINTS, "Each weight")
             for c in criteria}
    total = sum(split.values())
    if total != WEIGHT_POINTS:
        raise FieldError(f"Your points add up to {total:,}; they must add up to exactly "
                         f"{WEIGHT_POINTS}. Nothing was saved yet.")
    return split


# -- tables (CSV files) ----------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "number"  # number, text, date
    minimum: float | None = 0.0
    maximum: float | None = None
    required: bool = True
    unique: bool = False
    help: str = ""


@dataclass(frozen=True)
class Problem:
    row: int | None  # the file's line number (the header is line 1), None for the whole file
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        return (", ".join(where).capitalize() + ": " if where else "") + self.message


class TableInvalid(ValueError):
    """The file has problems; ``problems`` lists each with its row, column and fix."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        shown = "\n".join(f"- {p}" for p in self.problems[:50])
        more = len(self.problems) - 50
        tail = f"\n- and {more} more problems like these" if more > 0 else ""
        super().__init__(f"The file was not used: {len(self.problems)} "
                         f"problem{'s' if len(self.problems) != 1 else ''} to fix.\n{shown}{tail}")


def too_large(what: str, size: int) -> str:
    """What a file over the limit is told, in the browser, the kernel and the command line."""
    return (f"{what} is {size / 1_000_000:.1f} MB; the limit is {UPLOAD_LIMIT}. Nothing was "
            "loaded. Remove unused columns or rows and try again.")


def read_table(data: bytes, columns: Sequence[Column], what: str = "file",
               max_rows: int | None = None) -> list[dict[str, Any]]:
    """Check a CSV file against ``columns`` and return its rows as dicts of typed values.

    Raises :class:`TableInvalid` with every problem found; returns only when all is well.
    A file of more than ``max_rows`` data rows is refused before its cells are read.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise TableInvalid([Problem(None, None, too_large(f"The {what}", len(data)))])
    if not data.strip():
        raise TableInvalid([Problem(None, None, f"The {what} is empty. Export it again with "
                                                "a header row and at least one data row.")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise TableInvalid([Problem(None, None,
                                    f"The {what} is not UTF-8 text (a byte at position "
                                    f"{err.start} could not be read). In Excel choose "
                                    "'CSV UTF-8' when saving.")]) from None
    if "\x00" in text:
        raise TableInvalid([Problem(None, None, f"The {what} is not a CSV text file (it holds "
                                                "binary data). Save it as CSV and try again.")])
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as err:
        raise TableInvalid([Problem(None, None, f"The {what} is not valid CSV ({err}).")]) \
            from None
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:  # only a byte-order mark, or only commas and spaces
        raise TableInvalid([Problem(None, None, f"The {what} has no header row and no data. "
                                                "Export it again with a header row and at "
                                                "least one data row.")])
    header = [h.strip() for h in rows[0]]
    problems: list[Problem] = []
    wanted = [c.name for c in columns]
    missing = [c for c in wanted if c not in header]
    extra = [h for h in header if h not in wanted]
    for name in missing:
        problems.append(Problem(1, name, "this column is missing from the header row. Add it "
                                         f"(the columns are: {', '.join(wanted)})."))
    for name in extra:
        problems.append(Problem(1, name or "(blank)", "this column is not expected. Remove it "
                                                      "or rename it to one of: "
                                                      f"{', '.join(wanted)}."))
    dupes = {h for h in header if header.count(h) > 1}
    for name in sorted(dupes):
        problems.append(Problem(1, name, "this column appears more than once; keep one."))
    if problems:
        raise TableInvalid(problems)
    if len(rows) < 2:
        raise TableInvalid([Problem(None, None, f"The {what} has a header but no data rows.")])
    if max_rows is not None and len(rows) - 1 > max_rows:
        raise TableInvalid([Problem(None, None, f"The {what} has {len(rows) - 1:,} rows of "
                                                f"data; it can have at most {max_rows:,}. Keep "
                                                "the rows you need and load it again.")])
    index = {h: i for i, h in enumerate(header)}
    out: list[dict[str, Any]] = []
    seen: dict[str, dict[str, int]] = {c.name: {} for c in columns if c.unique}
    for line_no, raw in enumerate(rows[1:], start=2):
        if len(raw) != len(header):
            problems.append(Problem(line_no, None, f"this row has {len(raw)} cells but the "
                                                   f"header has {len(header)}. Check for a "
                                                   "stray comma or a missing value."))
            continue
        record = {}
        for col in columns:
            cell = raw[index[col.name]].strip()
            value, problem = _cell(cell, col)
            if problem:
                problems.append(Problem(line_no, col.name, problem))
            record[col.name] = value
            if col.unique and cell:
                key = cell.casefold()
                if key in seen[col.name]:
                    problems.append(Problem(line_no, col.name,
                                            f"'{cell[:60]}' is already used on row "
                                            f"{seen[col.name][key]}; each must be unique."))
                else:
                    seen[col.name][key] = line_no
        out.append(record)
    if problems:
        raise TableInvalid(problems)
    return out


def _cell(cell: str, col: Column) -> tuple[object, str | None]:
    if not cell:
        if col.required:
            return None, "this cell is empty. Fill it in" + (f" ({col.help})." if col.help
                                                             else ".")
        return None, None
    if col.kind == "text":
        if len(cell) > LIMITS["short"]:
            return None, f"this text is {len(cell)} characters; the limit is 200."
        problem = control_problem(cell)
        if problem:
            return None, f"this text {problem} Delete it and save the file again."
        return cell, None
    if col.kind == "date":
        try:
            return parse_date(cell), None
        except FieldError as err:
            return None, str(err)
    try:
        number = float(cell.replace(",", ""))
    except ValueError:
        return None, f"'{cell[:40]}' is not a number. Use digits only, like 1250 or 3.5."
    if not math.isfinite(number):
        return None, f"'{cell[:40]}' is not a usable number."
    if col.minimum is not None and number < col.minimum:
        return None, f"{cell} is below the smallest allowed value, {col.minimum:,.15g}."
    if col.maximum is not None and number > col.maximum:
        return None, f"{cell} is above the largest allowed value, {col.maximum:,.15g}."
    return number, None
