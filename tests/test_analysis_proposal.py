"""The data's proposal for the shortlist, in plain Python, and the scaling it shares with
the ranking."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from widgets.analysis.proposal import equal_weight_scores, highest, min_max

# Real criteria have a resolution (patients, pounds, a CV to two decimals); values far
# below it would merge on any shift and say nothing about the method.
AMOUNTS = st.floats(0, 1e6, allow_nan=False).map(lambda v: round(v, 2))


def test_min_max_respects_direction_constant_columns_and_missing_values():
    assert min_max({"a": 100, "b": 300, "c": 200}, 1) == {"a": 0.0, "b": 1.0, "c": 0.5}
    assert min_max({"a": 5, "b": 1, "c": 3}, -1) == {"a": 0.0, "b": 1.0, "c": 0.5}
    assert min_max({"a": 2, "b": 2}, 1) == {"a": 0.5, "b": 0.5}
    scaled = min_max({"a": 1, "b": None, "c": float("nan"), "d": 3}, 1)
    assert scaled["a"] == 0.0 and scaled["d"] == 1.0
    assert math.isnan(scaled["b"]) and math.isnan(scaled["c"])
    assert all(math.isnan(v) for v in min_max({"a": None}, 1).values())
    with pytest.raises(ValueError, match="must be \\+1 or -1"):
        min_max({"a": 1}, 0)


def test_scores_are_the_mean_of_scaled_criteria_and_missing_is_never_proposed():
    columns = {"patients": {"a": 10, "b": 30, "c": 20}, "harm": {"a": 5, "b": 1, "c": None}}
    scores = equal_weight_scores(columns, {"patients": 1, "harm": 1})
    assert scores["a"] == pytest.approx(0.5) and scores["b"] == pytest.approx(0.5)
    assert math.isnan(scores["c"])
    assert highest(scores, 5) == ["a", "b"]  # a tie keeps file order; c is not proposed
    assert equal_weight_scores({}, {}) == {}


@given(st.lists(st.tuples(AMOUNTS, AMOUNTS, AMOUNTS), min_size=2, max_size=30),
       st.integers(0, 2), st.floats(0.001, 1000), st.floats(-1e6, 1e6), st.integers(1, 12))
def test_changing_a_criterion_s_units_changes_no_proposal(rows, col, factor, shift, k):
    names = [f"area{i:02d}" for i in range(len(rows))]
    columns = {c: {n: r[c] for n, r in zip(names, rows, strict=True)} for c in range(3)}
    directions = dict.fromkeys(range(3), 1)
    moved = {**columns, col: {n: v * factor + shift for n, v in columns[col].items()}}
    before, after = (equal_weight_scores(x, directions) for x in (columns, moved))
    for n in names:
        assert after[n] == pytest.approx(before[n], abs=1e-6)
    # Same proposal, once floating-point noise below a millionth is rounded away.
    assert highest({n: round(s, 6) for n, s in before.items()}, k) == \
        highest({n: round(s, 6) for n, s in after.items()}, k)


@given(st.lists(st.tuples(AMOUNTS, AMOUNTS, st.integers(1, 5)), min_size=2, max_size=30),
       st.lists(st.sampled_from([1, -1]), min_size=3, max_size=3), st.integers(1, 12))
def test_the_proposal_is_the_ranking_with_equal_weights(rows, directions, k):
    """The shortlist's proposal (plain Python) and the results' ranking (pandas) must agree
    when the ranking's weights are equal and its criteria are the data's."""
    pd = pytest.importorskip("pandas")
    from widgets.analysis.priorities import normalise, rank, weighted_scores

    names = [f"area{i:02d}" for i in range(len(rows))]
    frame = pd.DataFrame(rows, index=names, columns=["x", "y", "z"])
    dirs = dict(zip("xyz", directions, strict=True))
    plain = equal_weight_scores({c: frame[c].to_dict() for c in "xyz"}, dirs)
    ranked = rank(weighted_scores(normalise(frame, dirs), dict.fromkeys("xyz", 1.0)))
    for n in names:
        assert plain[n] == pytest.approx(float(ranked.set_index("area").loc[n, "score"]),
                                         abs=1e-12)
    assert highest(plain, k) == ranked["area"].head(k).tolist()


def test_the_sample_s_proposal_is_its_ten_highest_on_the_data():
    from widgets import focus
    from widgets.care_areas import SAMPLE, read_care_areas

    table = read_care_areas(SAMPLE.read_bytes())
    proposed = focus.proposed_shortlist(table)
    scores = focus.data_only_scores(table)
    assert len(proposed) == 10 and len(set(proposed)) == 10
    assert min(scores[a] for a in proposed) >= max(
        s for a, s in scores.items() if a not in proposed)
    assert proposed[0] == "Sepsis"  # the fictional system's widest outcome gap and most harm
