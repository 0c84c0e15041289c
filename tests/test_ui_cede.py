"""The Cede module driven headless: set-up, Delegation Poker, agreed levels, the board."""

from __future__ import annotations

import re

import pytest

from widgets import cede
from widgets.charts.draw import svg
from widgets.session import View, Viewer
from widgets.store import StoreError
from widgets.ui.cede.board import DelegationBoard
from widgets.ui.cede.poker import PokerForm, PokerResults
from widgets.ui.cede.setup import CedeSetup

from .helpers import AREAS, find_button, fview, pview, sends_during

PATHWAY, TEST = "Change the care pathway within the evidence", "Start a small test of change"


@pytest.fixture
def store(sqlite_store):
    return sqlite_store


THREE = [*AREAS, "Heart failure"]
ROTAS, SPEND, STOP = "Rotas", "Spend within a budget", "Stop a test of change"


@pytest.fixture
def three(live):
    """A live session whose Focus decision chose three areas."""
    from widgets import focus

    live.store.save_shared(live.session.id, focus.DECIDE, "decision",
                           {"areas": THREE, "reason": "", "n": 3}, key=live.key)
    return live


def ticked(setup) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for (area, decision), box in setup.boxes.items():
        if box.value:
            out.setdefault(area, []).append(decision)
    return out


def test_saving_keeps_the_changes_in_every_focus_area(three):
    """Changes in three areas, one click: all three are saved, and the boxes stay as ticked."""
    wanted = {THREE[0]: [PATHWAY], THREE[1]: [TEST, ROTAS], THREE[2]: [STOP, SPEND]}
    setup = CedeSetup(fview(three), editable=True)
    assert cede.played(fview(three), THREE[2]) == [PATHWAY, TEST, STOP,
                                                   "Set the team's own measures"]
    for (area, decision), box in setup.boxes.items():
        box.value = decision in wanted[area]
    before = three.store.revision(three.session.id)
    find_button(setup.widget, "Save the decisions to play").click()
    assert "Saved the decisions to play" in setup.status.text
    order = [d["decision"] for d in cede.catalogue(fview(three))]
    expected = {a: sorted(ds, key=order.index) for a, ds in wanted.items()}
    assert cede.played_by_area(pview(three, 0)) == expected
    assert ticked(setup) == expected  # nothing ticked itself again
    assert three.store.revision(three.session.id) == before + 1  # one write for all areas
    again = CedeSetup(fview(three), editable=True)  # a reload of the console
    assert ticked(again) == expected


def test_a_refused_save_saves_nothing_and_says_so(three):
    setup = CedeSetup(fview(three), editable=True)
    was = cede.played_by_area(fview(three))
    for (area, decision), box in setup.boxes.items():
        box.value = (area, decision) in ((THREE[0], ROTAS), (THREE[1], SPEND))
    find_button(setup.widget, "Save the decisions to play").click()
    assert setup.status.text == ("Nothing was saved: tick at least one decision for "
                                 "Heart failure.")
    assert cede.played_by_area(fview(three)) == was
    assert ticked(setup) == {THREE[0]: [ROTAS], THREE[1]: [SPEND]}  # the ticks are kept


STALE = ("Nothing was saved: the focus areas changed since this page was drawn. Check the "
         "ticks below and save again.")


@pytest.mark.parametrize("changed", [[*THREE, "Stroke"], THREE[:2]],
                         ids=["an area added", "an area dropped"])
def test_focus_areas_changed_in_another_tab_are_said_plainly(three, changed):
    """Another tab records a new Focus decision before the set-up screen refreshes: the
    save says so (never "tick at least one decision for" an area not on screen), the boxes
    are redrawn for the areas now chosen, and the ticks made here are kept."""
    from widgets import focus

    setup = CedeSetup(fview(three), editable=True)
    was = cede.played_by_area(fview(three))
    for (_area, decision), box in setup.boxes.items():
        box.value = decision in (PATHWAY, ROTAS)
    three.store.save_shared(three.session.id, focus.DECIDE, "decision",
                            {"areas": changed, "reason": "", "n": len(changed)}, key=three.key)
    find_button(setup.widget, "Save the decisions to play").click()
    assert setup.status.text == STALE
    assert cede.played_by_area(fview(three)) == {a: was.get(a, cede.played(fview(three), a))
                                                 for a in changed}  # nothing saved
    assert {a for a, _ in setup.boxes} == set(changed)  # the boxes are the areas now chosen
    for area in THREE[:2]:
        assert ticked(setup)[area] == [PATHWAY, ROTAS]  # what was ticked here is kept
    find_button(setup.widget, "Save the decisions to play").click()
    assert "Saved the decisions to play" in setup.status.text


def test_module_logic_refuses_a_set_that_does_not_match_the_session(three):
    v = fview(three)
    with pytest.raises(cede.Refused, match="the focus areas changed"):
        cede.save_played(v, {THREE[0]: [PATHWAY], THREE[1]: [TEST]})
    with pytest.raises(cede.Refused, match=r"Nothing was saved.*Heart failure"):
        cede.save_played(v, {THREE[0]: [PATHWAY], THREE[1]: [TEST], THREE[2]: []})
    with pytest.raises(cede.Refused, match="“Fly to the moon” is not in the catalogue"):
        cede.save_played(v, {THREE[0]: [PATHWAY], THREE[1]: [TEST],
                             THREE[2]: ["Fly to the moon"]})
    with pytest.raises(cede.Refused, match="the focus areas changed"):
        cede.save_played(v, {a: [PATHWAY] for a in [*THREE, "Mars"]})
    with pytest.raises(StoreError):
        cede.save_played(pview(three, 0), {a: [PATHWAY] for a in THREE})
    assert cede.played(v, THREE[2])[0] == PATHWAY and len(cede.played(v, THREE[2])) == 4


def play_two(room):
    """Play the pathway and small-test decisions in both focus areas."""
    setup = CedeSetup(fview(room), editable=True)
    for (_area, decision), box in setup.boxes.items():
        box.value = decision in (PATHWAY, TEST)
    setup.save_played()
    assert "Saved the decisions to play" in setup.status.text
    return setup


def test_setup_defaults_to_four_and_the_facilitator_narrows_it(room):
    assert cede.played(pview(room, 0), AREAS[0])[:2] == [PATHWAY, TEST]
    assert len(cede.played(pview(room, 0), AREAS[0])) == 4
    setup = CedeSetup(fview(room), editable=True)
    for (area, decision), box in setup.boxes.items():
        box.value = area == AREAS[0] and decision in (PATHWAY, TEST)
    setup.save_played()
    assert "Nothing was saved: tick at least one decision for Sepsis" in setup.status.text
    assert len(cede.played(pview(room, 0), AREAS[0])) == 4
    play_two(room)
    assert cede.played(pview(room, 0), AREAS[0]) == [PATHWAY, TEST]
    seen = CedeSetup(pview(room, 1), editable=False)
    assert PATHWAY in seen.lists.children[0].value


def test_the_catalogue_can_be_added_to_renamed_and_pruned(room):
    setup = CedeSetup(fview(room), editable=True)
    setup.name.value, setup.meaning.value = "Open a new clinic", "Where and when"
    setup.add()
    assert any(d["decision"] == "Open a new clinic" for d in cede.catalogue(fview(room)))
    setup.name.value = "open a NEW clinic"
    setup.add()
    assert "already in the catalogue" in setup.status.text
    setup.pick.value, setup.name.value = PATHWAY, "start a small TEST of change"
    setup.rename()
    assert "already in the catalogue" in setup.status.text
    setup.pick.value, setup.name.value = PATHWAY, "Change the pathway"
    setup.rename()
    assert "Change the pathway" in cede.played(fview(room), AREAS[0])
    setup.pick.value = "Change the pathway"
    setup.remove()
    assert "Change the pathway" not in cede.played(fview(room), AREAS[0])
    setup.name.value = "x" * 201
    setup.add()
    assert "limit is 200" in setup.status.text


def fail_saving(store, item: str):
    """Make the database refuse to write one set-up item (a full disk, a dropped
    connection), as a person would meet it halfway through a change."""
    import sqlalchemy as sa

    def refuse(conn, cursor, statement, params, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO SHARED") and \
                isinstance(params, dict | tuple) and item in (
                    params.values() if isinstance(params, dict) else params):
            raise StoreError("The workshop database could not save this.")

    sa.event.listen(store.engine, "before_cursor_execute", refuse)
    return lambda: sa.event.remove(store.engine, "before_cursor_execute", refuse)


def test_a_rename_saves_the_name_and_the_played_lists_together_or_not_at_all(room):
    """A rename touches the catalogue and the played lists: one write, so a failure
    halfway can never leave the catalogue renamed under a "Nothing was saved"."""
    setup = CedeSetup(fview(room), editable=True)
    was_cat, was_played = cede.catalogue(fview(room)), cede.played_by_area(fview(room))
    undo = fail_saving(room.store, cede.PLAYED)
    try:
        setup.pick.value, setup.name.value = PATHWAY, "Change the pathway"
        setup.rename()
    finally:
        undo()
    assert setup.status.text.startswith("Nothing was saved")
    assert cede.catalogue(fview(room)) == was_cat  # not renamed behind the message
    assert cede.played_by_area(fview(room)) == was_played
    before = room.store.revision(room.session.id)
    setup.rename()
    assert "Renamed" in setup.status.text
    assert room.store.revision(room.session.id) == before + 1  # one write
    assert all("Change the pathway" in ds for ds in cede.played_by_area(fview(room)).values())


def test_a_decision_with_votes_or_board_entries_keeps_its_name(room):
    """Votes, agreed levels, owners and guardrails are stored under the decision's name: a
    rename would leave them behind, so it is refused, saying why."""
    room.store.move_stage(room.session.id, cede.POKER, "open", room.key)
    vote(room, [{(PATHWAY, "today"): 2}])
    setup = CedeSetup(fview(room), editable=True)
    setup.pick.value, setup.name.value = PATHWAY, "Change the pathway"
    setup.rename()
    assert setup.status.text == (
        f"Nothing was saved: “{PATHWAY}” already has votes or entries on the Delegation "
        "Board under this name, and a new name would leave them behind. Add a new decision "
        "instead if the wording must change.")
    assert any(d["decision"] == PATHWAY for d in cede.catalogue(fview(room)))
    room.store.save_shared(room.session.id, cede.BOARD, cede.key("owner", AREAS[1], TEST),
                           "Ward manager", key=room.key)
    with pytest.raises(cede.Refused, match=f"“{TEST}” already has votes or entries"):
        cede.rename_decision(fview(room), TEST, "Try a small change")
    assert cede.rename_decision(fview(room), STOP, "Stop a trial") == "Stop a trial"


def test_no_focus_decision_means_a_clear_note(live):
    assert "Record the Focus decision first" in CedeSetup(fview(live),
                                                          editable=True).lists.children[0].value


def vote(room, cards):
    """cards: one dict per participant, (decision, kind) -> level."""
    for i, chosen in enumerate(cards):
        form = PokerForm(pview(room, i))
        for (decision, kind), level in chosen.items():
            form.buttons[cede.key(AREAS[0], decision, kind)].value = level
        assert "Saved" in form.status.text


def test_poker_round_reveal_second_round_and_agreed_levels(room):
    store, sid, k = room.store, room.session.id, room.key
    play_two(room)
    store.move_stage(sid, cede.POKER, "open", k)
    form = PokerForm(pview(room, 0))
    assert "1 Tell" in [o[0] for o in form.buttons[cede.key(AREAS[0], PATHWAY, "today")].options]
    vote(room, [{(PATHWAY, "today"): 1, (PATHWAY, "proposed"): 5, (TEST, "today"): 2,
                 (TEST, "proposed"): 6},
                {(PATHWAY, "today"): 2, (PATHWAY, "proposed"): 7, (TEST, "today"): 2,
                 (TEST, "proposed"): 6},
                {(PATHWAY, "today"): 2, (PATHWAY, "proposed"): 5, (TEST, "today"): 3,
                 (TEST, "proposed"): 6}])
    results = PokerResults(pview(room, 1), editable=False)
    assert "appear here once the facilitator reveals" in results.body.children[0].value
    store.move_stage(sid, cede.POKER, "close", k)
    store.move_stage(sid, cede.POKER, "reveal", k)
    results.refresh()
    text = " ".join(c.value for c in results.body.children if hasattr(c, "value")
                    and isinstance(c.value, str))
    # Ben (participant 1) did not agree to be named: his 7 is "someone".
    assert "highest 7 Delegate (someone)" in text
    assert "lowest 1 Tell (Asha)" in text
    assert "median 2 (Sell)" in text
    assert 'role="img"' in text
    # Ben's unnamed card beside a named one is counted, not dropped.
    assert "lowest 1 Tell (Asha), highest 2 Sell (Chen and 1 other)" in text
    assert "lowest 2 Sell (Asha and 1 other), highest 3 Consult (Chen)" in text
    store.hide_participant_name(room.people[2][0].id, k)  # the facilitator hides Chen's name
    results.refresh()
    text = " ".join(c.value for c in results.body.children if hasattr(c, "value")
                    and isinstance(c.value, str))
    assert "Chen" not in text
    assert "highest 2 Sell (2 people)" in text and "highest 3 Consult (someone)" in text
    store.hide_participant_name(room.people[2][0].id, k, hidden=False)

    fac = PokerResults(fview(room), editable=True)
    fac.agree[(AREAS[0], PATHWAY)].value = 5
    fac.agree[(AREAS[0], TEST)].value = 4
    assert "Recorded 4 Agree" in fac.status.text
    board = DelegationBoard(pview(room, 2))
    # Today's medians are 2 and 2; agreed 5 and 4: gaps of 3 and 2.
    assert "2 of 2 decisions move towards the front line, by 2.5 levels on average." in \
        board.summary.value

    # A second round is one click; it starts blank and round 1 stays on show.
    store.move_stage(sid, cede.POKER, "new_round", k)
    form = PokerForm(pview(room, 0))
    assert form.buttons[cede.key(AREAS[0], PATHWAY, "today")].value is None
    results.refresh()
    assert "Round 1" in results.body.children[0].value


def test_an_agreed_level_is_checked_where_it_is_stored(room):
    """A forged widget message cannot record level 99, or a level for a decision not played:
    either would break the board for everyone."""
    play_two(room)
    room.store.move_stage(room.session.id, cede.POKER, "open", room.key)
    room.store.move_stage(room.session.id, cede.POKER, "close", room.key)
    room.store.move_stage(room.session.id, cede.POKER, "reveal", room.key)
    fac = PokerResults(fview(room), editable=True)
    fac._on_agree(AREAS[0], PATHWAY)({"new": 99})
    assert fac.status.text == "Nothing was recorded: the level must be a whole number from 1 to 7."
    fac._on_agree(AREAS[0], "Rotas")({"new": 3})
    assert "“Rotas” is not played in Frailty and falls" in fac.status.text
    assert cede.shared_board(fview(room)) == {}
    with pytest.raises(StoreError):
        cede.record_agreed(pview(room, 0), AREAS[0], PATHWAY, 3)
    fac.agree[(AREAS[0], PATHWAY)].value = 5
    assert cede.board(pview(room, 1))[0].agreed == 5
    DelegationBoard(pview(room, 1))  # draws


def test_the_board_says_nothing_is_due_before_any_level_is_agreed(room):
    play_two(room)
    board = DelegationBoard(pview(room, 0))
    assert ("No decision has an agreed level yet, so owners and guardrails are not due."
            in board.summary.value)
    assert "100%" not in board.summary.value


def test_the_poker_chart_counts_whole_people(room):
    from widgets.charts.specs import build
    from widgets.ui.cede.poker import distribution_chart

    chart = distribution_chart({("today", 2): 1, ("proposed", 5): 1}, "One card each.")
    labels = re.findall(r">(\d+(?:\.\d+)?)</text>", svg(chart))
    assert labels == ["0", "1"], labels  # no half people, no tick labelled twice
    axis = build(*chart)["encoding"]["y"]["axis"]
    assert axis["values"] == [0, 1] and axis["format"] == "d"
    many = distribution_chart({("today", 2): 13}, "")
    assert build(*many)["encoding"]["y"]["axis"]["values"] == [0, 3, 6, 9, 12, 15]


def test_delegated_decisions_warn_until_owner_and_guardrails_are_set(room):
    store, sid, k = room.store, room.session.id, room.key
    play_two(room)
    store.save_shared(sid, cede.BOARD, cede.key("agreed", AREAS[0], PATHWAY), 6, key=k)
    store.save_shared(sid, cede.BOARD, cede.key("agreed", AREAS[0], TEST), 3, key=k)
    board = DelegationBoard(pview(room, 0))
    assert "Not safe to delegate yet" in board.summary.value
    # Due: an owner for each agreed decision, and four guardrails for the one at Inquire.
    assert ("Owners and guardrails in place: 0 of 6 needed so far. 2 decisions have no "
            "agreed level yet, so their owners and guardrails are not due.") in \
        board.summary.value
    assert "money limit" in board.summary.value and "an accountable owner" in board.summary.value
    boxes = board.fields[(AREAS[0], PATHWAY)]
    assert set(boxes) == {"owner", "money", "risk_scope", "report", "review_date"}
    assert set(board.fields[(AREAS[0], TEST)]) == {"owner"}  # Consult: no guardrails needed
    boxes["owner"].value = "Frailty lead nurse"
    boxes["money"].value = "Up to £5,000 a quarter"
    boxes["risk_scope"].value = "Within NICE guidance; no new drugs"
    boxes["report"].value = "Monthly to the quality committee"
    boxes["review_date"].value = "31/02/2026"
    board.save(AREAS[0], PATHWAY)
    assert "not a real date" in board.status.text
    boxes["review_date"].value = "30/09/2026"
    board.save(AREAS[0], PATHWAY)
    guard = cede.shared_board(pview(room, 0))[cede.key("guardrails", AREAS[0], PATHWAY)]
    assert guard["review_date"] == "2026-09-30"
    text = board.summary.value
    assert PATHWAY not in text.split("Not safe to delegate yet")[-1].split("</ul>")[0]
    # The other decision still needs its owner.
    assert "Start a small test of change needs an accountable owner" in text
    board.fields[(AREAS[0], TEST)]["owner"].value = '<img src=x onerror="alert(1)"> manager'
    board.save(AREAS[0], TEST)
    assert "Not safe to delegate yet" not in board.summary.value
    assert "Owners and guardrails in place: 6 of 6 needed so far." in board.summary.value
    assert "100%" not in board.summary.value  # the Sepsis decisions have no level or owner
    for area in AREAS[1:]:
        for decision, level in ((PATHWAY, 2), (TEST, 2)):
            store.save_shared(sid, cede.BOARD, cede.key("agreed", area, decision), level,
                              key=k)
    board.refresh()
    assert "Owners and guardrails in place: 6 of 8 needed (75%)." in board.summary.value
    for decision in (PATHWAY, TEST):
        board.fields[(AREAS[1], decision)]["owner"].value = "Sepsis lead"
        board.save(AREAS[1], decision)
    assert "Owners and guardrails in place: 8 of 8 needed (100%)." in board.summary.value
    assert "<img" not in board.summary.value and "&lt;img" in board.summary.value


def test_unsaved_text_survives_someone_elses_save(room):
    play_two(room)
    mine = DelegationBoard(pview(room, 0))
    theirs = DelegationBoard(pview(room, 1))
    mine.plans[AREAS[1]]["who"].value = "Consultant body"  # typed, not saved
    theirs.fields[(AREAS[0], PATHWAY)]["owner"].value = "Clinical director"
    theirs.save(AREAS[0], PATHWAY)
    mine.refresh()
    assert mine.plans[AREAS[1]]["who"].value == "Consultant body"
    assert mine.fields[(AREAS[0], PATHWAY)]["owner"].value == "Clinical director"


def test_pushback_plans_keep_the_limit_and_escape_text(room):
    board = DelegationBoard(pview(room, 0))
    plan = board.plans[AREAS[0]]
    plan["who"].value = "x" * 5001
    board.save_plan(AREAS[0])
    assert "limit is 5,000" in board.status.text
    plan["who"].value = "<script>alert(1)</script> the medical director"
    plan["backing"].value = "The chief executive will attend the first meeting"
    board.save_plan(AREAS[0])
    assert "Saved the pushback plan" in board.status.text
    assert cede.pushback(pview(room, 2), AREAS[0])["who"].startswith("<script>")


def test_idle_cede_screens_send_nothing(room):
    from widgets.ui.cede.page import RoomCede, console_parts, participant_parts

    room.store.set_current_stage(room.session.id, cede.BOARD, room.key)
    parts = [*participant_parts(pview(room, 0), solo=False), *console_parts(fview(room)),
             RoomCede(View(room.store, room.store.session(room.session.id), Viewer("room")))]
    for p in parts:
        p.refresh()
    assert sends_during(lambda: [p.refresh() for _ in range(3) for p in parts]) == []


def test_the_room_screen_builds_the_cede_view_only_once_the_room_reaches_it(room):
    from widgets.ui.shell.room import RoomScreen

    screen = RoomScreen(room.store, room.session)
    assert screen.cede.part is None and screen.cede.widget.children == ()
    room.store.set_current_stage(room.session.id, cede.POKER, room.key)
    screen.refresh()
    assert screen.cede.part is not None
    assert screen.cede.widget.children == (screen.cede.part.widget,)
    assert "What the cards say" in screen.cede.part.results.widget.children[0].value
    room.store.set_current_stage(room.session.id, "readiness", room.key)
    screen.refresh()
    assert screen.cede.part.widget.children == ()  # built once, hidden when the room moves on


def test_the_review_date_example_is_never_in_the_past(monkeypatch):
    """A placeholder review date already past would tell a board to review in the past.
    The board's own example reads the kit's clock, here set to one fixed day years on (a
    date written into the kit would be past then; two readings of the real clock would
    disagree across midnight)."""
    from datetime import date

    from widgets import validation
    from widgets.ui.cede.board import review_example

    class Clock(date):
        @classmethod
        def today(cls):
            return date(2031, 6, 15)

    assert review_example(date(2026, 12, 6)) == "e.g. 2027-03-07"
    monkeypatch.setattr(validation, "date", Clock)
    assert review_example() == "e.g. 2031-09-14"  # three months on from that day
