"""Delegation Poker numbers: distributions, consensus, extremes, gaps and guardrails."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from widgets.analysis.delegation import (
    board_sentence,
    cede_gaps,
    completeness,
    consensus,
    extremes,
    guardrail_gaps,
    level_distribution,
    spread,
    summarise,
)
from widgets.delegation_levels import LEVELS


def votes(rows):
    return pd.DataFrame(rows, columns=["decision", "level", "name"])


def test_seven_levels_from_tell_to_delegate():
    assert [lv.name for lv in LEVELS] == ["Tell", "Sell", "Consult", "Agree", "Advise",
                                          "Inquire", "Delegate"]


def test_distribution_has_every_level_even_when_empty():
    d = level_distribution(votes([("rotas", 2, "A"), ("rotas", 2, "B"), ("spend", 6, None)]))
    assert list(d.columns) == [1, 2, 3, 4, 5, 6, 7]
    assert d.loc["rotas", 2] == 2 and d.loc["rotas"].sum() == 2 and d.loc["spend", 6] == 1


def test_consensus_is_the_share_within_one_level_of_the_median():
    assert consensus([4, 4, 5, 3]) == 1.0
    assert consensus([1, 4, 4, 7]) == 0.5
    assert math.isnan(consensus([]))


def test_summary_and_extremes_name_only_those_who_agreed():
    v = votes([("rotas", 1, "Asha"), ("rotas", 7, None), ("rotas", 7, "Chen"),
               ("spend", 3, "Asha"), ("spend", 3, "Ben")])
    s = summarise(v).set_index("decision")
    assert (s.loc["rotas", "lowest"], s.loc["rotas", "highest"]) == (1, 7)
    assert extremes(v, "rotas") == (["Asha"], ["Chen"])  # the unnamed 7 is not listed
    assert extremes(v, "spend") == ([], [])  # all agree: nobody to ask


def test_spread_of_one_decisions_cards():
    s = spread([(2, "Asha"), (2, None), (6, "Chen"), (5, "Ben"), (6, "")])
    assert (s.answers, s.median, s.lowest, s.highest) == (5, 5.0, 2, 6)
    assert s.low_names == ["Asha"] and s.high_names == ["Chen"]  # unnamed and blank left out
    assert s.consensus == pytest.approx(0.6)
    same = spread([(4, "Asha"), (4, "Ben")])
    assert same.low_names == same.high_names == [] and same.consensus == 1.0
    assert spread([]) is None


@given(st.lists(st.tuples(st.integers(1, 7), st.sampled_from(["A", "B", None])), min_size=1))
def test_spread_agrees_with_the_summary(cards):
    frame = votes([("d", lv, name) for lv, name in cards])
    row = summarise(frame).iloc[0]
    s = spread(cards)
    assert (s.answers, s.median, s.lowest, s.highest) == (
        row["answers"], row["median"], row["lowest"], row["highest"])
    assert s.consensus == pytest.approx(row["consensus"])


def test_gaps_and_the_board_sentence():
    gaps = cede_gaps({"a": 2, "b": 3, "c": 5, "d": float("nan")},
                     {"a": 5, "b": 4, "c": 4, "d": 6, "e": 7})
    assert gaps == {"a": 3.0, "b": 1.0, "c": -1.0}
    assert board_sentence(gaps) == ("2 of 3 decisions move towards the front line, by 2.0 "
                                    "levels on average; 1 moves back towards the board.")
    assert board_sentence({}).startswith("No agreed levels")
    assert board_sentence(pd.Series(gaps)) == board_sentence(gaps)  # a series reads the same


def test_guardrails_are_needed_from_advise_upwards():
    agreed = {"rotas": 6, "spend": 3}
    owners = {"rotas": "Ward manager"}
    guard = {"rotas": {"money": "none", "risk_scope": "own ward", "report": "",
                       "review_date": "2025-06-01"}}
    assert guardrail_gaps(agreed, owners, guard) == {"rotas": ["report"], "spend": ["owner"]}
    assert completeness(agreed, owners, guard) == pytest.approx(4 / 6)
    guard["rotas"]["report"] = "Monthly to the board"
    owners["spend"] = "Finance lead"
    assert guardrail_gaps(agreed, owners, guard) == {} and completeness(agreed, owners,
                                                                         guard) == 1.0


@given(st.lists(st.integers(1, 7), min_size=1, max_size=40))
def test_consensus_bounds_and_unanimity(levels):
    c = consensus(levels)
    assert 0 <= c <= 1
    if len(levels) % 2:  # an odd count's median is a vote, so someone is always within one
        assert c > 0
    assert consensus([levels[0]] * len(levels)) == 1.0


@given(st.dictionaries(st.sampled_from("abcdef"), st.integers(1, 7)),
       st.dictionaries(st.sampled_from("abcdef"), st.integers(1, 7)))
def test_gaps_are_agreed_minus_today(today, agreed):
    gaps = cede_gaps(today, agreed)
    assert set(gaps) == set(today) & set(agreed)
    for k, g in gaps.items():
        assert g == agreed[k] - today[k] and -6 <= g <= 6
