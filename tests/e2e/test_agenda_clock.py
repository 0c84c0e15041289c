"""The room follows the facilitator: the room screen and a participant's page move from one
step to the next with the countdown, which runs in the browser (even one whose clock is an
hour out) while the kernel stays quiet."""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta

from .conftest import PHONE, axe_problems, open_console, wait_ready

LEFT = re.compile(r"(\d+):(\d\d) left")


def minutes_left(page, label: str) -> float:
    box = page.locator(".cd-countdown").filter(has_text=label).first
    box.get_by_text(LEFT).wait_for()
    m = LEFT.search(box.inner_text())
    return int(m.group(1)) + int(m.group(2)) / 60


def test_room_and_participant_follow_the_facilitator(voila_server, new_page, seed_session):
    server = voila_server
    seeded = seed_session("Agenda day", ["Asha"])

    fac = open_console(new_page, server, seeded.session)
    fac.locator(".cd-agenda caption", has_text="One three-hour session (180 minutes)").wait_for()

    room = new_page()
    room.goto(server.url("room.ipynb", f"room={seeded.session.room_token}"))
    wait_ready(room, "Waiting to start")

    # Asha's laptop clock is an hour fast: her countdown must still be right.
    phone = new_page(PHONE)
    phone.clock.install(time=datetime.now() + timedelta(hours=1))
    phone.goto(server.url("00_start.ipynb", f"p={seeded.tokens['Asha']}"))
    wait_ready(phone, "Welcome, Asha")
    assert phone.evaluate("Date.now()") / 1000 - time.time() > 3000  # an hour out, truly

    # Step one: the facilitator opens the readiness check; the clock starts.
    fac.locator(".cd-stage-readiness").get_by_role("button", name="Open for answers").click()
    fac.get_by_text("The clock is running: 10 minutes.").wait_for()
    room.get_by_text("Now: Board readiness check").first.wait_for()
    assert 9 <= minutes_left(room, "Time left for Board readiness check") <= 10
    phone.get_by_role("link", name="Go to Board readiness check").click()
    wait_ready(phone, "Time left for Board readiness check")
    assert 9 <= minutes_left(phone, "Time left for Board readiness check") <= 10
    first = room.locator(".cd-countdown-time").first.inner_text()
    room.wait_for_timeout(2200)
    assert room.locator(".cd-countdown-time").first.inner_text() != first  # it ticks

    # Step two: the room moves to Focus; both screens follow, with the new clock.
    fac.locator(".cd-stage-focus-shortlist").get_by_role(
        "button", name="Move the room to this step").click()
    room.get_by_text("Now: Focus: look at the data and shortlist").first.wait_for()
    assert 14 <= minutes_left(room, "Time left for Focus: look at the data") <= 15
    phone.get_by_text("The room has moved on to").wait_for()
    phone.get_by_role("link", name="Go there now").click()
    wait_ready(phone, "Time left for Focus: look at the data and shortlist")
    assert 14 <= minutes_left(phone, "Time left for Focus") <= 15
    assert not axe_problems(phone)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # Five more minutes from the console reach everyone; the agenda marks the step.
    fac.get_by_role("button", name="5 more minutes").click()
    fac.get_by_text("Added 5 minutes").wait_for()
    room.get_by_text(re.compile(r"(19|20):\d\d left")).first.wait_for()
    assert fac.locator("tr[aria-current=step]").inner_text().startswith("0:20")
    assert not axe_problems(room)
    assert not axe_problems(fac)

    assert new_page.watch.outside == []
    assert new_page.watch.errors == []
