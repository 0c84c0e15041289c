"""Every value a page sends is checked where it is stored (module logic, through
``widgets.validation``), never only by a widget's traits: a script can send anything a
widget would not allow. And the analysis never hangs on a value that got in before."""

from __future__ import annotations

import math

import pytest

from widgets import focus, validation
from widgets.validation import FieldError

from .helpers import answers_kept, pview

CRITERIA = [c.key for c in focus.DATA_CRITERIA + focus.HUMAN_CRITERIA]


def split(**points) -> dict:
    return {c: points.get(c, 0) for c in CRITERIA}


@pytest.mark.parametrize("value", [1e400, -1e400, math.nan, 10 ** 400, 101, -1, 2.5, True,
                                   "5", None, [5]])
def test_check_number_refuses_what_no_box_allows(value):
    with pytest.raises(FieldError, match="from 0 to 100"):
        validation.check_number(value, 0, 100, "A weight")


def test_check_number_keeps_good_values():
    assert validation.check_number(100, 0, 100, "x") == 100
    assert validation.check_number(40.0, 0, 100, "x") == 40
    assert validation.check_number(2.5, 0, 5, "x", whole=False) == 2.5


def test_check_choice_needs_one_of_the_options():
    assert validation.check_choice(2, [0, 1, 2], "Answer") == 2
    for bad in (3, True, "2", None, 2.0):
        with pytest.raises(FieldError, match="not one of the choices"):
            validation.check_choice(bad, [0, 1, 2], "Answer")


BAD_SPLITS = [
    split(patients_per_year=100000, cost_per_year_gbp=-99900),
    split(patients_per_year=10 ** 400, cost_per_year_gbp=100 - 10 ** 400),
    split(patients_per_year=math.inf, cost_per_year_gbp=-math.inf),
    split(patients_per_year=math.nan, cost_per_year_gbp=100),
    split(patients_per_year=50.5, cost_per_year_gbp=49.5),
    split(patients_per_year=60),  # adds up to 60
    {**split(patients_per_year=100), "made_up": 0},
    "100",
]


@pytest.mark.parametrize("points", BAD_SPLITS)
def test_bad_weights_are_refused_and_nothing_is_stored(live, points):
    live.store.move_stage(live.session.id, focus.WEIGHTS, "open", live.key)
    me = pview(live, 0)
    with pytest.raises(FieldError, match="Nothing was saved"):
        focus.submit_weights(me, points)
    assert not live.store.latest_answers(live.session.id, focus.WEIGHTS, 1)


def test_good_weights_are_stored(live):
    live.store.move_stage(live.session.id, focus.WEIGHTS, "open", live.key)
    focus.submit_weights(pview(live, 0), split(patients_per_year=60, cost_per_year_gbp=40))
    [saved] = live.store.latest_answers(live.session.id, focus.WEIGHTS, 1)
    assert saved.value["patients_per_year"] == 60 and sum(saved.value.values()) == 100


def test_scores_must_be_on_the_scale_and_on_the_shortlist(live):
    live.store.move_stage(live.session.id, focus.SCORE, "open", live.key)
    me = pview(live, 0)
    area = focus.shortlist(me)[0][0]
    item = focus.item_key(area, "leads")
    for bad in (0, 6, 1e400, math.nan, 2.5, True, "3"):
        with pytest.raises(FieldError):
            focus.submit_score(me, item, bad)
    with pytest.raises(FieldError):
        focus.submit_score(me, focus.item_key("Not an area", "leads"), 3)
    with pytest.raises(FieldError):
        focus.submit_score(me, focus.item_key(area, "patients_per_year"), 3)  # a data criterion
    assert not live.store.latest_answers(live.session.id, focus.SCORE, 1)
    focus.submit_score(me, item, 4)
    focus.submit_score(me, item, None)  # "don't know"
    assert len(answers_kept(live.store, live.session.id, focus.SCORE)) == 2


@pytest.mark.parametrize("bad", [
    split(patients_per_year=10 ** 400, cost_per_year_gbp=100 - 10 ** 400),
    split(patients_per_year=math.inf, cost_per_year_gbp=-math.inf),
    split(patients_per_year=100000, cost_per_year_gbp=-99900),
])
def test_results_skip_a_split_that_got_in_before_instead_of_hanging(live, bad):
    """Weights stored before the checks (or by another path) never stop the ranking."""
    s, key = live.session.id, live.key
    me = pview(live, 0)
    area_items = [focus.item_key(a, c.key) for a in focus.shortlist(me)[0]
                  for c in focus.HUMAN_CRITERIA]
    live.store.move_stage(s, focus.SCORE, "open", key)
    live.store.move_stage(s, focus.WEIGHTS, "open", key)
    for i, (person, _) in enumerate(live.people):
        for item in area_items:
            live.store.submit(s, person.id, focus.SCORE, item, 1 + (i + len(item)) % 5,
                              f"s{i}{item}")
        points = bad if i == 0 else split(patients_per_year=50, leads=50)
        live.store.submit(s, person.id, focus.WEIGHTS, "points", points, f"w{i}")
    for stage in (focus.SCORE, focus.WEIGHTS):
        live.store.move_stage(s, stage, "close", key)
        live.store.move_stage(s, stage, "reveal", key)
    made = focus.results(pview(live, 1))
    assert made.ready, made.reason
    assert all(math.isfinite(x) for x in made.weights.values())
    assert made.weights["patients_per_year"] == pytest.approx(0.5)


def test_results_say_so_when_no_usable_weights_are_left(live):
    s, key = live.session.id, live.key
    live.store.move_stage(s, focus.SCORE, "open", key)
    live.store.move_stage(s, focus.WEIGHTS, "open", key)
    person = live.people[0][0]
    live.store.submit(s, person.id, focus.WEIGHTS, "points",
                      split(patients_per_year=math.inf, cost_per_year_gbp=-math.inf), "w")
    for stage in (focus.SCORE, focus.WEIGHTS):
        live.store.move_stage(s, stage, "close", key)
        live.store.move_stage(s, stage, "reveal", key)
    made = focus.results(pview(live, 1))
    assert not made.ready and not made.pending
    assert "weights" in made.reason


def test_readiness_ratings_are_checked_where_stored(live):
    from widgets import readiness
    from widgets.content import READINESS

    live.store.move_stage(live.session.id, readiness.STAGE, "open", live.key)
    me = pview(live, 0)
    for item, value in ((READINESS[0].id, 6), (READINESS[0].id, 1e400), (READINESS[0].id, True),
                        ("made-up statement", 3)):
        with pytest.raises(FieldError):
            readiness.submit_rating(me, item, value)
    assert not answers_kept(live.store, live.session.id, readiness.STAGE)
    readiness.submit_rating(me, READINESS[0].id, 5)
    readiness.submit_rating(me, READINESS[0].id, None)
    assert len(answers_kept(live.store, live.session.id, readiness.STAGE)) == 2


def test_poker_levels_are_checked_where_stored(room):
    from widgets import cede

    room.store.move_stage(room.session.id, cede.POKER, "open", room.key)
    me = pview(room, 0)
    area, decisions = next(iter(cede.played_by_area(me).items()))
    item = cede.key(area, decisions[0], "today")
    for bad in (0, 8, 1e400, math.nan, True, "3"):
        with pytest.raises(FieldError):
            cede.submit_level(me, item, bad)
    with pytest.raises(FieldError):
        cede.submit_level(me, cede.key(area, "Not played", "today"), 3)
    assert not answers_kept(room.store, room.session.id, cede.POKER)
    cede.submit_level(me, item, 7)
    assert answers_kept(room.store, room.session.id, cede.POKER)[0].value == 7


def test_commitment_answers_are_checked_where_stored(room):
    from widgets import prototype

    me = pview(room, 0)
    made = prototype.create(me, "Sepsis", "Screening")
    room.store.move_stage(room.session.id, prototype.COMMIT, "open", room.key)
    item = prototype.key("p", made.id)
    for bad in (3, -1, True, 1e400, "2"):
        with pytest.raises(FieldError):
            prototype.submit_commitment(me, item, bad)
    with pytest.raises(FieldError):
        prototype.submit_commitment(me, prototype.key("p", "nope"), prototype.HELP)
    assert not answers_kept(room.store, room.session.id, prototype.COMMIT)
    prototype.submit_commitment(me, item, prototype.HELP)
    assert answers_kept(room.store, room.session.id, prototype.COMMIT)[0].value == prototype.HELP
