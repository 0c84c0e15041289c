"""Shared work versions, per-session data files, and migrating a version-1 store."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from widgets.store import NotAllowed, Store, schema

from .helpers import back_to_version, versions_kept


def test_later_save_wins_earlier_is_kept_and_the_stale_writer_is_told(live):
    store, s = live.store, live.session
    asha, ben = live.people[0][0], live.people[1][0]
    first = store.save_shared(s.id, "canvas", "aim", "Fewer falls", participant_id=asha.id,
                              base_version=0)
    assert (first.version, first.stale) == (1, False)
    # Ben started from version 0 too (his screen was stale): his save wins, and he is told.
    second = store.save_shared(s.id, "canvas", "aim", "Fewer falls by June",
                               participant_id=ben.id, base_version=0)
    assert (second.version, second.stale) == (2, True)
    current = store.shared(s.id, "canvas")["aim"]
    assert (current.value, current.participant_id) == ("Fewer falls by June", ben.id)
    assert versions_kept(store, s.id, "canvas", "aim") == [
        "Fewer falls", "Fewer falls by June"]


def test_facilitator_only_items_need_the_key(live):
    store, s = live.store, live.session
    with pytest.raises(NotAllowed):
        store.save_shared(s.id, "focus.decide", "decision", ["x"],
                          participant_id=live.people[0][0].id, facilitator_only=True)
    with pytest.raises(NotAllowed):
        store.save_shared(s.id, "focus.decide", "decision", ["x"], key="forged")
    saved = store.save_shared(s.id, "focus.decide", "decision", ["x"], key=live.key)
    assert saved.version == 1
    assert store.shared(s.id, "focus.decide")["decision"].by_facilitator


def test_strangers_cannot_write_shared_work(live):
    other = live.store.create_session("Other", live.key)
    with pytest.raises(NotAllowed, match="Join"):
        live.store.save_shared(other.id, "canvas", "aim", "x",
                               participant_id=live.people[0][0].id)


def test_datasets_are_kept_per_session_latest_first(live):
    store, s = live.store, live.session
    assert store.dataset(s.id, "care_areas") is None
    with pytest.raises(NotAllowed):
        store.save_dataset(s.id, "care_areas", "a.csv", "h1", "area\nx\n", key=None)
    store.save_dataset(s.id, "care_areas", "a.csv", "h1", "one", key=live.key)
    store.save_dataset(s.id, "care_areas", "b.csv", "h2", "two", key=live.key)
    got = store.dataset(s.id, "care_areas")
    assert (got.name, got.content) == ("b.csv", "two")


def test_a_version_1_store_is_migrated_keeping_its_data(store_url, facilitator_key, store):
    s = store.create_session("Old", facilitator_key)
    back_to_version(store, 1, [schema.shared, schema.datasets])
    again = Store(store_url)
    assert again.get_setting("schema_version") == str(schema.SCHEMA_VERSION)
    assert again.session_by_code(s.code).title == "Old"
    assert {"shared", "datasets"} <= set(sa.inspect(again.engine).get_table_names())
    again.dispose()


def test_items_hold_a_criterion_and_a_200_character_name(live):
    store, s = live.store, live.session
    store.move_stage(s.id, "focus.score", "open", live.key)
    item = "feasible|" + "x" * 200
    store.submit(s.id, live.people[0][0].id, "focus.score", item, 3, "long-item")
    store.save_shared(s.id, "cede.board", '["' + "a" * 200 + '", "' + "d" * 200 + '"]', 1,
                      key=live.key)
    assert store.latest_answers(s.id, "focus.score", 1)[0].item == item
