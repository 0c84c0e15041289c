"""The check-in in Chromium (issue 20): a demonstration workshop; two teams update their
measures by their personal links, one crossing into a special cause of concern; the
facilitator starts the check-in and its portfolio puts that prototype first; a private keep,
change or stop round is revealed; a delegation review moves one decision towards the front
line; the board paper downloads and opens offline with no console errors and no serious
accessibility problem. The room screen shows the open check-in's portfolio and its reveal."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from widgets import check_in, prototype
from widgets.delegation_levels import BY_NUMBER
from widgets.server.demo import seed_demo
from widgets.session import View, Viewer, join
from widgets.store import Store

from .conftest import PHONE, axe_problems, download_and_open_offline, open_console, wait_ready
from .layout_checks import SMALL_TARGETS

HELD = date.today() + timedelta(days=91)  # the demo's guardrails come up for review in 90


def _add_value(page, label: str, measure: str, value: str) -> None:
    page.get_by_label("Prototype to work on").first.select_option(label=label)
    page.get_by_label("Measure", exact=True).first.select_option(label=measure)
    page.get_by_label("Date", exact=True).first.fill(date.today().isoformat())
    page.get_by_label("Value", exact=True).first.fill(value)
    page.get_by_role("button", name="Add the value", exact=True).first.click()


def test_check_in_round(voila_server, new_page, tmp_path):
    server = voila_server
    store = Store(server.db_url)
    try:
        session = seed_demo(store, server.key, title="Check-in day")
        tokens = {n: join(store, session.code, n, named_ok=True)[1] for n in ("Ada", "Bo")}
        view = View(store, session, Viewer("room"))
        found = prototype.prototypes(view)
        label = {p.id: f"{p.area}: {p.title}" for p in found}
        calm, worried = found[0], found[1]
    finally:
        store.dispose()

    # Two teams add this week's values from their personal links; Bo's overtime is far
    # above its limits, on a measure where lower is better.
    ada = new_page(PHONE)
    ada.goto(server.url("03_prototype.ipynb", f"p={tokens['Ada']}"))
    wait_ready(ada, "Measures over time")
    _add_value(ada, label[calm.id], "Patients seen within the standard (outcome)", "71")
    ada.get_by_text("Added").first.wait_for()
    bo = new_page()
    bo.goto(server.url("03_prototype.ipynb", f"p={tokens['Bo']}"))
    wait_ready(bo, "Measures over time")
    _add_value(bo, label[worried.id], "Staff overtime hours (balancing)", "95")
    bo.get_by_text("Added").first.wait_for()

    # The facilitator starts the check-in; its portfolio puts Bo's prototype first.
    fac = open_console(new_page, server, session)
    fac.get_by_label("Show the tools for").select_option(label="The check-in")
    fac.get_by_label("Date of the check-in").fill(HELD.isoformat())
    fac.get_by_role("button", name="Start a check-in").click()
    fac.get_by_text("Check-in 1, ").first.wait_for()
    first_row = fac.locator("table.cd-portfolio tbody tr").first
    first_row.get_by_text(worried.title).wait_for()
    assert "Special cause of concern" in first_row.inner_text()
    # The room screen shows the open check-in's portfolio, that prototype first.
    room = new_page()
    room.goto(server.url("room.ipynb", f"room={session.room_token}"))
    wait_ready(room, "Check-in 1, ")
    room.locator("table.cd-portfolio tbody tr").first.get_by_text(worried.title).wait_for(
        state="attached")

    # Everyone answers keep, change or stop privately on the check-in page.
    fac.get_by_role("button", name="Open for answers: Keep, change or stop").click()
    pages = {}
    for name in ("Ada", "Bo"):
        page = ada if name == "Ada" else bo
        page.goto(server.url("04_check_in.ipynb", f"p={tokens[name]}"))
        wait_ready(page, "Keep, change or stop is open")
        pages[name] = page
    first = pages["Bo"].locator("table.cd-portfolio tbody tr").first
    first.get_by_text(worried.title).wait_for()
    assert not axe_problems(pages["Ada"])  # while answering, on a phone
    assert pages["Ada"].evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert pages["Ada"].evaluate(SMALL_TARGETS, 44) == []  # every tap target 44 px or more
    for name, answer in (("Ada", "Change course"), ("Bo", "Change course")):
        row = pages[name].locator(".cd-rating").filter(has_text=worried.title)
        row.get_by_role("button", name=answer, exact=True).click()
        pages[name].get_by_text(f"Saved your answer for “{worried.title}”").wait_for()
    assert pages["Bo"].get_by_text("Change course: 2").count() == 0  # private until revealed
    # A reload brings back Ada's saved answer.
    pages["Ada"].reload()
    wait_ready(pages["Ada"], "Keep, change or stop is open")
    row = pages["Ada"].locator(".cd-rating").filter(has_text=worried.title)
    expect(row.get_by_role("button", name="Change course", exact=True)).to_have_attribute(
        "aria-pressed", "true", timeout=30_000)
    # A bad date in the team's update: a message in the page, nothing saved.
    card = pages["Bo"].locator(".cd-card").filter(has_text="the leaders promised").first
    card.get_by_label(re.compile("^Due date for")).fill("3-4-25")
    card.get_by_role("button", name=re.compile("^Save")).click()
    pages["Bo"].get_by_text("not a date this kit can read").first.wait_for()
    assert not axe_problems(pages["Bo"])  # with an error showing
    fac.get_by_text("2 of ").first.wait_for()
    fac.get_by_role("button", name="Close answers: Keep, change or stop").click()
    fac.get_by_role("button", name="Reveal to the room…: Keep, change or stop").click()
    fac.get_by_role("button", name="Yes, reveal to the room: Keep, change or stop").click()
    pages["Bo"].get_by_text("Change course: 2 (Ada, Bo)").first.wait_for()
    assert not axe_problems(pages["Bo"])  # after the reveal
    # The room's table, first on the screen: the prototype's row, "Change course" 2 (Ada, Bo).
    said = room.locator("table.cd-ci-keep-room tbody tr").filter(has_text=worried.title)
    said.get_by_role("cell", name="2 (Ada, Bo)").wait_for()
    assert not axe_problems(room)

    # The board's decision, with a reason.
    card = fac.locator(".cd-card").filter(has_text="Why (for " + worried.title)
    card.get_by_role("button", name="Change course", exact=True).click()
    card.get_by_label(f"Why (for {worried.title})").fill("Overtime rose: cover the huddle")
    card.get_by_role("button", name="Record the decision").click()
    fac.get_by_text(f"Recorded “Change course” for “{worried.title}”").wait_for()

    # The delegation review moves one decision towards the front line.
    store = Store(server.db_url)
    try:
        fview = View(store, store.session(session.id), Viewer("facilitator", key=server.key))
        sitting = check_in.current(fview)
        item = check_in.due_for_review(fview, sitting.held_on)[0]
    finally:
        store.dispose()
    fac.get_by_role("button", name="Open for answers: Delegation review").click()
    for page in pages.values():
        page.get_by_text("Delegation review is open").first.wait_for()
        box = page.locator(".cd-rating").filter(has_text=item.decision).first
        box.get_by_role("button", name="Yes, they held").click()
        box.get_by_role("button", name="Move towards the front line").click()
        page.get_by_text(f"Saved your review of “{item.decision}”").wait_for()
    fac.get_by_role("button", name="Close answers: Delegation review").click()
    fac.get_by_role("button", name="Reveal to the room…: Delegation review").click()
    fac.get_by_role("button", name="Yes, reveal to the room: Delegation review").click()
    pages["Ada"].get_by_text("2 said the guardrails held").first.wait_for()
    card = fac.locator(".cd-card").filter(has_text=f"Why (for {item.decision})").first
    to = item.level + 1
    card.get_by_role("button", name=f"{to} {BY_NUMBER[to].name}", exact=True).click()
    card.get_by_label(f"Why (for {item.decision})").fill("The guardrails held all quarter")
    card.get_by_role("button", name="Record the level").click()
    fac.get_by_text("moved towards the front line").first.wait_for()

    # The board paper downloads and opens offline.
    paper = download_and_open_offline(
        fac, new_page, tmp_path, "Prepare the check-in's board paper (HTML, prints on A4)",
        "Download the check-in's board paper", "board-paper.html")
    reader, outside = paper.page, paper.outside
    reader.get_by_role("heading", name="The portfolio", exact=True).wait_for()
    reader.get_by_text("Overtime rose: cover the huddle").wait_for()
    reader.get_by_text("moved towards the front line").first.wait_for()
    assert reader.locator("svg[role=img]").count() >= 3
    assert outside == []
    assert not axe_problems(reader)
    assert new_page.watch.errors == []
