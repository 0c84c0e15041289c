"""A preheated kernel waits for its request however long the server takes to answer
(issue 15, item 9). Voila's own wait gave up when the server took over 5 s to accept its
websocket or was not accepting yet, and the page was then built for no one.

A small websocket server stands in for Voila's ``voila/query/<kernel id>`` endpoint.
"""

from __future__ import annotations

import json
import socket
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
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("VOILA_APP_PORT", str(port))
    monkeypatch.setenv("VOILA_SERVER_URL", "/")
    monkeypatch.setenv("VOILA_KERNEL_ID", KERNEL)
    return port


def _serve(port: int, handshake_delay: float = 0.0, start_after: float = 0.0):
    """Voila's request endpoint: sends the request's details to the kernel that connects,
    accepting the connection only after ``handshake_delay`` seconds (a busy server), and
    listening only after ``start_after`` seconds."""
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
        with serve(answer, "127.0.0.1", port, process_request=slow) as server:
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
