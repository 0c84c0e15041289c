"""The room cannot be kept full from outside (issue 15, item 5).

Plain page requests that never open their websocket each used to hold a kernel until the
idle cull (ten minutes), so a script could keep every slot taken and even the facilitator's
console got "the room is full". Now: such a kernel is let go about 30 seconds after its
page was sent; one address holds at most a few kernels (participants' pages); and the
last slots are kept back for the console and the room screen.

The server trusts X-Forwarded-For here (as behind the kit's proxy), so one test machine
can stand for several devices: the script, Asha's phone and Ben's phone.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import pytest

from .conftest import start_server, stop_server, wait_ready

CAP = 8           # --max-kernels
KEPT_BACK = 2     # the default slots kept for the console and the room screen
PER_ADDRESS = 4   # the default --max-kernels-per-address
SCRIPT = "203.0.113.7"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    # A long idle cull: only the new release of unconnected kernels can free the slots.
    server = start_server(tmp_path_factory.mktemp("fair_cap"), 600, "--max-kernels", str(CAP),
                          "--trust-forwarded-for")
    yield server
    stop_server(server)


def _in_thread(coro):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


async def _plain_gets(url: str, n: int, address: str):
    from tornado.httpclient import AsyncHTTPClient, HTTPRequest

    AsyncHTTPClient.configure(None, max_clients=n)
    client = AsyncHTTPClient()
    return await asyncio.gather(*[
        client.fetch(HTTPRequest(url, request_timeout=180,
                                 headers={"X-Forwarded-For": address}), raise_error=False)
        for _ in range(n)])


def _device(browser, address: str):
    return browser.new_context(extra_http_headers={"X-Forwarded-For": address}).new_page()


def _wait_for_kernels(server, at_most: int, timeout: float = 180) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline and len(server.kernel_pids()) > at_most:
        time.sleep(1)
    assert len(server.kernel_pids()) <= at_most, server.log.read_text()[-3000:]


def test_one_address_cannot_fill_the_room_and_the_console_always_gets_in(server, browser):
    from widgets.session import join
    from widgets.store import Store

    store = Store(server.db_url)
    try:
        session = store.create_session("Fair cap", server.key)
        tokens = {n: join(store, session.code, n, named_ok=True)[1]
                  for n in ("Asha", "Ben", "Chen")}
    finally:
        store.dispose()

    # A script asks for the start page 20 times from one address and never connects.
    replies = _in_thread(_plain_gets(server.url("00_start.ipynb"), 20, SCRIPT))
    codes = Counter(r.code for r in replies)
    assert codes[200] == PER_ADDRESS and codes[503] == 20 - PER_ADDRESS, codes
    assert "The room is full" in next(r for r in replies if r.code == 503).body.decode()

    # Two participants carry on, each from their own phone.
    asha = _device(browser, "10.0.0.11")
    asha.goto(server.url("02_cede.ipynb", f"p={tokens['Asha']}"))
    wait_ready(asha, "Cede")
    ben = _device(browser, "10.0.0.12")
    ben.goto(server.url("02_cede.ipynb", f"p={tokens['Ben']}"))
    wait_ready(ben, "Cede")

    # Participants' pages now hold every slot not kept back: a third participant waits...
    chen = _device(browser, "10.0.0.13")
    reply = chen.goto(server.url("02_cede.ipynb", f"p={tokens['Chen']}"))
    assert reply.status == 503 and "The room is full" in chen.content()

    # ...but the facilitator's console gets a kept-back slot, and works.
    console = _device(browser, "10.0.0.2")
    console.goto(server.url("facilitator.ipynb", f"key={server.key}"))
    wait_ready(console, "Your sessions")

    # The script's pages never connected: their kernels are let go (about 30 s), while
    # the open pages keep theirs. Then Chen gets in, and the others carry on.
    _wait_for_kernels(server, at_most=3)
    reply = chen.goto(server.url("02_cede.ipynb", f"p={tokens['Chen']}"))
    assert reply.status == 200
    wait_ready(chen, "Cede")
    from widgets.ui.shell.console import session_label

    console.get_by_label("Session", exact=True).select_option(label=session_label(session))
    console.get_by_role("heading", name=session.title).wait_for()
    for page in (asha, ben):
        page.reload()
        wait_ready(page, "Cede")
    assert not server.request_errors()
    for page in (asha, ben, chen, console):
        page.context.close()


PAGES = 7  # notebooks in workshops/: one preheated kernel each


@pytest.fixture(scope="module")
def preheated_server(tmp_path_factory):
    # One kernel waiting per page; two pages per address; a long idle cull again.
    server = start_server(tmp_path_factory.mktemp("fair_cap_preheat"), 600, "--preheat", "1",
                          "--max-kernels", "14", "--max-kernels-per-address", "2",
                          "--trust-forwarded-for")
    yield server
    stop_server(server)


def test_preheated_pages_count_per_address_and_go_if_never_connected(preheated_server,
                                                                     browser):
    server = preheated_server
    _wait_for_kernels_at_least(server, PAGES)

    # The script asks for the start page three times, one after another: the first two are
    # handed preheated kernels, the third is past its address's two pages.
    codes = [_in_thread(_plain_gets(server.url("00_start.ipynb"), 1, SCRIPT))[0].code
             for _ in range(3)]
    assert codes == [200, 200, 503], codes

    # Another device still gets in.
    asha = _device(browser, "10.0.0.11")
    asha.goto(server.url("00_start.ipynb"))
    wait_ready(asha, "Session code")

    # The script's two pages never connected: their kernels go (about 30 s), the pool
    # and Asha's page stay.
    log = server.log.read_text
    deadline = time.time() + 180
    while time.time() < deadline and log().count("its page never connected") < 2:
        time.sleep(1)
    assert log().count("its page never connected") == 2, log()[-3000:]
    asha.reload()
    wait_ready(asha, "Session code")
    assert not server.request_errors()
    asha.context.close()


def _wait_for_kernels_at_least(server, n: int, timeout: float = 180) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline and len(server.kernel_pids()) < n:
        time.sleep(1)
    assert len(server.kernel_pids()) >= n, server.log.read_text()[-3000:]
