"""A page's refresh reads the store once per question (``View.one_snapshot``): any store
call that is not one of the snapshot's reads (``session.READS``) is taken for a write and
forgets every answer, so each part after it reads the database again. Every page's
refresh must therefore make reads only, on a workshop with a check-in under way as on one
without."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from widgets import check_in, prototype
from widgets.session import READS, Snapshot


@pytest.fixture
def not_reads(monkeypatch):
    """The names of store calls a snapshot took for writes, in the order made."""
    made: list[str] = []
    real = Snapshot.__getattr__

    def watch(self, name):
        found = real(self, name)
        if callable(found) and name not in READS and name != "revision":
            def call(*args, **kwargs):
                made.append(name)
                return found(*args, **kwargs)
            return call
        return found

    monkeypatch.setattr(Snapshot, "__getattr__", watch)
    return made


def pages(demo, token: str):
    from widgets.ui.cede.page import participant_parts as cede_parts
    from widgets.ui.check_in.page import participant_parts as check_in_parts
    from widgets.ui.focus.page import participant_parts as focus_parts
    from widgets.ui.prototype.page import participant_parts as prototype_parts
    from widgets.ui.shell.room import RoomScreen

    person = demo.person(0)
    yield "room screen", demo.room(), [RoomScreen(demo.store, demo.store.session(demo.sid))]
    for name, build in (("focus", focus_parts), ("cede", cede_parts),
                        ("prototype", prototype_parts)):
        yield name, person, build(person, False)
    yield "check-in", person, check_in_parts(person, token)


@pytest.mark.parametrize("with_check_in", [False, True], ids=["workshop", "check-in"])
def test_every_pages_refresh_only_reads(demo_copy, not_reads, with_check_in):
    demo = demo_copy
    if with_check_in:
        fac = demo.fac()
        s = check_in.start(fac, date.today() + timedelta(days=1))
        check_in.move_round(fac, s, check_in.KEEP, "open")
        check_in.submit_keep(demo.person(1), s, prototype.prototypes(fac)[0].id, "keep")
    for name, view, parts in pages(demo, "a-personal-link"):
        not_reads.clear()
        with view.one_snapshot():
            view.refresh()
            for part in parts:
                part.refresh()
        assert not_reads == [], f"{name}: {sorted(set(not_reads))} are not snapshot reads"
