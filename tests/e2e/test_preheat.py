"""Preheated kernels (``conductor serve --preheat``): each page's notebook has already run
up to reading its URL when a request arrives. The kernel must still serve the person in
*that* URL, pool kernels must survive culling, and they count within the kernel cap, so a
full room still gets the "try again" page rather than an error."""

from __future__ import annotations

import time

import pytest

from .conftest import start_server, stop_server, wait_ready

PAGES = 8  # notebooks in workshops/: one pool kernel each
CAP = PAGES + 3


@pytest.fixture(scope="module")
def voila_server(tmp_path_factory):
    """This module's server: one kernel waiting per page, a short cull, a cap of 10."""
    server = start_server(tmp_path_factory.mktemp("preheat"), 6, "--preheat", "1",
                          "--max-kernels", str(CAP))
    yield server
    stop_server(server)


def _wait_for_pool(server, n: int = PAGES, timeout: float = 120) -> set[int]:
    deadline = time.time() + timeout
    while time.time() < deadline:
        pids = server.kernel_pids()
        if len(pids) >= n:
            return pids
        time.sleep(1)
    pytest.fail(f"only {len(server.kernel_pids())} of {n} pool kernels started:\n"
                + server.log.read_text()[-3000:])


def test_the_pool_waits_and_culling_spares_it(voila_server):
    pool = _wait_for_pool(voila_server)
    assert "Preheating: 1 kernel(s) waiting per page (8 in all" in voila_server.log.read_text()
    time.sleep(6 * 2 + 10)  # two cull timeouts and a cull pass: idle, unconnected, kept
    assert pool <= voila_server.kernel_pids()


def test_a_preheated_page_serves_the_person_in_its_own_link(voila_server, new_page,
                                                             seed_session):
    _wait_for_pool(voila_server)
    room = seed_session("Preheated", ["Asha", "Ben"])
    for name in ("Asha", "Ben"):  # the second takes the refilled pool kernel, or a new one
        page = new_page()
        page.goto(voila_server.url("00_start.ipynb", f"p={room.tokens[name]}"))
        wait_ready(page, f"Welcome, {name}")
        page.context.close()
    console = new_page()
    console.goto(voila_server.url("facilitator.ipynb", f"key={voila_server.key}"))
    wait_ready(console, "Your sessions")
    screen = new_page()
    screen.goto(voila_server.url("room.ipynb", f"room={room.session.room_token}"))
    wait_ready(screen, room.session.code)
    module = new_page()
    module.goto(voila_server.url("02_cede.ipynb", f"p={room.tokens['Ben']}"))
    wait_ready(module, "Cede")
    assert "not recognised" not in module.content()


def test_a_full_room_gets_the_try_again_page_not_an_error(voila_server, browser):
    _wait_for_pool(voila_server)
    statuses, pages = [], []
    for _ in range(CAP + 2):
        page = browser.new_context().new_page()
        reply = page.goto(voila_server.url("00_start.ipynb"))
        statuses.append(reply.status)
        pages.append(page)
        if reply.status == 503:
            assert "The room is full" in page.content()
            break
        wait_ready(page, "Session code")
    assert not voila_server.request_errors()
    assert statuses[-1] == 503 and set(statuses) <= {200, 503}, statuses
    assert len(voila_server.kernel_pids()) <= CAP
    for page in pages:
        page.context.close()
