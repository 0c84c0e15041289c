"""The board's portfolio at a check-in: icons per measure, the attention order, what changed.

Why: after the workshop a board drifts back to long lists and judging, and lets prototypes
linger. A check-in reads each prototype's measures the way NHS boards read their integrated
performance reports (Making Data Count's variation and assurance icons, each with words
beside it), puts what needs the board first, and says what changed since the last sitting.

Pure: plain values in, plain values out. The icons are read from the XmR analysis in
:mod:`widgets.analysis.spc` (its rules and limits, never redefined here):

- variation: the latest point's signal (``variation_icon``), and which side it is on:
  "high" or "low" is the direction that made the signal (the side of the mean, or the way a
  trend runs when only a trend flags the point), exactly as the SPC analysis classified it.
- assurance: the target against the latest limits (``assurance_icon``).

The attention order (:data:`ATTENTION`): a special cause of concern on any measure first,
then a target the process cannot meet (assurance "consistently fails"), then no update since
the last sitting, then an overdue unblock, then the rest; a prototype the board stopped comes
last, kept for what it taught. A row's place is its first reason; rows with the same first
reason keep the order they were given in (the focus areas' order), so the order is total and
stable, and each row says in words why it is where it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from ..validation import show_date
from .spc import assurance_icon, spc_sentence, variation_icon, xmr
from .spc_rules import MIN_POINTS_FOR_LIMITS, XMR_RULE

# -- the icons -------------------------------------------------------------------------------
#: The variation icons, with the words a board paper puts beside each.
VARIATION = {
    "common": "Common cause: no significant change.",
    "concern_high": "Special cause of concern: the values are significantly higher, and "
                    "higher is worse.",
    "concern_low": "Special cause of concern: the values are significantly lower, and lower "
                   "is worse.",
    "improvement_high": "Special cause of improvement: the values are significantly higher, "
                        "and higher is better.",
    "improvement_low": "Special cause of improvement: the values are significantly lower, "
                       "and lower is better.",
    "neither_high": "Special cause: the values are significantly higher (neither better nor "
                    "worse for this measure).",
    "neither_low": "Special cause: the values are significantly lower (neither better nor "
                   "worse for this measure).",
    "too_few": "",  # said with the count (variation_words)
}
#: The same, in a few words, for a sentence about a change.
VARIATION_SHORT = {
    "common": "common cause", "concern_high": "special cause of concern (higher values)",
    "concern_low": "special cause of concern (lower values)",
    "improvement_high": "special cause of improvement (higher values)",
    "improvement_low": "special cause of improvement (lower values)",
    "neither_high": "special cause (higher values)",
    "neither_low": "special cause (lower values)", "too_few": "too few points for an icon"}
#: The assurance icons, with their words.
ASSURANCE = {
    "pass": "Consistently meets the target: the target lies outside the process limits on the "
            "good side, so it will be met unless the process changes.",
    "fail": "Consistently fails the target: the process cannot meet it as it runs now; "
            "something in the process has to change.",
    "hit_or_miss": "Hit and miss: the target lies within the process limits, so it will "
                   "sometimes be met and sometimes not.",
    "no_target": "No assurance icon: this measure has no target, or no direction that is "
                 "better.",
    "too_few": "",  # said with the count (assurance_words)
}
ASSURANCE_SHORT = {"pass": "consistently met", "fail": "consistently failed",
                   "hit_or_miss": "hit and miss", "no_target": "no target",
                   "too_few": "too few points"}
_FAMILY = {"special cause improvement": "improvement", "special cause concern": "concern",
           "special cause neither": "neither"}
_ASSURED = {"consistently passes": "pass", "consistently fails": "fail",
            "hit or miss": "hit_or_miss"}


@dataclass(frozen=True)
class MeasureInput:
    """One measure's series and its settings, as the prototype's canvas and tracking hold
    them: ``better`` is "higher", "lower" or "neither"; ``breaks`` are the indices where
    limits are recalculated; ``rule`` the shift and trend length."""

    id: str
    name: str
    better: str
    target: float | None
    dates: Sequence[date]
    values: Sequence[float]
    rule: int = XMR_RULE
    breaks: Sequence[int] = ()


@dataclass(frozen=True)
class MeasureIcons:
    id: str
    name: str
    points: int
    variation: str  # a key of VARIATION
    variation_words: str
    assurance: str  # a key of ASSURANCE
    assurance_words: str
    target: float | None
    sentence: str  # what the chart shows, in one sentence (spc.spc_sentence)

    @property
    def concern(self) -> bool:
        return self.variation.startswith("concern")

    @property
    def fails(self) -> bool:
        return self.assurance == "fail"


def _too_few(n: int) -> str:
    if not n:
        return f"No values yet: icons appear from {MIN_POINTS_FOR_LIMITS} points."
    return (f"Too few points for an icon: {n} point{'s' if n != 1 else ''} so far; icons "
            f"appear from {MIN_POINTS_FOR_LIMITS}.")


def measure_icons(m: MeasureInput) -> MeasureIcons:
    """The latest variation and assurance icons of one measure, with their words."""
    n = len(m.values)
    has_target = m.target is not None and m.better != "neither"
    sentence = spc_sentence(list(m.values), list(m.dates), better=m.better,
                            shift_length=m.rule, trend_length=m.rule,
                            breaks=list(m.breaks)) if n else "No values yet."
    if n < MIN_POINTS_FOR_LIMITS:
        few = _too_few(n)
        return MeasureIcons(m.id, m.name, n, "too_few", few,
                            "too_few" if has_target else "no_target",
                            few if has_target else ASSURANCE["no_target"], m.target, sentence)
    r = xmr(list(m.values), shift_length=m.rule, trend_length=m.rule, breaks=list(m.breaks),
            better=m.better)
    icon = variation_icon(r)
    if icon in _FAMILY:
        family = _FAMILY[icon]
        if family == "neither":  # no better side: the side of the signal itself
            last = -1
            only_trend = bool(r.trend[last]) and not bool(
                r.outside[last] or r.shift[last] or r.two_of_three[last])
            rising = (int(r.trend_dir[last]) > 0 if only_trend
                      else float(r.values[last]) > r.segments[-1].mean)
            side = "high" if rising else "low"
        else:  # the SPC analysis called it improvement or concern by the better direction
            good_is_high = m.better == "higher"
            side = "high" if (family == "improvement") == good_is_high else "low"
        variation = f"{family}_{side}"
    else:
        variation = "common"
    assurance = _ASSURED.get(assurance_icon(r, m.target, m.better), "no_target")
    return MeasureIcons(m.id, m.name, n, variation, VARIATION[variation], assurance,
                        ASSURANCE[assurance], m.target, sentence)


# -- the portfolio ---------------------------------------------------------------------------
#: Reasons in the order they put a row: its rank is the index of its first reason.
ATTENTION = ("concern", "fails", "no_update", "overdue_unblock", "rest", "stopped")
REST = ATTENTION.index("rest")
UNBLOCK_STATES = ("promised", "in hand", "done")
DECISIONS = {"keep": "Keep going", "change": "Change course", "stop": "Stop and learn"}


@dataclass(frozen=True)
class Unblock:
    """Something the leaders promised to unblock, its status and when it is due."""

    text: str
    status: str  # one of UNBLOCK_STATES
    due: date | None = None


@dataclass(frozen=True)
class PrototypeInput:
    id: str
    title: str
    area: str
    measures: Sequence[MeasureInput]
    cycles: int  # PDSA cycles logged
    latest_act: str  # "adopt", "adapt", "abandon" or "" (none decided yet)
    helpers: int | None  # people who will help (None: the commitment round is not revealed)
    threshold: int  # the helpers the room said a prototype needs
    unblocks: Sequence[Unblock]
    last_updated: datetime | None  # the newest change to its canvas, cycles or values
    decision: str | None = None  # the board's keep, change or stop at this sitting
    learned: str = ""  # what a stopped prototype taught


@dataclass(frozen=True)
class Reason:
    code: str  # one of ATTENTION
    words: str


@dataclass(frozen=True)
class Row:
    id: str
    title: str
    area: str
    measures: tuple[MeasureIcons, ...]
    cycles: int
    latest_act: str
    helpers: int | None
    threshold: int
    unblocks: tuple[Unblock, ...]
    last_updated: datetime | None
    decision: str | None
    learned: str
    reasons: tuple[Reason, ...]
    rank: int  # the index in ATTENTION of the first reason (REST without one)
    placed: str = ""  # its place and why, in words (filled once the order is known)

    @property
    def stopped(self) -> bool:
        return self.decision == "stop"

    @property
    def helpers_words(self) -> str:
        if self.helpers is None:
            return "Not revealed yet"
        return f"{self.helpers} of the {self.threshold} helpers needed"

    @property
    def act_words(self) -> str:
        return self.latest_act or "none yet"


def _number(value: float) -> str:
    return f"{value:g}"


def _reasons(p: PrototypeInput, icons: Sequence[MeasureIcons], since: datetime | None,
             today: date) -> tuple[Reason, ...]:
    if p.decision == "stop":
        learned = f" It taught: {p.learned}" if p.learned else ""
        return (Reason("stopped", "Stopped by the board: a success of learning, kept for what "
                                  f"it taught.{learned}"),)
    found: list[Reason] = []
    for m in icons:
        if m.concern:
            side = "higher" if m.variation.endswith("high") else "lower"
            found.append(Reason("concern", f"Special cause of concern on {m.name} ({side} "
                                           "values)."))
    for m in icons:
        if m.fails and m.target is not None:
            found.append(Reason("fails", f"{m.name} cannot meet its target of "
                                         f"{_number(m.target)} as the process runs now."))
    if since is not None and (p.last_updated is None or p.last_updated <= since):
        found.append(Reason("no_update", "No update yet." if p.last_updated is None else
                            f"No update since the last sitting ({show_date(since.date())})."))
    for u in p.unblocks:
        if u.status != "done" and u.due is not None and u.due < today:
            found.append(Reason("overdue_unblock", f"Overdue: the leaders promised “{u.text}” "
                                                   f"by {show_date(u.due)}."))
    return tuple(found)


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _placed(i: int, reasons: tuple[Reason, ...]) -> str:
    at = ordinal(i + 1)
    if not reasons:
        return (f"{at}: nothing here needs the board's attention (no special cause of concern, "
                "no target out of reach, updated since the last sitting, no overdue unblock).")
    if reasons[0].code == "stopped":
        return f"{at}: {reasons[0].words}"
    return f"{at}: needs the board's attention. " + " ".join(r.words for r in reasons)


def portfolio(prototypes: Sequence[PrototypeInput], *, since: datetime | None,
              today: date) -> list[Row]:
    """One row per prototype, in the attention order (see the module's notes). ``since``
    is when the last sitting closed (None: no sitting before, so no "no update" reason);
    an unblock is overdue once ``today`` is past its due date."""
    rows = []
    for p in prototypes:
        icons = tuple(measure_icons(m) for m in p.measures)
        reasons = _reasons(p, icons, since, today)
        rank = ATTENTION.index(reasons[0].code) if reasons else REST
        rows.append(Row(p.id, p.title, p.area, icons, p.cycles, p.latest_act, p.helpers,
                        p.threshold, tuple(p.unblocks), p.last_updated, p.decision,
                        p.learned, reasons, rank))
    ordered = sorted(rows, key=lambda r: r.rank)  # sorted() is stable: ties keep their order
    return [Row(**{**r.__dict__, "placed": _placed(i, r.reasons)})
            for i, r in enumerate(ordered)]


# -- what changed ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Change:
    id: str
    title: str
    what: tuple[str, ...]


def _row_changes(a: Row, b: Row) -> list[str]:
    out = []
    before = {m.id: m for m in a.measures}
    for m in b.measures:
        old = before.get(m.id)
        if old is None:
            out.append(f"{m.name}: a new measure.")
            continue
        if old.variation != m.variation:
            out.append(f"{m.name}: {VARIATION_SHORT[old.variation]} → "
                       f"{VARIATION_SHORT[m.variation]}.")
        if old.assurance != m.assurance:
            out.append(f"{m.name}'s target: {ASSURANCE_SHORT[old.assurance]} → "
                       f"{ASSURANCE_SHORT[m.assurance]}.")
    out += [f"{m.name}: no longer measured." for m in a.measures
            if m.id not in {x.id for x in b.measures}]
    act = (f"latest: {a.act_words} → {b.act_words}" if a.latest_act != b.latest_act else "")
    new = b.cycles - a.cycles
    if new > 0:
        cycles = f"{new} new PDSA cycle{'s' if new != 1 else ''} ({b.cycles} in all)"
        out.append(f"{cycles}; {act}." if act else f"{cycles}.")
    elif act:
        out.append(f"{act[0].upper()}{act[1:]}.")
    if a.helpers != b.helpers:
        out.append(f"Helpers: {'not revealed' if a.helpers is None else a.helpers} → "
                   f"{'not revealed' if b.helpers is None else b.helpers}.")
    was = {u.text: u.status for u in a.unblocks}
    for u in b.unblocks:
        if u.text in was and was[u.text] != u.status:
            out.append(f"Unblock “{u.text}”: {was[u.text]} → {u.status}.")
        elif u.text not in was:
            out.append(f"Unblock “{u.text}”: newly promised ({u.status}).")
    if a.decision != b.decision and b.decision is not None:
        out.append(f"The board's decision: {DECISIONS.get(b.decision, b.decision)}.")
    if b.rank < REST <= a.rank:
        out.append("Now needs the board's attention: " + " ".join(r.words for r in b.reasons))
    elif a.rank < REST <= b.rank and not b.stopped:
        out.append("No longer needs the board's attention.")
    return out


def changes(previous: Sequence[Row], current: Sequence[Row]) -> list[Change]:
    """What changed for each prototype since the previous sitting, in the current order;
    prototypes no longer in the portfolio come last. Unchanged prototypes are left out."""
    before = {r.id: r for r in previous}
    out = []
    for r in current:
        old = before.get(r.id)
        what = ["New since the last sitting."] if old is None else _row_changes(old, r)
        if what:
            out.append(Change(r.id, r.title, tuple(what)))
    now = {r.id for r in current}
    out += [Change(r.id, r.title, ("No longer in the portfolio.",)) for r in previous
            if r.id not in now]
    return out
