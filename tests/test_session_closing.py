"""Closing a session to new joiners (issue 15, item 6): the facilitator closes and reopens
it, and it closes itself ``SELF_CLOSE_AFTER`` its last step. The clock is passed in, so no
test waits."""

from __future__ import annotations

from datetime import timedelta

import pytest

from widgets.session import (
    CLOSED_TO_JOINERS,
    SELF_CLOSE_AFTER,
    JoinError,
    join,
    joining,
    participant_from_token,
    set_joining,
)
from widgets.store import NotAllowed


def test_the_self_close_time_is_twelve_hours():
    assert timedelta(hours=12) == SELF_CLOSE_AFTER


def test_a_new_session_is_open_and_says_when_it_will_close_itself(live):
    s = live.session
    state = joining(live.store, s)
    assert state.open and not state.by_itself
    assert state.closes_at == live.store.last_activity(s.id) + SELF_CLOSE_AFTER
    assert "closes itself to new joiners" in state.describe()


def test_the_facilitator_closes_it_and_new_joiners_are_refused_with_the_message(live):
    s = live.session
    before = [p.id for p in live.store.participants(s.id)]
    person, token = join(live.store, s.code, "Already in")
    set_joining(live.store, s, False, live.key)
    state = joining(live.store, live.store.session(s.id))
    assert not state.open and not state.by_itself and state.closes_at is None
    assert "Closed to new joiners" in state.describe()
    with pytest.raises(JoinError) as err:
        join(live.store, s.code, "Latecomer")
    assert str(err.value) == CLOSED_TO_JOINERS
    assert CLOSED_TO_JOINERS == ("This session is closed to new joiners. Ask the facilitator "
                                 "to reopen it.")
    # Nobody new; the person already in keeps their place and their personal link.
    assert [p.id for p in live.store.participants(s.id)] == [*before, person.id]
    assert participant_from_token(live.store, token) == person


def test_only_the_facilitator_closes_or_reopens(live):
    with pytest.raises(NotAllowed):
        set_joining(live.store, live.session, False, "not the key")
    assert joining(live.store, live.session).open


def test_it_closes_itself_twelve_hours_after_its_last_step(live):
    s = live.session
    before = len(live.store.participants(s.id))
    last = live.store.last_activity(s.id)
    just_before = last + SELF_CLOSE_AFTER - timedelta(seconds=1)
    assert joining(live.store, s, now=just_before).open
    join(live.store, s.code, "Just in time", now=just_before)
    after = last + SELF_CLOSE_AFTER
    state = joining(live.store, s, now=after)
    assert not state.open and state.by_itself and state.closed_at == after
    assert "closed itself" in state.describe()
    with pytest.raises(JoinError, match="closed to new joiners"):
        join(live.store, s.code, "A day late", now=after + timedelta(days=1))
    names = [p.display_name for p in live.store.participants(s.id)]
    assert len(names) == before + 1 and names[-1] == "Just in time"


def test_a_step_moves_the_self_close_clock(live):
    s = live.session
    first = joining(live.store, s).closes_at
    live.store.move_stage(s.id, "readiness", "open", live.key)
    assert joining(live.store, s).closes_at > first


def test_reopening_a_session_that_closed_itself_counts_as_activity(live):
    s = live.session
    later = live.store.last_activity(s.id) + SELF_CLOSE_AFTER + timedelta(hours=1)
    assert not joining(live.store, s, now=later).open
    reopened = set_joining(live.store, s, True, live.key)
    # The clock starts again from the reopening (the store's own time, just now).
    state = joining(live.store, reopened)
    assert state.open and state.closes_at == reopened.joins_reopened_at + SELF_CLOSE_AFTER
    assert join(live.store, s.code, "Back again")[0].session_id == s.id

