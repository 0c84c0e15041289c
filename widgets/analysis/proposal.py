"""The data's proposal for the shortlist, and the scaling every Focus criterion shares.

Why plain Python: the proposal (the areas highest on patients, cost, variation, outcome
gap and harm, weighted equally) is on the first screen of every participant's Focus page,
which opens without pandas. :func:`min_max` is also how :func:`widgets.analysis.priorities.
normalise` scales each criterion for the ranking, so the two cannot drift apart.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

MISSING = float("nan")
K = TypeVar("K", bound=Hashable)  # an area's key (its name)


def _present(x: float | None) -> bool:
    return x is not None and math.isfinite(float(x))


def min_max(values: Mapping[K, float], direction: int) -> dict[K, float]:
    """Scale one criterion to 0-1 over the areas given, 1 meaning most opportunity.

    ``direction`` is +1 where a higher raw value means more opportunity and -1 where a
    lower one does. A criterion on which every area is equal carries no information and
    becomes 0.5 for all. Missing values (None or NaN) stay missing (NaN).
    """
    if direction not in (1, -1):
        raise ValueError(f"Direction must be +1 or -1, not {direction!r}.")
    given = [float(x) for x in values.values() if _present(x)]
    lo, hi = (min(given), max(given)) if given else (0.0, 0.0)
    out: dict[K, float] = {}
    for area, x in values.items():
        if not _present(x):
            out[area] = MISSING
            continue
        scaled = 0.5 if hi == lo else (float(x) - lo) / (hi - lo)
        out[area] = scaled if direction == 1 else 1 - scaled
    return out


def equal_weight_scores(columns: Mapping[str, Mapping[K, float]],
                        directions: Mapping[str, int]) -> dict[K, float]:
    """Each area's mean of its scaled criteria (0-1); NaN where any criterion is missing."""
    scaled = [min_max(values, directions[key]) for key, values in columns.items()]
    if not scaled:
        return {}
    share = 1 / len(scaled)
    out: dict[K, float] = {}
    for area in scaled[0]:
        parts = [s[area] for s in scaled]
        out[area] = MISSING if any(math.isnan(p) for p in parts) else sum(p * share
                                                                          for p in parts)
    return out


def highest(scores: Mapping[K, float], k: int) -> list[K]:
    """The ``k`` highest-scoring areas, ties in input order, missing scores never chosen."""
    ranked: Sequence[K] = sorted((a for a, s in scores.items() if not math.isnan(s)),
                              key=lambda a: -scores[a])
    return list(ranked[:k])
