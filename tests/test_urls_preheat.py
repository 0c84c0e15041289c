"""A preheated kernel waits for its request however long the server takes to answer
(issue 15, item 9). Voila's own wait gave up when the server took over 5 s to accept its
websocket or was not accepting yet, and the page was then built for no one.

On a server with a certificate the endpoint speaks TLS only (wss), with a certificate that
may be self-signed or issued for another name; and a kernel that cannot reach the server at
all gives up after a bounded time, says so once in the server's log, and builds its page.

A small websocket server stands in for Voila's ``voila/query/<kernel id>`` endpoint.
"""

from __future__ import annotations

import io
import json
import os
import socket
import ssl
import subprocess
import sys
import threading
import time

import pytest

from widgets import urls

KERNEL = "0b7c6f4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b"
REQUEST = {"QUERY_STRING": "p=Asha-token", "SERVER_SOFTWARE": "voila/0.5.13",
           "HTTP_X_CONDUCTOR_CLIENT": "10.0.0.11"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def preheated_kernel(monkeypatch):
    port = _free_port()
    for name in ("QUERY_STRING", "SERVER_SOFTWARE", "HTTP_X_CONDUCTOR_CLIENT", urls._ASKED,
                 "VOILA_WS_BASE_URL", "VOILA_WS_PROTOCOL", "VOILA_APP_IP"):
        # Set, then removed: so monkeypatch restores each as it was, even those the wait
        # writes (the request's details must not leak into later tests).
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("VOILA_APP_PORT", str(port))
    monkeypatch.setenv("VOILA_SERVER_URL", "/")
    monkeypatch.setenv("VOILA_KERNEL_ID", KERNEL)
    return port


def _serve(port: int, handshake_delay: float = 0.0, start_after: float = 0.0,
           tls: ssl.SSLContext | None = None):
    """Voila's request endpoint: sends the request's details to the kernel that connects,
    accepting the connection only after ``handshake_delay`` seconds (a busy server), and
    listening only after ``start_after`` seconds; with ``tls``, over TLS only."""
    from websockets.sync.server import serve

    paths = []

    def slow(connection, request):
        time.sleep(handshake_delay)

    def answer(link):
        paths.append(link.request.path)
        link.send(json.dumps(REQUEST))

    holder = {}

    def run():
        time.sleep(start_after)
        with serve(answer, "127.0.0.1", port, process_request=slow, ssl=tls) as server:
            holder["server"] = server
            server.serve_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return paths, holder, thread


def _stop(holder, thread):
    deadline = time.time() + 10
    while "server" not in holder and time.time() < deadline:
        time.sleep(0.05)
    if "server" in holder:
        holder["server"].shutdown()
    thread.join(10)


def test_a_server_slow_to_accept_still_gets_the_page_its_request(preheated_kernel):
    paths, holder, thread = _serve(preheated_kernel, handshake_delay=6)  # Voila's wait: 5 s
    try:
        assert urls.query_params() == {"p": "Asha-token"}
    finally:
        _stop(holder, thread)
    assert paths == [f"/voila/query/{KERNEL}"]
    assert urls.in_voila()  # the request's other details arrived with it


def test_a_server_not_yet_listening_is_tried_again(preheated_kernel, monkeypatch):
    _, holder, thread = _serve(preheated_kernel, start_after=1.5)
    try:
        assert urls.query_params() == {"p": "Asha-token"}
    finally:
        _stop(holder, thread)
    import os

    assert os.environ["HTTP_X_CONDUCTOR_CLIENT"] == "10.0.0.11"


@pytest.fixture(scope="module")
def server_tls(tmp_path_factory) -> ssl.SSLContext:
    """TLS with a self-signed certificate issued for another name than 127.0.0.1, the way a
    facilitator may make one for the room's address (room.local)."""
    folder = tmp_path_factory.mktemp("cert")
    cert, key = folder / "room.crt", folder / "room.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=room.local", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), str(key))
    return context


class _PageStream(io.StringIO):
    """The kernel's stderr as ipykernel makes it: what is written goes to the page; the
    server's log is the file descriptor it keeps as ``_original_stdstream_copy``."""

    def __init__(self, server_log_fd: int):
        super().__init__()
        self._original_stdstream_copy = server_log_fd


@pytest.fixture
def kernel_streams(monkeypatch, tmp_path):
    """Make sys.stderr the page, as in a Voila kernel (call it in the test: pytest sets its
    own sys.stderr between a fixture and the test); gives (page, server log path)."""
    log = tmp_path / "server.log"
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    page = _PageStream(fd)

    def use():
        monkeypatch.setattr(sys, "stderr", page)
        return page, log
    yield use
    os.close(fd)


def test_a_tls_only_server_with_a_self_signed_certificate_gets_the_page_its_request(
        preheated_kernel, monkeypatch, server_tls, kernel_streams):
    page, log = kernel_streams()
    monkeypatch.setenv("VOILA_WS_PROTOCOL", "wss")  # what a server with a certificate sets
    paths, holder, thread = _serve(preheated_kernel, tls=server_tls)
    try:
        assert urls.query_params() == {"p": "Asha-token"}
    finally:
        _stop(holder, thread)
    assert paths == [f"/voila/query/{KERNEL}"]
    assert page.getvalue() == "" and log.read_text() == ""


def test_a_server_that_cannot_be_reached_is_given_up_once_in_the_log_and_the_page_built(
        preheated_kernel, monkeypatch, server_tls, kernel_streams):
    # The fault seen in a room: a TLS-only server and a kernel asking over plain ws.
    monkeypatch.setattr(urls, "GIVE_UP_AFTER", 2.0)
    page, log = kernel_streams()
    _, holder, thread = _serve(preheated_kernel, tls=server_tls)
    try:
        assert urls.query_params() == {}  # the notebook carries on, as Voila's wait does
    finally:
        _stop(holder, thread)
    assert page.getvalue() == ""  # nothing for the page: it is the server's business
    lines = log.read_text().splitlines()
    assert len(lines) == 1, lines
    assert "could not reach" in lines[0]
    assert f"ws://127.0.0.1:{preheated_kernel}/voila/query/{KERNEL}" in lines[0]
    # Built as a Voila page with no request (a bare link: the join form, "Join first"),
    # never as a self-guided notebook with a solo session of its own.
    assert urls.in_voila()
    assert urls.query_params() == {}  # asked once: no second wait
    assert len(log.read_text().splitlines()) == 1


def test_a_server_with_a_certificate_tells_its_kernels_to_ask_over_wss(monkeypatch):
    from voila.app import Voila

    from widgets.server.voila_app import ConductorVoila

    seen = []  # the protocol in the environment when Voila starts its pool
    monkeypatch.setattr(Voila, "start", lambda self: seen.append(os.environ["VOILA_WS_PROTOCOL"]))
    monkeypatch.setenv("VOILA_WS_PROTOCOL", "ws")
    ConductorVoila().start()
    ConductorVoila(certfile="room.crt", keyfile="room.key").start()
    assert seen == ["ws", "wss"]
