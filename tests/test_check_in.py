"""The check-in's module logic, headless, on the demonstration session (seed_demo): starting
a sitting, the portfolio, what was not updated, the keep/change/stop round, the board's
decisions, the delegation review, focus held steady and the history."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from widgets import cede, check_in, prototype, tracking
from widgets.store import NotAllowed, StageClosed
from widgets.validation import FieldError

from .conftest import DemoCopy

HELD = date.today() + timedelta(days=1)


@pytest.fixture
def demo(demo_copy):
    return demo_copy


def protos(d: DemoCopy) -> list[prototype.Prototype]:
    return prototype.prototypes(d.fac())


def test_a_check_in_is_a_new_sitting_of_the_same_session(demo):
    fac = demo.fac()
    with pytest.raises(NotAllowed):
        check_in.start(demo.person(0), HELD)
    with pytest.raises(FieldError, match="date"):
        check_in.start(fac, "3-4-25")
    before = [p.id for p in protos(demo)]
    first = check_in.start(fac, HELD.strftime("%d/%m/%Y"))  # day-first, as typed
    assert (first.number, first.held_on, first.state) == (1, HELD, "open")
    assert check_in.current(fac) == first
    # Everything the workshop decided comes with it...
    assert [p.id for p in protos(demo)] == before
    assert len(cede.focus_areas(fac)) == 3 and cede.board(fac)
    # ...and a personal link made on the workshop day still works: its person votes.
    was = demo.store.session(demo.session.id).current_stage
    check_in.move_round(fac, first, check_in.KEEP, "open")
    assert demo.store.session(demo.session.id).current_stage == was  # the room stays put
    check_in.submit_keep(demo.person(2), first, before[0], "keep")
    assert check_in.my_keep(demo.person(2), first) == {before[0]: "keep"}


def test_the_portfolio_reads_the_demo_the_making_data_count_way(demo):
    fac = demo.fac()
    sitting = check_in.start(fac, HELD)
    rows = check_in.portfolio(fac, sitting)
    assert len(rows) == 3 and {r.id for r in rows} == {p.id for p in protos(demo)}
    for r in rows:
        icons = {m.id: m for m in r.measures}
        assert icons["out"].variation == "improvement_high"  # 13 weeks near 60, then near 72
        assert icons["out"].assurance in ("fail", "hit_or_miss")  # against a target of 80
        assert icons["pro"].variation == "too_few"  # no values yet
        assert icons["bal"].assurance == "no_target"
        assert r.cycles == 1 and r.latest_act in ("adopt", "adapt")
        assert r.threshold == 3 and r.helpers is not None
        assert r.unblocks[0].text == "Protected 15 minutes a day for the huddle"
        assert r.placed
    assert [r.rank for r in rows] == sorted(r.rank for r in rows)


def test_a_team_update_crossing_into_concern_puts_its_prototype_first(demo):
    fac = demo.fac()
    sitting = check_in.start(fac, HELD)
    target = protos(demo)[1]
    calm = next(r for r in check_in.portfolio(fac, sitting) if r.id == target.id)
    assert not any(x.code == "concern" for x in calm.reasons)
    # A team member adds this week's overtime by their personal link: far above its limits
    # on a measure where lower is better.
    tracking.add_points(demo.person(3), target.id, "bal", [(date.today(), 95.0)])
    rows = check_in.portfolio(fac, sitting)
    assert rows[0].id == target.id
    assert rows[0].reasons[0].code == "concern"
    assert "Staff overtime hours" in rows[0].reasons[0].words
    changed = {c.id: c for c in check_in.compare(fac, sitting)}
    assert any("special cause of concern" in w for w in changed[target.id].what)


def test_not_updated_since_the_last_sitting(demo):
    fac = demo.fac()
    first = check_in.start(fac, HELD)
    assert check_in.not_updated(fac, first) == []  # all updated after the workshop's last step
    check_in.close(fac, first)
    second = check_in.start(fac, HELD + timedelta(days=30))
    assert {r.id for r in check_in.not_updated(fac, second)} == {p.id for p in protos(demo)}
    one = protos(demo)[0]
    tracking.save_cycle(demo.person(1), one.id, {"date": date.today().isoformat(),
                                                 "plan": "Second team tries the huddle"})
    still = {r.id for r in check_in.not_updated(fac, second)}
    assert one.id not in still and len(still) == 2
    reasons = [x.words for r in check_in.portfolio(fac, second) if r.id in still
               for x in r.reasons]
    assert sum("No update since the last sitting" in w for w in reasons) == 2


def test_an_unblock_promise_past_its_date_is_overdue(demo):
    fac = demo.fac()
    sitting = check_in.start(fac, HELD)
    pid = protos(demo)[2].id
    with pytest.raises(FieldError):
        check_in.save_unblock(demo.person(0), pid, "forgotten")
    with pytest.raises(FieldError):
        check_in.save_unblock(demo.person(0), "nope", "promised")
    check_in.save_unblock(demo.person(0), pid, "in hand", HELD - timedelta(days=3))
    row = next(r for r in check_in.portfolio(fac, sitting) if r.id == pid)
    assert [x.code for x in row.reasons][-1] == "overdue_unblock"
    check_in.save_unblock(demo.person(0), pid, "done", HELD - timedelta(days=3))
    row = next(r for r in check_in.portfolio(fac, sitting) if r.id == pid)
    assert "overdue_unblock" not in [x.code for x in row.reasons]


def test_keep_change_or_stop_is_private_until_revealed(demo):
    fac = demo.fac()
    sitting = check_in.start(fac, HELD)
    pid = protos(demo)[0].id
    with pytest.raises(StageClosed):
        check_in.submit_keep(demo.person(0), sitting, pid, "keep")
    with pytest.raises(NotAllowed):
        check_in.move_round(demo.person(0), sitting, check_in.KEEP, "open")
    check_in.move_round(fac, sitting, check_in.KEEP, "open")
    for bad_pid, bad in ((pid, "pause"), ("not-a-prototype", "keep"), (pid, None)):
        with pytest.raises(FieldError):
            check_in.submit_keep(demo.person(0), sitting, bad_pid, bad)
    for i, answer in enumerate(["keep", "stop", "stop", "change"]):
        check_in.submit_keep(demo.person(i), sitting, pid, answer)
    check_in.submit_keep(demo.person(0), sitting, pid, "change")  # a change of mind: latest counts
    assert check_in.keep_votes(demo.person(1), sitting) is None
    assert check_in.keep_votes(fac, sitting) is None  # private to the facilitator too
    assert check_in.move_round(fac, sitting, check_in.KEEP, "reveal") == "revealed"
    tally = check_in.keep_votes(demo.person(1), sitting)[pid]
    assert tally.counts == {"keep": 0, "change": 2, "stop": 2} and tally.answers == 4
    # Ben Hughes (person 1) did not agree to be named: his stop is counted, not named.
    assert tally.names["stop"] == ["Chen Wei"]
    with pytest.raises(StageClosed):
        check_in.submit_keep(demo.person(4), sitting, pid, "keep")


def test_the_boards_decision_and_a_stop_kept_for_what_it_taught(demo):
    fac = demo.fac()
    sitting = check_in.start(fac, HELD)
    p = protos(demo)[0]
    with pytest.raises(NotAllowed):
        check_in.record_decision(demo.person(0), sitting, p.id, "keep", "Fine")
    with pytest.raises(FieldError, match="what we learned"):
        check_in.record_decision(fac, sitting, p.id, "stop", "Overtime rose")
    with pytest.raises(FieldError):
        check_in.record_decision(fac, sitting, "nope", "keep", "Fine")
    assert check_in.decisions(fac, sitting) == {}
    check_in.record_decision(fac, sitting, p.id, "stop", "Overtime rose",
                             "A huddle needs cover for the ward")
    rows = check_in.portfolio(fac, sitting)
    assert rows[-1].id == p.id and rows[-1].stopped
    assert "A huddle needs cover for the ward" in rows[-1].reasons[0].words
    [lesson] = check_in.learned(fac)
    assert (lesson.title, lesson.learned, lesson.sitting) == (
        p.title, "A huddle needs cover for the ward", 1)
    check_in.close(fac, sitting)
    later = check_in.start(fac, HELD + timedelta(days=30))
    assert next(r for r in check_in.portfolio(fac, later) if r.id == p.id).stopped
    with pytest.raises(NotAllowed, match="closed"):
        check_in.record_decision(fac, sitting, p.id, "keep", "Changed our minds")


def test_the_delegation_review_moves_a_decision_and_keeps_its_history(demo):
    fac = demo.fac()
    # The demo's guardrails come up for review 90 days after the workshop.
    assert check_in.due_for_review(fac, date.today()) == []
    held = date.today() + timedelta(days=91)
    due = check_in.due_for_review(fac, held)
    assert due and all(i.guardrails["money"] for i in due)
    sitting = check_in.start(fac, held)
    item = due[0]
    check_in.move_round(fac, sitting, check_in.REVIEW, "open")
    with pytest.raises(FieldError):
        check_in.submit_review(demo.person(0), sitting, item.area, "Not a decision", True,
                               "stay")
    with pytest.raises(FieldError):
        check_in.submit_review(demo.person(0), sitting, item.area, item.decision, True, "up")
    for i in range(3):
        check_in.submit_review(demo.person(i), sitting, item.area, item.decision, True,
                               "front")
    assert check_in.review_votes(fac, sitting) is None
    check_in.move_round(fac, sitting, check_in.REVIEW, "reveal")
    tally = check_in.review_votes(fac, sitting)[(item.area, item.decision)]
    assert tally.held.counts == {"yes": 3, "no": 0} and tally.move.counts["front"] == 3
    with pytest.raises(FieldError):
        check_in.record_level_change(fac, sitting, item.area, item.decision, 9, "x")
    with pytest.raises(FieldError, match="not on the Delegation Board"):
        check_in.record_level_change(fac, sitting, item.area, "Not a decision", 6, "x")
    with pytest.raises(NotAllowed):
        check_in.record_level_change(demo.person(0), sitting, item.area, item.decision, 6, "x")
    assert check_in.board_history(fac) == []
    change = check_in.record_level_change(fac, sitting, item.area, item.decision,
                                          item.level + 1, "The guardrails held all quarter",
                                          guardrails_held=True)
    assert (change.from_level, change.to_level, change.changed_on) == (
        item.level, item.level + 1, held)
    now = {(r.area, r.decision): r.agreed for r in cede.board(fac)}
    assert now[(item.area, item.decision)] == item.level + 1  # on the Delegation Board
    assert check_in.board_history(fac) == [change]
    assert "moved towards the front line" in check_in.describe_change(change)
    # Reviewed: it comes up again a quarter on (the default), not at every sitting from now.
    assert (item.area, item.decision) not in {
        (i.area, i.decision) for i in check_in.due_for_review(fac, held)}
    again = check_in.due_for_review(fac, held + timedelta(days=check_in.NEXT_REVIEW_DAYS))
    assert (item.area, item.decision) in {(i.area, i.decision) for i in again}
    guard = next(i for i in again if (i.area, i.decision) == (item.area, item.decision))
    assert guard.guardrails["money"] == item.guardrails["money"]  # the rest kept as it was


def test_the_board_sets_when_a_decision_is_next_reviewed(demo):
    fac = demo.fac()
    held = date.today() + timedelta(days=91)
    sitting = check_in.start(fac, held)
    item = check_in.due_for_review(fac, held)[0]
    for bad, said in ((held.isoformat(), "must come after this check-in"),
                      ("31/02/2027", "not a real date"), ("next spring", "not a date")):
        with pytest.raises(FieldError, match=said):
            check_in.record_level_change(fac, sitting, item.area, item.decision, item.level,
                                         "Kept", next_review=bad)
    assert check_in.board_history(fac) == []  # nothing half recorded
    assert check_in.due_for_review(fac, held)[0] == item
    later = held + timedelta(days=30)
    check_in.record_level_change(fac, sitting, item.area, item.decision, item.level, "Kept",
                                 next_review=later.strftime("%d/%m/%Y"))
    due = {(i.area, i.decision): i.review_date for i in check_in.due_for_review(fac, later)}
    assert due[(item.area, item.decision)] == later


def test_focus_held_steady_an_area_joins_only_as_another_gives_way(demo):
    fac = demo.fac()
    count = check_in.focus_count(fac)
    assert len(count.areas) == 3 and count.limit == 6 and count.over is None
    assert count.words == "3 of 6 focus areas the room has capacity for."
    new = check_in.candidates(fac)[0]
    old = count.areas[1]
    with pytest.raises(FieldError, match="gives way"):
        check_in.change_focus(fac, new, None, "The data changed")
    with pytest.raises(FieldError):
        check_in.change_focus(fac, new, "Not a focus area", "The data changed")
    with pytest.raises(FieldError):
        check_in.change_focus(fac, count.areas[0], old, "Already in focus")
    with pytest.raises(FieldError, match="reason"):
        check_in.change_focus(fac, new, old, "")
    with pytest.raises(NotAllowed):
        check_in.change_focus(demo.person(0), new, old, "The data changed")
    assert check_in.focus_count(fac).areas == count.areas  # nothing saved on a refusal
    areas = check_in.change_focus(fac, new, old, "Waiting times doubled")
    assert areas == [count.areas[0], new, count.areas[2]]
    assert cede.focus_areas(demo.fac()) == areas
    assert len(check_in.focus_count(fac).areas) == 3


def test_history_lists_each_sitting_and_compares_with_the_one_before(demo):
    fac = demo.fac()
    first = check_in.start(fac, HELD)
    p = protos(demo)[0]
    check_in.record_decision(fac, first, p.id, "keep", "On track")
    check_in.close(fac, first)
    second = check_in.start(fac, HELD + timedelta(days=30))
    assert check_in.compare(fac, second) == []  # nothing changed since the first closed
    tracking.save_cycle(demo.person(0), p.id, {"date": date.today().isoformat(),
                                               "plan": "Spread to a second team",
                                               "act": "adopt"})
    [change] = check_in.compare(fac, second)
    assert change.id == p.id and any("1 new PDSA cycle" in w for w in change.what)
    check_in.record_decision(fac, second, p.id, "change", "Spread needs a second ward")
    lines = [h.words for h in check_in.history(fac)]
    assert lines[0].startswith(f"Check-in 1, {HELD.day} ") and "(closed): 1 decision on" in \
        lines[0]
    assert "(open now): 1 decision on prototypes, 0 stopped" in lines[1]
    # A closed sitting's portfolio is the one the board saw when it closed.
    assert next(r for r in check_in.portfolio(fac, first) if r.id == p.id).cycles == 1
    assert next(r for r in check_in.portfolio(fac, second) if r.id == p.id).cycles == 2


def test_a_sitting_of_another_session_is_refused(demo):
    fac = demo.fac()
    other = demo.store.create_session("Another board", demo.key)
    theirs = demo.store.start_sitting(other.id, HELD, demo.key)
    with pytest.raises(NotAllowed, match="another session"):
        check_in.portfolio(fac, theirs)


def test_a_withdrawn_persons_check_in_votes_go_with_them(demo):
    from widgets import session as sessions

    fac = demo.fac()
    sitting = check_in.start(fac, HELD)
    pid = protos(demo)[0].id
    check_in.move_round(fac, sitting, check_in.KEEP, "open")
    check_in.submit_keep(demo.person(0), sitting, pid, "stop")
    check_in.submit_keep(demo.person(2), sitting, pid, "keep")
    plan = sessions.plan_withdrawal(demo.store, demo.session, demo.people[0].id)
    sessions.withdraw(demo.store, plan, demo.key)
    check_in.move_round(fac, sitting, check_in.KEEP, "reveal")
    assert check_in.keep_votes(fac, sitting)[pid].counts == {"keep": 1, "change": 0, "stop": 0}


def test_hostile_text_is_kept_as_typed_and_control_characters_refused(demo):
    fac = demo.fac()
    sitting = check_in.start(fac, HELD)
    pid = protos(demo)[0].id
    hostile = "<img src=x onerror=alert(1)> '; DROP TABLE sessions; -- \u202e 🙂"
    made = check_in.record_decision(fac, sitting, pid, "stop", hostile, hostile)
    assert (made.reason, made.learned) == (hostile.strip(), hostile.strip())
    with pytest.raises(FieldError, match="invisible control character"):
        check_in.record_decision(fac, sitting, pid, "keep", "Fine\x1b[31m")
    assert check_in.decisions(fac, sitting)[pid].decision == "stop"  # nothing lost
