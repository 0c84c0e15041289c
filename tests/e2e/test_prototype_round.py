"""Prototype in Chromium: a canvas filled on a phone with the check's prompts, seen by another
participant, a private commitment round revealed and flagged, a PDSA cycle logged, twenty
weekly values that the chart reads as a shift for the better, all surviving a reload."""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import expect

from widgets import focus

from .conftest import PHONE, axe_problems, open_console, wait_ready

AREA = "Frailty and falls"
NAME = "Night rounding on Ward 7"
AIM = "Aim: what, how much, by when"
VALUES = [10, 12] * 7 + [14, 14.5, 14, 14.5, 14, 14.5]


def test_prototype_round(voila_server, new_page, seed_session):
    server = voila_server
    seeded = seed_session("Prototype day", ["Asha", "Ben", "Chen"], unnamed=("Ben",))
    store, sid, key = seeded.store, seeded.session.id, server.key
    store.save_shared(sid, focus.DECIDE, "decision", {"areas": [AREA], "reason": "", "n": 1},
                      key=key)

    fac = open_console(new_page, server, seeded.session)
    fac.locator(".cd-stage-prototype-design").get_by_role(
        "button", name="Move the room to this step").click()

    room = new_page()
    room.goto(server.url("room.ipynb", f"room={seeded.session.room_token}"))
    wait_ready(room, "Now:")
    room.get_by_text("Prototype: design small tests of change").first.wait_for()

    # Asha, on her phone, starts a canvas; the prompts point at what is missing.
    asha = new_page(PHONE)
    asha.goto(server.url("03_prototype.ipynb", f"p={seeded.tokens['Asha']}"))
    wait_ready(asha, "No prototypes yet")
    asha.get_by_label("Name of the new prototype").fill(NAME)
    asha.get_by_role("button", name="Start a new prototype").click()
    asha.get_by_text(f"Started “{NAME}”").wait_for()
    asha.get_by_label(AIM).fill("Fewer falls at night")
    asha.get_by_text("How much? Put a number in the aim").wait_for()
    asha.get_by_label(AIM).fill("Raise night rounds done from 11 to 14 a week by June 2025")
    asha.get_by_label("Drivers (one per line").fill(
        "Patients are supervised at night\n- Hourly rounds\n-- Rounding chart")
    asha.get_by_role("button", name="Add a measure").click()
    asha.get_by_label("Measure 1", exact=True).fill("Night rounds done a week")
    asha.get_by_label("Which way is better").select_option(label="Higher is better")
    asha.get_by_label("Timebox (weeks)").fill("twenty")
    asha.get_by_role("button", name="Save the canvas").click()
    asha.get_by_text("is not a number of weeks").wait_for()
    assert not axe_problems(asha)  # with an error showing
    asha.get_by_label("Timebox (weeks)").fill("20")
    asha.get_by_role("button", name="Save the canvas").click()
    asha.get_by_text("Saved the canvas").wait_for()
    asha.get_by_text("20 weeks is long for a first test").wait_for()  # a prompt, not a block
    asha.get_by_text("The aim rests on 1 primary driver").first.wait_for()
    assert not axe_problems(asha)  # while answering
    assert asha.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # Chen sees Asha's canvas as it was saved, and the room sees the prototype.
    chen = new_page()
    chen.goto(server.url("03_prototype.ipynb", f"p={seeded.tokens['Chen']}"))
    wait_ready(chen, "The canvas")
    expect(chen.get_by_label(AIM)).to_have_value(
        "Raise night rounds done from 11 to 14 a week by June 2025", timeout=30_000)
    room.get_by_text(NAME).first.wait_for()

    # The commitment round: private, then revealed, then flagged against the threshold.
    commit = fac.locator(".cd-stage-prototype-commit")
    commit.get_by_role("button", name="Open for answers").click()
    commit.get_by_text("Open for answers, round 1").wait_for()
    ben = new_page()
    ben.goto(server.url("03_prototype.ipynb", f"p={seeded.tokens['Ben']}"))
    wait_ready(ben, "The canvas")
    for page, answer in ((asha, "I will help make this happen"), (ben, "I support it"),
                         (chen, "I will help make this happen")):
        row = page.locator(".cd-rating").filter(has_text=NAME)
        row.get_by_role("button", name=answer, exact=True).click()
        page.get_by_text(f"Saved your rating for “{AREA}: {NAME}”").wait_for()
    commit.get_by_text("3 of 3 answered").wait_for()
    ben.get_by_text("Answers stay private until the facilitator reveals them").wait_for()
    assert ben.get_by_text("Not enough energy").count() == 0
    commit.get_by_role("button", name="Close answers").click()
    commit.get_by_role("button", name="Reveal to the room…").click()
    commit.get_by_role("button", name="Yes, reveal to the room").click()
    for page in (ben, room, fac):
        page.get_by_text("Not enough energy yet").first.wait_for()
    assert ben.get_by_text("Asha, Chen").count() >= 1  # Ben's support is not named
    assert not axe_problems(room)  # after reveal
    fac.get_by_label("Helpers needed for each prototype").select_option(label="2")
    fac.get_by_role("button", name="Set the threshold").click()
    ben.get_by_text("1 of 1 prototype has at least 2 people").wait_for()
    assert ben.get_by_text("Not enough energy yet").count() == 0

    # Tracking: Chen logs the first PDSA cycle (a bad date first), then twenty weeks of values.
    fac.locator(".cd-stage-prototype-track").get_by_role(
        "button", name="Move the room to this step").click()
    chen.get_by_label("Date the cycle starts").fill("3-1-25")
    chen.get_by_label("Plan: what we will do, who, where, when", exact=True).fill(
        "Two nurses try hourly rounds for a week")
    chen.get_by_label("Prediction: what we expect to happen", exact=True).fill(
        "Rounds rise to 14 a week")
    chen.get_by_role("button", name="Save the cycle").click()
    chen.get_by_text("not a date this kit can read").wait_for()
    chen.get_by_label("Date the cycle starts").fill("2025-04-07")
    chen.get_by_role("button", name="Save the cycle").click()
    chen.get_by_text("Saved cycle 1").wait_for()
    chen.get_by_text("Cycle 1, 7 Apr 2025: not decided yet").wait_for()

    day, value = chen.get_by_label("Date", exact=True), chen.get_by_label("Value", exact=True)
    add = chen.get_by_role("button", name="Add the value", exact=True)
    for i, v in enumerate(VALUES):
        when = date(2025, 1, 6) + timedelta(weeks=i)
        day.fill(when.isoformat())
        value.fill(str(v))
        add.click()
        chen.get_by_text(f"Added {v:g} for {when.day} {when:%b %Y}").wait_for()
    sentence = "Special cause improvement: 7 points above the mean since 7 Apr 2025."
    chen.get_by_text(sentence).first.wait_for()
    chen.get_by_text("Variation (latest point): Special cause improvement").wait_for()
    assert not axe_problems(chen)  # after the chart is drawn
    room.get_by_text(sentence).first.wait_for()

    # A reload keeps the canvas, the log and the chart.
    chen.reload()
    wait_ready(chen, "The canvas")
    expect(chen.get_by_label(AIM)).to_have_value(
        "Raise night rounds done from 11 to 14 a week by June 2025", timeout=30_000)
    chen.get_by_text("Cycle 1, 7 Apr 2025").wait_for()
    chen.get_by_text(sentence).first.wait_for()

    assert new_page.watch.outside == []
    assert new_page.watch.errors == []
