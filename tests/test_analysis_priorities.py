"""Focus analysis: normalisation, weighting, ranking and SMAA top-N acceptability."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from widgets.analysis.priorities import (
    disagreement,
    group_weights,
    human_scores,
    most_disputed,
    normalise,
    normalise_weights,
    rank,
    top_n_acceptability,
    weighted_scores,
)


def areas(n):
    return [f"area{i:02d}" for i in range(n)]


def test_normalise_respects_direction_and_constant_columns():
    df = pd.DataFrame({"patients": [100, 300, 200], "effort": [5, 1, 3], "flat": [2, 2, 2]},
                      index=["a", "b", "c"])
    n = normalise(df, {"patients": 1, "effort": -1, "flat": 1})
    assert n["patients"].tolist() == [0.0, 1.0, 0.5]
    assert n["effort"].tolist() == [0.0, 1.0, 0.5]  # the least effort is the best opportunity
    assert n["flat"].tolist() == [0.5, 0.5, 0.5]
    with pytest.raises(ValueError, match="must be \\+1 or -1"):
        normalise(df, {"patients": 2, "effort": -1, "flat": 1})


def test_weights_and_scores():
    assert normalise_weights({"x": 30, "y": 10}).tolist() == [0.75, 0.25]
    for bad in ({"x": -1, "y": 2}, {"x": 0, "y": 0}):
        with pytest.raises(ValueError):
            normalise_weights(bad)
    norm = pd.DataFrame({"x": [1.0, 0.0, np.nan], "y": [0.0, 1.0, 1.0]}, index=list("abc"))
    s = weighted_scores(norm, {"x": 3, "y": 1})
    assert s["a"] == 0.75 and s["b"] == 0.25 and np.isnan(s["c"])


def test_rank_breaks_ties_by_input_order_and_flags_unscored():
    r = rank(pd.Series([0.5, np.nan, 0.9, 0.5], index=["b", "x", "a", "c"]))
    assert r["area"].tolist() == ["a", "b", "c", "x"]
    assert r["rank"].tolist()[:3] == [1, 2, 3] and np.isnan(r["rank"].iloc[3])
    assert r["flag"].tolist() == ["", "", "", "not scored"]


def test_two_areas_each_best_on_one_criterion_split_evenly():
    norm = normalise(pd.DataFrame({"c1": [10, 0], "c2": [0, 10]}, index=["p", "q"]),
                     {"c1": 1, "c2": 1})
    acc = top_n_acceptability(norm, n=1, draws=10_000, seed=7)
    assert acc["p"] == pytest.approx(0.5, abs=0.02)
    assert acc["q"] == pytest.approx(0.5, abs=0.02)


def test_centred_draws_follow_the_groups_weights():
    norm = pd.DataFrame({"c1": [1.0, 0.0], "c2": [0.0, 1.0]}, index=["p", "q"])
    acc = top_n_acceptability(norm, n=1, draws=10_000, seed=1, centre={"c1": 0.8, "c2": 0.2},
                              concentration=50)
    assert acc["p"] > 0.95
    with pytest.raises(ValueError, match="concentration"):
        top_n_acceptability(norm, 1, centre={"c1": 1, "c2": 1})


def test_the_same_seed_gives_the_same_answer():
    norm = pd.DataFrame(np.random.default_rng(3).random((12, 5)), index=areas(12))
    a = top_n_acceptability(norm, 4, draws=2_000, seed=42)
    b = top_n_acceptability(norm, 4, draws=2_000, seed=42)
    pd.testing.assert_series_equal(a, b)


def test_unscored_areas_are_left_out_not_zero():
    norm = pd.DataFrame({"c1": [1.0, 0.5, np.nan], "c2": [0.2, 0.9, 0.4]}, index=list("abc"))
    acc = top_n_acceptability(norm, 2, draws=500, seed=0)
    assert np.isnan(acc["c"]) and acc.sum() == pytest.approx(2.0)


# Real criteria have a resolution (patients, pounds, a CV to two decimals); values far
# below it (1e-239 beside 0) would merge on any shift and say nothing about the method.
matrices = arrays(np.float64, st.tuples(st.integers(2, 12), st.integers(1, 5)),
                  elements=st.floats(0, 1e6, allow_nan=False).map(lambda v: round(v, 2)))


@settings(max_examples=40, deadline=None)
@given(matrices, st.integers(1, 6), st.integers(0, 2**31 - 1))
def test_top_n_acceptabilities_sum_to_n(values, n, seed):
    norm = normalise(pd.DataFrame(values, index=areas(values.shape[0])),
                     dict.fromkeys(range(values.shape[1]), 1))
    acc = top_n_acceptability(norm, n, draws=300, seed=seed)
    assert acc.sum() == pytest.approx(min(n, values.shape[0]))
    assert ((acc >= 0) & (acc <= 1)).all()


@settings(max_examples=40, deadline=None)
@given(matrices, st.floats(1e-3, 1e3), st.floats(-1e3, 1e3), st.data())
def test_rescaling_a_criterion_changes_no_ranking(values, factor, shift, data):
    k = values.shape[1]
    col = data.draw(st.integers(0, k - 1))
    directions = {c: data.draw(st.sampled_from([1, -1])) for c in range(k)}
    weights = {c: data.draw(st.floats(0.01, 1)) for c in range(k)}
    before = pd.DataFrame(values, index=areas(values.shape[0]))
    after = before.copy()
    after[col] = after[col] * factor + shift  # e.g. pounds to thousands, or a new baseline
    r1 = rank(weighted_scores(normalise(before, directions), weights))
    r2 = rank(weighted_scores(normalise(after, directions), weights))
    s1 = r1.set_index("area")["score"]
    s2 = r2.set_index("area")["score"].reindex(s1.index)
    np.testing.assert_allclose(s1, s2, atol=1e-6)
    # Same order, once floating-point noise below a millionth is rounded away.
    assert rank(s1.round(6))["area"].tolist() == rank(s2.round(6))["area"].tolist()


def _answers(rows):
    return pd.DataFrame(rows, columns=["participant", "area", "criterion", "score"])


def test_human_scores_are_medians_and_dont_know_is_missing():
    a = _answers([(1, "x", "leads", 2), (2, "x", "leads", 4), (3, "x", "leads", np.nan),
                  (1, "y", "leads", np.nan), (1, "x", "energy", 5)])
    h = human_scores(a)
    assert h.loc["x", "leads"] == 3 and h.loc["x", "energy"] == 5
    assert np.isnan(h.loc["y", "leads"])  # nobody scored y: flagged later, never zero


def test_disagreement_names_the_widest_spreads():
    a = _answers([(1, "x", "c", 1), (2, "x", "c", 5), (1, "y", "c", 3), (2, "y", "c", 4),
                  (1, "z", "c", 3), (2, "z", "c", 3), (1, "w", "c", 2)])
    d = disagreement(a)
    assert d["x"] > d["y"] > d["z"] == 0 and np.isnan(d["w"])
    assert most_disputed(a, 3) == ["x", "y"]


def test_group_weights_are_the_normalised_median():
    pts = pd.DataFrame([(1, "a", 60), (1, "b", 40), (2, "a", 20), (2, "b", 80), (3, "a", 50),
                        (3, "b", 50)], columns=["participant", "criterion", "points"])
    w = group_weights(pts, ["a", "b", "c"])
    assert w.to_dict() == pytest.approx({"a": 0.5, "b": 0.5, "c": 0.0})
