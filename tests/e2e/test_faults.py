"""A participant's kernel dies mid-module: their personal link brings back every answer."""

from __future__ import annotations

import os
import signal
import time

from .conftest import PHONE, wait_ready


def test_a_killed_kernel_loses_no_answers(voila_server, new_page, seed_session):
    server = voila_server
    seeded = seed_session("Kernel fault", ["Asha"])
    seeded.store.move_stage(seeded.session.id, "readiness", "open", server.key)
    before = server.kernel_pids()
    page = new_page(PHONE)
    page.goto(server.url("00_readiness.ipynb", f"p={seeded.tokens['Asha']}"))
    wait_ready(page, "Everyone here could say our mission")
    mine = server.kernel_pids() - before
    assert len(mine) == 1
    rows = page.locator(".cd-rating")
    rows.nth(0).get_by_role("button", name="4", exact=True).click()
    page.get_by_text("Saved your rating").wait_for()
    rows.nth(1).get_by_role("button", name="2", exact=True).click()
    page.get_by_text("Saved your rating for").last.wait_for()
    time.sleep(0.5)

    os.kill(mine.pop(), signal.SIGKILL)  # the kernel dies mid-module

    page.goto(server.url("00_readiness.ipynb", f"p={seeded.tokens['Asha']}"))
    wait_ready(page, "Everyone here could say our mission")
    rows = page.locator(".cd-rating")
    assert rows.nth(0).locator(".mod-active").inner_text().strip() == "4"
    assert rows.nth(1).locator(".mod-active").inner_text().strip() == "2"
    answers = seeded.store.latest_answers(seeded.session.id, "readiness", 1)
    assert sorted(a.value for a in answers) == [2, 4]
