"""SPC: the Making Data Count worked example, every rule by hand, and properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets.analysis.spc import assurance_icon, run_chart, variation_icon, xmr

WORKED = [20, 24, 20, 26, 22, 16, 18, 16, 31, 28, 34, 26, 30, 19, 18]
# A steady base: alternating 10 and 12 has mean 11 and moving range 2 (limits 5.68-16.32).
BASE = [10, 12] * 7


def test_the_making_data_count_worked_example():
    r = xmr(WORKED)
    s = r.segments[0]
    assert (round(s.mean, 2), round(s.upper, 2), round(s.lower, 2)) == (23.20, 37.64, 8.76)
    assert not r.special.any()
    assert variation_icon(r) == "common cause"


def test_a_point_outside_the_limits():
    r = xmr([*BASE, 30])
    assert r.outside.tolist() == [False] * 14 + [True]
    assert r.signal[-1] == "improvement"
    assert variation_icon(r) == "special cause improvement"
    assert xmr([*BASE, 30], better="lower").signal[-1] == "concern"


# Cases built so the mean stays exactly 11: the base ends below it, and every run above is
# balanced by one below.
LOW_END = [12, 10] * 7


def test_a_shift_of_seven_and_six_as_an_option():
    six = [*LOW_END, 13, 13.5, 13, 13.5, 13, 13.5, 9, 8.5, 9, 8.5, 9, 8.5]
    assert xmr(six).segments[0].mean == 11
    assert not xmr(six).special.any()  # runs of six: not a shift at the default seven
    r6 = xmr(six, shift_length=6)
    assert r6.shift[14:26].all() and not r6.shift[:14].any()
    assert (r6.signal[14:20] == "improvement").all() and (r6.signal[20:26] == "concern").all()
    seven = [*LOW_END, 13, 13.5, 13, 13.5, 13, 13.5, 13, 9, 8.5, 9, 8.5, 9, 8.5, 9]
    assert xmr(seven).segments[0].mean == 11
    assert xmr(seven).shift[14:28].all()


def test_a_point_on_the_mean_ends_a_shift():
    series = [10, 10, 10, 12, 12, 12, 11, 12, 12, 12, 10, 10, 10]
    r = xmr(series, shift_length=6)
    assert r.segments[0].mean == 11
    assert not r.shift.any()  # had the 11 been skipped, the six 12s would be a shift


def test_a_trend_of_seven_rising_and_an_equal_neighbour_ends_it():
    r = xmr([*BASE, 5, 6, 7, 8, 9, 10, 11])
    assert r.trend[-7:].all() and not r.trend[:-7].any()
    assert r.signal[-1] == "improvement"
    assert xmr([*BASE, 11, 10, 9, 8, 7, 6, 5], better="higher").signal[-1] == "concern"
    # The top of a rising trend is part of it, even when the next point falls away.
    peak = xmr([*BASE, 8, 8.5, 9, 9.5, 10, 10.5, 11, 9], better="higher")
    assert list(peak.signal[-8:-1]) == ["improvement"] * 7 and peak.signal[-1] == ""
    # 5, 6, 7, 7, 8, 9, 10: the repeated 7 splits it into rises of two and three steps.
    assert not xmr([*BASE, 5, 6, 7, 7, 8, 9, 10], trend_length=6).trend.any()


LONG = [10, 12] * 12  # mean 11, moving range 2, 24 points


def test_two_of_three_beyond_two_sigma_on_the_same_side():
    r = xmr([*LONG, 16, 11, 16.5])  # 2 sigma line about 15.5; upper limit about 17.6
    assert r.two_of_three[-3] and r.two_of_three[-1] and not r.two_of_three[-2]
    assert not r.outside.any() and not r.shift.any()
    assert r.signal[-1] == "improvement"
    assert not xmr([*LONG, 16, 11, 6.5]).two_of_three.any()  # opposite sides do not count


def test_overlapping_rules_mark_a_point_once_as_improvement():
    r = xmr([*BASE, 15, 15.5, 15, 15.5, 15, 15.5, 30])
    assert r.outside[-1] and r.shift[-1]
    assert r.shift[-7:].all()
    assert (r.signal[-7:] == "improvement").all()


def test_segments_have_their_own_limits_and_no_bridging_moving_range():
    values = [*BASE, *[v + 20 for v in BASE]]
    whole = xmr(values)
    split = xmr(values, breaks=[14])
    assert whole.special.any()
    assert [round(s.mean, 6) for s in split.segments] == [11, 31]
    assert [s.mr_bar for s in split.segments] == [2, 2]
    assert not split.special.any()


def test_assurance_compares_the_target_with_the_limits():
    r = xmr(BASE)  # limits 5.68 to 16.32
    assert assurance_icon(r, 5, "higher") == "consistently passes"
    assert assurance_icon(r, 20, "higher") == "consistently fails"
    assert assurance_icon(r, 11, "higher") == "hit or miss"
    assert assurance_icon(r, 20, "lower") == "consistently passes"
    assert assurance_icon(xmr(BASE[:12]), 5) == "none"  # fewer than 13 points
    assert variation_icon(xmr(BASE[:12])) == "none"


def test_run_chart_rules_skip_points_on_the_median():
    rc = run_chart([1, 2, 1, 2, 3, 4, 9, 9, 9, 9, 9, 9])
    assert rc.median == 6.5
    assert rc.shift.all()  # six below the median, then six above
    assert not run_chart([1, 9] * 6).shift.any()
    on_median = [1, 2, 1, 2, 5, 9, 9, 5, 9, 9, 5, 9, 9]
    assert run_chart(on_median).median == 5
    assert run_chart(on_median).shift[5:].sum() == 6  # points on the median do not break
    assert run_chart([1, 2, 3, 4, 5, 1]).trend[:5].all()
    few = run_chart([1, 1, 1, 1, 1, 9, 9, 9, 9, 9])
    assert (few.runs, few.useful, few.runs_signal) == (2, 10, "too few runs")
    assert set(run_chart([1, 2, 1, 2, 3, 4, 9, 9, 9, 9, 9, 9], better="higher").signal) == {
        "improvement", "concern"}  # six low (concern), then six high (improvement)
    up = run_chart([1, 2, 3, 4, 5, 1], better="lower")
    assert list(up.signal[:5]) == ["concern"] * 5  # the peak belongs to the rising trend
    assert set(run_chart([1, 2, 3, 4, 5, 1]).signal[:5]) == {"neutral"}
    many = run_chart([1, 9] * 5)
    assert (many.runs, many.runs_signal) == (10, "too many runs")


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="6 or 7"):
        xmr(BASE, shift_length=5)
    with pytest.raises(ValueError, match="higher"):
        xmr(BASE, better="up")


series = st.lists(st.integers(-1000, 1000).map(float), min_size=13, max_size=40)


@settings(max_examples=60, deadline=None)
@given(series, st.integers(-500, 500))
def test_adding_a_constant_moves_the_lines_and_changes_no_signal(values, c):
    a, b = xmr(values), xmr([v + c for v in values])
    assert b.segments[0].mean == pytest.approx(a.segments[0].mean + c)
    assert b.segments[0].upper == pytest.approx(a.segments[0].upper + c)
    assert (a.special == b.special).all() and (a.signal == b.signal).all()


@settings(max_examples=60, deadline=None)
@given(series)
def test_reversing_the_better_direction_swaps_improvement_and_concern(values):
    up, down = xmr(values, better="higher"), xmr(values, better="lower")
    swap = {"improvement": "concern", "concern": "improvement", "": ""}
    assert [swap[s] for s in up.signal] == list(down.signal)


def test_the_sentence_says_what_the_chart_shows():
    from datetime import date, timedelta

    from widgets.analysis.spc import spc_sentence

    weeks = [date(2025, 1, 6) + timedelta(weeks=i) for i in range(40)]
    base = [*LOW_END]  # 14 points, mean 11
    rise = [14, 14.5, 14, 14.5, 14, 14.5, 14, 14.5]
    values = [*base, *rise]
    text = spc_sentence(values, weeks, better="higher")
    assert text == "Special cause improvement: 8 points above the mean since 14 Apr 2025."
    assert weeks[14] == date(2025, 4, 14)
    assert spc_sentence(values, weeks, better="lower").startswith("Special cause concern: 8")
    assert spc_sentence(WORKED, weeks).startswith("Common cause variation only: stable "
                                                  "around a mean of 23.2")
    assert spc_sentence([3, 4, 5], weeks) == ("3 points so far, median 4; process limits "
                                              "appear from 13 points.")
    assert spc_sentence([], weeks) == "No values yet."
