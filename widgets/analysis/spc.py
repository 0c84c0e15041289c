"""Statistical process control the NHS way (Making Data Count): XmR charts and run charts.

Why: measurement for improvement asks "has something changed?", not "who is to blame?"
(Berwick, James & Coye 2003). An XmR chart separates the everyday wobble of a process
(common cause) from a real change (special cause), so a team neither celebrates noise nor
misses a signal.

Conventions, decided here and tested:
- Centre line: the mean. Process limits: mean +/- 2.66 x mean moving range (3 sigma, with
  sigma = mean moving range / 1.128). Limits and icons only from 13 points; before that a
  run chart on the median.
- A point exactly on the mean is on neither side: it ends a run (a shift). An equal
  neighbour neither rises nor falls: it ends a trend. Both choices are conservative: they
  never create a signal, only withhold one.
- XmR shift and trend lengths are 7 by default (NHS-R), 6 as an option (current guidance).
  Every rule number is written once, in :mod:`widgets.analysis.spc_rules`.
- Segments: limits can be recalculated from chosen points (after a change is made); each
  segment has its own mean and limits, and no moving range spans two segments.
- Run charts (under 13 points) ignore points on the median, for both shifts and runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from ..validation import show_date  # the kit's one way of writing a date ("3 Apr 2025")
from .spc_rules import MIN_POINTS_FOR_LIMITS as MIN_POINTS_FOR_LIMITS
from .spc_rules import RUN_SHIFT as RUN_SHIFT
from .spc_rules import RUN_TREND as RUN_TREND
from .spc_rules import RUNS_LIMITS as RUNS_LIMITS
from .spc_rules import XMR_RULE as XMR_RULE
from .spc_rules import XMR_RULES as XMR_RULES

E2 = 2.66  # 3 / d2, d2 = 1.128 for moving ranges of two
D2 = 1.128


@dataclass
class Segment:
    start: int
    end: int  # exclusive
    mean: float
    mr_bar: float
    upper: float
    lower: float
    sigma: float


@dataclass
class XmR:
    values: np.ndarray
    segments: list[Segment]
    outside: np.ndarray  # bool per point
    shift: np.ndarray
    trend: np.ndarray
    two_of_three: np.ndarray
    trend_dir: np.ndarray  # +1 in a rising trend, -1 in a falling one, 0 otherwise
    signal: np.ndarray = field(init=False)  # "improvement", "concern", "neutral" or ""

    def __post_init__(self) -> None:
        self.signal = np.array([""] * len(self.values), dtype=object)

    @property
    def special(self) -> np.ndarray:
        flagged: np.ndarray = self.outside | self.shift | self.trend | self.two_of_three
        return flagged


def _segment_bounds(n: int, breaks: Sequence[int]) -> list[tuple[int, int]]:
    cuts = sorted({b for b in breaks if 0 < b < n})
    starts = [0, *cuts]
    ends = [*cuts, n]
    return list(zip(starts, ends, strict=True))


def _runs(flags: np.ndarray, length: int) -> np.ndarray:
    """Mark every point in a run of at least ``length`` consecutive True flags."""
    out = np.zeros(len(flags), dtype=bool)
    start = None
    for i, f in enumerate([*flags, False]):
        if f and start is None:
            start = i
        elif not f and start is not None:
            if i - start >= length:
                out[start:i] = True
            start = None
    return out


def xmr(values: Sequence[float], *, shift_length: int = XMR_RULE, trend_length: int = XMR_RULE,
        breaks: Sequence[int] = (), better: str = "higher") -> XmR:
    """Limits and special-cause signals for an XmR chart.

    ``better`` is "higher", "lower" or "neither"; it decides whether each signal is an
    improvement or a concern (or neutral). ``breaks`` are the indices where limits are
    recalculated.
    """
    if better not in ("higher", "lower", "neither"):
        raise ValueError("better must be 'higher', 'lower' or 'neither'.")
    if shift_length not in XMR_RULES or trend_length not in XMR_RULES:
        raise ValueError(f"Shift and trend lengths are {' or '.join(map(str, sorted(XMR_RULES)))} "
                         "points.")
    x = np.asarray(values, dtype=float)
    n = len(x)
    segs: list[Segment] = []
    outside = np.zeros(n, bool)
    shift = np.zeros(n, bool)
    trend = np.zeros(n, bool)
    two3 = np.zeros(n, bool)
    trend_dir = np.zeros(n, int)
    side_all = np.zeros(n, int)
    for a, b in _segment_bounds(n, breaks):
        seg = x[a:b]
        mean = float(seg.mean()) if len(seg) else float("nan")
        mr = np.abs(np.diff(seg))
        mr_bar = float(mr.mean()) if len(mr) else float("nan")
        sigma = mr_bar / D2
        segs.append(Segment(a, b, mean, mr_bar, mean + E2 * mr_bar, mean - E2 * mr_bar, sigma))
        side = np.sign(seg - mean).astype(int)  # 0 on the mean: on neither side
        side_all[a:b] = side
        outside[a:b] = (seg > mean + E2 * mr_bar) | (seg < mean - E2 * mr_bar)
        shift[a:b] = _runs(side > 0, shift_length) | _runs(side < 0, shift_length)
        up = np.zeros(len(seg), bool)
        down = np.zeros(len(seg), bool)
        d = np.diff(seg)
        # A trend of k points has k-1 steps in one direction; mark the points of each step.
        for flags, out in ((d > 0, up), (d < 0, down)):
            steps = _runs(flags, trend_length - 1)
            out[:-1] |= steps
            out[1:] |= steps
        trend[a:b] = up | down
        trend_dir[a:b] = np.where(up, 1, np.where(down, -1, 0))
        hi2, lo2 = mean + 2 * sigma, mean - 2 * sigma
        for beyond in (seg > hi2, seg < lo2):
            for i in range(len(seg)):
                window = slice(max(0, i - 2), i + 1)
                if beyond[i] and beyond[window].sum() >= 2:
                    idx = np.arange(window.start, window.stop)
                    two3[a + idx[beyond[window]]] = True
    result = XmR(x, segs, outside, shift, trend, two3, trend_dir)
    result.signal = _classify(x, result, side_all, better)
    return result


def _classify(x: np.ndarray, r: XmR, side: np.ndarray, better: str) -> np.ndarray:
    """Improvement or concern per flagged point: by its side of the mean, or for a point
    flagged only by a trend, by the way the trend runs (a peak shared by a rising and a
    falling trend counts with the rising one)."""
    out = np.array([""] * len(x), dtype=object)
    if better == "neither":
        out[r.special] = "neutral"
        return out
    good = 1 if better == "higher" else -1
    for i in np.flatnonzero(r.special):
        if r.trend[i] and not (r.outside[i] or r.shift[i] or r.two_of_three[i]):
            direction = r.trend_dir[i]
        else:
            direction = side[i]
        out[i] = "improvement" if direction * good > 0 else "concern"
    return out


def variation_icon(r: XmR) -> str:
    """The icon for the latest point: special cause improvement or concern, or common cause."""
    if len(r.values) < MIN_POINTS_FOR_LIMITS:
        return "none"
    last = r.signal[-1]
    return {"improvement": "special cause improvement", "concern": "special cause concern",
            "neutral": "special cause neither"}.get(last, "common cause")


def assurance_icon(r: XmR, target: float | None, better: str = "higher") -> str:
    """Will the process meet the target? Compares the target with the latest limits."""
    if target is None or better == "neither" or len(r.values) < MIN_POINTS_FOR_LIMITS:
        return "none"
    s = r.segments[-1]
    if better == "higher":
        if target <= s.lower:
            return "consistently passes"
        if target > s.upper:
            return "consistently fails"
    else:
        if target >= s.upper:
            return "consistently passes"
        if target < s.lower:
            return "consistently fails"
    return "hit or miss"


@dataclass
class RunChart:
    median: float
    shift: np.ndarray
    trend: np.ndarray
    runs: int
    useful: int
    runs_signal: str  # "", "too few runs" or "too many runs"
    signal: np.ndarray = field(default_factory=lambda: np.array([], dtype=object))


def run_chart(values: Sequence[float], shift_length: int = RUN_SHIFT,
              trend_length: int = RUN_TREND, better: str = "neither") -> RunChart:
    """Run-chart rules on the median: a shift of :data:`RUN_SHIFT` or more on one side (points
    on the median skipped, neither counting nor breaking), a trend of :data:`RUN_TREND` or
    more, and too few or too many
    runs where the number of useful observations has a published limit. Each flagged point
    is an improvement or a concern by ``better``, as on an XmR chart (neutral for
    "neither")."""
    x = np.asarray(values, dtype=float)
    med = float(np.median(x)) if len(x) else float("nan")
    side = np.sign(x - med).astype(int)
    useful_idx = np.flatnonzero(side != 0)
    shift = np.zeros(len(x), bool)
    for s in (1, -1):
        flags = side[useful_idx] == s
        marked = _runs(flags, shift_length)
        shift[useful_idx[marked]] = True
    trend = np.zeros(len(x), bool)
    trend_dir = np.zeros(len(x), int)
    d = np.diff(x)
    for flags, sign in ((d > 0, 1), (d < 0, -1)):
        steps = _runs(flags, trend_length - 1)
        marked = np.zeros(len(x), bool)
        marked[:-1] |= steps
        marked[1:] |= steps
        trend |= marked
        trend_dir[marked & (trend_dir == 0)] = sign
    useful_sides = side[useful_idx]
    runs = int(1 + np.count_nonzero(np.diff(useful_sides))) if len(useful_sides) else 0
    verdict = ""
    if len(useful_sides) in RUNS_LIMITS:
        lo, hi = RUNS_LIMITS[len(useful_sides)]
        verdict = "too few runs" if runs < lo else "too many runs" if runs > hi else ""
    signal = np.array([""] * len(x), dtype=object)
    good = {"higher": 1, "lower": -1}.get(better, 0)
    for i in np.flatnonzero(shift | trend):
        if not good:
            signal[i] = "neutral"
            continue
        direction = side[i] if shift[i] else trend_dir[i]
        signal[i] = "improvement" if direction * good > 0 else "concern"
    return RunChart(med, shift, trend, runs, len(useful_sides), verdict, signal)


def spc_sentence(values: Sequence[float], dates: Sequence[date], *,
                 better: str = "higher", shift_length: int = XMR_RULE,
                 trend_length: int = XMR_RULE,
                 breaks: Sequence[int] = ()) -> str:
    """One sentence that says what the chart shows, computed from the data.

    From 13 points: the latest special cause, e.g. "Special cause improvement: 8 points
    above the mean since 3 Mar 2025", or that the process is stable. Before that: the run
    chart's median and any run-chart signal.
    """
    n = len(values)
    if n == 0:
        return "No values yet."
    if n < MIN_POINTS_FOR_LIMITS:
        rc = run_chart(values, RUN_SHIFT, RUN_TREND)
        text = (f"{n} point{'s' if n != 1 else ''} so far, median {rc.median:g}; process "
                f"limits appear from {MIN_POINTS_FOR_LIMITS} points")
        if rc.shift.any():
            text += f"; a shift of {RUN_SHIFT} or more points on one side of the median"
        if rc.trend.any():
            text += f"; a trend of {RUN_TREND} or more points"
        if rc.runs_signal:
            text += f"; {rc.runs_signal}"
        return text + "."
    r = xmr(values, better=better, shift_length=shift_length, trend_length=trend_length,
            breaks=breaks)
    seg = r.segments[-1]
    flagged = np.flatnonzero(r.special)
    if not len(flagged):
        return (f"Common cause variation only: stable around a mean of {seg.mean:.3g} "
                f"(process limits {seg.lower:.3g} to {seg.upper:.3g}).")
    last = int(flagged[-1])
    kind = r.signal[last]
    start = last
    while start - 1 >= 0 and r.special[start - 1] and r.signal[start - 1] == kind:
        start -= 1
    count = last - start + 1
    s = next(x for x in r.segments if x.start <= last < x.end)
    if r.trend[last] and not (r.shift[last] or r.outside[last]):
        where = "rising" if values[last] > values[start] else "falling"
        what = f"{count} points {where}"
    else:
        where = "above" if values[last] > s.mean else "below"
        what = (f"{count} point{'s' if count != 1 else ''} {where} the mean"
                if not r.outside[last] or count > 1
                else f"a point {where} the process limits")
    label = {"improvement": "Special cause improvement", "concern": "Special cause concern",
             "neutral": "Special cause variation"}[kind]
    return f"{label}: {what} since {show_date(dates[start])}."
