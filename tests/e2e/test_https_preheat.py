"""Preheated pages on a server with a certificate (`conductor serve --certfile F --keyfile K
--preheat 1`): each pool kernel hears of its request over the server's own websocket, which
with a certificate speaks TLS only (wss). Voila's kernel-side default is ws, which that
server refuses: the pool kernels never got their request and every preheated page stayed on
"Loading". Here a person's own link and a join by code both reach a preheated kernel and
the page serves them."""

from __future__ import annotations

import pytest

from .conftest import page_reaching_only, start_server, stop_server, wait_ready
from .test_https import self_signed


@pytest.fixture(scope="module")
def voila_server(tmp_path_factory, cull_idle):
    """This module's server: HTTPS with a self-signed certificate, one kernel waiting per
    page (seed_session seeds its store)."""
    tmp = tmp_path_factory.mktemp("tls-preheat")
    cert, key = self_signed(tmp)
    server = start_server(tmp, cull_idle, "--certfile", str(cert), "--keyfile", str(key),
                          "--preheat", "1")
    yield server
    stop_server(server)


@pytest.fixture
def tls_page(browser, voila_server):
    """A page in its own context (a separate person) that accepts the self-signed
    certificate, with outside hosts blocked and page errors collected."""
    contexts, errors, outside = [], [], []

    def make():
        return page_reaching_only(browser, voila_server.base.rstrip("/"), contexts, outside, errors,
                                  https=True)

    make.errors, make.outside = errors, outside
    yield make
    for ctx in contexts:
        ctx.close()


def test_preheated_pages_over_https_serve_their_own_link_and_a_join(voila_server, tls_page,
                                                                    seed_session):
    assert voila_server.base.startswith("https://")
    room = seed_session("Preheated over HTTPS", ["Asha"])

    mine = tls_page()  # a personal link: only its request tells the kernel who this is
    mine.goto(voila_server.url("00_start.ipynb", f"p={room.tokens['Asha']}"))
    wait_ready(mine, "Welcome, Asha")

    person = tls_page()  # the join link: the code comes with the request
    person.goto(voila_server.url("00_start.ipynb", f"code={room.session.code}"))
    wait_ready(person, "Session code")
    assert person.get_by_label("Session code").input_value() == room.session.code
    person.get_by_label("Your name").fill("Ben")
    person.get_by_role("button", name="Join").click()
    wait_ready(person, "Welcome, Ben")

    assert [p.display_name for p in room.store.participants(room.session.id)] == ["Asha",
                                                                                  "Ben"]
    log = voila_server.log.read_text()
    assert "could not reach" not in log, log[-3000:]  # no kernel gave up on its request
    assert tls_page.errors == [] and tls_page.outside == []
