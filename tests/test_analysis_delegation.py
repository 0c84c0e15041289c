"""Delegation Poker numbers: consensus, spread, gaps and guardrails."""

from __future__ import annotations

import math
import statistics

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from widgets.analysis.delegation import (
    board_sentence,
    cede_gaps,
    consensus,
    guardrail_gaps,
    in_place,
    spread,
    who_chose,
)
from widgets.delegation_levels import LEVELS


def test_seven_levels_from_tell_to_delegate():
    assert [lv.name for lv in LEVELS] == ["Tell", "Sell", "Consult", "Agree", "Advise",
                                          "Inquire", "Delegate"]


def test_consensus_is_the_share_within_one_level_of_the_median():
    assert consensus([4, 4, 5, 3]) == 1.0
    assert consensus([1, 4, 4, 7]) == 0.5
    assert math.isnan(consensus([]))


def test_spread_of_one_decisions_cards():
    s = spread([(2, "Asha"), (2, None), (6, "Chen"), (5, "Ben"), (6, "")])
    assert (s.answers, s.median, s.lowest, s.highest) == (5, 5.0, 2, 6)
    assert s.low_names == ["Asha"] and s.high_names == ["Chen"]  # unnamed and blank left out
    assert s.consensus == pytest.approx(0.6)
    same = spread([(4, "Asha"), (4, "Ben")])
    assert same.low_names == same.high_names == [] and same.consensus == 1.0
    assert spread([]) is None


@given(st.lists(st.tuples(st.integers(1, 7), st.sampled_from(["A", "B", None])), min_size=1))
def test_spread_agrees_with_the_cards(cards):
    levels = [lv for lv, _ in cards]
    s = spread(cards)
    assert (s.answers, s.median, s.lowest, s.highest) == (
        len(levels), statistics.median(levels), min(levels), max(levels))
    assert s.consensus == consensus(levels)
    named_low = sorted(n for lv, n in cards if lv == s.lowest and n) if s.lowest < s.highest \
        else []
    assert s.low_names == named_low  # only those who agreed to be named


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
    done = in_place(agreed, agreed, owners, guard)
    assert (done.due, done.done) == (6, 4)
    assert done.sentence() == "Owners and guardrails in place: 4 of 6 needed (67%)."
    guard["rotas"]["report"] = "Monthly to the board"
    owners["spend"] = "Finance lead"
    assert guardrail_gaps(agreed, owners, guard) == {}
    assert in_place(agreed, agreed, owners, guard).sentence() == (
        "Owners and guardrails in place: 6 of 6 needed (100%).")


def test_nothing_is_due_before_any_level_is_agreed():
    done = in_place(["rotas", "spend"], {}, {}, {})
    assert (done.due, done.done) == (0, 0)
    assert done.sentence() == ("No decision has an agreed level yet, so owners and guardrails "
                               "are not due.")
    assert in_place([], {}, {}, {}).sentence().startswith("No decision has an agreed level")


def test_decisions_still_without_a_level_are_named_not_counted_as_done():
    some = in_place(["rotas", "spend", "pathway"], {"rotas": 3}, {"rotas": "Ward manager"}, {})
    assert some.sentence() == ("Owners and guardrails in place: 1 of 1 needed so far. "
                               "2 decisions have no agreed level yet, so their owners and "
                               "guardrails are not due.")
    one = in_place(["rotas", "spend"], {"rotas": 6}, {}, {})
    assert one.sentence() == ("Owners and guardrails in place: 0 of 5 needed so far. "
                              "1 decision has no agreed level yet, so its owner and "
                              "guardrails are not due.")


def test_one_missing_owner_among_many_is_never_shown_as_100_percent():
    agreed = {f"d{i}": 3 for i in range(300)}
    owners = {k: "Lead" for k in agreed}
    owners["d7"] = " "
    assert in_place(agreed, agreed, owners, {}).sentence() == (
        "Owners and guardrails in place: 299 of 300 needed (99%).")


@given(st.dictionaries(st.sampled_from("abcdef"), st.integers(1, 7)),
       st.dictionaries(st.sampled_from("abcdef"), st.sampled_from(["", "Lead"])),
       st.sets(st.sampled_from("abcdef")))
def test_100_percent_only_when_every_decision_is_agreed_and_complete(agreed, owners, extra):
    decisions = set(agreed) | extra
    guard = {k: {f: "set" for f in ("money", "risk_scope", "report", "review_date")}
             for k in agreed}
    done = in_place(decisions, agreed, owners, guard)
    complete = decisions == set(agreed) and all(owners.get(k) for k in agreed)
    assert ("100%" in done.sentence()) == (bool(agreed) and complete)
    assert 0 <= done.done <= done.due


def test_who_chose_names_those_who_agreed_and_counts_the_others():
    assert who_chose(["Alice"], 0) == "Alice"
    assert who_chose(["Alice"], 1) == "Alice and 1 other"
    assert who_chose(["Alice"], 2) == "Alice and 2 others"
    assert who_chose(["Alice", "Ben"], 0) == "Alice and Ben"
    assert who_chose(["Alice", "Ben", "Chen"], 1) == "Alice, Ben, Chen and 1 other"
    assert who_chose([], 1) == "someone"
    assert who_chose([], 3) == "3 people"


def test_the_spread_counts_the_unnamed_at_each_end():
    s = spread([(1, "Alice"), (1, None), (4, "Ben"), (7, None), (7, ""), (7, "Chen")])
    assert (s.low_names, s.low_others) == (["Alice"], 1)
    assert (s.high_names, s.high_others) == (["Chen"], 2)
    same = spread([(4, "Asha"), (4, None)])
    assert (same.low_others, same.high_others) == (0, 0)  # everyone chose the same card


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
