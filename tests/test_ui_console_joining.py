"""The console's room link and its control for joining (issue 15, item 6), built headless."""

from __future__ import annotations

from datetime import timedelta

import pytest

from widgets.session import CLOSED_TO_JOINERS, SELF_CLOSE_AFTER, JoinError, join
from widgets.store import schema
from widgets.ui.shell.console import Console


def test_the_room_link_carries_the_room_token_not_the_join_code(live):
    console = Console(live.store, live.key)
    s = live.session
    assert f"room.ipynb?room={s.room_token}" in console.banner.value
    assert "room.ipynb?code=" not in console.banner.value


def test_the_facilitator_closes_and_reopens_joining_from_the_console(live):
    console = Console(live.store, live.key)
    s = live.session
    assert "Open to new joiners" in console.joining_text.value
    assert "closes itself to new joiners" in console.joining_text.value
    assert console.joining_btn.description == "Close to new joiners"
    console.joining_btn.click()
    assert live.store.session(s.id).joins_closed_at is not None
    assert "Closed to new joiners" in console.joining_text.value
    assert console.joining_btn.description == "Reopen to new joiners"
    assert "closed to new joiners" in console.status.widget.value
    with pytest.raises(JoinError, match=CLOSED_TO_JOINERS):
        join(live.store, s.code, "Latecomer")
    console.joining_btn.click()
    assert live.store.session(s.id).joins_closed_at is None
    assert console.joining_btn.description == "Close to new joiners"
    assert join(live.store, s.code, "Latecomer")[0].session_id == s.id


def _backdate(store, session_id: int, hours: float) -> None:
    """The session was made, and last moved, ``hours`` ago."""
    with store.engine.begin() as conn:
        conn.execute(schema.sessions.update().where(schema.sessions.c.id == session_id)
                     .values(created_at=store.session(session_id).created_at
                             - timedelta(hours=hours)))


def test_a_session_that_closed_itself_says_so_and_reopens_from_the_console(live):
    s = live.session
    _backdate(live.store, s.id, SELF_CLOSE_AFTER.total_seconds() / 3600 + 1)
    console = Console(live.store, live.key)
    assert "it closed itself" in console.joining_text.value
    assert console.joining_btn.description == "Reopen to new joiners"
    with pytest.raises(JoinError, match=CLOSED_TO_JOINERS):
        join(live.store, s.code, "Latecomer")
    console.joining_btn.click()  # reopening counts as activity: the clock starts again
    assert "Open to new joiners" in console.joining_text.value
    assert join(live.store, s.code, "Latecomer")[0].session_id == s.id


def test_the_console_notices_when_the_session_closes_itself(live):
    console = Console(live.store, live.key)
    first = console.revision()
    assert console.revision() == first  # nothing changed: the poll does nothing
    due = live.store.last_activity(live.session.id) + SELF_CLOSE_AFTER
    console.clock = lambda: due
    assert console.revision() != first  # the self-close time passed: the poll refreshes
    console.refresh()
    assert "it closed itself" in console.joining_text.value
