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

from ..helpers import answers_kept
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


# -- Prototype: text boxes whose words the kernel reads as numbers and dates --------------------

def _prototype_with_a_measure(room):
    """Asha's prototype with one measure (target 6), no cycles and no values yet."""
    from widgets import prototype
    from widgets.session import View, Viewer

    room.store.save_shared(room.sid, focus.DECIDE, "decision",
                           {"areas": ["Frailty and falls"], "reason": "", "n": 1}, key=room.key)
    view = View(room.store, room.store.session(room.sid),
                Viewer("participant", participant_id=room.pid()))
    p = prototype.create(view, "Frailty and falls", "Night rounding")
    prototype.save_fields(view, p.id, {"measures": [
        {"id": "m1", "name": "Night falls", "kind": "outcome", "better": "lower",
         "definition": "Falls at night, weekly", "target": 6.0}]}, {})
    return view, p


PROTOTYPE_TAMPERING = [
    pytest.param("Target (a number, optional)", "1e400", "Save the canvas", id="target-1e400"),
    pytest.param("Target (a number, optional)", "-1e13", "Save the canvas",
                 id="target-past-limit"),
    pytest.param("Date the cycle starts", "0001-03-03", "Save the cycle", id="cycle-year-1"),
    pytest.param("Date", "2999-01-01", "Add the value", id="value-year-2999"),
]


@pytest.mark.parametrize(("box", "typed", "button"), PROTOTYPE_TAMPERING)
def test_prototype_numbers_and_dates_past_their_limits_are_refused(room, box, typed, button):
    """A box that takes words (a target, a date) is read by the kernel: 1e400 reads as
    infinity and 0001-03-03 as a real day. Module logic refuses both; nothing is stored."""
    import math

    from widgets import prototype, tracking

    view, p = _prototype_with_a_measure(room)
    room.mark()
    page = room.page("03_prototype.ipynb")
    page.set(page.find(description=tracking.CYCLE_FIELDS["plan"]), value="Round hourly")
    page.set(page.find(description="Value"), value="4")
    page.set(page.find(description=box), value=typed)
    assert not any(page.shows(t) for t in ("Nothing was", "Saved", "Added"))
    page.click(page.find(description=button))
    page.wait_for(lambda pg: pg.shows("Nothing was") or pg.shows("Saved") or pg.shows("Added"),
                  "a reply to the click")
    target = prototype.get(view, p.id).values["measures"][0]["target"]
    assert math.isfinite(target) and target == 6.0, target
    assert tracking.cycles(view, p.id) == []
    assert tracking.series(view, p.id, "m1").points == []
    assert page.shows("Nothing was")


# -- every input and button of every participant page ------------------------------------------

HUGE = 10 ** 400
# Last, a number no box should let through ("1e400" reads as infinity): every text box
# keeps it when the buttons are clicked, so a form saved then holds it in every field.
HOSTILE_TEXT = ["x" * 6000, "Ward 7\x00\x07\x08\x1b[2J", "\u202eevil", "1e400"]
PARTICIPANT_PAGES = ["00_readiness.ipynb", "01_focus.ipynb", "02_cede.ipynb",
                     "03_prototype.ipynb"]


def _hostile_updates(model) -> list[dict]:
    """What a script might send a model instead of what its control allows."""
    name = model.name
    if name in ("TextModel", "TextareaModel", "ComboboxModel"):
        return [{"value": v} for v in HOSTILE_TEXT]
    if "IntText" in name or "FloatText" in name or "Slider" in name:
        return [{"min": -HUGE, "max": HUGE, "value": HUGE},
                {"min": -HUGE, "max": HUGE, "value": -HUGE},
                {"value": 1e300}]
    if name in ("ToggleButtonsModel", "DropdownModel", "RadioButtonsModel", "SelectModel"):
        return [{"index": 999}, {"index": -5},
                {"_options_labels": ["9", "99"], "index": 1}]
    if name in ("CheckboxModel", "ToggleButtonModel"):
        return [{"value": "yes"}, {"value": True}]
    if name == "DatePickerModel":
        return [{"value": {"year": 99999, "month": 13, "date": 40}}]
    return []


def _votes_are_valid(store, sid: int, pid: int) -> list[str]:
    """Every vote the person holds passes the module's own check (nothing bad got in)."""
    from widgets import cede, prototype
    from widgets.content import READINESS, READINESS_SCALE
    from widgets.delegation_levels import BY_NUMBER

    bad = []
    for a in answers_kept(store, sid):
        if a.participant_id != pid:
            continue
        v = a.value
        ok = {
            "readiness": lambda v: v is None or (type(v) is int and v in READINESS_SCALE),
            focus.SCORE: lambda v: v is None or (type(v) is int and v in focus.SCORE_SCALE),
            focus.WEIGHTS: _usable,
            cede.POKER: lambda v: type(v) is int and v in BY_NUMBER,
            prototype.COMMIT: lambda v: type(v) is int and v in prototype.COMMITMENT,
        }.get(a.stage, lambda v: True)
        if not ok(v):
            bad.append(f"{a.stage} {a.item}: {v!r}"[:200])
    assert READINESS  # (the statements exist; items are checked by the module)
    return bad


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _shared_text_is_clean(store, sid: int, pid: int) -> list[str]:
    """Shared work the person saved holds no control character and no text over the
    longest field limit (5,000 characters)."""
    import json

    from widgets.validation import LIMITS, control_problem

    bad = []
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(t.shared.c.item, t.shared.c.payload).where(
            t.shared.c.session_id == sid, t.shared.c.participant_id == pid))
        for item, payload in rows:
            for text in _strings(json.loads(payload)):
                if control_problem(text) or len(text) > LIMITS["long"]:
                    bad.append(f"{item}: {text[:60]!r} ({len(text)} characters)")
    return bad


def _prototype_work_is_valid(store, session, pid: int) -> list[str]:
    """Canvases, cycles and measure values the person saved pass the Prototype module's
    own checks (a measure's target of 1e400, a timebox past its range, an unreal date)."""
    import json

    from widgets import prototype, tracking
    from widgets.session import View, Viewer
    from widgets.validation import MEASURE_MAGNITUDE, FieldError, check_date, check_number

    view = View(store, session, Viewer("participant", participant_id=pid))
    with store.engine.connect() as conn:
        rows = list(conn.execute(sa.select(t.shared.c.stage, t.shared.c.item,
                                           t.shared.c.payload).where(
            t.shared.c.session_id == session.id, t.shared.c.participant_id == pid)))
    bad = []
    for stage, item, payload in rows:
        value, bits = json.loads(payload), prototype.parts(item)
        try:
            if stage == prototype.DESIGN and bits[0] == "canvas" and bits[2] not in (
                    "created", "removed"):
                prototype.check_field(view, prototype.get(view, bits[1]), bits[2], value)
            elif stage == prototype.TRACK and bits[0] == "cycle":
                tracking.check_cycle(value)
            elif stage == prototype.TRACK and bits[0] == "values":
                for day, number in value:
                    check_date(day, "A value's date")
                    check_number(number, -MEASURE_MAGNITUDE, MEASURE_MAGNITUDE, "A value",
                                 whole=False)
        except FieldError as err:
            bad.append(f"{stage} {item}: {err}"[:200])
    return bad


@pytest.fixture(scope="module")
def demo_room(voila_server):
    from .conftest import demo_with_ada

    return demo_with_ada(voila_server, "Tamper everything",
                         new_round=("readiness", "focus.score", "focus.weights",
                                    "cede.poker", "prototype.commit"))


@pytest.mark.parametrize("notebook", PARTICIPANT_PAGES)
def test_every_input_and_button_of_a_participant_page_refuses_tampering(
        voila_server, demo_room, notebook):
    from widgets.store import Store

    session, token = demo_room
    store = Store(voila_server.db_url)
    try:
        before = facilitator_state(store, session.id)
        ada = next(p for p in store.participants(session.id) if p.display_name == "Ada")
        with PageClient(voila_server.url(notebook, f"p={token}")) as page:
            for model in page.models():
                for state in _hostile_updates(model):
                    if model.alive:
                        page.update(model, state)
            for model in page.models(model_name="ButtonModel"):
                if model.alive:
                    page.click(model)
            page.refresh_states()  # the kernel still answers
            page.shutdown()
        assert facilitator_state(store, session.id) == before
        assert not _votes_are_valid(store, session.id, ada.id), "a bad vote was stored"
        assert not _shared_text_is_clean(store, session.id, ada.id)
        assert not _prototype_work_is_valid(store, session, ada.id)
    finally:
        store.dispose()
