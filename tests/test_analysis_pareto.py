"""Pareto shares and the sentence that goes with the chart (plain Python, no pandas)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from widgets.analysis.pareto import areas_to_reach, pareto, pareto_sentence


def test_pareto_orders_and_accumulates():
    s = {"a": 10, "b": 60, "c": 30}
    p = pareto(s)
    assert [r.area for r in p] == ["b", "c", "a"]
    assert [r.cumulative for r in p] == pytest.approx([0.6, 0.9, 1.0])
    assert [r.share for r in p] == pytest.approx([0.6, 0.3, 0.1])
    assert areas_to_reach(s, 0.8) == 2
    assert areas_to_reach(s, 0.6) == 1  # exactly reaching the share counts


def test_ties_keep_input_order_and_missing_counts_as_zero():
    p = pareto({"z": 5, "y": float("nan"), "x": 5, "w": None})
    assert [(r.area, r.value) for r in p] == [("z", 5), ("x", 5), ("y", 0), ("w", 0)]


def test_a_pandas_series_gives_the_same_figures():
    pd = pytest.importorskip("pandas")
    s = {"a": 10.0, "b": 60.0, "c": 30.0}
    assert pareto(pd.Series(s)) == pareto(s)


def test_sentence():
    s = {"a": 10, "b": 60, "c": 30}
    assert pareto_sentence(s, "patients") == (
        "2 of 3 areas account for 80% of patients; the largest, b, alone accounts for 60%.")


def test_nothing_to_count_says_so_without_failing():
    assert areas_to_reach({}, 0.8) == 0
    assert pareto_sentence({}, "patients") == "0 of 0 areas account for 80% of patients."
    assert areas_to_reach({"a": 0, "b": 0}) == 0


@given(st.lists(st.floats(0, 1e7, allow_nan=False), min_size=1, max_size=40),
       st.floats(0.05, 1.0))
def test_reaching_a_share_is_minimal(values, share):
    s = {f"x{i}": v for i, v in enumerate(values)}
    n = areas_to_reach(s, share)
    p = pareto(s)
    assert [r.value for r in p] == sorted(values, reverse=True)
    if sum(values) > 0:
        assert p[n - 1].cumulative >= share - 1e-9
        if n > 1:
            assert p[n - 2].cumulative < share
