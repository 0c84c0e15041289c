"""A page whose kernel dies says so plainly and asks for a reload; the personal link then
brings back every saved answer.

Why: an answer clicked as a kernel dies is lost while its button still shows it chosen, and
nothing on the page said the page had stopped working.
"""

from __future__ import annotations

import os
import signal

from .conftest import PHONE, wait_ready


def test_a_page_that_lost_its_kernel_says_so_and_the_link_brings_answers_back(
        voila_server, new_page, seed_session):
    server = voila_server
    seeded = seed_session("Kernel loss", ["Asha"])
    seeded.store.move_stage(seeded.session.id, "readiness", "open", server.key)
    link = server.url("00_readiness.ipynb", f"p={seeded.tokens['Asha']}")
    before = server.kernel_pids()
    page = new_page(PHONE)
    page.goto(link)
    wait_ready(page, "Everyone here could say our mission")
    mine = server.kernel_pids() - before
    assert len(mine) == 1
    rows = page.locator(".cd-rating")
    rows.nth(0).get_by_role("button", name="4", exact=True).click()
    page.get_by_text("Saved your rating").wait_for()
    assert not page.get_by_text("lost its connection").is_visible()

    os.kill(mine.pop(), signal.SIGKILL)  # the kernel dies under an open page

    notice = page.get_by_role("alert").filter(has_text="lost its connection")
    notice.wait_for()
    assert "reload" in notice.inner_text().lower()
    notice.get_by_role("link").click()  # the notice's own reload link: the personal link
    wait_ready(page, "Everyone here could say our mission")
    rows = page.locator(".cd-rating")
    assert rows.nth(0).locator(".mod-active").inner_text().strip() == "4"
    assert not page.get_by_text("lost its connection").is_visible()
