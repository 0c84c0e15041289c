"""Readiness profile: medians, spreads and the disagreements worth discussing."""

from __future__ import annotations

import math

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from widgets.analysis.readiness import disagreements, profile_sentence, readiness_profile

ITEMS = ["a", "b", "c", "d"]
LABELS = {i: f"Item {i.upper()}" for i in ITEMS}


def frame(rows):
    return pd.DataFrame(rows, columns=["participant", "item", "score"])


def test_profile_median_quartiles_and_dont_know():
    df = frame([(1, "a", 1), (2, "a", 3), (3, "a", 5), (1, "b", 4), (2, "b", None),
                (3, "b", 4)])
    p = readiness_profile(df, ITEMS).set_index("item")
    assert p.loc["a", "median"] == 3 and p.loc["a", "spread"] == 2
    assert (p.loc["a", "lowest"], p.loc["a", "highest"]) == (1, 5)
    assert p.loc["b", "answers"] == 2  # "don't know" is missing, not zero
    assert p.loc["b", "median"] == 4
    assert p.loc["c", "answers"] == 0 and math.isnan(p.loc["c", "median"])


def test_disagreements_widest_first_with_stable_ties():
    df = frame([(1, "a", 2), (2, "a", 4), (1, "b", 1), (2, "b", 5), (1, "c", 3), (2, "c", 3),
                (1, "d", 2), (2, "d", 4)])
    p = readiness_profile(df, ITEMS)
    assert disagreements(p, 3) == ["b", "a", "d"]  # a and d tie: list order decides
    assert "c" not in disagreements(p, 4)  # full agreement is no disagreement


def test_sentence_is_computed_from_the_data():
    df = frame([(1, "a", 5), (2, "a", 5), (1, "b", 1), (2, "b", 2), (1, "c", 1), (2, "c", 5)])
    s = profile_sentence(readiness_profile(df, ITEMS), LABELS)
    assert s.startswith("Across 2 people")
    assert "highest on “Item A” (median 5 of 5)" in s
    assert "lowest on “Item B” (median 1.5 of 5)" in s
    assert "furthest apart on “Item C” (answers from 1 to 5)" in s
    assert profile_sentence(readiness_profile(frame([]), ITEMS), LABELS).startswith("No ratings")


@given(st.lists(st.tuples(st.integers(1, 30), st.sampled_from(ITEMS), st.integers(1, 5)),
                max_size=120))
def test_profile_bounds_hold_for_any_answers(rows):
    p = readiness_profile(frame(rows), ITEMS)
    rated = p.dropna(subset=["median"])
    assert (rated["lowest"] <= rated["q1"]).all()
    assert (rated["q1"] <= rated["median"]).all() and (rated["median"] <= rated["q3"]).all()
    assert (rated["q3"] <= rated["highest"]).all()
    assert p["answers"].sum() == len(rows)
    assert len(disagreements(p, 3)) <= 3
