"""Where a page is and what its URL says: no store, no widgets, so a page can read its URL
before the heavier parts of the kit are imported."""

from __future__ import annotations

import ipaddress
import json
import os
import ssl
import sys
import time
from urllib.parse import parse_qs, urlencode, urlsplit


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


GIVE_UP_AFTER = 60.0
"""Seconds a preheated kernel goes on failing to reach the server before it gives up on its
request. Long enough for a busy two-core laptop: the server has been seen taking over 5 s to
accept this websocket while a room's pages and the pool start at once, and each try here
waits up to 30 s for it. Short enough for a person: Voila may hand this kernel to a page
before its wait is over, and that page stays on "Loading" until the notebook carries on.
Waiting for the request once connected is not counted: a pool kernel rightly waits hours
for a person."""


def wait_for_request(attempt_seconds: float = 30.0, pause: float = 1.0) -> None:
    """Wait for the request Voila hands this preheated kernel to, and put its details
    (``QUERY_STRING``, ``SERVER_SOFTWARE``, passed headers) in the environment.

    Why not ``voila.utils.get_query_string``: it gives up when the server takes more than
    5 seconds to accept its websocket (a busy machine: seven kernels starting at once) or
    refuses it, and the notebook then carries on with no request at all. The page is built
    for no one (a personal link showed the join form, the console refused its key, the room
    screen showed no session) while the kernel waits in the pool, and when a page is handed
    that kernel the culler may take it (idle since) before the page connects: "Loading" for
    good. Here a failed connection is tried again, for up to ``GIVE_UP_AFTER`` seconds of
    failing. A server with a certificate speaks TLS only: ``conductor serve --certfile``
    sets ``VOILA_WS_PROTOCOL=wss`` for its kernels (``widgets.server.voila_app``).

    Should the server still be out of reach (a certificate the kernels were not told of, an
    address it does not listen on), the kernel must not wait for good either: it says so
    once in the server's log and carries on without its request, as Voila's wait does, but
    marked as a Voila page, so the page is built as for a bare link (the join form, "Join
    first") rather than as a self-guided notebook. Without the websockets sync client
    (websockets < 12), Voila's own wait is used.
    """

    from . import compat  # here, not at the top: 28 ms to import (benchmarks/import_cost.py)

    try:
        # here, not at the top: 88 ms to import (benchmarks/import_cost.py)
        from websockets.exceptions import WebSocketException

        # here, not at the top: 89 ms to import (benchmarks/import_cost.py)
        from websockets.sync.client import connect

        if not compat.fits("request-wait"):  # Voila's address changed: its own wait
            raise ImportError("request-wait")
    except ImportError:  # an older websockets than Voila 0.5.13 brings, or a newer Voila
        from voila.utils import wait_for_request as voilas_wait

        voilas_wait()
        return

    url = request_info_url()
    options = _connect_options(connect, url)
    failing_since, tries, error = None, 0, None
    while True:
        now = time.monotonic()
        if failing_since is not None and now - failing_since >= GIVE_UP_AFTER:
            _gave_up(url, tries, now - failing_since, error)
            return
        wait = (attempt_seconds if failing_since is None
                else min(attempt_seconds, GIVE_UP_AFTER - (now - failing_since)))
        try:
            with connect(url, open_timeout=wait, **options) as link:
                failing_since = None  # reached: from here it waits for a person
                info = json.loads(link.recv())
            break
        except (OSError, TimeoutError, WebSocketException, ValueError) as err:
            tries, error = tries + 1, err
            if failing_since is None:
                failing_since = now
            time.sleep(pause)
    for name, value in info.items():
        os.environ[str(name)] = str(value)


def _connect_options(connect, url: str) -> dict:
    """The websockets sync client's options for ``url``: no pings, no proxy (the server is
    this machine), and for wss on a loopback address, TLS without checking the certificate.

    Why not checked: the server's certificate is for the room's address, often self-signed
    or issued for another name (room.local), never for 127.0.0.1, so a check would always
    fail here. Skipping it is safe on loopback only: the connection never leaves this
    machine and goes to the kit's own server, which made this kernel. Any other address is
    checked as usual."""
    import inspect  # here, not at the top: 24 ms to import (benchmarks/import_cost.py)

    names = inspect.signature(connect).parameters
    options = {"ping_interval": None, "close_timeout": 1}
    if "proxy" in names:
        options["proxy"] = None
    parts = urlsplit(url)
    if parts.scheme == "wss" and _is_loopback(parts.hostname or ""):
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        options["ssl" if "ssl" in names else "ssl_context"] = context  # websockets 14: ssl
    return options


def _is_loopback(host: str) -> bool:

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _gave_up(url: str, tries: int, seconds: float, error: BaseException | None) -> None:
    """Say once, in the server's log (never on the page), that this kernel carries on
    without its request, and mark it a Voila page (see ``wait_for_request``)."""

    # here, not at the top: 20 ms to import (benchmarks/import_cost.py)
    from .server.server_log import server_stream

    os.environ.setdefault("SERVER_SOFTWARE", "voila")
    line = (f"[kernel {os.getpid()}] WARNING {__name__} | A preheated page's kernel could not "
            f"reach the server at {url} for {seconds:.0f} s ({tries} tries; last: "
            f"{type(error).__name__}: {error}). It carries on without its request: the page "
            "it is handed opens as for a bare link (the join form, or 'Join first'). If every "
            "preheated page does this, check the server's address and --certfile, or serve "
            "without --preheat.\n")
    stream = server_stream()
    try:
        stream.write(line)
        stream.flush()
    except (OSError, ValueError):
        pass  # the log is gone: nowhere left to say it; the page must still be built
    finally:
        if stream is not sys.__stderr__:
            stream.close()


def page_link(notebook: str, **params: str) -> str:
    """A link to another workshop page, relative so it works under any sub-path."""
    query = urlencode({k: v for k, v in params.items() if v})
    return f"{notebook}?{query}" if query else notebook
