"""Tampering with participant pages over the widget protocol, as a script on the room's
Wi-Fi could (tests/e2e/protocol.py speaks it, no browser): out-of-range and non-finite
numbers, changed ``min``/``max``/``options``, oversized text, control characters, hidden or
absent buttons clicked. Each either changes nothing or is refused with a message on the
page; the facilitator's state in the store never moves."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from widgets import focus
from widgets.store import schema as t

from .protocol import PageClient


def facilitator_state(store, sid: int) -> list:
    """Everything only the facilitator may change, as rows: the session, its steps, the
    facilitator's shared items and data files. A participant's page must never move it."""
    with store.engine.connect() as conn:
        return [
            # The revision counter moves with every answer; everything else must not.
            list(conn.execute(sa.select(*[c for c in t.sessions.c if c.name != "revision"])
                              .where(t.sessions.c.id == sid))),
            list(conn.execute(sa.select(t.stages).where(t.stages.c.session_id == sid)
                              .order_by(t.stages.c.stage))),
            list(conn.execute(sa.select(t.shared).where(
                t.shared.c.session_id == sid, t.shared.c.by_facilitator.is_(True))
                .order_by(t.shared.c.id))),
            list(conn.execute(sa.select(t.datasets.c.id).where(
                t.datasets.c.session_id == sid))),
        ]


@pytest.fixture
def room(voila_server, seed_session):
    """A session with Asha and Ben; ``room.page(name, notebook)`` opens a person's page
    through the protocol client; at the end the facilitator's state must be unchanged
    since ``room.mark()`` (called after the test has set the session up)."""

    class Room:
        def __init__(self):
            self.seeded = seed_session("Tamper board", ["Asha", "Ben"])
            self.store = self.seeded.store
            self.sid = self.seeded.session.id
            self.key = voila_server.key
            self.pages: list[PageClient] = []
            self.before = None

        def open(self, *stages: str) -> None:
            for stage in stages:
                self.store.move_stage(self.sid, stage, "open", self.key)

        def mark(self) -> None:
            self.before = facilitator_state(self.store, self.sid)

        def page(self, notebook: str, name: str = "Asha") -> PageClient:
            p = PageClient(voila_server.url(notebook, f"p={self.seeded.tokens[name]}"))
            self.pages.append(p.open())
            return p

        def pid(self, name: str = "Asha") -> int:
            return next(p.id for p in self.store.participants(self.sid)
                        if p.display_name == name)

    r = Room()
    yield r
    for p in r.pages:
        p.shutdown()
    if r.before is not None:
        assert facilitator_state(r.store, r.sid) == r.before, "the facilitator's state moved"


# -- Focus: weights ---------------------------------------------------------------------------

def _weights(page: PageClient) -> dict:
    boxes = page.models(model_name="BoundedIntTextModel",
                        description=lambda d: d.endswith("(from the data)") or d.endswith(
                            "(the room's scores)"))
    assert len(boxes) == 9, boxes
    return {b["description"]: b for b in boxes}


def _my_weights(room) -> list:
    return room.store.latest_answers(room.sid, focus.WEIGHTS, 1, participant_id=room.pid())


def _usable(points) -> bool:
    from widgets.validation import FieldError, check_weights

    try:
        check_weights(points, focus.WEIGHTED)
    except FieldError:
        return False
    return True


BAD_WEIGHTS = [
    pytest.param((100000, -99900), id="widened-min-max"),
    pytest.param((10 ** 400, 100 - 10 ** 400), id="huge-integers"),
    pytest.param((float("inf"), float("-inf")), id="infinities"),
    pytest.param((float("nan"), 100), id="nan"),
    pytest.param((100.5, -0.5), id="fractions"),
]


@pytest.mark.parametrize("values", BAD_WEIGHTS)
def test_weights_out_of_range_are_refused_and_nothing_is_saved(room, values):
    room.open(focus.WEIGHTS)
    room.mark()
    page = room.page("01_focus.ipynb")
    boxes = list(_weights(page).values())
    for box, value in zip(boxes, values, strict=False):
        page.update(box, {"min": -10 ** 500, "max": 10 ** 500, "value": value})
    for box in boxes[len(values):]:
        page.set(box, value=0)
    page.click(page.find(description="Save my weights"))
    page.wait_for(lambda p: p.shows("Nothing was saved") or p.shows("Saved your weights"),
                  "a reply to the save")
    # Refused with a message, or (where the box itself would not take the value: a string
    # "inf" for a whole number) saved as the boxes really hold it: never a bad split.
    saved = _my_weights(room)
    assert all(_usable(a.value) for a in saved), saved
    assert bool(saved) == page.shows("Saved your weights")
