"""The store on SQLite and PostgreSQL: schema, sessions, stages, append-only answers."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from widgets.store import NotAllowed, StageClosed, Store, StoreVersionError, schema

from .helpers import answers_kept


def key() -> str:
    return uuid.uuid4().hex


def test_schema_is_created_with_its_version(store):
    assert store.get_setting("schema_version") == str(schema.SCHEMA_VERSION)
    # Opening the same database again is harmless.
    again = Store(store.url)
    assert again.get_setting("schema_version") == str(schema.SCHEMA_VERSION)
    again.dispose()


def test_other_schema_version_gets_a_clear_message(store):
    store.set_setting("schema_version", "999")
    with pytest.raises(StoreVersionError, match="schema version 999") as err:
        Store(store.url)
    assert "left untouched" in str(err.value)


def test_foreign_tables_without_a_mark_are_refused(tmp_path):
    url = f"sqlite:///{tmp_path / 'other.sqlite'}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE sessions (x int)")
    engine.dispose()
    with pytest.raises(StoreVersionError, match="no Conductor version mark"):
        Store(url)


def test_sqlite_uses_wal_and_a_busy_timeout(sqlite_store):
    with sqlite_store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_sessions_need_the_facilitator_key(store, facilitator_key):
    with pytest.raises(NotAllowed):
        store.create_session("No key", key=None)
    with pytest.raises(NotAllowed):
        store.create_session("Wrong key", key="not-the-key")
    s = store.create_session("Board", facilitator_key)
    assert store.session_by_code(s.code.lower()) == s
    assert [x.code for x in store.list_sessions()] == [s.code]


def test_answers_append_and_latest_counts(live):
    store, session, k, people = live.store, live.session, live.key, live.people
    (asha, _), (ben, _), _ = people
    with pytest.raises(StageClosed):
        store.submit(session.id, asha.id, "readiness", "mission", 3, key())
    store.move_stage(session.id, "readiness", "open", k)
    store.submit(session.id, asha.id, "readiness", "mission", 3, key())
    store.submit(session.id, asha.id, "readiness", "mission", 5, key())
    store.submit(session.id, ben.id, "readiness", "mission", 2, key())
    latest = {(a.participant_id, a.item): a.value
              for a in store.latest_answers(session.id, "readiness", 1)}
    assert latest == {(asha.id, "mission"): 5, (ben.id, "mission"): 2}
    # Nothing is lost: the first answer is still in the history.
    assert [a.value for a in answers_kept(store, session.id)] == [3, 5, 2]
    assert store.answered(session.id, "readiness", 1) == {asha.id, ben.id}


def test_a_retried_submission_is_not_duplicated(live):
    store, session, k, people = live.store, live.session, live.key, live.people
    asha = people[0][0]
    store.move_stage(session.id, "readiness", "open", k)
    first = store.submit(session.id, asha.id, "readiness", "users", 4, "same-key")
    again = store.submit(session.id, asha.id, "readiness", "users", 1, "same-key")
    assert again == first
    assert store.count_submissions(session.id) == 1


def test_closed_and_revealed_stages_refuse_answers(live):
    store, session, k, people = live.store, live.session, live.key, live.people
    asha = people[0][0]
    store.move_stage(session.id, "readiness", "open", k)
    store.move_stage(session.id, "readiness", "close", k)
    with pytest.raises(StageClosed, match="not open"):
        store.submit(session.id, asha.id, "readiness", "users", 4, key())
    store.move_stage(session.id, "readiness", "reveal", k)
    with pytest.raises(StageClosed):
        store.submit(session.id, asha.id, "readiness", "users", 4, key())
    assert store.count_submissions(session.id) == 0


def test_stage_moves_follow_the_state_machine(live):
    store, session, k = live.store, live.session, live.key
    sid = session.id
    with pytest.raises(NotAllowed, match="closed"):
        store.move_stage(sid, "readiness", "close", k)
    assert store.move_stage(sid, "readiness", "open", k).state == "open"
    assert store.session(sid).current_stage == "readiness"
    with pytest.raises(NotAllowed):
        store.move_stage(sid, "readiness", "reveal", k)  # close first
    store.move_stage(sid, "readiness", "close", k)
    assert store.move_stage(sid, "readiness", "open", k).state == "open"  # reopen a closed one
    store.move_stage(sid, "readiness", "close", k)
    assert store.move_stage(sid, "readiness", "reveal", k).state == "revealed"
    second = store.move_stage(sid, "readiness", "new_round", k)
    assert (second.round, second.state) == (2, "open")


def test_only_the_key_moves_stages_or_hides_names(live):
    store, session, people = live.store, live.session, live.people
    for forged in (None, "", "guess", people[0][1]):  # a participant's own token is no key
        with pytest.raises(NotAllowed):
            store.move_stage(session.id, "readiness", "open", forged)
        with pytest.raises(NotAllowed):
            store.hide_participant_name(people[0][0].id, forged)
    assert store.stage(session.id, "readiness").state == "closed"


def test_answers_from_another_sessions_participant_are_refused(live):
    store, k, people = live.store, live.key, live.people
    other = store.create_session("Other", k)
    store.move_stage(other.id, "readiness", "open", k)
    with pytest.raises(NotAllowed, match="not joined"):
        store.submit(other.id, people[0][0].id, "readiness", "users", 3, key())


def test_revision_moves_on_every_write(live):
    store, session, k, people = live.store, live.session, live.key, live.people
    r0 = store.revision(session.id)
    store.move_stage(session.id, "readiness", "open", k)
    r1 = store.revision(session.id)
    store.submit(session.id, people[0][0].id, "readiness", "users", 3, key())
    r2 = store.revision(session.id)
    assert r0 < r1 < r2
    assert store.revision(session.id) == r2  # reading changes nothing


def test_count_sessions_counts_live_sessions_only(store, facilitator_key):
    from widgets.session import solo_session

    store.create_session("A", facilitator_key)
    store.create_session("B", facilitator_key)
    solo_session(store)
    assert store.count_sessions() == 2 == len(store.list_sessions())


@pytest.mark.parametrize("url", [
    "not a url",
    "postgresql+psycopg://nobody:secret@127.0.0.1:1/none",
])
def test_an_unreachable_database_is_a_message_not_a_traceback(url):
    from widgets.store import StoreUnavailable

    with pytest.raises(StoreUnavailable, match="could not open the database") as err:
        Store(url)
    assert "secret" not in str(err.value)  # the password is never shown


def test_deleting_a_session_needs_the_key_and_removes_all_of_it(live):
    store, s, k = live.store, live.session, live.key
    other = store.create_session("Other", k)
    store.move_stage(s.id, "readiness", "open", k)
    store.submit(s.id, live.people[0][0].id, "readiness", "users", 3, key())
    store.save_shared(s.id, "focus.shortlist", "areas", ["a", "b"], key=k)
    with pytest.raises(NotAllowed):
        store.delete_session(s.id, "forged")
    assert store.count_submissions(s.id) == 1
    store.delete_session(s.id, k)
    assert store.session_by_code(s.code) is None
    assert store.count_submissions(s.id) == 0 and store.participants(s.id) == []
    assert store.shared(s.id, "focus.shortlist") == {}
    assert store.session_by_code(other.code) == other  # nothing else touched


def test_withdrawing_a_person_removes_their_votes_and_name_but_keeps_group_work(live):
    from widgets.session import View, Viewer
    from widgets.store import NotAllowed, NotFound

    store, sid, key = live.store, live.session.id, live.key
    asha, ben = live.people[0][0], live.people[1][0]
    store.move_stage(sid, "readiness", "open", key)
    store.submit(sid, asha.id, "readiness", "mission", 4, "w1")
    store.submit(sid, asha.id, "readiness", "mission", 5, "w2")
    store.submit(sid, ben.id, "readiness", "mission", 2, "w3")
    store.save_shared(sid, "focus.shortlist", "areas", ["Sepsis"], participant_id=asha.id)
    with pytest.raises(NotAllowed):
        store.withdraw_participant(asha.id, "wrong")
    assert store.count_submissions(sid, participant_id=asha.id) == 2
    other = store.create_session("Another board", key)
    with pytest.raises(NotFound):  # a console acts only on the session it shows
        store.withdraw_participant(asha.id, key, session_id=other.id)
    assert store.withdraw_participant(asha.id, key, session_id=sid) == 2
    assert [p.id for p in store.participants(sid)] == [ben.id, live.people[2][0].id]
    from widgets.session import participant_from_token

    assert participant_from_token(store, live.people[0][1]) is None  # the link is dead
    store.move_stage(sid, "readiness", "close", key)
    store.move_stage(sid, "readiness", "reveal", key)
    view = View(store, live.session, Viewer("room"))
    assert [a.value for _, a in view.group_answers("readiness")] == [2]
    kept = store.shared(sid, "focus.shortlist")["areas"]
    assert kept.value == ["Sepsis"] and kept.participant_id is None
