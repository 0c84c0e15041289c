"""Pareto: how few areas account for most of the patients (or of the cost).

Why: Intermountain found about 100 of some 1,400 clinical processes made up 95% of its
care. A Pareto chart shows the same shape in your own data: the few areas worth a board's
attention first.

Plain Python: these figures are on the first screen of every participant's Focus page,
which opens without pandas (see :class:`widgets.care_areas.CareAreas`). ``values`` is any
mapping of area to number (a pandas Series works too); a missing value counts as 0.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class ParetoRow:
    area: str
    value: float
    share: float  # of the total
    cumulative: float  # share of the total reached by this area and every larger one


def _number(value: float | None) -> float:
    x = float(value) if value is not None else 0.0
    return x if math.isfinite(x) else 0.0


def pareto(values: Mapping[str, float]) -> list[ParetoRow]:
    """Areas by value, largest first (ties in input order), with their share and the
    cumulative share of the total."""
    items = [(str(a), _number(v)) for a, v in values.items()]
    total = math.fsum(v for _, v in items)
    ordered = sorted(items, key=lambda item: -item[1])  # sorted() is stable: ties keep order
    rows, running = [], 0.0
    for area, value in ordered:
        share = value / total if total > 0 else 0.0
        running += share
        rows.append(ParetoRow(area, value, share, running))
    return rows


def areas_to_reach(values: Mapping[str, float], share: float = 0.8) -> int:
    """How many of the largest areas it takes to reach ``share`` of the total."""
    rows = pareto(values)
    if not rows or sum(r.value for r in rows) <= 0:
        return 0
    return next((i + 1 for i, r in enumerate(rows) if r.cumulative >= share - 1e-12), len(rows))


def pareto_sentence(values: Mapping[str, float], what: str, share: float = 0.8) -> str:
    """One sentence for the chart: "7 of 30 areas account for 80% of patients"."""
    rows = pareto(values)
    n = areas_to_reach(values, share)
    largest = (f"; the largest, {rows[0].area}, alone accounts for {rows[0].share:.0%}"
               if rows else "")
    return f"{n} of {len(rows)} areas account for {share:.0%} of {what}{largest}."
