"""A whole module by keyboard alone: join, open the readiness check, rate all fourteen
statements and see the revealed results, with Tab, typing and Enter only (no clicks)."""

from __future__ import annotations

from widgets.content import READINESS

from .conftest import PHONE, axe_problems, wait_ready


def tab_to(page, locator, limit: int = 400) -> None:
    """Press Tab until ``locator`` has the focus, as a keyboard user moves through a page."""
    target = locator.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(el) => document.activeElement === el", target):
            return
    raise AssertionError(f"Tab never reached {locator}")


def test_the_readiness_check_by_keyboard_alone(voila_server, new_page, seed_session):
    server = voila_server
    seeded = seed_session("Keyboard day", [])
    seeded.store.move_stage(seeded.session.id, "readiness", "open", server.key)
    page = new_page(PHONE)
    page.goto(server.url("00_start.ipynb"))
    wait_ready(page, "Session code")

    tab_to(page, page.get_by_label("Session code"))
    page.keyboard.type(seeded.session.code)
    tab_to(page, page.get_by_label("Your name"))
    page.keyboard.type("Kim")
    tab_to(page, page.get_by_role("button", name="Join"))
    page.keyboard.press("Enter")
    link = page.get_by_role("link", name="Go to Board readiness check")
    link.wait_for()
    tab_to(page, link)
    page.keyboard.press("Enter")
    wait_ready(page, READINESS[0].text)

    rows = page.locator(".cd-rating")
    for i in range(len(READINESS)):
        choice = rows.nth(i).get_by_role("button", name=str(1 + i % 5), exact=True)
        tab_to(page, choice)
        page.keyboard.press("Enter")
        page.get_by_text(f"Saved your rating for “{READINESS[i].short}”").wait_for()
    # Focus is always visible: the focused control draws an outline.
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    assert not axe_problems(page)

    seeded.store.move_stage(seeded.session.id, "readiness", "close", server.key)
    seeded.store.move_stage(seeded.session.id, "readiness", "reveal", server.key)
    page.get_by_text("The group's readiness profile").wait_for()
    answers = seeded.store.latest_answers(seeded.session.id, "readiness", 1)
    assert sorted(a.value for a in answers) == sorted(1 + i % 5 for i in range(14))
    assert not axe_problems(page)
