"""Components built and driven headless, against a real SQLite store."""

from __future__ import annotations

import pytest

from widgets.charts.draw import for_the_room
from widgets.content import READINESS
from widgets.html.readiness import results_html
from widgets.session import View, Viewer, join, opening_session, solo_session
from widgets.ui.common import fit_tables
from widgets.ui.poll import Poller
from widgets.ui.readiness.form import ReadinessForm
from widgets.ui.readiness.results import ReadinessResults
from widgets.ui.sharing import is_shown
from widgets.ui.shell.console import CHOOSE, Console
from widgets.ui.shell.room import RoomScreen
from widgets.ui.shell.start import StartPage
from widgets.validation import show_time

from .helpers import answers_kept, fview, sends_during

HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>\u202egnp.exe 🎉'


@pytest.fixture
def store(sqlite_store):
    return sqlite_store


def participant_view(live, i=0):
    person = live.people[i][0]
    return View(live.store, live.session, Viewer("participant", participant_id=person.id))


def test_start_page_joins_and_offers_the_personal_link(live):
    page = StartPage(live.store, code=live.session.code.lower())
    page.name.value = "Dee"
    page.join_btn.click()
    assert page.token and page.view is not None
    assert "bookmark this page" in page.after.value
    assert f"p={page.token}" in page.after.value
    # Where the room is: at the top of the page, kept in view as it scrolls (issue 17).
    assert "not opened the first step yet" in page.here.value
    live.store.move_stage(live.session.id, "readiness", "open", live.key)
    page.refresh()
    assert "Go to Board readiness check" in page.here.value
    assert f"00_readiness.ipynb?p={page.token}" in page.here.value


def test_after_joining_the_form_is_removed_and_a_second_click_adds_nobody(live):
    page = StartPage(live.store, code=live.session.code)
    page.name.value = "Dee"
    page.join_btn.click()
    page.join_btn.click()  # a double tap, or a click the browser sent late
    assert len(live.store.participants(live.session.id)) == 4
    assert page.form not in page.widget.children  # removed, not hidden
    assert page.address in page.widget.children
    assert page.address.url == f"00_start.ipynb?p={page.token}"  # the address bar's link
    resumed = StartPage(live.store, token=page.token)
    assert resumed.form not in resumed.widget.children and resumed.address is None


def test_start_page_bad_input_shows_a_message_and_keeps_the_form(live):
    page = StartPage(live.store)
    page.code.value = "nope"
    page.name.value = "Dee"
    page.join_btn.click()
    assert "not a session code" in page.status.text
    assert is_shown(page.form)
    page.code.value = live.session.code
    page.name.value = "y" * 81
    page.join_btn.click()
    assert "limit is 80" in page.status.text
    assert len(live.store.participants(live.session.id)) == 3  # nothing added


def test_start_page_resumes_from_a_personal_link(live):
    token = live.people[0][1]
    page = StartPage(live.store, token=token)
    assert "Welcome, <strong>Asha</strong>" in page.after.value
    bad = StartPage(live.store, token="forged")
    assert "not recognised" in bad.status.text


def test_a_removed_person_is_told_to_reload_and_a_reload_shows_the_join_form(live):
    """The join form is gone once someone joins, so "join again with the code" pointed at
    nothing: the page says to reload, and the reload (their old link) shows the form."""
    person, token = join(live.store, live.session.code, "Asha", named_ok=True)
    page = StartPage(live.store, token=token)
    assert page.form not in page.widget.children
    live.store.withdraw_participant(person.id, live.key, session_id=live.session.id)
    page.refresh()
    assert page.status.text == ("This place in the session was removed by the facilitator. "
                                "If that was a mistake, reload this page to join again.")
    again = StartPage(live.store, token=token)  # the reload: the address is their old link
    assert again.form in again.widget.children and not again.join_btn.disabled
    assert "Join again below with the code from the room screen" in again.status.text
    again.code.value, again.name.value = live.session.code, "Asha"
    again.join_btn.click()
    assert "Welcome, <strong>Asha</strong>" in again.after.value


def test_hostile_names_are_escaped_everywhere(live):
    _, token = join(live.store, live.session.code, HOSTILE, named_ok=True)
    start = StartPage(live.store, token=token)
    console = Console(live.store, live.key)
    for markup in (start.after.value, *(w.value for row in console.people.children
                                        for w in row.children if hasattr(w, "value")
                                        and isinstance(w.value, str))):
        assert "<img" not in markup and "<script" not in markup
    assert any("&lt;img" in w.value for row in console.people.children for w in row.children
               if isinstance(getattr(w, "value", None), str))


def test_readiness_form_saves_each_click_and_keeps_the_latest(live):
    live.store.move_stage(live.session.id, "readiness", "open", live.key)
    form = ReadinessForm(participant_view(live))
    first = READINESS[0].id
    form.buttons[first].value = 2
    assert "Saved" in form.status.text
    form.buttons[first].value = 4
    form.buttons[READINESS[1].id].value = "dk"
    mine = participant_view(live).my_answers("readiness")
    assert mine == {first: 4, READINESS[1].id: None}
    assert len(answers_kept(live.store, live.session.id)) == 3
    # A reload (a new component on the same person) shows the saved answers.
    again = ReadinessForm(participant_view(live))
    assert again.buttons[first].value == 4
    assert again.buttons[READINESS[1].id].value == "dk"


def test_readiness_form_is_disabled_when_closed_and_refuses_late_answers(live):
    view = participant_view(live)
    form = ReadinessForm(view)
    assert all(tb.disabled for tb in form.buttons.values())
    live.store.move_stage(live.session.id, "readiness", "open", live.key)
    form.refresh()
    assert not any(tb.disabled for tb in form.buttons.values())
    live.store.move_stage(live.session.id, "readiness", "close", live.key)
    # The page has not refreshed yet and the person clicks: refused, and the button reverts.
    form.buttons[READINESS[0].id].value = 5
    assert "not open" in form.status.text
    assert form.buttons[READINESS[0].id].value is None
    assert live.store.count_submissions(live.session.id) == 0


def _answer_all(live, values):
    live.store.move_stage(live.session.id, "readiness", "open", live.key)
    for i, v in enumerate(values):
        form = ReadinessForm(participant_view(live, i))
        for q in READINESS:
            form.buttons[q.id].value = v


def test_results_appear_only_after_reveal_with_sentence_table_and_prompts(live):
    _answer_all(live, [1, 3, 5])
    results = ReadinessResults(participant_view(live))
    room = RoomScreen(live.store, live.session)
    assert results.widget.value == "" and room.results.widget.value == ""
    live.store.move_stage(live.session.id, "readiness", "close", live.key)
    results.refresh()
    assert results.widget.value == ""
    live.store.move_stage(live.session.id, "readiness", "reveal", live.key)
    results.refresh()
    room.refresh()
    html = results.widget.value
    assert "<svg" in html and 'role="img"' in html and "Across 3 people" in html
    assert "<th scope='col'>Median</th>" in html
    assert "Talk about these first" in html
    # The room shows the same results, its chart drawn for the projector (larger type).
    room_html = room.results.widget.value
    assert room_html != html and "Across 3 people" in room_html
    assert "<th scope='col'>Median</th>" in room_html and "Talk about these first" in room_html
    with for_the_room():
        assert fit_tables(results_html(room.view)) == room_html


def test_console_reveal_asks_for_confirmation_and_warns_under_three(live):
    console = Console(live.store, live.key)
    ctl = console._controls[0]
    ctl.open_btn.click()
    ReadinessForm(participant_view(live)).buttons[READINESS[0].id].value = 3
    console.refresh()
    assert "1 of 3 answered: Asha" in ctl.summary.value
    assert "3" not in ctl.summary.value.split("answered:")[1]  # names only, never answers
    ctl.close_btn.click()
    ctl.reveal_btn.click()
    assert is_shown(ctl.confirm)
    assert "fewer than 3 answers" in ctl.confirm_text.value
    assert live.store.stage(live.session.id, "readiness").state == "closed"
    ctl.confirm_no.click()
    assert live.store.stage(live.session.id, "readiness").state == "closed"
    ctl.reveal_btn.click()
    ctl.confirm_yes.click()
    assert live.store.stage(live.session.id, "readiness").state == "revealed"
    console.refresh()
    assert "Across 1 person" in console._results[0].built["readiness"][0].widget.value
    ctl.round_btn.click()
    assert live.store.stage(live.session.id, "readiness").round == 2


def test_console_creates_sessions_and_refuses_overlong_titles(live):
    console = Console(live.store, live.key)
    console.new_title.value = "t" * 201
    console.create_btn.click()
    assert "limit is 200" in console.status.text
    console.new_title.value = "March board"
    console.create_btn.click()
    assert console.view.session.title == "March board"
    assert len(console.sessions.options) == 2


def test_console_hides_an_offensive_name(live):
    console = Console(live.store, live.key)
    row = console.people.children[0]
    row.children[1].click()
    assert "(name hidden)" in console.people.children[0].children[0].value
    assert live.store.participant(live.people[0][0].id).hidden


def test_console_removes_a_duplicate_after_asking(live):
    twin, twin_token = join(live.store, live.session.code, "Asha", named_ok=True)
    live.store.move_stage(live.session.id, "readiness", "open", live.key)
    live.store.submit(live.session.id, twin.id, "readiness", "mission", 4, "twin")
    console = Console(live.store, live.key)
    assert "4 joined" in console.banner.value
    rows = console.people.children
    assert [r.children[0].value.count("Asha") for r in rows] == [1, 0, 0, 1]
    assert all("cd-person" in r._dom_classes for r in rows)
    rows[3].children[-1].click()  # Remove… on the second Asha
    assert is_shown(console.removal)
    assert ("This removes the 1 answer, name and personal link of “Asha” (joined "
            f"{show_time(twin.joined_at)})") in console.remove_text.value
    assert console.remove_yes.button_style == "danger"
    console.remove_no.click()
    assert not is_shown(console.removal) and len(live.store.participants(live.session.id)) == 4
    rows[3].children[-1].click()
    console.remove_yes.click()
    assert [p.id for p in live.store.participants(live.session.id)] == [
        p.id for p, _ in live.people]
    assert live.store.count_submissions(live.session.id) == 0
    assert "3 joined" in console.banner.value
    assert "Removed the 1 answer, name and personal link of “Asha”" in console.status.text
    assert len(console.people.children) == 3
    assert "0 of 3 answered" in console._controls[0].summary.value
    assert StartPage(live.store, token=twin_token).status.text.startswith(
        "That personal link is not recognised")


def test_removing_a_hidden_duplicate_names_which_one_by_name_and_time(live, local_time):
    """Two Ashas, the second's name hidden: the facilitator's question still says which
    (her name and when she joined), and every time on the console is the one local form."""
    twin, _ = join(live.store, live.session.code, "Asha", named_ok=True)
    live.store.hide_participant_name(twin.id, live.key)
    console = Console(live.store, live.key)
    when = show_time(twin.joined_at)
    assert f"joined {when}" in console.people.children[3].children[0].value
    assert {v: k for k, v in console.sessions.options}[live.session.id] == (
        f"{live.session.code} · Test board · {show_time(live.session.created_at)}")
    assert f"created {show_time(live.session.created_at)}" in console.banner.value
    console.people.children[3].children[-1].click()  # Remove…
    assert f"of “Asha” (joined {when}) in session" in console.remove_text.value
    assert "hidden" not in console.remove_text.value


def test_console_never_guesses_among_several_sessions(live):
    older = live.session
    newer = live.store.create_session("Demonstration", live.key)
    assert opening_session([newer, older], None) is None
    assert opening_session([newer, older], older.code.lower()) == older
    assert opening_session([older], None) == older
    assert opening_session([newer, older], "QQQQQQ") is None

    console = Console(live.store, live.key)
    assert console.view is None and console.sessions.value == CHOOSE
    assert "Which session are you running?" in console.banner.value
    assert "There are 2 sessions" in console.banner.value
    assert not is_shown(console.tools) and console.address is None
    console.refresh()  # the poll does not pick one either
    assert console.view is None
    console.sessions.value = older.id
    assert console.view.session.id == older.id
    assert f"Join code <strong>{older.code}</strong>" in console.banner.value
    assert f"room.ipynb?room={older.room_token}" in console.banner.value
    assert show_time(older.created_at) in console.banner.value
    assert console.address.url == f"facilitator.ipynb?key={live.key}&session={older.code}"
    assert CHOOSE not in [v for _, v in console.sessions.options]

    named = Console(live.store, live.key, session_code=older.code)
    assert named.view.session.id == older.id and named.sessions.value == older.id
    gone = Console(live.store, live.key, session_code="QQQQQQ")
    assert gone.view is None and "No session has the code QQQQQQ" in gone.banner.value
    live.store.delete_session(older.id, live.key)
    named.refresh()  # the session it ran was deleted: it asks, it does not move by itself
    assert named.view is None and named.sessions.value == CHOOSE
    assert "The session you were running has been deleted" in named.banner.value
    named.sessions.value = newer.id
    assert named.view.session.id == newer.id


@pytest.mark.parametrize(("kind", "state", "answered", "solo", "here", "expected"), [
    ("vote", "closed", 0, False, False, "open"),  # nobody has answered: open it
    ("vote", "open", 0, False, False, "close"),
    ("vote", "open", 2, False, False, "close"),
    ("vote", "closed", 2, False, False, "reveal"),  # answers are in: reveal them
    ("vote", "revealed", 2, False, False, None),  # a new round is a choice, not next
    ("vote", "open", 0, True, False, None),  # a solo leader answers first
    ("vote", "open", 1, True, False, "reveal"),  # then shows their results in one click
    ("shared", "", 0, False, False, "here"),
    ("shared", "", 0, False, True, None),  # the room is there already
    ("shared", "", 0, True, False, None),
])
def test_the_next_action_is_decided_from_the_stage_state(kind, state, answered, solo, here,
                                                         expected):
    from widgets.ui.shell.stagecontrols import next_action

    assert next_action(kind, state, answered, solo, here) == expected


def test_agenda_next_action():
    from widgets.ui.shell.agenda_panel import agenda_next

    assert agenda_next(saved=False, picked_is_saved=False, clock_running=False) == "use"
    assert agenda_next(saved=True, picked_is_saved=False, clock_running=True) == "use"
    assert agenda_next(saved=True, picked_is_saved=True, clock_running=False) == "start"
    assert agenda_next(saved=True, picked_is_saved=True, clock_running=True) is None


def test_start_the_clock_turns_blue_again_when_the_time_runs_out(live, monkeypatch):
    """Nothing is saved when a countdown reaches nought, so the panel must look at the
    clock itself, not only at what changed in the store."""
    from datetime import UTC, datetime, timedelta

    from widgets import agenda
    from widgets.ui.shell.agenda_panel import AgendaPanel

    panel = AgendaPanel(fview(live))
    panel.use_btn.click()
    panel.what.value = "readiness"
    panel.start_btn.click()
    assert "The clock is running" in panel.status.text
    assert panel.start_btn.button_style == ""  # running: nothing to start
    later = datetime.now(UTC) + timedelta(hours=2)

    class Later(datetime):
        @classmethod
        def now(cls, tz=None):
            return later

    monkeypatch.setattr(agenda, "datetime", Later)  # two hours on: the countdown ran out
    panel.refresh()  # the poll, with nothing new in the store
    assert panel.start_btn.button_style == "primary"


def test_solo_step_controls_speak_to_one_leader(store):
    """A solo leader has no group: no tooltip speaks of one (the reveal button's said
    "Show the group's result")."""
    from widgets.stages import STAGES
    from widgets.ui.shell.stagecontrols import StageControls

    session, me = solo_session(store)
    view = View(store, session, Viewer("solo", participant_id=me.id))
    solo = StageControls(view, STAGES["readiness"], solo=True)
    for b in (solo.open_btn, solo.close_btn, solo.reveal_btn, solo.round_btn):
        assert not {"group", "participants", "room", "privately"} & set(
            b.tooltip.casefold().replace("'s", "").replace(":", "").split()), b.tooltip
    assert solo.reveal_btn.tooltip == f"Show my results: {STAGES['readiness'].title}"


def test_the_console_makes_the_next_action_the_primary_button(live):
    def primary(*buttons):
        return [b.description for b in buttons if b.button_style == "primary"]

    console = Console(live.store, live.key)
    ctl = console._controls[0]
    steps = (ctl.open_btn, ctl.close_btn, ctl.reveal_btn, ctl.round_btn, ctl.here_btn)
    assert primary(*steps) == ["Open for answers"]
    panel = console.agenda
    assert primary(panel.use_btn, panel.start_btn, panel.more_btn,
                   panel.stop_btn) == ["Use this agenda"]
    assert primary(console.create_btn) == []  # a session exists: choosing, not creating
    assert all(b.button_style == "" for row in console.people.children
               for b in row.children if isinstance(b, type(ctl.open_btn)))
    panel.use_btn.click()
    assert primary(panel.use_btn, panel.start_btn) == ["Start the clock"]
    panel.choice.value = "three-sittings"  # picked, not yet used
    assert primary(panel.use_btn, panel.start_btn) == ["Use this agenda"]
    panel.choice.value = "three-hours"
    ctl.open_btn.click()  # opening the step starts its clock too
    console.refresh()
    assert primary(*steps) == ["Close answers"]
    assert primary(panel.use_btn, panel.start_btn, panel.more_btn, panel.stop_btn) == []
    ReadinessForm(participant_view(live)).buttons[READINESS[0].id].value = 3
    ctl.close_btn.click()
    assert primary(*steps) == ["Reveal to the room…"]
    ctl.reveal_btn.click()
    ctl.confirm_yes.click()
    assert primary(*steps) == []
    shared = next(c for c in console._controls if c.info.kind == "shared")
    assert primary(shared.here_btn) == ["Move the room to this step"]


def test_starting_a_prototype_is_the_primary_button_only_while_there_is_none(room):
    from widgets.ui.prototype.picker import Picker

    picker = Picker(participant_view(room))
    assert picker.add_btn.button_style == "primary"
    picker.title.value = "Night rounding"
    picker.add_btn.click()
    assert picker.choose.options and picker.add_btn.button_style == ""


def test_poller_calls_back_only_when_the_session_changed(live):
    calls = []
    poller = Poller(lambda: live.store.revision(live.session.id), lambda: calls.append(1))
    assert poller.check() is True
    assert poller.check() is False and poller.check() is False
    live.store.move_stage(live.session.id, "readiness", "open", live.key)
    assert poller.check() is True
    assert len(calls) == 2


def test_a_refresh_that_fails_is_tried_again(live):
    """A screen that could not refresh (the database briefly locked) must not stay stale."""
    attempts = []

    def flaky():
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("database is locked")

    poller = Poller(lambda: live.store.revision(live.session.id), flaky)
    with pytest.raises(RuntimeError):
        poller.check()
    assert poller.check() is True  # same revision, tried again
    assert poller.check() is False and len(attempts) == 2


def test_an_unchanged_refresh_sends_no_widget_updates(live):
    """Idle pages cost nothing: refreshing with nothing new changes no widget state."""
    live.store.move_stage(live.session.id, "readiness", "open", live.key)
    console = Console(live.store, live.key)
    view = participant_view(live)
    form, results = ReadinessForm(view), ReadinessResults(view)
    room = RoomScreen(live.store, live.session)
    def refresh_all():
        for _ in range(3):
            console.refresh()
            form.refresh()
            results.refresh()
            room.refresh()

    assert sends_during(refresh_all) == []


def test_step_bar_says_when_the_room_has_moved_on(live, monkeypatch):
    from widgets import stages
    from widgets.ui.shell import stepbar

    other = stages.StageInfo("other", "Next step", "01_next.ipynb", "vote", 10, "Do the next.")
    monkeypatch.setitem(stages.STAGES, "other", other)
    token = live.people[0][1]
    view = participant_view(live)
    live.store.move_stage(live.session.id, "readiness", "open", live.key)
    view.refresh()
    bar = stepbar.StepBar(view, "00_readiness.ipynb", token)
    assert "Now: <strong>Board readiness check</strong>, open: answer now" in bar.bar.value
    live.store.move_stage(live.session.id, "other", "open", live.key)
    view.refresh()
    bar.refresh()
    assert "The room has moved on to <strong>Next step</strong>" in bar.bar.value
    assert f'href="01_next.ipynb?p={token}"' in bar.bar.value
