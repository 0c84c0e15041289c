"""Schema version 3: the room screen's read-only token, closing a session to new joiners,
and join attempts counted across pages (on SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from widgets.store import NotAllowed, Store, schema

from .helpers import back_to_version


def test_every_session_gets_its_own_room_token(store, facilitator_key):
    a = store.create_session("A", facilitator_key)
    b = store.create_session("B", facilitator_key)
    assert a.room_token and b.room_token and a.room_token != b.room_token
    assert len(a.room_token) >= 32  # a secret, not a guessable code
    assert store.session_by_room_token(a.room_token).id == a.id
    assert store.session_by_room_token(a.code) is None
    assert store.session_by_room_token("") is None
    assert store.session_by_room_token("x" * 500) is None


def test_only_the_facilitator_closes_and_reopens_joining(store, facilitator_key):
    s = store.create_session("A", facilitator_key)
    assert s.joins_closed_at is None
    with pytest.raises(NotAllowed):
        store.set_joining(s.id, False, key="not the key")
    closed = store.set_joining(s.id, False, facilitator_key)
    assert closed.joins_closed_at is not None and closed.revision > s.revision
    opened = store.set_joining(s.id, True, facilitator_key)
    assert opened.joins_closed_at is None and opened.joins_reopened_at is not None
    assert store.last_activity(s.id) == opened.joins_reopened_at


def test_last_activity_follows_stage_moves(store, facilitator_key):
    s = store.create_session("A", facilitator_key)
    assert store.last_activity(s.id) == s.created_at
    store.move_stage(s.id, "readiness", "open", facilitator_key)
    assert store.last_activity(s.id) > s.created_at


def test_join_failures_are_counted_per_client_within_a_window(store):
    for _ in range(3):
        store.note_join_attempt("client-a", ok=False)
    store.note_join_attempt("client-a", ok=True)
    store.note_join_attempt("client-b", ok=False)
    assert store.join_failures("client-a", 60) == 3
    assert store.join_failures("client-b", 60) == 1
    assert store.join_failures("client-c", 60) == 0
    assert store.join_failures("client-a", 0) == 0


def as_version_2(store: Store) -> None:
    """Take ``store`` back to what schema version 2 made, keeping its sessions."""
    back_to_version(store, 2, [schema.join_attempts], [
        "DROP INDEX ix_sessions_room_token",
        *(f"ALTER TABLE sessions DROP COLUMN {column}"
          for column in ("room_token", "joins_closed_at", "joins_reopened_at"))])


def test_a_version_2_store_is_migrated_keeping_its_sessions(store_url, facilitator_key, store):
    s = store.create_session("Old", facilitator_key)
    as_version_2(store)
    again = Store(store_url)
    assert again.get_setting("schema_version") == str(schema.SCHEMA_VERSION) == "5"
    old = again.session_by_code(s.code)
    assert old.title == "Old" and old.room_token and old.joins_closed_at is None
    assert again.session_by_room_token(old.room_token).id == s.id
    assert "join_attempts" in sa.inspect(again.engine).get_table_names()
    again.note_join_attempt("c", ok=False)
    assert again.join_failures("c", 60) == 1
    again.dispose()


def test_two_servers_bringing_one_store_forward_at_once_both_start(store_url, facilitator_key,
                                                                   store):
    """Several servers share one PostgreSQL store; after an upgrade they start together.
    Each must find the store brought forward, not fail on the other's ALTER TABLE."""
    import threading

    s = store.create_session("Old", facilitator_key)
    as_version_2(store)
    go, errors, opened = threading.Barrier(4), [], []

    def start():
        go.wait()
        try:
            opened.append(Store(store_url))
        except Exception as err:  # the test reports every failure
            errors.append(repr(err))

    threads = [threading.Thread(target=start) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    try:
        assert errors == []
        assert opened[0].session_by_code(s.code).room_token
    finally:
        for one in opened:
            one.dispose()
