"""The hostile-string corpus in every free-text field and name, through every view, the
console, the room screen, the report and the exports: shown inertly, and refused with the
limit message where it is over a field limit (nothing saved, nothing cut)."""

from __future__ import annotations

import json
import re

import pytest

from widgets import cede, exports, focus, prototype, tracking
from widgets.report import build
from widgets.server.demo import seed_demo
from widgets.session import JoinError, View, Viewer, join
from widgets.ui.cede.board import DelegationBoard
from widgets.ui.prototype.canvas import CanvasEditor
from widgets.ui.prototype.page import participant_parts
from widgets.ui.prototype.pdsa import PdsaLog
from widgets.ui.prototype.picker import Picker
from widgets.ui.shell.console import Console
from widgets.ui.shell.room import RoomScreen
from widgets.validation import FieldError

CORPUS = [
    "<script>alert('s')</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click me</a>',
    '<svg onload=alert(1)><iframe src="https://evil.example"></iframe>',
    "'; DROP TABLE participants; --",
    'Robert"); DELETE FROM submissions WHERE 1=1; --',
    "\u202eright-to-left\u202c and \u200bzero width",
    "bell \u2407 escape \u241b[31m red (the symbols, not the characters)",
    "🙂 👩🏽‍⚕️ emoji",
    "{{7*7}} ${7*7} <%= 7*7 %>",
    '=HYPERLINK("https://evil.example","x")',
]
HUGE = "x" * 100_000
CONTROL = "bell\x07 escape\x1b[31m red"  # control characters: refused at input with a message
RAW = re.compile(r"<(script|img|iframe|svg onload)|<a\s[^>]*href=\"javascript|onerror=\"alert"
                 r"\(1\)\"(?![^<]*</(text|tspan)>)", re.IGNORECASE)


@pytest.fixture
def store(sqlite_store):
    return sqlite_store


def html_of(widget) -> str:
    out = []

    def walk(w):
        if isinstance(getattr(w, "value", None), str) and type(w).__name__ == "HTML":
            out.append(w.value)
        for c in getattr(w, "children", ()):
            walk(c)
    walk(widget)
    return "\n".join(out)


def inert(html: str) -> None:
    # Every tag from the corpus must arrive escaped; only SVG text may carry it as text.
    for m in RAW.finditer(html):
        before = html[max(0, m.start() - 200):m.start()]
        assert "<tspan" in before or "<text" in before, html[m.start() - 80:m.end() + 80]


def test_every_field_takes_hostile_text_inertly_and_refuses_huge_text(store,
                                                                      facilitator_key):
    session = seed_demo(store, facilitator_key, title=CORPUS[0])
    people = []
    for text in CORPUS:
        person, _ = join(store, session.code, text[:80], named_ok=True)
        people.append(person)
        with pytest.raises((JoinError, FieldError), match="limit is 80"):
            join(store, session.code, HUGE)
    with pytest.raises(JoinError, match="control character"):
        join(store, session.code, CONTROL)
    assert len(people) == len(CORPUS)
    me = View(store, session, Viewer("participant", participant_id=people[0].id))
    fac = View(store, session, Viewer("facilitator", key=facilitator_key))

    # A canvas written entirely in hostile text, then refused whole at 100,000 characters.
    picker = Picker(me)
    picker.title.value = CORPUS[1]
    picker.add()
    editor = CanvasEditor(me, picker)
    for n, (name, box) in enumerate(editor.boxes.items()):
        if name != "timebox_weeks":
            box.value = CORPUS[n % len(CORPUS)]
    editor.team.add(CORPUS[2], True)
    editor.measures.add(name=CORPUS[3], better="higher", definition=CORPUS[4])
    editor.save()
    assert "Saved" in editor.status.text
    saved = prototype.get(me, picker.pid).values
    assert saved["aim"] == editor.boxes["aim"].value.strip()  # kept as typed, not cut
    editor.boxes["cause"].value = HUGE
    editor.save()
    assert "limit is 5,000" in editor.status.text and "Nothing was saved" in \
        editor.status.text
    assert prototype.get(me, picker.pid).values["cause"] != HUGE

    # The PDSA log and a measure's values.
    log = PdsaLog(me, picker)
    log.day.value = "2025-03-03"
    log.boxes["plan"].value = CORPUS[5]
    log.boxes["study"].value = CORPUS[6]
    log.save()
    assert "Saved cycle 1" in log.status.text
    log.which.value = "new"
    log.boxes["plan"].value = HUGE
    log.save()
    assert "limit is 5,000" in log.status.text
    assert len(tracking.cycles(me, picker.pid)) == 1

    # Owners, guardrails and pushback on the Delegation Board.
    board = DelegationBoard(me)
    (area, decision), boxes = next(iter(board.fields.items()))
    boxes["owner"].value = CORPUS[7]
    board.save(area, decision)
    assert "Saved" in board.status.text
    boxes["owner"].value = HUGE
    board.save(area, decision)
    assert "limit is 200" in board.status.text
    boxes["owner"].value = CONTROL
    board.save(area, decision)
    assert "control character" in board.status.text
    assert cede.board(me)[0].owner == CORPUS[7]
    first_area = next(iter(board.plans))
    for f, box in board.plans[first_area].items():
        box.value = CORPUS[8] + f
    board.save_plan(first_area)

    # The facilitator's decision reason, and a new session titled with hostile text.
    store.save_shared(session.id, focus.DECIDE, "decision",
                      {**focus.decision(fac), "reason": CORPUS[9]}, key=facilitator_key)
    console = Console(store, facilitator_key)
    console.new_title.value = HUGE
    console.create()
    assert "limit is 200" in console.status.text
    console.new_title.value = CORPUS[10]
    console.create()
    console.sessions.value = session.id
    console.refresh()

    # Every view shows all of it as text.
    views = {"console": html_of(console.widget),
             "room": html_of(RoomScreen(store, session).widget),
             "participant": "\n".join(html_of(p.widget) for p in participant_parts(me, False)),
             "report": build(fac)}
    for name, html in views.items():
        inert(html)
        assert "&lt;script&gt;" in html or name == "room", name
    data = exports.session_data(fac, individual=True)
    text = exports.to_json(data)
    assert json.loads(text)["session"]["title"] == CORPUS[0]  # kept exactly, as data
    import csv
    import io

    for rows in exports.tables(data).values():
        for row in csv.reader(io.StringIO(exports.to_csv(rows))):
            assert not any(cell.startswith(("=", "+", "-", "@"))
                           and not re.fullmatch(r"-?\d+(\.\d+)?", cell) for cell in row), row
