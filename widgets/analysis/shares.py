"""Shares of a whole shown as whole percentages that add up to 100.

Why: rounding each share on its own can show a board 16% + 8 x 11% = 104%, which reads
as a mistake and makes people doubt the rest. Largest-remainder rounding (Hamilton's
method) rounds every share down, then gives the points still missing, one each, to the
shares that lost most; so the figures add up to the whole and each is within 1 of its
true value.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping


def whole_percentages(parts: Mapping[Hashable, float], whole: int = 100
                      ) -> dict[Hashable, int]:
    """Each part as a whole number of ``whole`` (100 by default), in the same order.

    ``parts`` are any non-negative amounts (shares summing to 1, points, counts); they are
    scaled to the whole first. Ties for a leftover point go to the earlier part. If every
    part is zero, every figure is 0.
    """
    values = {k: float(v) for k, v in parts.items()}
    if any(v < 0 for v in values.values()):
        raise ValueError("A share of a whole cannot be negative.")
    total = sum(values.values())
    if total <= 0:
        return dict.fromkeys(values, 0)
    exact = {k: v * whole / total for k, v in values.items()}
    shown = {k: math.floor(x) for k, x in exact.items()}
    left = whole - sum(shown.values())
    lost_most = sorted(exact, key=lambda k: shown[k] - exact[k])  # stable: earlier first
    for k in lost_most[:left]:
        shown[k] += 1
    return shown
