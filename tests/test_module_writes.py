"""Every change a screen makes goes through module logic, which owns the store keys and
checks the value: the functions the screens call, driven directly as a script (or a forged
widget message) could, with bad values refused in plain words and nothing kept."""

from __future__ import annotations

import pytest

from widgets import cede, focus, session
from widgets.server.demo import seed_demo
from widgets.session import View, Viewer, solo_session
from widgets.store import StoreError
from widgets.validation import FieldError

from .helpers import AREAS, fview, pview


@pytest.fixture
def store(sqlite_store):
    return sqlite_store


@pytest.fixture
def demo(store, facilitator_key):
    return View(store, seed_demo(store, facilitator_key),
                Viewer("facilitator", key=facilitator_key))


# -- steps: open, close, reveal, move the room ------------------------------------------------

def test_reveal_closes_an_open_round_first(live):
    v = fview(live)
    session.move_stage(v, focus.SCORE, "open")
    assert session.move_stage(v, focus.SCORE, "reveal").state == "revealed"
    assert v.stage(focus.SCORE).state == "revealed"


def test_a_step_or_action_not_offered_is_refused(live):
    v = fview(live)
    with pytest.raises(FieldError, match="not one of the choices"):
        session.move_stage(v, "no.such.step", "open")
    with pytest.raises(FieldError, match="not one of the choices"):
        session.move_stage(v, focus.SCORE, "delete")
    with pytest.raises(FieldError, match="not one of the choices"):
        session.move_room(v, "no.such.step")


def test_a_participant_cannot_move_a_step_or_the_room(live):
    with pytest.raises(StoreError):
        session.move_stage(pview(live, 0), focus.SCORE, "open")
    with pytest.raises(StoreError):
        session.move_room(pview(live, 0), focus.SCORE)
    assert fview(live).stage(focus.SCORE).state == "closed"


def test_the_room_moves_to_a_step(live):
    session.move_room(fview(live), focus.SCORE)
    assert live.store.session(live.session.id).current_stage == focus.SCORE


def test_a_leader_alone_opens_a_step_by_opening_its_page(store):
    s, person = solo_session(store)
    v = View(store, s, Viewer("solo", participant_id=person.id))
    session.start_alone(v, focus.SCORE)
    assert v.stage(focus.SCORE).state == "open"
    session.move_stage(v, focus.SCORE, "reveal")
    session.start_alone(v, focus.SCORE)  # a revealed step stays revealed
    assert v.stage(focus.SCORE).state == "revealed"


def test_only_a_leader_alone_opens_a_step_by_opening_its_page(live):
    with pytest.raises(StoreError):
        session.start_alone(pview(live, 0), focus.SCORE)
    assert fview(live).stage(focus.SCORE).state == "closed"


def test_a_session_title_is_checked_and_an_empty_one_named(store, facilitator_key):
    assert session.create_session(store, "  ", facilitator_key).title == "Workshop session"
    with pytest.raises(FieldError, match="200"):
        session.create_session(store, "x" * 201, facilitator_key)
    with pytest.raises(StoreError):
        session.create_session(store, "Board day", "not the key")


def test_hiding_a_name_needs_the_facilitator_key(live):
    pid = live.people[0][0].id
    with pytest.raises(StoreError):
        session.hide_name(live.store, pid, "not the key")
    session.hide_name(live.store, pid, live.key)
    assert live.store.participant(pid).hidden


# -- Focus: shortlist, capacity, final weights, the decision ----------------------------------

def test_the_shortlist_is_checked_against_the_data(live):
    v = fview(live)
    table = focus.care_data(v).table
    a, b = table.areas[:2]
    with pytest.raises(FieldError, match="not one of the choices"):
        focus.save_shortlist(v, [a, "<script>x</script>"])
    with pytest.raises(FieldError, match="at least two"):
        focus.save_shortlist(v, [a, a])
    with pytest.raises(FieldError, match="list of care areas"):
        focus.save_shortlist(v, a)
    assert focus.save_shortlist(v, [a, b, a]) is False
    assert focus.shortlist(v)[0] == [a, b]
    assert focus.save_shortlist(v, [b, a], base_version=0) is True  # someone saved since


def test_only_the_facilitator_keeps_a_shortlist(live):
    a, b = focus.care_data(fview(live)).table.areas[:2]
    with pytest.raises(StoreError):
        focus.save_shortlist(pview(live, 0), [a, b])


def test_capacity_and_final_weights_are_checked(live):
    v = fview(live)
    for mode, limit in (("teams", 3), ("programmes", 0), ("effort", 1.5), ("effort", True)):
        with pytest.raises(FieldError):
            focus.save_capacity(v, mode, limit)
    assert focus.save_capacity(v, "effort", 12) == {"mode": "effort", "limit": 12}
    assert focus.capacity(v) == {"mode": "effort", "limit": 12}
    with pytest.raises(FieldError, match="some weight"):
        focus.save_final_weights(v, {k: 0 for k in focus.WEIGHTED})
    with pytest.raises(FieldError, match="criteria of this step"):
        focus.save_final_weights(v, {"colour": 50})
    with pytest.raises(FieldError, match="from 0 to 100"):
        focus.save_final_weights(v, {focus.WEIGHTED[0]: 101})
    assert focus.save_final_weights(v, {focus.WEIGHTED[0]: 7})[focus.WEIGHTED[0]] == 7
    assert focus.save_final_weights(v, None) is None


def test_the_decision_needs_a_ranking_and_a_reason_to_depart_from_it(demo, live):
    with pytest.raises(FieldError, match="not ready"):
        focus.record_decision(fview(live), ["Sepsis"], "")
    r = focus.results(demo)
    ranked = [row.area for row in r.ranked()]
    with pytest.raises(FieldError, match="at least one"):
        focus.record_decision(demo, [], "")
    with pytest.raises(FieldError, match="not one of the choices"):
        focus.record_decision(demo, ["Nowhere"], "why not")
    with pytest.raises(FieldError, match="Write a short reason"):
        focus.record_decision(demo, ranked[-1:], "")
    top = ranked[: r.n]
    assert focus.record_decision(demo, list(reversed(top)), "") == top  # ranking order
    assert focus.decision(demo) == {"areas": top, "reason": "", "n": r.n}


# -- Cede: owners, guardrails, pushback plans, agreed levels -----------------------------------

def test_owner_and_guardrails_are_checked_before_either_is_saved(room):
    v = pview(room, 0)
    decision = cede.played(v, AREAS[0])[0]
    with pytest.raises(FieldError, match="not played"):
        cede.save_owner_and_guardrails(v, AREAS[0], "Not a decision", "Chief nurse")
    with pytest.raises(FieldError, match="date"):
        cede.save_owner_and_guardrails(v, AREAS[0], decision, "Chief nurse",
                                       {"review_date": "soon"})
    with pytest.raises(FieldError, match="Guardrails are"):
        cede.save_owner_and_guardrails(v, AREAS[0], decision, "Chief nurse", {"colour": "x"})
    assert cede.board(v)[0].owner == ""  # nothing was saved
    stale = cede.save_owner_and_guardrails(v, AREAS[0], decision, "Chief nurse",
                                           {"money": "£5,000", "review_date": "03/04/2031"})
    assert stale == {"owner": False, "guardrails": False}
    row = next(r for r in cede.board(v) if r.decision == decision)
    assert (row.owner, row.guardrails) == ("Chief nurse",
                                           {"money": "£5,000", "review_date": "2031-04-03"})
    again = cede.save_owner_and_guardrails(pview(room, 1), AREAS[0], decision, "COO",
                                           versions={})
    assert again == {"owner": True}  # someone else had saved since the screen showed it


def test_a_pushback_plan_is_checked(room):
    v = pview(room, 0)
    with pytest.raises(FieldError, match="not one of the choices"):
        cede.save_pushback(v, "Nowhere", {"who": "GPs"})
    with pytest.raises(FieldError, match="pushback plan says"):
        cede.save_pushback(v, AREAS[0], {"colour": "red"})
    with pytest.raises(FieldError, match="5,000"):
        cede.save_pushback(v, AREAS[0], {"who": "x" * 5001})
    assert cede.save_pushback(v, AREAS[0], {"who": "GPs"}) is False
    assert cede.pushback(v, AREAS[0]) == {"who": "GPs"}


def test_agreed_levels_by_decision(room):
    v = fview(room)
    decision = cede.played(v, AREAS[1])[0]
    assert cede.agreed_levels(v) == {}
    cede.record_agreed(v, AREAS[1], decision, 5)
    assert cede.agreed_levels(v) == {(AREAS[1], decision): 5}
