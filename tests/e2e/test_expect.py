"""``conductor serve --expect PEOPLE``: a kernel started and waiting for every person
expected on the two pages a whole room opens at once (joining, then the readiness check),
none on the others. Each person still gets their own page from their own link, on the start
page and on the readiness check. (How much sooner pages come in a join storm is measured by
``benchmarks/join_storm.py``, never asserted here.)"""

from __future__ import annotations

import time

import pytest

from .conftest import start_server, stop_server, wait_ready

PEOPLE = 3
WAITING = 2 * PEOPLE  # the start page's pool and the readiness check's


@pytest.fixture(scope="module")
def voila_server(tmp_path_factory):
    server = start_server(tmp_path_factory.mktemp("expect"), 600, "--expect", str(PEOPLE),
                          "--max-kernels", str(3 * PEOPLE + 20))
    yield server
    stop_server(server)


def test_a_room_that_is_expected_finds_its_kernels_waiting(voila_server, new_page,
                                                            seed_session):
    deadline = time.time() + 180
    while time.time() < deadline and len(voila_server.kernel_pids()) < WAITING:
        time.sleep(1)
    log = voila_server.log.read_text()
    assert len(voila_server.kernel_pids()) == WAITING, log[-3000:]  # nothing on other pages
    assert f"Ready for a room of {PEOPLE}: {WAITING} kernels waiting" in log

    room = seed_session("Expected", ["Asha", "Ben", "Chen"])
    for name in ("Asha", "Ben", "Chen"):
        page = new_page()
        page.goto(voila_server.url("00_start.ipynb", f"p={room.tokens[name]}"))
        wait_ready(page, f"Welcome, {name}")
        page.goto(voila_server.url("00_readiness.ipynb", f"p={room.tokens[name]}"))
        wait_ready(page, "Board readiness check")
        assert "not recognised" not in page.content()
    assert not voila_server.request_errors()
