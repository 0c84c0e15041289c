"""Pareto: how few areas account for most of the patients (or of the cost).

Why: Intermountain found about 100 of some 1,400 clinical processes made up 95% of its
care. A Pareto chart shows the same shape in your own data: the few areas worth a board's
attention first.
"""

from __future__ import annotations

import pandas as pd


def pareto(values: pd.Series) -> pd.DataFrame:
    """Areas by value, largest first (ties in input order), with their share and the
    cumulative share of the total. Columns: ``area``, ``value``, ``share``, ``cumulative``."""
    v = values.astype(float).fillna(0.0)
    total = v.sum()
    frame = pd.DataFrame({"area": v.index, "value": v.to_numpy(), "pos": range(len(v))})
    frame = frame.sort_values(["value", "pos"], ascending=[False, True], kind="stable")
    frame["share"] = frame["value"] / total if total > 0 else 0.0
    frame["cumulative"] = frame["share"].cumsum()
    return frame.drop(columns="pos").reset_index(drop=True)


def areas_to_reach(values: pd.Series, share: float = 0.8) -> int:
    """How many of the largest areas it takes to reach ``share`` of the total."""
    p = pareto(values)
    if p.empty or p["value"].sum() <= 0:
        return 0
    reached = p.index[p["cumulative"] >= share - 1e-12]
    return int(reached[0]) + 1 if len(reached) else len(p)


def pareto_sentence(values: pd.Series, what: str, share: float = 0.8) -> str:
    """One sentence for the chart: "7 of 30 areas account for 80% of patients"."""
    n = areas_to_reach(values, share)
    total = len(values)
    return (f"{n} of {total} areas account for {share:.0%} of {what}; the largest, "
            f"{pareto(values)['area'].iloc[0]}, alone accounts for "
            f"{pareto(values)['share'].iloc[0]:.0%}.")
