"""Pareto shares and the sentence that goes with the chart."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from widgets.analysis.pareto import areas_to_reach, pareto, pareto_sentence


def test_pareto_orders_and_accumulates():
    s = pd.Series({"a": 10, "b": 60, "c": 30})
    p = pareto(s)
    assert p["area"].tolist() == ["b", "c", "a"]
    assert p["cumulative"].tolist() == pytest.approx([0.6, 0.9, 1.0])
    assert areas_to_reach(s, 0.8) == 2
    assert areas_to_reach(s, 0.6) == 1  # exactly reaching the share counts


def test_sentence():
    s = pd.Series({"a": 10, "b": 60, "c": 30})
    assert pareto_sentence(s, "patients") == (
        "2 of 3 areas account for 80% of patients; the largest, b, alone accounts for 60%.")


@given(st.lists(st.floats(0, 1e7, allow_nan=False), min_size=1, max_size=40),
       st.floats(0.05, 1.0))
def test_reaching_a_share_is_minimal(values, share):
    s = pd.Series(values, index=[f"x{i}" for i in range(len(values))])
    n = areas_to_reach(s, share)
    p = pareto(s)
    if s.sum() > 0:
        assert p["cumulative"].iloc[n - 1] >= share - 1e-9
        if n > 1:
            assert p["cumulative"].iloc[n - 2] < share
