"""The Prototype service: canvases as shared work, commitment through the reveal filter, the
PDSA log and measure series. Runs against SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from widgets import prototype, tracking
from widgets.store import NotAllowed, StoreError
from widgets.validation import TableInvalid

from .helpers import fview, pview, versions_kept


def test_canvases_are_shared_work_with_per_field_versions(room):
    asha, ben = pview(room, 0), pview(room, 2)
    p = prototype.create(asha, "Sepsis", "Sepsis screening at triage")
    assert [x.label for x in prototype.prototypes(ben)] == [
        "Sepsis: Sepsis screening at triage"]
    seen = prototype.get(ben, p.id).versions
    # Asha edits the aim, Ben the prediction, from the same starting point: both land.
    assert prototype.save_fields(asha, p.id, {"aim": "Screen 90% by June"}, seen) == []
    assert prototype.save_fields(ben, p.id, {"prediction": "Screening rises"}, seen) == []
    now = prototype.get(asha, p.id)
    assert (now.values["aim"], now.values["prediction"]) == ("Screen 90% by June",
                                                              "Screening rises")
    # Both change the aim: the later wins, the stale one is told, the earlier is kept.
    assert prototype.save_fields(ben, p.id, {"aim": "Screen 95% by May"}, seen) == ["aim"]
    assert versions_kept(room.store, room.session.id, prototype.DESIGN,
                         prototype.key("canvas", p.id, "aim")) == ["Screen 90% by June",
                                                                   "Screen 95% by May"]
    with pytest.raises(KeyError):
        prototype.save_fields(asha, p.id, {"colour": "red"}, {})


def test_prototypes_follow_focus_order_and_can_be_set_aside(room):
    v = pview(room, 0)
    a = prototype.create(v, "Sepsis", "Screening")
    b = prototype.create(v, "Frailty and falls", "Rounding")
    assert [p.id for p in prototype.prototypes(v)] == [b.id, a.id]
    prototype.remove(v, a.id)
    assert [p.id for p in prototype.prototypes(v)] == [b.id]
    assert prototype.get(v, a.id).values["removed"] is True  # kept, and can come back
    prototype.remove(v, a.id, removed=False)
    assert len(prototype.prototypes(v)) == 2


def test_only_people_in_the_session_edit_canvases(room, store, facilitator_key):
    from widgets.session import View, Viewer, join

    other = store.create_session("Another board", facilitator_key)
    stranger, _ = join(store, other.code, "Zed")
    intruder = View(store, room.session, Viewer("participant", participant_id=stranger.id))
    with pytest.raises(NotAllowed):
        prototype.create(intruder, "Sepsis", "Sneaky")


def test_commitment_is_private_until_revealed_then_flags_low_energy(room):
    f = fview(room)
    a = prototype.create(pview(room, 0), "Sepsis", "Screening")
    b = prototype.create(pview(room, 0), "Frailty and falls", "Rounding")
    room.store.move_stage(room.session.id, prototype.COMMIT, "open", room.key)
    for i, answer in enumerate([prototype.HELP, prototype.HELP, prototype.HELP]):
        room.store.submit(room.session.id, room.people[i][0].id, prototype.COMMIT,
                          prototype.key("p", a.id), answer, f"a{i}")
    room.store.submit(room.session.id, room.people[0][0].id, prototype.COMMIT,
                      prototype.key("p", b.id), prototype.HELP, "b0")
    room.store.submit(room.session.id, room.people[1][0].id, prototype.COMMIT,
                      prototype.key("p", b.id), prototype.NOT_NOW, "b1")
    assert prototype.commitments(pview(room, 0)) is None
    assert prototype.commitments(f) is None  # not even the facilitator, before the reveal
    assert prototype.short_of_energy(f) == {}
    room.store.move_stage(room.session.id, prototype.COMMIT, "close", room.key)
    room.store.move_stage(room.session.id, prototype.COMMIT, "reveal", room.key)
    made = prototype.commitments(pview(room, 2))
    assert made[a.id].help == 3
    assert sorted(made[a.id].helpers) == ["Asha", "Chen"] and made[a.id].unnamed_helpers == 1
    assert made[b.id].counts == {prototype.HELP: 1, prototype.SUPPORT: 0,
                                 prototype.NOT_NOW: 1}
    assert prototype.short_of_energy(f) == {b.id: 1}
    prototype.set_threshold(f, 1)
    assert prototype.short_of_energy(f) == {}
    with pytest.raises(StoreError):
        prototype.set_threshold(pview(room, 0), 5)  # the facilitator's call
    with pytest.raises(ValueError):
        prototype.set_threshold(f, 0)


def test_the_pdsa_log_is_dated_append_only_and_ordered(room):
    v = pview(room, 0)
    p = prototype.create(v, "Sepsis", "Screening")
    assert tracking.status(v, p.id) == "not started"
    second, _ = tracking.save_cycle(v, p.id, {"date": "2025-03-10", "plan": "Two wards"})
    first, _ = tracking.save_cycle(v, p.id, {"date": "2025-03-03", "plan": "One nurse",
                                             "prediction": "Faster screens"})
    assert [c.id for c in tracking.cycles(v, p.id)] == [first, second]
    assert tracking.status(v, p.id) == "testing"
    one = tracking.cycles(v, p.id)[0]
    _, stale = tracking.save_cycle(v, p.id, {**one.value, "study": "Faster, as predicted",
                                             "act": "adapt"}, first, one.version)
    assert not stale
    assert [h.get("act") for h in versions_kept(room.store, room.session.id, tracking.TRACK,
                                                 prototype.key("cycle", p.id, first))] == [
        None, "adapt"]
    later = tracking.cycles(v, p.id)[-1]
    tracking.save_cycle(v, p.id, {**later.value, "act": "abandon"}, second, later.version)
    assert tracking.status(v, p.id) == "abandon"
    with pytest.raises(ValueError):
        tracking.save_cycle(v, p.id, {"date": "2025-03-17", "act": "ignore"})


def test_series_merge_replace_remove_and_settings(room):
    v, w = pview(room, 0), pview(room, 2)
    p = prototype.create(v, "Sepsis", "Screening")
    week = [date(2025, 3, d) for d in (3, 10, 17)]
    assert tracking.add_points(v, p.id, "m1", [(week[0], 5.0), (week[1], 6.0)]) == (2, [])
    # Someone else adds a different week meanwhile: both land.
    assert tracking.add_points(w, p.id, "m1", [(week[2], 7.0)]) == (1, [])
    added, replaced = tracking.add_points(v, p.id, "m1", [(week[1], 6.5)])
    assert (added, replaced) == (0, [(week[1], 6.0)])
    s = tracking.series(w, p.id, "m1")
    assert s.points == [(week[0], 5.0), (week[1], 6.5), (week[2], 7.0)]
    assert tracking.remove_point(v, p.id, "m1", week[0]) is True
    assert tracking.remove_point(v, p.id, "m1", week[0]) is False
    assert tracking.series(v, p.id, "m1").dates == week[1:]
    tracking.save_settings(v, p.id, "m1", 6, [week[2]])
    s = tracking.series(v, p.id, "m1")
    assert (s.rule, s.breaks, s.break_indices()) == (6, [week[2]], [1])
    with pytest.raises(ValueError):
        tracking.save_settings(v, p.id, "m1", 5, [])


def test_values_files_go_through_the_validation_module():
    good = b"date,value\n2025-03-03,5\n10/03/2025,6.5\n"
    assert tracking.read_values(good) == [(date(2025, 3, 3), 5.0), (date(2025, 3, 10), 6.5)]
    with pytest.raises(TableInvalid) as err:
        tracking.read_values(b"date,value\n2025-03-03,five\n03/04/25,1\n2025-03-03,2\n")
    text = [str(p) for p in err.value.problems]
    assert text[0].startswith("Row 2, column 'value': 'five' is not a number")
    assert text[1].startswith("Row 3, column 'date'")
    assert "already used on row 2" in text[2]


@pytest.mark.parametrize(("today", "by", "week"), [
    (date(2026, 12, 6), "30 Jun 2027", "7 to 13 December"),
    (date(2026, 12, 28), "30 Jun 2027", "4 to 10 January"),
    (date(2027, 8, 31), "29 Feb 2028", "6 to 12 September"),
    (date(2027, 1, 24), "31 Jul 2027", "25 to 31 January"),
    (date(2027, 1, 27), "31 Jul 2027", "1 to 7 February"),
    (date(2027, 3, 25), "30 Sep 2027", "29 March to 4 April"),
])
def test_canvas_examples_count_their_dates_from_today(today, by, week):
    assert prototype.hint("aim", today).endswith(f"a month by {by}")
    assert prototype.hint("smallest_test", today).endswith(f"nights of {week}")
    assert prototype.hint("need", today) == "e.g. Older patients at risk of falling"


def test_a_measure_holds_at_most_its_stated_number_of_finite_bounded_points(room):
    from widgets.validation import MEASURE_MAGNITUDE, MEASURE_POINTS, FieldError

    v = pview(room, 0)
    p = prototype.create(v, "Sepsis", "Screening")
    weeks = [date(2015, 1, 5) + timedelta(weeks=i) for i in range(MEASURE_POINTS + 1)]
    assert tracking.add_points(v, p.id, "m1", [(d, 1.0) for d in weeks[:-1]])[0] == \
        MEASURE_POINTS
    with pytest.raises(FieldError, match=f"at most {MEASURE_POINTS}"):
        tracking.add_points(v, p.id, "m1", [(weeks[-1], 2.0)])
    assert len(tracking.series(v, p.id, "m1").points) == MEASURE_POINTS  # nothing stored
    # Replacing a value already there is not growing the series.
    assert tracking.add_points(v, p.id, "m1", [(weeks[0], 3.0)]) == (0, [(weeks[0], 1.0)])
    for bad in (float("nan"), float("inf"), -float("inf"), MEASURE_MAGNITUDE * 10):
        with pytest.raises(FieldError, match="1,000,000,000,000"):
            tracking.add_points(v, p.id, "m2", [(weeks[0], bad)])
    assert tracking.series(v, p.id, "m2").points == []


def test_a_values_file_past_the_limit_is_refused_with_the_limit_named():
    from widgets.validation import MEASURE_POINTS

    rows = "".join(f"{date(1990, 1, 1) + timedelta(days=i)},{i}\n" for i in range(300_000))
    with pytest.raises(TableInvalid) as err:
        tracking.read_values(("date,value\n" + rows).encode(), "file “big.csv”")
    assert f"at most {MEASURE_POINTS}" in str(err.value) and "300,000 rows" in str(err.value)
    with pytest.raises(TableInvalid, match="1,000,000,000,000"):
        tracking.read_values(b"date,value\n2025-03-03,1e13\n")
