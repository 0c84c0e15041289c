"""The board readiness profile: where the group agrees, and where it does not.

Why median and interquartile range: a board of eight should not have one enthusiast or
one sceptic move the picture; the median is the middle view, and the spread between the
quartiles says how far apart the middle half of the room is. The widest spreads are the
conversations worth having.

Why plain Python: fourteen statements' medians and quartiles are a few hundred numbers, and
every participant's readiness page shows the profile once it is revealed. With pandas and
numpy a readiness kernel was 84 to 92 MB (``benchmarks/memory.py``, 7 Dec) against issue
18's 70 MB per page; the rows here (``profile_rows``) need neither. The DataFrame forms
(``readiness_profile`` and a DataFrame given to the others) are kept for the report, the
exports and the tests; they import pandas only when called.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import pandas as pd

PROFILE_COLUMNS = ["item", "answers", "median", "q1", "q3", "spread", "lowest", "highest"]
NAN = float("nan")


class ProfileRow(NamedTuple):
    """One statement's figures; NaN everywhere but ``answers`` when nobody rated it."""

    item: str
    answers: int
    median: float
    q1: float
    q3: float
    spread: float
    lowest: float
    highest: float


def percentile(ordered: Sequence[float], share: float) -> float:
    """The ``share`` (0 to 1) point of ``ordered`` (sorted, not empty), between the two
    nearest values as numpy's default (linear) percentile places it."""
    at = share * (len(ordered) - 1)
    below = math.floor(at)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (at - below)


def profile_rows(answers: Iterable[tuple[Any, str, Any]],
                 items: Sequence[str]) -> list[ProfileRow]:
    """One row per item, in ``items`` order: how many answered, median, quartiles, spread.

    ``answers`` are (participant, item, score) with a score of 1 to 5, or None for "don't
    know", which is left out rather than counted as zero.
    """
    scores: dict[str, list[float]] = {item: [] for item in items}
    for _, item, score in answers:
        missing = score is None or (isinstance(score, float) and math.isnan(score))
        if not missing and item in scores:
            scores[item].append(float(score))
    rows = []
    for item in items:
        vals = sorted(scores[item])
        if not vals:
            rows.append(ProfileRow(item, 0, NAN, NAN, NAN, NAN, NAN, NAN))
            continue
        q1, med, q3 = (percentile(vals, s) for s in (0.25, 0.5, 0.75))
        rows.append(ProfileRow(item, len(vals), med, q1, q3, q3 - q1, vals[0], vals[-1]))
    return rows


def readiness_profile(answers: pd.DataFrame, items: Sequence[str]) -> pd.DataFrame:
    """``profile_rows`` as a DataFrame, from a DataFrame with columns ``participant``,
    ``item`` and ``score`` (missing for "don't know")."""
    import pandas as pd  # here, not at the top: a readiness page shows the rows without it

    rows = (profile_rows(answers[["participant", "item", "score"]].itertuples(index=False),
                         items) if len(answers) else profile_rows([], items))
    return pd.DataFrame(rows, columns=PROFILE_COLUMNS)


def as_rows(profile: pd.DataFrame | Sequence[ProfileRow]) -> list[ProfileRow]:
    """The profile's rows, from rows or from ``readiness_profile``'s DataFrame."""
    if isinstance(profile, Sequence):
        return list(profile)
    return [ProfileRow(str(r[0]), int(r[1]), *(float(v) for v in r[2:]))
            for r in profile[PROFILE_COLUMNS].itertuples(index=False)]


def disagreements(profile: pd.DataFrame | Sequence[ProfileRow], k: int = 3) -> list[str]:
    """The ``k`` items where the group is furthest apart, widest first.

    Ordered by interquartile spread, then by full range, then by the item's place in the
    list, so the same answers always give the same prompts. Items with fewer than two
    answers cannot show disagreement and are left out, as are items where all agree.
    """
    apart = [(r.spread, r.highest - r.lowest, order, r.item)
             for order, r in enumerate(as_rows(profile))
             if r.answers >= 2 and r.highest - r.lowest > 0]
    apart.sort(key=lambda a: (-a[0], -a[1], a[2]))
    return [a[3] for a in apart[:k]]


def _rated(rows: Sequence[ProfileRow]) -> list[ProfileRow]:
    return [r for r in rows if not math.isnan(r.median)]


def profile_sentence(profile: pd.DataFrame | Sequence[ProfileRow], labels: Mapping[str, str],
                     solo: bool = False) -> str:
    """One sentence, computed from the data, that says what the profile chart shows.

    ``solo``: the ratings are one leader's own (a self-guided session), so the sentence
    speaks to them, and says nothing of spread: one person's answers have none.
    """
    rows = as_rows(profile)
    rated = _rated(rows)
    if not rated:
        return "No ratings have been given yet."
    if solo:
        return _solo_sentence(rated, labels)
    people = max(r.answers for r in rated)
    # Highest median first (ties: the narrower spread, then list order); lowest likewise.
    top = min(rated, key=lambda r: (-r.median, r.spread))
    low = min(rated, key=lambda r: (r.median, r.spread))
    apart = disagreements(rows, k=1)
    text = (f"Across {people} {'person' if people == 1 else 'people'}, the group rates itself "
            f"highest on “{labels[top.item]}” (median {top.median:g} of 5) and lowest on "
            f"“{labels[low.item]}” (median {low.median:g} of 5)")
    if apart:
        row = next(r for r in rated if r.item == apart[0])
        text += (f"; it is furthest apart on “{labels[apart[0]]}” (answers from "
                 f"{row.lowest:g} to {row.highest:g})")
    return text + "."


def _solo_sentence(rated: Sequence[ProfileRow], labels: Mapping[str, str]) -> str:
    """One leader's own ratings: "You rate yourself highest on ... (4 of 5) and lowest on
    ... (2 of 5)"."""
    top = min(rated, key=lambda r: -r.median)  # the first of the highest, in list order
    low = min(rated, key=lambda r: r.median)
    if top.median == low.median:
        return (f"You rate yourself {top.median:g} of 5 on every statement you rated "
                f"({len(rated)} of {len(labels)}).")
    return (f"You rate yourself highest on “{labels[top.item]}” ({top.median:g} of 5) "
            f"and lowest on “{labels[low.item]}” ({low.median:g} of 5).")
