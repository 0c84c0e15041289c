"""Results worked out once per session and kept in the store (schema version 5), on SQLite
and PostgreSQL."""

from __future__ import annotations

from widgets.store import Store, schema

from .helpers import back_to_version

KIND = "focus.results"


def test_a_result_is_kept_once_and_read_back(store, facilitator_key):
    s = store.create_session("Kept", facilitator_key)
    assert store.worked_out(s.id, KIND, "a" * 64) is None
    assert store.keep_worked_out(s.id, KIND, "a" * 64, {"ranking": [1.5, None], "n": 3})
    assert not store.keep_worked_out(s.id, KIND, "a" * 64, {"other": True})  # first one stays
    assert store.worked_out(s.id, KIND, "a" * 64) == {"ranking": [1.5, None], "n": 3}
    assert store.worked_out(s.id, KIND, "b" * 64) is None  # other inputs: nothing kept
    assert store.worked_out(s.id, "other.kind", "a" * 64) is None


def test_a_version_4_store_is_brought_forward(store_url, facilitator_key, store):
    s = store.create_session("Old", facilitator_key)
    back_to_version(store, 4, [schema.worked_out])
    again = Store(store_url)
    assert again.get_setting("schema_version") == str(schema.SCHEMA_VERSION) == "5"
    assert again.session_by_code(s.code).title == "Old"
    assert again.worked_out(s.id, KIND, "0" * 64) is None
    assert again.keep_worked_out(s.id, KIND, "0" * 64, {"ready": False})
    assert again.worked_out(s.id, KIND, "0" * 64) == {"ready": False}
    again.dispose()
