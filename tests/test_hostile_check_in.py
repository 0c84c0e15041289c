"""The hostile-string corpus through the check-in (issue 20): in a prototype's title and its
promise to unblock, the board's reasons and what was learned, a level change's reason and a
focus change's reason; shown inertly on the participants' page, the console, the room
screen, the board paper and the exports; over-limit and control-character text refused
with a message, nothing saved and nothing lost."""

from __future__ import annotations

import json
from datetime import date, timedelta

import ipywidgets as w
import pytest

from widgets import board_paper, check_in, exports, prototype
from widgets.server.demo import seed_demo
from widgets.session import View, Viewer
from widgets.ui.check_in.console import CheckInTools, DecisionForm, LevelForm
from widgets.ui.check_in.page import participant_parts
from widgets.ui.check_in.room import RoomCheckIn

from .test_hostile_input import CONTROL, CORPUS, HUGE, RAW, html_of

REVIEW_DAY = date.today() + timedelta(days=91)


@pytest.fixture
def room(sqlite_store, facilitator_key):
    store, key = sqlite_store, facilitator_key
    session = seed_demo(store, key)
    fac = View(store, session, Viewer("facilitator", key=key))
    people = store.participants(session.id)
    ben = View(store, session, Viewer("participant", participant_id=people[1].id))
    return store, key, session, fac, ben


@pytest.fixture
def store(sqlite_store):
    return sqlite_store


def test_hostile_text_shows_inertly_on_every_check_in_screen(room):
    store, _key, session, fac, ben = room
    text = " | ".join(CORPUS)[:4000]
    p = prototype.prototypes(fac)[0]
    prototype.save_fields(ben, p.id, {"title": CORPUS[1], "unblock": CORPUS[0]}, {})
    s = check_in.start(fac, REVIEW_DAY)
    check_in.record_decision(fac, s, p.id, "stop", text, text)
    item = check_in.due_for_review(fac, REVIEW_DAY)[0]
    check_in.record_level_change(fac, s, item.area, item.decision, 6, text)
    screens = [w.VBox([x.widget for x in participant_parts(ben, "t")]),
               CheckInTools(fac).widget, RoomCheckIn(View(store, session,
                                                          Viewer("room"))).widget]
    for screen in screens:
        shown = html_of(screen)
        assert "DROP TABLE" in shown  # the text is there...
        assert not RAW.search(shown), RAW.search(shown)  # ...and inert
    paper = board_paper.build(fac)
    assert "DROP TABLE" in paper and not RAW.search(paper.split("</style>", 1)[1])
    data = exports.session_data(fac)
    assert data["check_in"]["sittings"][0]["decisions"][0]["reason"] == text  # as typed
    json.loads(exports.to_json(data))


def test_over_limit_and_control_text_is_refused_and_nothing_is_lost(room):
    _store, _key, _session, fac, _ben = room
    s = check_in.start(fac, REVIEW_DAY)
    form = DecisionForm(fac, s)
    pid = next(iter(form.rows))
    choice, reason, _learned = form.rows[pid]
    choice.value = "keep"
    reason.value = "On track"
    form.record(pid)
    for bad in (HUGE, CONTROL):
        reason.value = bad
        form.record(pid)
        assert "Nothing" in form.status.text and form.status.text.count("x") < 200
        assert check_in.decisions(fac, s)[pid].reason == "On track"
    levels = LevelForm(fac, s)
    k = next(iter(levels.rows))
    level, _held, why, when = levels.rows[k]
    level.value = 6
    why.value = HUGE
    levels.record(k)
    assert "Nothing" in levels.status.text and check_in.board_history(fac) == []
    why.value = "Held all quarter"
    for bad in ("\x00\x1b[2J" + HUGE, "2027-13-45", "9999-01-01"):  # the next review date
        when.value = bad
        levels.record(k)
        assert "Nothing" in levels.status.text, levels.status.text
        assert len(levels.status.text) < 400 and "\x00" not in levels.status.text
        assert check_in.board_history(fac) == []
