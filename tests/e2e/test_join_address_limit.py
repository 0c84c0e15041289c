"""Join attempts are throttled per address, across pages (issue 15, item 6).

Each start page counts its own wrong codes (five a minute), but each page is its own kernel,
so a script opened page after page from one address and guessed in each. Now the wrong codes
of every page from one address add up, in the store; past the limit every page from that
address is told to wait, while other addresses join as usual.

The server trusts X-Forwarded-For here (as behind the kit's proxy), so one test machine
stands for several devices. The address is written by the server: a client that sends the
header the server uses (``X-Conductor-Client``) changes nothing.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from widgets.server.client_address import CLIENT_HEADER
from widgets.server.join_limits import (
    ADDRESS_LIMIT,
    ADDRESS_SECONDS,
    TOO_MANY_FROM_ADDRESS,
    client_key,
)
from widgets.store import Store

from .conftest import start_server, stop_server
from .protocol import PageClient

SCRIPT = "203.0.113.7"
GUESSES_PER_PAGE = 4  # under a page's own limit of five


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = start_server(tmp_path_factory.mktemp("join_address"), 600,
                          "--trust-forwarded-for")
    yield server
    stop_server(server)


@pytest.fixture
def store(server):
    s = Store(server.db_url)
    yield s
    s.dispose()


class StartPage:
    """The start page, spoken to over its websocket from one address."""

    def __init__(self, server, address: str, **headers: str):
        self.client = PageClient(server.url("00_start.ipynb"),
                                 headers={"X-Forwarded-For": address, **headers}).open()
        self.code = self.client.find(description="Session code", model_name="TextModel")
        self.join = self.client.find(description="Join", model_name="ButtonModel")
        self.client.set(self.client.find(description="Your name", model_name="TextModel"),
                        value="Guesser")

    def try_code(self, code: str) -> str:
        """Type a code, click Join, and return the page's answer to this click."""
        self.client.set(self.code, value=code)
        self.client.click(self.join)

        def answer(page):
            return next((t for t in page.texts() if f"code {code}" in t or "Too many" in t
                         or "Welcome" in t), None)

        return self.client.wait_for(answer, "an answer to the join")

    def close(self):
        self.client.shutdown()  # one address holds only a few pages at once


def _wrong(n: int) -> str:
    return f"ACDE{'34679ACDEFGHJKMNPQRTUVWXY'[n]}{'34679ACDEFGHJKMNPQRTUVWXY'[n + 1]}"


def test_many_pages_from_one_address_share_one_limit(server, store):
    session = store.create_session("Guessed at", server.key)
    key = client_key(store, SCRIPT)
    n = 0
    for _ in range(3):  # page after page, each under its own limit
        page = StartPage(server, SCRIPT)
        try:
            for _ in range(GUESSES_PER_PAGE):
                assert "No session has the code" in page.try_code(_wrong(n))
                n += 1
        finally:
            page.close()
    # Every page's wrong codes were counted against the one address.
    assert store.join_failures(key, ADDRESS_SECONDS) == n == 12
    # The rest of the room's typos, up to two short of the limit (instead of 22 more
    # pages):
    for _ in range(ADDRESS_LIMIT - n - 2):
        store.note_join_attempt(key, False)

    page = StartPage(server, SCRIPT)
    try:
        assert "No session has the code" in page.try_code(_wrong(12))
        assert "No session has the code" in page.try_code(_wrong(13))
        # This page has had two tries of its five: it is the address that must wait.
        page.client.set(page.code, value=_wrong(14))
        page.client.click(page.join)
        page.client.wait_for_text("from this network")
        assert page.client.shows(TOO_MANY_FROM_ADDRESS)
        # Even the right code waits, so a guesser cannot tell a right guess from a wrong.
        page.client.set(page.code, value=session.code)
        page.client.click(page.join)
        assert page.client.shows(TOO_MANY_FROM_ADDRESS) and not page.client.shows("Welcome")
    finally:
        page.close()
    assert store.participants(session.id) == []

    # A new page from the same address waits too, whatever header it sends in its own name.
    forged = StartPage(server, SCRIPT, **{CLIENT_HEADER: "198.51.100.99"})
    try:
        forged.client.set(forged.code, value=session.code)
        forged.client.click(forged.join)
        forged.client.wait_for_text("from this network")
        assert not forged.client.shows("Welcome")
    finally:
        forged.close()
    assert store.participants(session.id) == []

    # Another address joins as usual, even one that names the waiting address itself.
    for address, headers in (("198.51.100.20", {}),
                             ("198.51.100.21", {CLIENT_HEADER: SCRIPT})):
        other = StartPage(server, address, **headers)
        try:
            assert "Welcome" in other.try_code(session.code)
        finally:
            other.close()
    assert len(store.participants(session.id)) == 2
    assert store.join_failures(client_key(store, "198.51.100.21"), ADDRESS_SECONDS) == 0


# -- preheated kernels: started before their request, they learn the address with it --------

@pytest.fixture(scope="module")
def preheated(tmp_path_factory):
    server = start_server(tmp_path_factory.mktemp("join_address_preheat"), 600,
                          "--trust-forwarded-for", "--preheat", "1")
    yield server
    stop_server(server)


def _kernel_env(server, kernel_id: str) -> dict[str, str]:
    """The environment a kernel process was started with (Linux /proc), found by the
    connection file named on its command line."""
    for pid in server.kernel_pids():
        proc = Path(f"/proc/{pid}")
        if f"kernel-{kernel_id}.json" in proc.joinpath("cmdline").read_bytes().decode():
            pairs = proc.joinpath("environ").read_bytes().split(b"\0")
            return dict(p.decode().split("=", 1) for p in pairs if b"=" in p)
    raise AssertionError(f"no process for kernel {kernel_id}")


def test_a_preheated_page_learns_its_address_with_its_request(preheated):
    store = Store(preheated.db_url)
    try:
        session = store.create_session("Preheated guessing", preheated.key)
        deadline = time.time() + 120
        while time.time() < deadline and len(preheated.kernel_pids()) < 7:  # the pool
            time.sleep(1)
        page = StartPage(preheated, SCRIPT)
        try:
            env = _kernel_env(preheated, page.client.kernel_id)
            # Started before any request: the address was not in its environment then.
            assert env.get("VOILA_PREHEAT") == "True" and "HTTP_X_CONDUCTOR_CLIENT" not in env
            assert "No session has the code" in page.try_code(_wrong(0))
        finally:
            page.close()
        key = client_key(store, SCRIPT)
        assert store.join_failures(key, ADDRESS_SECONDS) == 1
        for _ in range(ADDRESS_LIMIT - 1):
            store.note_join_attempt(key, False)
        page = StartPage(preheated, SCRIPT, **{CLIENT_HEADER: "198.51.100.99"})
        try:
            page.client.set(page.code, value=session.code)
            page.client.click(page.join)
            page.client.wait_for_text("from this network")
        finally:
            page.close()
        assert store.participants(session.id) == []
        assert not re.search(r"Traceback", preheated.log.read_text())
    finally:
        store.dispose()
