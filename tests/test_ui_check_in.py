"""The check-in's screens driven headless (issue 20): the participants' page, the console's
tools and the room screen, on a copy of the demonstration session. Buttons are clicked and
toggle buttons set as a person would; every check reads the screen's own words."""

from __future__ import annotations

import re
from datetime import date, timedelta

import ipywidgets as w
import pytest

from widgets import cede, check_in, prototype, tracking
from widgets.markup import esc
from widgets.ui.check_in.console import (
    CheckInTools,
    DecisionForm,
    FocusChange,
    LevelForm,
    RoundControls,
    StartCheckIn,
)
from widgets.ui.check_in.forms import KeepForm, ReviewForm, UnblockForm
from widgets.ui.check_in.page import participant_parts
from widgets.ui.check_in.room import RoomCheckIn

from .conftest import DemoCopy
from .helpers import find_button

HELD = date.today() + timedelta(days=1)
REVIEW_DAY = date.today() + timedelta(days=91)  # the demo's guardrails come up in 90 days


@pytest.fixture
def demo(demo_copy):
    return demo_copy


def texts(widget) -> str:
    out = []

    def walk(x):
        if isinstance(getattr(x, "value", None), str):
            out.append(x.value)
        if isinstance(x, w.Button):
            out.append(x.description)
        for c in getattr(x, "children", ()):
            walk(c)
    walk(widget)
    return "\n".join(out)


def protos(d: DemoCopy):
    return prototype.prototypes(d.fac())


def test_the_console_starts_a_check_in_from_a_typed_date(demo):
    start = StartCheckIn(demo.fac())
    start.day.value = "3-4-25"  # ambiguous: refused with the forms the kit reads
    start.start_btn.click()
    assert "2025-04-03" in start.status.text and check_in.sittings(demo.fac()) == []
    start.day.value = ""
    start.start_btn.click()
    assert "Type the date" in start.status.text
    start.day.value = HELD.strftime("%d/%m/%Y")
    start.start_btn.click()
    [s] = check_in.sittings(demo.fac())
    assert (s.number, s.held_on, s.state) == (1, HELD, "open")
    assert "Check-in 1" in start.status.text
    start.refresh()
    assert "Check-in 1" in start.history.value and "open now" in start.history.value
    # Close asks first, then closes.
    start.close_btn.click()
    assert "Close Check-in 1" in start.confirm_text.value
    start.yes.click()
    assert check_in.sittings(demo.fac())[0].state == "closed"


def test_a_participant_answers_keep_change_or_stop_privately(demo):
    fac = demo.fac()
    s = check_in.start(fac, HELD)
    ben = demo.person(1)
    form = KeepForm(ben, s)
    pid = protos(demo)[0].id
    assert all(tb.disabled for tb in form.buttons.values())  # not open yet
    controls = RoundControls(fac, s, check_in.KEEP)
    controls.open_btn.click()
    assert "Opened" in controls.status.text and "clock is running: 15 minutes" in \
        controls.status.text
    form.refresh()
    assert not form.buttons[pid].disabled
    form.buttons[pid].value = "stop"
    assert "Saved your answer" in form.status.text
    assert check_in.my_keep(ben, s) == {pid: "stop"}
    # Private: the room and the facilitator see no answers before the reveal.
    room = RoomCheckIn(demo.room())
    assert "stay private until the facilitator reveals" in texts(room.widget)
    for i in (0, 2, 3):
        check_in.submit_keep(demo.person(i), s, pid, "keep")
    controls.refresh()
    controls.close_btn.click()
    controls.reveal_btn.click()
    assert "4 of 8 people answered" in controls.confirm_text.value
    controls.yes.click()
    room.refresh()
    shown = texts(room.widget)
    # The room's table: a row for the prototype, keep going 3, change course 0, stop 1.
    assert "Keep, change or stop: what the room said" in shown
    title = esc(next(r.title for r in check_in.portfolio(demo.fac(), s) if r.id == pid))
    row = re.search(rf"<tr><th scope='row'>{re.escape(title)}</th>(.*?)</tr>", shown)
    assert row, shown
    cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td>(.*?)</td>", row.group(1))]
    assert cells[0].startswith("3 (") and cells[1:3] == ["0", "1"], cells  # named in brackets
    assert "Ben Hughes" not in shown  # he did not agree to be named
    # A reload of Ben's page shows his saved answer.
    again = KeepForm(demo.person(1), s)
    assert again.buttons[pid].value == "stop"


def test_a_forged_answer_is_refused_and_nothing_is_lost(demo):
    fac = demo.fac()
    s = check_in.start(fac, HELD)
    check_in.move_round(fac, s, check_in.KEEP, "open")
    form = KeepForm(demo.person(0), s)
    pid = protos(demo)[0].id
    form.buttons[pid].value = "keep"
    # A participant sends a value the buttons never offered (over the page's websocket).
    form._on_choice(pid)({"new": "<script>alert(1)</script>", "old": "keep"})
    assert "Your answer" in form.status.text
    assert check_in.my_keep(demo.person(0), s) == {pid: "keep"}


def test_the_board_records_a_stop_with_what_it_taught(demo):
    fac = demo.fac()
    s = check_in.start(fac, HELD)
    form = DecisionForm(fac, s)
    pid = protos(demo)[0].id
    choice, reason, learned = form.rows[pid]
    find_button(form.widget, "Record the decision").click()
    assert "Choose keep going" in form.status.text
    choice.value = "stop"
    reason.value = "Overtime rose"
    form.record(pid)
    assert "what we learned" in form.status.text.lower() and "Nothing" in form.status.text
    assert check_in.decisions(fac, s) == {}
    learned.value = "A huddle needs cover for the ward"
    form.record(pid)
    assert "Recorded “Stop and learn”" in form.status.text
    assert check_in.decisions(fac, s)[pid].learned == "A huddle needs cover for the ward"
    room = RoomCheckIn(demo.room())
    shown = texts(room.widget)
    assert "A huddle needs cover for the ward" in shown and "success of learning" in shown
    reason.value = "x" * 5001  # over the long-text limit: refused, the stop kept
    form.record(pid)
    assert "5000" in form.status.text.replace(",", "")
    assert check_in.decisions(fac, s)[pid].reason == "Overtime rose"


def test_the_delegation_review_moves_a_decision_on_the_board(demo):
    fac = demo.fac()
    s = check_in.start(fac, REVIEW_DAY)
    item = check_in.due_for_review(fac, REVIEW_DAY)[0]
    k = (item.area, item.decision)
    RoundControls(fac, s, check_in.REVIEW).open_btn.click()
    form = ReviewForm(demo.person(0), s)
    held, move = form.rows[k]
    held.value = True
    assert "choose the other answer" in form.status.text
    move.value = "front"
    assert "Saved your review" in form.status.text
    assert check_in.my_review(demo.person(0), s)[k] == {"held": True, "move": "front"}
    levels = LevelForm(fac, s)
    level, said, reason, when = levels.rows[k]
    assert when.value == check_in.next_review_default(s).isoformat()  # a quarter on
    level.value = item.level + 1
    said.value = True
    reason.value = "The guardrails held all quarter"
    when.value = REVIEW_DAY.isoformat()  # not after this check-in: refused, nothing saved
    levels.record(k)
    assert "must come after this check-in" in levels.status.text
    assert check_in.board_history(fac) == []
    later = REVIEW_DAY + timedelta(days=60)
    when.value = later.strftime("%d/%m/%Y")
    levels.record(k)
    assert "moved towards the front line" in levels.status.text
    assert f"Next review {later.day} {later.strftime('%b %Y')}" in levels.status.text
    assert {(r.area, r.decision): r.agreed for r in cede.board(fac)}[k] == item.level + 1
    levels.refresh()  # reviewed: it leaves this sitting's list
    assert k not in levels.rows


def test_focus_held_steady_names_the_area_that_gives_way(demo):
    fac = demo.fac()
    f = FocusChange(fac)
    before = check_in.focus_count(fac).areas
    f.save.click()
    assert "Choose the area to add" in f.status.text
    f.add.value = check_in.candidates(fac)[0]
    f.reason.value = "Waiting times doubled"
    f.save.click()
    assert "gives way" in f.status.text and check_in.focus_count(fac).areas == before
    f.gives_way.value = before[1]
    f.save.click()
    assert "The focus areas are now" in f.status.text
    assert check_in.focus_count(fac).areas[1] == f.add.options[1][1] or \
        check_in.focus_count(fac).areas[1] != before[1]


def test_the_portfolio_puts_a_concern_first_on_every_screen(demo):
    fac = demo.fac()
    s = check_in.start(fac, HELD)
    target = protos(demo)[1]
    tracking.add_points(demo.person(3), target.id, "bal", [(date.today(), 95.0)])
    room = RoomCheckIn(demo.room())
    shown = texts(room.widget)
    assert f"First: “{target.title}”" in shown
    assert "cd-icon cd-icon-concern" in shown and "Special cause of concern" in shown
    # Every icon has its words beside it.
    assert shown.count('class="cd-icon ') <= shown.count("cd-ci-icon")
    tools = CheckInTools(fac)
    tools.refresh()
    assert f"First: “{target.title}”" in texts(tools.widget)
    assert s.number == 1


def test_a_team_updates_its_unblock_promise_by_its_personal_link(demo):
    fac = demo.fac()
    s = check_in.start(fac, HELD)
    form = UnblockForm(demo.person(2), s)
    pid = next(iter(form.fields))
    status, due = form.fields[pid]
    due.value = "3-4-25"
    form.save(pid)
    assert "2025-04-03" in form.status.text and "Nothing was saved" in form.status.text
    status.value = "in hand"
    due.value = (HELD - timedelta(days=2)).isoformat()
    form.save(pid)
    assert "Saved where the promise stands" in form.status.text
    row = next(r for r in check_in.portfolio(fac, s) if r.id == pid)
    assert row.unblocks[0].status == "in hand"
    assert any(x.code == "overdue_unblock" for x in row.reasons)


def test_a_phone_shows_the_open_round_first(demo):
    """Issue 17's one part at a time on a phone, for the check-in: the round that is open is
    the part chosen (the rest marked for the phone's stylesheet to hide), everything while
    no round is open, and a person's own pick holds until a round opens or closes."""
    from widgets.ui.parts import ELSEWHERE, EVERYTHING, Sections

    fac = demo.fac()
    s = check_in.start(fac, HELD)
    parts = participant_parts(demo.person(1), "token")
    following = parts[1]
    sections = following.parts[0]
    assert isinstance(sections, Sections)
    hidden = lambda: [texts(p.widget)[:40] for p in following.parts[1:]  # noqa: E731
                      if ELSEWHERE in p.widget._dom_classes]
    assert sections.choice.value == EVERYTHING and hidden() == []
    check_in.move_round(fac, s, check_in.KEEP, "open")
    for p in parts:
        p.refresh()
    assert sections.choice.value == check_in.stage(s, check_in.KEEP)
    shown = [p for p in following.parts[1:] if ELSEWHERE not in p.widget._dom_classes]
    assert len(shown) == 1 and "Keep, change or stop" in texts(shown[0].widget)
    sections.choice.value = "check_in.portfolio"  # the person looks at the portfolio
    for p in parts:
        p.refresh()
    assert sections.choice.value == "check_in.portfolio"  # kept while the round runs
    assert "The portfolio" in texts(next(p for p in following.parts[1:]
                                         if ELSEWHERE not in p.widget._dom_classes).widget)
    check_in.move_round(fac, s, check_in.KEEP, "close")
    for p in parts:
        p.refresh()
    assert sections.choice.value == EVERYTHING and hidden() == []


def test_the_participants_page_follows_the_check_in(demo):
    fac = demo.fac()
    ben = demo.person(1)
    parts = participant_parts(ben, "token")
    box = w.VBox([p.widget for p in parts])
    assert "No check-in has started yet" in texts(box)
    s = check_in.start(fac, HELD)
    for p in parts:
        p.refresh()
    shown = texts(box)
    assert "Check-in 1" in shown and "The portfolio" in shown and "Keep, change or stop" in shown
    check_in.move_round(fac, s, check_in.KEEP, "open")
    for p in parts:
        p.refresh()
    assert "Keep, change or stop is open" in texts(box)
    # A participant's page never holds the facilitator's controls.
    assert find_button(box, "Open for answers") is None
    assert find_button(box, "Record the decision") is None


def test_the_page_function_needs_a_personal_link(demo, monkeypatch):
    from widgets.ui import pages

    monkeypatch.setattr(pages, "_STORE", demo.store)
    monkeypatch.delenv("SERVER_SOFTWARE", raising=False)
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.delenv("QUERY_STRING", raising=False)
    assert "Open the check-in from your personal link" in texts(pages.check_in_page())
    monkeypatch.setenv("QUERY_STRING", "p=not-a-token")
    assert "This link is not recognised" in texts(pages.check_in_page())
    from widgets.session import join

    _zoe, token = join(demo.store, demo.store.session(demo.sid).code, "Zoe Adams")
    monkeypatch.setenv("QUERY_STRING", f"p={token}")
    shown = texts(pages.check_in_page())
    assert "No check-in has started yet" in shown and "Back to the start page" in shown


def test_the_console_follows_an_open_check_in(demo):
    from widgets.ui.shell.console_tools import ModuleTools

    fac = demo.fac()
    tools = ModuleTools(fac)
    assert tools.choose.value == "prototype"  # the demo's room is on Prototype
    check_in.start(fac, HELD)
    tools.refresh()
    assert tools.choose.value == "check_in"
    assert "Start a check-in" not in [b.description for b in _buttons(tools.widget)]
    assert find_button(tools.widget, "Open for answers") is not None


def _buttons(widget):
    """The buttons on show (a hidden box hides what it holds)."""
    if "cd-hidden" in getattr(widget, "_dom_classes", ()):
        return
    if isinstance(widget, w.Button):
        yield widget
    for c in getattr(widget, "children", ()):
        yield from _buttons(c)


def test_the_console_prepares_the_board_paper(demo):
    from widgets.ui.shell.export_panel import ExportPanel

    panel = ExportPanel(demo.fac())
    panel.prepare("paper")
    assert "no check-in yet" in panel.status.text
    check_in.start(demo.fac(), HELD)
    panel.prepare("paper")
    assert "Ready" in panel.status.text and "board-paper.html" in panel.link.value


def test_idle_check_in_screens_send_nothing(demo):
    """A refresh with nothing new sends no message, on every check-in screen; one change
    sends only what changed."""
    from .helpers import sends_during

    fac = demo.fac()
    s = check_in.start(fac, HELD)
    check_in.move_round(fac, s, check_in.KEEP, "open")
    parts = participant_parts(demo.person(1), "t")
    tools = CheckInTools(fac)
    room = RoomCheckIn(demo.room())

    def refresh_all():
        for p in parts:
            p.refresh()
        tools.refresh()
        room.refresh()
    refresh_all()
    assert sends_during(refresh_all) == []
    check_in.submit_keep(demo.person(2), s, protos(demo)[0].id, "keep")
    sent = sends_during(refresh_all)
    assert sent and len(sent) < 10  # the console's "1 of 8 answered", not whole screens


def test_the_console_says_the_room_is_on_the_open_check_in(demo):
    from widgets.ui.shell.console import Console

    console = Console(demo.store, demo.key, session_code=demo.store.session(demo.sid).code)
    assert "the room is on: Prototype" in console.banner.value
    check_in.start(demo.fac(), HELD)
    console.refresh()
    assert "the room is on: Check-in 1, held on" in console.banner.value


def test_the_room_screen_shows_a_check_in_only_while_one_is_open(demo):
    from widgets.ui.shell.room import RoomScreen

    screen = RoomScreen(demo.store, demo.store.session(demo.sid))
    assert screen.check_in.part is None and "Check-in" not in texts(screen.widget)
    s = check_in.start(demo.fac(), HELD)
    screen.refresh()
    shown = texts(screen.widget)
    assert "Now: <strong>Check-in 1</strong>" in shown
    assert "table class='cd-table cd-portfolio cd-portfolio-room'" in shown  # the room's own
    assert "cd-hidden" in screen.prototype.widget._dom_classes  # the portfolio instead
    check_in.close(demo.fac(), s)
    screen.refresh()
    assert "cd-hidden" in screen.check_in.widget._dom_classes
    assert "Now: <strong>Prototype" in texts(screen.widget)


def test_the_console_looks_back_at_an_earlier_check_in_and_makes_its_paper(demo):
    fac = demo.fac()
    first = check_in.start(fac, HELD)
    pid = protos(demo)[0].id
    check_in.record_decision(fac, first, pid, "keep", "On track")
    check_in.close(fac, first)
    tools = CheckInTools(fac)
    check_in.start(fac, HELD + timedelta(days=30))
    tools.refresh()
    assert tools.pick.value == check_in.current(fac).id  # the new check-in is shown
    assert "Check-in 2" in tools.pick.label
    tools.pick.value = first.id  # look back
    shown = texts(tools.widget)
    assert "On track" in shown
    assert "Open for answers" not in [b.description for b in _buttons(tools.widget)]
    tools.paper_btn.click()
    assert "Ready: the board paper of check-in 1" in tools.status.text
    assert "check-in-1-board-paper.html" in tools.link.value


def test_the_room_shows_first_what_the_room_is_doing(demo):
    """The projector pages a long check-in, so what comes first is what the board sees:
    the portfolio before any round, a round's note (or its result) while it runs; and the
    "Now:" line names the round, its data-stage changing so the page starts at page 1."""
    from widgets.ui.shell.room import RoomScreen

    fac = demo.fac()
    s = check_in.start(fac, HELD)
    screen = RoomScreen(demo.store, demo.store.session(demo.sid))

    def first() -> str:
        order = screen.check_in.part.body.parts[0]
        return texts(order.widget.children[0])

    def now() -> str:
        shown = texts(screen.widget)
        return shown[shown.index("Now:"):][:200]

    assert "cd-portfolio-room" in first()
    before = re.search(r'data-stage="([^"]+)"', texts(screen.widget)).group(1)
    check_in.move_round(fac, s, check_in.KEEP, "open")
    screen.refresh()
    assert "stay private until the facilitator reveals" in first()
    assert "Keep, change or stop (answering now)" in now()
    keep_open = re.search(r'data-stage="([^"]+)"', texts(screen.widget)).group(1)
    assert keep_open != before
    check_in.submit_keep(demo.person(0), s, protos(demo)[0].id, "keep")
    check_in.move_round(fac, s, check_in.KEEP, "reveal")
    screen.refresh()
    assert "Keep, change or stop: what the room said" in first()
    assert "(results revealed)" in now()
    check_in.move_round(fac, s, check_in.REVIEW, "open")
    screen.refresh()
    assert "stay private" in first() and "Delegation review (answering now)" in now()
    order = screen.check_in.part.body.parts[0]
    assert "Due for review today" in texts(order.widget.children[1])
