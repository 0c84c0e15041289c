"""Percentages of a whole shown as whole numbers: they add up to 100, each within 1 of its
true value (largest-remainder rounding)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from widgets.analysis.shares import whole_percentages


def test_the_weights_a_facilitator_saw_add_up_to_100():
    # The group's medians were 15 and eight 10s (95 points): rounded one by one they showed
    # as 16% + 8 x 11% = 104%.
    shares = {"a": 15 / 95, **{f"c{i}": 10 / 95 for i in range(8)}}
    shown = whole_percentages(shares)
    assert sum(shown.values()) == 100
    assert shown["a"] == 16 and sorted(shown.values()) == [10] * 4 + [11] * 4 + [16]
    assert list(shown) == list(shares)  # same keys, same order


def test_ties_go_to_the_earlier_item_and_nothing_to_an_empty_whole():
    assert whole_percentages({"x": 1, "y": 1, "z": 1}) == {"x": 34, "y": 33, "z": 33}
    assert whole_percentages({"x": 0, "y": 0}) == {"x": 0, "y": 0}
    assert whole_percentages({}) == {}


def test_a_negative_part_is_refused():
    with pytest.raises(ValueError, match="negative"):
        whole_percentages({"x": -1, "y": 2})


parts = st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=1,
                 max_size=30).filter(lambda xs: sum(xs) > 0)


@given(parts)
def test_shown_percentages_add_up_to_100_and_stay_within_1(values):
    total = sum(values)
    true = {i: v / total * 100 for i, v in enumerate(values)}  # true weights sum to 100
    shown = whole_percentages(dict(enumerate(values)))
    assert sum(shown.values()) == 100
    for i, p in shown.items():
        assert isinstance(p, int) and abs(p - true[i]) < 1 + 1e-9


@given(st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=12)
       .filter(lambda xs: sum(xs) > 0))
def test_whole_percentages_that_already_add_up_are_kept(points):
    total = sum(points)
    shown = whole_percentages(dict(enumerate(points)))
    if total == 100:
        assert shown == dict(enumerate(points))
    assert sum(shown.values()) == 100
