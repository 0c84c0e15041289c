"""The agenda and its clock: templates, custom orders, the timer, and their screens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from widgets import agenda
from widgets.stages import STAGES
from widgets.store import NotAllowed
from widgets.ui.countdown import Countdown
from widgets.ui.sharing import is_shown
from widgets.ui.shell.agenda_panel import AgendaPanel, RoomAgenda
from widgets.ui.shell.stagecontrols import StageControls

from .helpers import fview, pview, sends_during


@pytest.fixture
def store(sqlite_store):
    return sqlite_store


def test_templates_fit_their_time_and_name_only_steps_that_exist():
    assert agenda.THREE_HOURS.minutes() == 180
    assert [agenda.THREE_SITTINGS.minutes(p) for p in (1, 2, 3)] == [60, 60, 60]
    for plan in agenda.TEMPLATES.values():
        stages = [s.item for s in plan.steps if s.item not in agenda.EXTRAS]
        assert stages == [k for k in STAGES if k in stages]  # in the workshop's order
        assert set(stages) == set(STAGES)  # every module is in every template


def test_a_custom_order_is_checked():
    plan = agenda.custom([("welcome", 5), ("cede.poker", 20), ("break", 5), ("break", 5),
                          ("focus.score", 15)], part_breaks=(2,))
    assert [s.part for s in plan.steps] == [1, 1, 2, 2, 2]
    assert plan.minutes() == 50 and plan.minutes_for("cede.poker") == 20
    for steps, words in (([], "at least one step"),
                         ([("cede.poker", 5), ("cede.poker", 5)], "in the agenda twice"),
                         ([("readiness", 0)], "1 to 180 minutes"),
                         ([("nonsense", 5)], "no workshop step")):
        with pytest.raises(ValueError, match=words):
            agenda.custom(steps)
    again = agenda.Agenda.from_value(plan.as_value())
    assert again == plan


def test_only_the_facilitator_sets_the_agenda_and_the_clock(live):
    with pytest.raises(NotAllowed):
        agenda.choose(pview(live, 0), agenda.THREE_SITTINGS)
    with pytest.raises(NotAllowed):
        agenda.start_timer(pview(live, 0), "readiness", 5)
    agenda.choose(fview(live), agenda.THREE_SITTINGS)
    assert agenda.current(pview(live, 0)).name == "three-sittings"


def test_the_timer_starts_grows_and_stops(live):
    f = fview(live)
    assert agenda.timer(f) is None and agenda.add_minutes(f, 5) is None
    t = agenda.start_for_stage(f, "focus.score")
    assert t.item == "focus.score" and 9 * 60 < t.seconds_left() <= 10 * 60
    assert agenda.start_for_stage(f, "focus.score") == t  # reopening does not reset it
    longer = agenda.add_minutes(f, 5)
    assert longer.ends_at - t.ends_at == timedelta(minutes=5)
    assert agenda.timer(pview(live, 1)) == longer  # everyone reads the same end time
    agenda.stop_timer(f)
    assert agenda.timer(f) is None
    agenda.choose(f, agenda.custom([("readiness", 5)]))
    assert agenda.start_for_stage(f, "focus.score") is None  # not on this agenda
    late = agenda.Timer("break", datetime.now(UTC) - timedelta(seconds=5))
    assert late.seconds_left() < 0 and late.title == "Break"


def test_opening_a_step_starts_its_clock(live):
    controls = StageControls(fview(live), STAGES["readiness"])
    controls.open_btn.click()
    assert "The clock is running: 10 minutes." in controls.status.text
    assert agenda.timer(fview(live)).item == "readiness"
    board = StageControls(fview(live), STAGES["cede.board"])
    board.here_btn.click()
    assert "The clock is running: 20 minutes." in board.status.text
    solo = StageControls(pview(live, 0), STAGES["readiness"], solo=True)
    assert solo._start_clock() == ""  # a solo leader keeps no clock


def test_the_console_panel_chooses_customises_and_runs_the_clock(live):
    panel = AgendaPanel(fview(live))
    assert "One three-hour session (180 minutes)" in panel.table.value
    panel.choice.value = "three-sittings"
    panel.use_btn.click()
    assert "“Three one-hour sessions”, 180 minutes" in panel.status.text
    assert "Sitting 2 (60 minutes)" in panel.table.value
    panel.choice.value = "custom"
    assert is_shown(panel.custom_box)
    rows = {item: (inc, mins, part) for item, inc, mins, part in panel.rows}
    for item, (inc, _m, _p) in rows.items():
        inc.value = item in ("readiness", "break", "cede.poker")
    rows["cede.poker"][1].value = "twenty"
    panel.use_btn.click()
    assert "minutes must be a whole number" in panel.status.text
    rows["cede.poker"][1].value = "20"
    for _ in range(2):  # above the Cede set-up, then above the break
        order = [r[0] for r in panel.rows]
        panel._move_up(order.index("cede.poker"))
    panel.use_custom()
    plan = agenda.current(fview(live))
    assert [(s.item, s.minutes) for s in plan.steps] == [("readiness", 10),
                                                         ("cede.poker", 20), ("break", 10)]
    live.store.move_stage(live.session.id, "readiness", "open", live.key)
    panel.view.refresh()
    panel.refresh()
    assert panel.what.value == "readiness"
    assert 'aria-current="step"' in panel.table.value and "Now: Board readiness" in \
        panel.table.value
    panel.start_btn.click()
    assert "The clock is running: 10 minutes" in panel.status.text
    panel.more_btn.click()
    assert "Added 5 minutes" in panel.status.text
    assert panel.countdown.label == "Time left for Board readiness check"
    assert sends_during(panel.refresh) == []
    panel.stop_btn.click()
    assert panel.countdown.ends_at == 0.0
    panel.more_btn.click()
    assert "not running" in panel.status.text


def test_the_room_and_participants_see_the_clock_and_the_step(live):
    from widgets.session import View, Viewer

    room = RoomAgenda(View(live.store, live.session, Viewer("room")))
    f = fview(live)
    agenda.start_timer(f, "break", 10)
    room.view.refresh()
    room.refresh()
    assert room.countdown.label == "Time left for Break" and room.countdown.ends_at > 0
    assert "Now: Break" in room.plan.value
    assert sends_during(room.refresh) == []


def test_the_countdown_tells_a_browser_the_servers_time():
    c = Countdown()
    sent = []
    c.send = lambda content, buffers=None: sent.append(content)
    c._answer(c, {"kind": "now?"}, [])
    c._answer(c, {"kind": "other"}, [])
    assert len(sent) == 1 and abs(sent[0]["now"] / 1000 - datetime.now(UTC).timestamp()) < 5
    c.show(None)
    assert c.ends_at == 0.0 and c.label == ""
