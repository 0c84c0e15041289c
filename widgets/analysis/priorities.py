"""Choosing a few focus areas: normalise, weight, rank, and test how robust the top few are.

Why these steps:
- Criteria come in different units (patients a year, pounds, a coefficient of variation, a
  1-5 rating). Min-max normalisation over the shortlist puts each on 0-1 in its declared
  direction (1 = most opportunity), so units cannot tip the ranking.
- Weights are a judgement, and groups rarely agree on them exactly. SMAA's rank
  acceptability (Lahdelma, Hokkanen & Salminen 1998; Monte Carlo as in Tervonen & Lahdelma
  2007) asks: across many plausible weightings, how often does each area land in the top N?
  An area that is top-N under almost any weighting is a safe choice; one that needs one
  exact weighting is not.
- Ties are broken by the areas' order in the input (alphabetical, by convention), so the
  same answers always give the same ranking on the screen and in the report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .proposal import min_max


def normalise(values: pd.DataFrame, directions: Mapping[str, int]) -> pd.DataFrame:
    """Scale each criterion (column) to 0-1 over the rows given, 1 meaning most opportunity.

    Each column is scaled by :func:`widgets.analysis.proposal.min_max` (the data's proposal
    for the shortlist uses the same rule): ``directions[c]`` is +1 where a higher raw value
    means more opportunity and -1 where a lower one does; a criterion on which every area
    is equal becomes 0.5 for all; missing values stay missing.
    """
    out = pd.DataFrame(index=values.index)
    for col in values.columns:  # by position: an index may repeat or mix types
        out[col] = list(min_max(dict(enumerate(values[col].astype(float))),
                                directions[col]).values())
    return out


def normalise_weights(weights: Mapping[str, float] | pd.Series) -> pd.Series:
    """Weights as shares summing to 1; negative or all-zero weights are refused."""
    w = pd.Series(weights, dtype=float)
    if (w < 0).any() or not np.isfinite(w).all():
        raise ValueError("Weights must be zero or more.")
    total = w.sum()
    if total <= 0:
        raise ValueError("At least one weight must be above zero.")
    return w / total


def weighted_scores(norm: pd.DataFrame, weights: Mapping[str, float] | pd.Series) -> pd.Series:
    """Each area's weighted score (0-1). Areas with a missing criterion get NaN, not 0."""
    w = normalise_weights(weights).reindex(norm.columns).fillna(0.0)
    return norm.mul(w, axis=1).sum(axis=1, min_count=len(norm.columns)).where(
        norm.notna().all(axis=1))


def rank(scores: pd.Series) -> pd.DataFrame:
    """Areas ranked by score, highest first; ties keep input order; unscored areas last.

    Returns columns ``area``, ``score``, ``rank`` (1-based; NaN for unscored areas) and
    ``flag`` ("not scored" where the score is missing), so nothing unscored sits at zero.
    """
    order = pd.DataFrame({"area": scores.index, "score": scores.to_numpy(),
                          "pos": range(len(scores))})
    scored = order[order["score"].notna()].sort_values(["score", "pos"],
                                                       ascending=[False, True], kind="stable")
    unscored = order[order["score"].isna()]
    scored = scored.assign(rank=range(1, len(scored) + 1), flag="")
    unscored = unscored.assign(rank=np.nan, flag="not scored")
    return pd.concat([scored, unscored], ignore_index=True).drop(columns="pos")


def top_n_acceptability(norm: pd.DataFrame, n: int, draws: int = 10_000, seed: int = 0,
                        centre: Mapping[str, float] | pd.Series | None = None,
                        concentration: float | None = None) -> pd.Series:
    """Share of sampled weightings under which each area ranks in the top ``n``.

    Weights are drawn uniformly on the simplex (no preference information) or, with
    ``centre`` and ``concentration``, from a Dirichlet centred on the group's weights
    (alpha = concentration x centre; larger means closer to the group's weights). Areas
    with a missing criterion are left out and get NaN. The result sums to ``n`` over the
    scored areas (or to their number, if fewer).
    """
    complete = norm.dropna()
    k = norm.shape[1]
    if draws < 1 or n < 1:
        raise ValueError("Need at least one draw and n of at least 1.")
    rng = np.random.default_rng(seed)
    if centre is None:
        alpha = np.ones(k)
    else:
        if not concentration or concentration <= 0:
            raise ValueError("A centred draw needs a concentration above zero.")
        c = normalise_weights(centre).reindex(norm.columns).fillna(0.0).to_numpy()
        alpha = np.maximum(c * concentration, 1e-3)  # a zero weight still varies a little
    weights = rng.dirichlet(alpha, size=draws)  # draws x k
    scores = weights @ complete.to_numpy().T  # draws x areas
    top = min(n, complete.shape[0])
    # Stable sort on the negated scores: ties go to the earlier area, as in rank().
    order = np.argsort(-scores, axis=1, kind="stable")[:, :top]
    counts = np.bincount(order.ravel(), minlength=complete.shape[0])
    result = pd.Series(counts / draws, index=complete.index, name="top_n_share")
    return result.reindex(norm.index)


def human_scores(answers: pd.DataFrame) -> pd.DataFrame:
    """The group's score per area and criterion: the median of the answers given.

    ``answers`` has columns ``participant``, ``area``, ``criterion`` and ``score`` (NaN for
    "don't know", which is left out). An area or criterion nobody scored stays NaN.
    """
    given = answers.dropna(subset=["score"])
    table = given.pivot_table(index="area", columns="criterion", values="score",
                              aggfunc="median")
    areas = list(dict.fromkeys(answers["area"]))
    criteria = list(dict.fromkeys(answers["criterion"]))
    return table.reindex(index=areas, columns=criteria)


def disagreement(answers: pd.DataFrame) -> pd.Series:
    """How far apart people are on each area: the mean, over criteria, of the spread
    between the quartiles of the scores given. Areas with fewer than two answers on
    every criterion get NaN (no disagreement can show)."""
    given = answers.dropna(subset=["score"]).astype({"score": float})
    groups = given.groupby(["area", "criterion"])["score"]
    # Linear-interpolated quartiles, as numpy.percentile; one answer shows no spread.
    spread = (groups.quantile(0.75) - groups.quantile(0.25)).where(groups.count() >= 2)
    per_area = spread.groupby(level="area").mean()
    areas = list(dict.fromkeys(answers["area"]))
    return per_area.reindex(areas).rename("disagreement")


def most_disputed(answers: pd.DataFrame, k: int = 3) -> list[str]:
    """The ``k`` areas with the widest disagreement, widest first, ties in input order."""
    d = disagreement(answers).dropna()
    d = d[d > 0]
    frame = pd.DataFrame({"d": d.to_numpy(), "pos": range(len(d))}, index=d.index)
    return list(frame.sort_values(["d", "pos"], ascending=[False, True]).index[:k])


def group_weights(points: pd.DataFrame, criteria: Sequence[str]) -> pd.Series:
    """The group's weights from each person's 100 points: the median per criterion,
    normalised to sum to 1. ``points`` has columns ``participant``, ``criterion``,
    ``points``; a criterion someone left blank counts as 0 from them."""
    table = points.pivot_table(index="participant", columns="criterion", values="points",
                               aggfunc="last").reindex(columns=list(criteria)).fillna(0.0)
    med = table.median(axis=0)
    if med.sum() <= 0:  # medians can all be zero when people spread points very differently
        med = table.mean(axis=0)
    return normalise_weights(med)
