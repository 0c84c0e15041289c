"""Where a page is and what its URL says: no store, no widgets, so a page can read its URL
before the heavier parts of the kit are imported."""

from __future__ import annotations

import os
from urllib.parse import parse_qs, urlencode


def in_voila() -> bool:
    return os.environ.get("SERVER_SOFTWARE", "").startswith("voila")


def preheated() -> bool:
    """Is this a kernel Voila started ahead of its request (``conductor serve --preheat``)?"""
    return os.environ.get("VOILA_PREHEAT", "False") != "False"


_ASKED = "CONDUCTOR_QUERY_READ"  # set once a preheated kernel has had its request


def query_params() -> dict[str, str]:
    """The page URL's query string as a dict (first value of each name).

    In Voila the URL reaches the kernel as ``QUERY_STRING``; a preheated kernel first waits
    for its request (``wait_for_request``; once: Voila sends it only once).
    Outside Voila: empty.
    """
    if preheated() and not os.environ.get(_ASKED):
        wait_for_request()
        os.environ[_ASKED] = "1"
    raw = os.environ.get("QUERY_STRING")
    return {k: v[0] for k, v in parse_qs(raw or "").items() if v}


def request_info_url() -> str:
    """Where a preheated kernel hears of its request: Voila's ``voila/query/<kernel id>``
    websocket, at the address ``voila.utils.wait_for_request`` (0.5) builds from the same
    variables."""
    env = os.environ.get
    base = env("VOILA_WS_BASE_URL") or env("VOILA_SERVER_URL", "/")
    return (f"{env('VOILA_WS_PROTOCOL', 'ws')}://{env('VOILA_APP_IP', '127.0.0.1')}:"
            f"{env('VOILA_APP_PORT', '8866')}{base}voila/query/{env('VOILA_KERNEL_ID', '')}")


def wait_for_request(attempt_seconds: float = 30.0, pause: float = 1.0) -> None:
    """Wait, however long it takes, for the request Voila hands this preheated kernel to,
    and put its details (``QUERY_STRING``, ``SERVER_SOFTWARE``, passed headers) in the
    environment.

    Why not ``voila.utils.get_query_string``: it gives up when the server takes more than
    5 seconds to accept its websocket (a busy machine: seven kernels starting at once) or
    refuses it, and the notebook then carries on with no request at all. The page is built
    for no one (a personal link showed the join form, the console refused its key, the room
    screen showed no session) while the kernel waits in the pool, and when a page is handed
    that kernel the culler may take it (idle since) before the page connects: "Loading" for
    good. Here a failed connection is tried again until the request comes. Without the
    websockets sync client (websockets < 12), Voila's own wait is used.
    """
    import json

    try:
        from websockets.exceptions import WebSocketException
        from websockets.sync.client import connect
    except ImportError:  # pragma: no cover - an older websockets than Voila 0.5.13 brings
        from voila.utils import wait_for_request as voilas_wait

        voilas_wait()
        return
    import inspect
    import logging
    import time

    options = {"open_timeout": attempt_seconds, "ping_interval": None, "close_timeout": 1}
    if "proxy" in inspect.signature(connect).parameters:
        options["proxy"] = None  # the server is this machine: never through a proxy
    url = request_info_url()
    while True:
        try:
            with connect(url, **options) as link:
                info = json.loads(link.recv())
            break
        except (OSError, TimeoutError, WebSocketException, ValueError) as err:
            logging.getLogger(__name__).warning(
                "Waiting for this page's request at %s: %s; trying again.", url, err)
            time.sleep(pause)
    for name, value in info.items():
        os.environ[str(name)] = str(value)


def page_link(notebook: str, **params: str) -> str:
    """A link to another workshop page, relative so it works under any sub-path."""
    query = urlencode({k: v for k, v in params.items() if v})
    return f"{notebook}?{query}" if query else notebook
