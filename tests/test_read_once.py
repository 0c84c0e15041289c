"""A refresh reads a module's state once: every part of a page is given the same snapshot,
so a page of eight parts does not ask the database eight times for the same design work.

The store is wrapped to count its reads; a refresh after a change must ask each question
(the same method with the same arguments) at most once.
"""

from __future__ import annotations

from collections import Counter

import pytest

from widgets import cede, focus, prototype
from widgets.server.demo import seed_demo
from widgets.session import READS, View, Viewer
from widgets.ui.pages import _Module

from .helpers import AREAS, pview


@pytest.fixture
def store(sqlite_store):
    return sqlite_store


def counting(monkeypatch, store) -> Counter:
    """Count every read method's calls on ``store`` by its arguments."""
    asked: Counter = Counter()
    for name in READS:
        real = getattr(store, name)

        def read(*args, _name=name, _real=real, **kwargs):
            asked[(_name, args, tuple(sorted(kwargs.items())))] += 1
            return _real(*args, **kwargs)
        monkeypatch.setattr(store, name, read)
    return asked


def twice(asked: Counter) -> list:
    return sorted((n, k) for k, n in asked.items() if n > 1)


def module(view: View, parts_of) -> _Module:
    parts = parts_of(view, False)
    return _Module(view, parts, [p.widget for p in parts])


def test_the_prototype_page_reads_the_design_work_once_per_refresh(room, monkeypatch):
    from widgets.ui.prototype.page import participant_parts

    v = pview(room, 0)
    p = prototype.create(v, AREAS[0], "Night rounding")
    page = module(v, participant_parts)
    prototype.save_fields(v, p.id, {"aim": "Fewer falls at night"}, {})
    asked = counting(monkeypatch, room.store)
    page.refresh()
    assert asked[("shared", (room.session.id, prototype.DESIGN), ())] == 1
    assert not twice(asked), twice(asked)


def test_the_focus_and_cede_pages_read_their_state_once_per_refresh(store, facilitator_key,
                                                                    monkeypatch):
    from widgets.ui.cede.page import participant_parts as cede_parts
    from widgets.ui.focus.page import participant_parts as focus_parts

    session = seed_demo(store, facilitator_key)
    person = store.participants(session.id)[0]
    v = View(store, session, Viewer("participant", participant_id=person.id))
    pages = [module(v, focus_parts), module(v, cede_parts)]
    cede.save_pushback(v, focus.decision(v)["areas"][0], {"who": "GPs"})
    asked = counting(monkeypatch, store)
    for page in pages:
        page.refresh()
        assert not twice(asked), twice(asked)
        asked.clear()


def test_a_write_during_a_refresh_is_read_back(room):
    """The snapshot is for reading: a change made while it is held is seen at once."""
    v = pview(room, 0)
    with v.one_snapshot():
        assert prototype.prototypes(v) == []
        prototype.create(v, AREAS[0], "Night rounding")
        assert [p.label for p in prototype.prototypes(v)] != []
    assert v.store is room.store  # the snapshot is gone once the refresh ends
