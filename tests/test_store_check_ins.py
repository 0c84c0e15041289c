"""The store's check-ins on SQLite and PostgreSQL: sittings, the board's decisions, the
Delegation Board's history, shared work as it stood, and the version 3 -> 4 migration."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from widgets.store import NotAllowed, NotFound, Store, schema
from widgets.validation import FieldError

from .helpers import back_to_version

DAY = date(2026, 3, 3)


def test_sittings_are_numbered_dated_and_one_at_a_time(live):
    store, sid = live.store, live.session.id
    with pytest.raises(NotAllowed):
        store.start_sitting(sid, DAY, key=None)
    first = store.start_sitting(sid, "2026-03-03", key=live.key)
    assert (first.number, first.held_on, first.state, first.closed_at) == (1, DAY, "open", None)
    with pytest.raises(NotAllowed, match="Check-in 1 is still open"):
        store.start_sitting(sid, DAY + timedelta(days=30), key=live.key)
    closed = store.close_sitting(first.id, key=live.key)
    assert closed.state == "closed" and closed.closed_at is not None
    with pytest.raises(NotAllowed, match="already closed"):
        store.close_sitting(first.id, key=live.key)
    with pytest.raises(FieldError, match="cannot be held before it"):
        store.start_sitting(sid, DAY - timedelta(days=1), key=live.key)
    with pytest.raises(FieldError, match="date"):
        store.start_sitting(sid, "04/05/06", key=live.key)
    second = store.start_sitting(sid, DAY + timedelta(days=30), key=live.key)
    assert second.number == 2
    assert [s.number for s in store.sittings(sid)] == [1, 2]
    assert store.sitting(second.id) == second
    with pytest.raises(NotFound):
        store.sitting(999_999)


def test_the_boards_decisions_latest_counts_and_bad_input_saves_nothing(live):
    store, sid = live.store, live.session.id
    sitting = store.start_sitting(sid, DAY, key=live.key)
    store.record_check_in_decision(sitting.id, "p1", "keep", "On track", "", key=live.key)
    for bad, match in ((dict(decision="pause"), "keep, change or stop"),
                       (dict(reason=""), "reason is empty"),
                       (dict(reason="x" * 5001), "limit is 5,000"),
                       (dict(decision="stop", learned=""), "what we learned"),
                       (dict(prototype="p" * 65), "not a prototype")):
        args = dict(prototype="p1", decision="change", reason="Why", learned="") | bad
        with pytest.raises(FieldError, match=match):
            store.record_check_in_decision(sitting.id, key=live.key, **args)
    with pytest.raises(NotAllowed):
        store.record_check_in_decision(sitting.id, "p1", "keep", "x", "", key=None)
    assert [(d.prototype, d.decision) for d in store.check_in_decisions(sid)] == [("p1", "keep")]
    store.record_check_in_decision(sitting.id, "p1", "stop", "Harm rose",
                                   "Night rounds need two staff", key=live.key)
    latest = store.check_in_decisions(sid)
    assert [(d.decision, d.learned) for d in latest] == [("stop", "Night rounds need two staff")]
    assert [d.decision for d in store.check_in_decisions(sid, history=True)] == ["keep", "stop"]
    store.close_sitting(sitting.id, key=live.key)
    with pytest.raises(NotAllowed, match="closed"):
        store.record_check_in_decision(sitting.id, "p1", "keep", "x", "", key=live.key)
    assert len(store.check_in_decisions(sid, history=True)) == 2


def test_a_level_change_is_kept_with_its_date_and_on_the_board_in_one_go(live):
    store, sid = live.store, live.session.id
    sitting = store.start_sitting(sid, DAY, key=live.key)
    board = ("cede.board", json.dumps(["agreed", "Sepsis", "Rotas"]))
    store.save_shared(sid, *board, 4, key=live.key)
    for bad in (dict(to_level=8), dict(to_level=True), dict(from_level=0),
                dict(changed_on="31/02/2026"), dict(guardrails_held="yes"),
                dict(area="")):
        args = dict(area="Sepsis", decision="Rotas", from_level=4, to_level=5,
                    guardrails_held=True, changed_on=DAY, reason="Held well") | bad
        with pytest.raises(FieldError):
            store.record_level_change(sitting.id, key=live.key, board=board, **args)
    assert store.level_changes(sid) == []
    assert store.shared(sid, "cede.board")[board[1]].value == 4  # nothing half saved
    made = store.record_level_change(sitting.id, "Sepsis", "Rotas", 4, 5, True, DAY,
                                     "Guardrails held all quarter", key=live.key, board=board)
    assert (made.from_level, made.to_level, made.changed_on, made.guardrails_held) == (
        4, 5, DAY, True)
    saved = store.shared(sid, "cede.board")[board[1]]
    assert (saved.value, saved.version, saved.by_facilitator) == (5, 2, True)
    assert [c.to_level for c in store.level_changes(sid)] == [5]
    with pytest.raises(NotAllowed):
        store.record_level_change(sitting.id, "Sepsis", "Rotas", 5, 6, None, DAY, "", key=None)


def test_shared_work_as_it_stood_at_a_moment(live):
    store, sid = live.store, live.session.id
    store.save_shared(sid, "prototype.track", "a", 1, key=live.key)
    store.save_shared(sid, "prototype.track", "b", 1, key=live.key)
    between = datetime.now(UTC)
    store.save_shared(sid, "prototype.track", "a", 2, key=live.key)
    store.save_shared(sid, "prototype.track", "c", 3, key=live.key)
    then = store.shared_as_of(sid, "prototype.track", between)
    assert {k: v.value for k, v in then.items()} == {"a": 1, "b": 1}
    assert store.shared_as_of(sid, "prototype.track", between - timedelta(days=1)) == {}
    assert {k: v.value for k, v in store.shared_as_of(
        sid, "prototype.track", datetime.now(UTC)).items()} == {"a": 2, "b": 1, "c": 3}


def test_deleting_a_session_takes_its_check_ins(live):
    store, sid = live.store, live.session.id
    sitting = store.start_sitting(sid, DAY, key=live.key)
    store.record_check_in_decision(sitting.id, "p1", "keep", "x", "", key=live.key)
    store.record_level_change(sitting.id, "A", "B", None, 3, None, DAY, "", key=live.key)
    store.delete_session(sid, key=live.key)
    with store.engine.connect() as conn:
        for table in schema.CHECK_IN_TABLES:
            assert conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() == 0


def test_a_version_3_store_is_migrated_keeping_its_sessions(store_url, facilitator_key, store):
    s = store.create_session("Old", facilitator_key)
    back_to_version(store, 3, reversed(schema.CHECK_IN_TABLES))
    again = Store(store_url)
    assert again.get_setting("schema_version") == str(schema.SCHEMA_VERSION) == "5"
    assert again.session_by_code(s.code).title == "Old"
    assert {t.name for t in schema.CHECK_IN_TABLES} <= set(
        sa.inspect(again.engine).get_table_names())
    assert again.start_sitting(s.id, DAY, key=facilitator_key).number == 1
    again.dispose()


def test_a_check_in_round_moves_like_every_step_but_leaves_the_room_where_it_is(live):
    from widgets.store import store as store_module
    from widgets.store.check_ins import ROUND_MOVES

    assert ROUND_MOVES == store_module.MOVES  # one set of rules for every round
    store, sid = live.store, live.session.id
    store.set_current_stage(sid, "prototype.track", live.key)
    sitting = store.start_sitting(sid, DAY, key=live.key)
    step = f"check_in.{sitting.id}.keep"
    with pytest.raises(NotAllowed):
        store.move_check_in_round(sid, step, "open", key=None)
    with pytest.raises(NotAllowed, match="cannot be given a new round"):
        store.move_check_in_round(sid, step, "new_round", key=live.key)  # never revealed
    assert store.move_check_in_round(sid, step, "open", key=live.key).state == "open"
    assert store.session(sid).current_stage == "prototype.track"  # screens stay put
    store.move_check_in_round(sid, step, "close", key=live.key)
    assert store.move_check_in_round(sid, step, "reveal", key=live.key).state == "revealed"
    assert store.move_check_in_round(sid, step, "new_round", key=live.key).round == 2
    with pytest.raises(ValueError, match="not a check-in round"):
        store.move_check_in_round(sid, "cede.poker", "open", key=live.key)
    assert [e[:3] for e in store.stage_events(sid)][-4:] == [
        (step, 1, "open"), (step, 1, "closed"), (step, 1, "revealed"), (step, 2, "open")]


def test_a_session_holds_at_most_so_many_check_ins(live, monkeypatch):
    from widgets.store import check_ins

    monkeypatch.setattr(check_ins, "MAX_SITTINGS", 2)
    store, sid = live.store, live.session.id
    for _n in range(2):
        store.close_sitting(store.start_sitting(sid, DAY, key=live.key).id, key=live.key)
    with pytest.raises(FieldError, match="at most 2 check-ins"):
        store.start_sitting(sid, DAY, key=live.key)
    assert len(store.sittings(sid)) == 2
