"""Joining, then reloading, in Chromium through Voila: the person stays who they are.

A phone's pull-to-refresh reloads whatever address the page has. Before, that address was
the bare start page, so a reload showed the empty join form, and joining again counted the
person twice. Now the address becomes the personal link as soon as they join; and when a
duplicate has happened anyway, the console removes it (asking first) and every count drops.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from widgets.session import join as join_session

from .conftest import PHONE, axe_problems, wait_ready


def test_a_reload_after_joining_keeps_the_person_and_adds_nobody(voila_server, new_page,
                                                                seed_session):
    server = voila_server
    seeded = seed_session("Reload day", ["Asha"])
    store, session = seeded.store, seeded.session
    phone = new_page(PHONE)
    phone.goto(server.url("00_start.ipynb", f"code={session.code}"))
    wait_ready(phone, "Session code")
    phone.get_by_label("Your name").fill("Dee")
    phone.get_by_role("button", name="Join", exact=True).click()
    mine = phone.get_by_role("link", name="bookmark this page")
    mine.wait_for()
    href = mine.get_attribute("href")
    assert href.startswith("00_start.ipynb?p=")
    # The address bar now holds the personal link (so a reload or a bookmark keeps Dee) ...
    expect(phone).to_have_url(re.compile(re.escape(href) + "$"))
    # ... and the join form is gone from the page, not merely hidden.
    assert phone.get_by_label("Your name").count() == 0
    assert phone.get_by_role("button", name="Join", exact=True).count() == 0

    phone.reload()  # a pull-to-refresh
    phone.get_by_text("Welcome, Dee").wait_for()
    assert phone.get_by_label("Your name").count() == 0  # not the join form again
    assert phone.get_by_text(f"You are in session {session.code}").count() == 1
    assert [p.display_name for p in store.participants(session.id)] == ["Asha", "Dee"]
    assert not axe_problems(phone)
    assert new_page.watch.outside == []
    assert new_page.watch.errors == []


def test_the_console_removes_a_duplicate_and_the_counts_drop(voila_server, new_page,
                                                            seed_session):
    server = voila_server
    seeded = seed_session("Duplicate day", ["Asha", "Ben"])
    store, session = seeded.store, seeded.session
    twin, twin_token = join_session(store, session.code, "Asha", named_ok=True)
    store.move_stage(session.id, "readiness", "open", server.key)
    store.submit(session.id, twin.id, "readiness", "mission", 4, "twin-1")

    fac = new_page()
    fac.goto(server.url("facilitator.ipynb", f"key={server.key}&session={session.code}"))
    wait_ready(fac, "Your sessions")
    fac.get_by_role("heading", name="Duplicate day").wait_for()
    fac.get_by_text("3 joined").wait_for()
    steps = fac.locator(".cd-stage-readiness")
    steps.get_by_text("1 of 3 answered").wait_for()

    rows = fac.locator(".cd-person", has_text="Asha")
    expect(rows).to_have_count(2)
    rows.nth(1).get_by_role("button", name=re.compile("^Remove")).click()
    ask = fac.get_by_role("alert").filter(has_text="This removes")
    ask.wait_for()
    assert "“Asha”" in ask.inner_text() and "1 answer" in ask.inner_text()
    assert not axe_problems(fac)  # with the question showing
    fac.get_by_role("button", name="Cancel", exact=True).click()  # asking changes nothing
    assert len(store.participants(session.id)) == 3
    rows.nth(1).get_by_role("button", name=re.compile("^Remove")).click()
    fac.get_by_role("button", name=re.compile("^Yes, remove")).click()

    fac.get_by_text("2 joined").wait_for()
    steps.get_by_text("0 of 2 answered").wait_for()
    expect(rows).to_have_count(1)
    assert [p.display_name for p in store.participants(session.id)] == ["Asha", "Ben"]
    assert store.count_submissions(session.id) == 0

    room = new_page()
    room.goto(server.url("room.ipynb", f"room={session.room_token}"))
    room.get_by_text("2 people have joined").wait_for()
    gone = new_page()  # the duplicate's personal link no longer brings anyone back
    gone.goto(server.url("00_start.ipynb", f"p={twin_token}"))
    gone.get_by_text("not recognised").wait_for()
    assert new_page.watch.errors == []
