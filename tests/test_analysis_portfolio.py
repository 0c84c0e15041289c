"""The check-in's portfolio: icons per measure, the attention order and what changed.

Worked examples by hand, then properties on generated portfolios and series: the order is a
total order that agrees with each row's reasons, is stable and loses no row; every icon
agrees with the SPC analysis it is built on."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets.analysis import portfolio as pf
from widgets.analysis.spc import assurance_icon, variation_icon, xmr

WORKED = [20, 24, 20, 26, 22, 16, 18, 16, 31, 28, 34, 26, 30, 19, 18]  # mean 23.2, 8.76-37.64
BASE = [10, 12] * 7  # mean 11, limits 5.68 to 16.32
DAY0 = date(2026, 1, 5)
SINCE = datetime(2026, 3, 1, 12, tzinfo=UTC)
TODAY = date(2026, 4, 1)


def weekly(n: int) -> list[date]:
    return [DAY0 + timedelta(weeks=i) for i in range(n)]


def measure(values, better="higher", target=None, mid="m", name="Seen on time"):
    return pf.MeasureInput(id=mid, name=name, better=better, target=target,
                           dates=weekly(len(values)), values=list(values))


def proto(pid, measures=(), updated=SINCE + timedelta(days=3), unblocks=(), decision=None,
          area="Sepsis", cycles=1, act="adapt", helpers=3, threshold=3):
    return pf.PrototypeInput(id=pid, title=f"Test {pid}", area=area, measures=tuple(measures),
                             cycles=cycles, latest_act=act, helpers=helpers,
                             threshold=threshold, unblocks=tuple(unblocks),
                             last_updated=updated, decision=decision)


# -- icons: worked examples --------------------------------------------------------------------
def test_the_worked_example_is_common_cause_and_hit_or_miss():
    icons = pf.measure_icons(measure(WORKED, target=25))
    assert icons.variation == "common"
    assert icons.variation_words == "Common cause: no significant change."
    assert icons.assurance == "hit_or_miss"
    assert "sometimes" in icons.assurance_words
    assert icons.sentence.startswith("Common cause variation only")


def test_a_point_above_the_limits_when_higher_is_better_is_improvement_high():
    icons = pf.measure_icons(measure([*BASE, 30]))
    assert icons.variation == "improvement_high"
    assert "improvement" in icons.variation_words and "higher" in icons.variation_words


def test_a_point_above_the_limits_when_lower_is_better_is_concern_high():
    icons = pf.measure_icons(measure([*BASE, 30], better="lower"))
    assert icons.variation == "concern_high"
    assert icons.concern


def test_a_falling_trend_when_higher_is_better_is_concern_low():
    icons = pf.measure_icons(measure([*BASE, 11, 10, 9, 8, 7, 6, 5]))
    assert icons.variation == "concern_low"


def test_neither_direction_is_neutral():
    icons = pf.measure_icons(measure([*BASE, 30], better="neither", target=5))
    assert icons.variation == "neither_high"
    assert icons.assurance == "no_target"


def test_assurance_passes_and_fails_against_the_limits():
    # limits 5.68 to 16.32: a target of 5 is always met when higher is better, 20 never.
    assert pf.measure_icons(measure([*BASE, 11], target=5)).assurance == "pass"
    fails = pf.measure_icons(measure([*BASE, 11], target=20))
    assert fails.assurance == "fail" and fails.fails
    assert "cannot meet" in fails.assurance_words
    assert pf.measure_icons(measure([*BASE, 11], better="lower", target=20)).assurance == "pass"
    assert pf.measure_icons(measure([*BASE, 11], better="lower", target=5)).assurance == "fail"
    assert pf.measure_icons(measure([*BASE, 11])).assurance == "no_target"


def test_too_few_points_gives_no_icon_and_says_when_it_will():
    icons = pf.measure_icons(measure([1, 2, 3], target=2))
    assert (icons.variation, icons.assurance) == ("too_few", "too_few")
    assert "3 points so far" in icons.variation_words and "13" in icons.variation_words
    assert pf.measure_icons(measure([])).variation_words.startswith("No values yet")


def test_limits_recalculated_from_a_break_use_the_latest_segment():
    values = [*BASE, *[30, 32] * 7]
    m = pf.MeasureInput(id="m", name="x", better="higher", target=31, dates=weekly(28),
                        values=values, breaks=(14,))
    assert pf.measure_icons(m).assurance == "hit_or_miss"  # 31 within 25.68 to 36.32
    m2 = pf.MeasureInput(id="m", name="x", better="higher", target=31, dates=weekly(28),
                         values=values)
    one = pf.measure_icons(m2)  # one segment: a shift up, and 31 above its upper limit
    assert (one.variation, one.assurance) == ("improvement_high", "fail")


# -- the attention order: worked example -----------------------------------------------------
def test_the_attention_order_and_its_reasons():
    rows = pf.portfolio([
        proto("calm", [measure(WORKED, target=25)]),
        proto("stale", [measure(WORKED)], updated=SINCE - timedelta(days=1)),
        proto("overdue", unblocks=[pf.Unblock("A room for the huddle", "promised",
                                              date(2026, 3, 20))]),
        proto("failing", [measure([*BASE, 11], target=20)]),
        proto("stopped", [measure([*BASE, 30], better="lower")], decision="stop"),
        proto("concern", [measure([*BASE, 30], better="lower", name="Falls")]),
        proto("never", updated=None),
    ], since=SINCE, today=TODAY)
    assert [r.id for r in rows] == ["concern", "failing", "stale", "never", "overdue", "calm",
                                    "stopped"]
    first = rows[0]
    assert first.rank == 0 and first.reasons[0].code == "concern"
    assert first.reasons[0].words == "Special cause of concern on Falls (higher values)."
    assert first.placed.startswith("1st: needs the board's attention")
    assert rows[1].reasons[0].words.startswith("Seen on time cannot meet its target of 20")
    assert rows[2].reasons[0].words == "No update since the last sitting (1 Mar 2026)."
    assert rows[3].reasons[0].words == "No update yet."
    assert rows[4].reasons[0].words == ("Overdue: the leaders promised “A room for the huddle” "
                                        "by 20 Mar 2026.")
    assert rows[5].reasons == () and "nothing here needs" in rows[5].placed
    assert rows[6].stopped and rows[6].reasons[0].code == "stopped"
    assert "what it taught" in rows[6].reasons[0].words


def test_a_done_unblock_is_never_overdue_and_one_due_today_is_not_yet():
    rows = pf.portfolio([
        proto("a", unblocks=[pf.Unblock("x", "done", date(2026, 1, 1))]),
        proto("b", unblocks=[pf.Unblock("y", "promised", TODAY)]),
    ], since=SINCE, today=TODAY)
    assert all(r.reasons == () for r in rows)


def test_a_row_carries_every_reason_it_has():
    rows = pf.portfolio([proto("x", [measure([*BASE, 30], better="lower", target=20)],
                               updated=None,
                               unblocks=[pf.Unblock("z", "promised", date(2026, 1, 1))])],
                        since=SINCE, today=TODAY)
    assert [r.code for r in rows[0].reasons] == ["concern", "no_update", "overdue_unblock"]


def test_no_previous_sitting_means_no_update_reason():
    rows = pf.portfolio([proto("x", updated=None)], since=None, today=TODAY)
    assert rows[0].reasons == ()


def test_helpers_short_of_the_threshold_are_said_but_do_not_move_the_row():
    row = pf.portfolio([proto("x", helpers=1, threshold=3)], since=SINCE, today=TODAY)[0]
    assert row.helpers_words == "1 of the 3 helpers needed"
    assert pf.portfolio([proto("x", helpers=None)], since=SINCE,
                        today=TODAY)[0].helpers_words == "Not revealed yet"


# -- what changed ------------------------------------------------------------------------------
def test_what_changed_between_two_sittings():
    before = pf.portfolio([
        proto("a", [measure([*BASE, 11], target=5)], cycles=1, act="adapt", helpers=2),
        proto("b"), proto("gone")], since=SINCE, today=TODAY)
    after = pf.portfolio([
        proto("a", [measure([*BASE, 30], better="lower", target=5)], cycles=3, act="adopt",
              helpers=4),
        proto("b"), proto("new")], since=SINCE, today=TODAY)
    found = {c.id: c for c in pf.changes(before, after)}
    assert set(found) == {"a", "new", "gone"}
    a = found["a"].what
    assert "Seen on time: common cause → special cause of concern (higher values)." in a
    assert "2 new PDSA cycles (3 in all); latest: adapt → adopt." in a
    assert "Helpers: 2 → 4." in a
    assert any(w.startswith("Now needs the board's attention") for w in a)
    assert found["new"].what == ("New since the last sitting.",)
    assert found["gone"].what == ("No longer in the portfolio.",)
    assert pf.changes(after, after) == []


# -- properties --------------------------------------------------------------------------------
finite = st.floats(-1000, 1000, allow_nan=False).map(lambda v: round(v, 1))
series = st.lists(finite, min_size=0, max_size=30)
betters = st.sampled_from(["higher", "lower", "neither"])
targets = st.one_of(st.none(), finite)


@st.composite
def protos(draw, pid: str):
    ms = draw(st.lists(st.tuples(series, betters, targets), max_size=3))
    updated = draw(st.one_of(st.none(), st.integers(-10, 10).map(
        lambda d: SINCE + timedelta(days=d))))
    unblocks = draw(st.lists(st.tuples(st.sampled_from(["promised", "in hand", "done"]),
                                       st.one_of(st.none(), st.integers(-20, 20).map(
                                           lambda d: TODAY + timedelta(days=d)))),
                             max_size=2))
    return proto(pid, [measure(v, b, t, mid=f"m{i}") for i, (v, b, t) in enumerate(ms)],
                 updated=updated, unblocks=[pf.Unblock("u", s, d) for s, d in unblocks],
                 decision=draw(st.sampled_from([None, "keep", "change", "stop"])))


portfolios = st.integers(0, 8).flatmap(
    lambda n: st.tuples(*[protos(f"p{i}") for i in range(n)]))


@settings(max_examples=60, deadline=None)
@given(portfolios, st.booleans())
def test_the_order_is_total_stable_consistent_and_loses_nothing(given_rows, with_since):
    since = SINCE if with_since else None
    rows = pf.portfolio(list(given_rows), since=since, today=TODAY)
    assert sorted(r.id for r in rows) == sorted(p.id for p in given_rows)  # none lost, none added
    position = {p.id: i for i, p in enumerate(given_rows)}
    keys = [(r.rank, position[r.id]) for r in rows]
    assert keys == sorted(keys)  # by rank, ties in the order given (stable)
    assert len(set(keys)) == len(keys)  # a total order: no two rows tie
    for r in rows:
        codes = [x.code for x in r.reasons]
        assert codes == sorted(codes, key=pf.ATTENTION.index)
        if r.stopped:
            assert codes == ["stopped"]
        assert r.rank == (pf.ATTENTION.index(codes[0]) if codes else pf.ATTENTION.index("rest"))
        assert ("concern" in codes) == (not r.stopped and any(m.concern for m in r.measures))
        assert ("fails" in codes) == (not r.stopped and any(m.fails for m in r.measures))
        assert r.placed  # every row says why it is where it is
    # Shuffling the input changes nothing but the order among equal ranks.
    again = pf.portfolio(list(reversed(given_rows)), since=since, today=TODAY)
    assert sorted((r.rank, r.id) for r in again) == sorted((r.rank, r.id) for r in rows)


@settings(max_examples=150, deadline=None)
@given(series, betters, targets, st.sampled_from([6, 7]))
def test_icons_agree_with_the_spc_rules(values, better, target, rule):
    m = pf.MeasureInput(id="m", name="x", better=better, target=target,
                        dates=weekly(len(values)), values=values, rule=rule)
    icons = pf.measure_icons(m)
    if len(values) < 13:
        assert icons.variation == "too_few"
        assert icons.assurance == ("too_few" if target is not None and better != "neither"
                                   else "no_target")
        return
    r = xmr(values, better=better, shift_length=rule, trend_length=rule)
    family = {"common cause": "common", "special cause improvement": "improvement",
              "special cause concern": "concern", "special cause neither": "neither"}
    assert icons.variation.split("_")[0] == family[variation_icon(r)]
    assert icons.assurance == {"consistently passes": "pass", "consistently fails": "fail",
                               "hit or miss": "hit_or_miss", "none": "no_target"}[
        assurance_icon(r, target, better)]
    seg = r.segments[-1]
    if r.outside[-1]:  # a last point beyond the limits: the side is the icon's direction
        side = "high" if values[-1] > seg.mean else "low"
        assert icons.variation.endswith(side)
        if better != "neither":
            good = (side == "high") == (better == "higher")
            assert icons.variation == f"{'improvement' if good else 'concern'}_{side}"
    if not r.special[-1]:
        assert icons.variation == "common"
    assert np.isfinite(seg.mean)
