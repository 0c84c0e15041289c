"""The short join address: ``/join`` and ``/join/CODE``, sending people on to the start page.

Why: the room screen used to show ``http://HOST:8866/voila/render/00_start.ipynb`` for forty
people to type on phones. ``HOST/join`` is short enough to read from the back of a room,
and ``HOST/join/CODE`` is what the room screen's QR code holds, so a phone's camera opens the
start page with the code already filled in.

The redirect is relative (``voila/render/...`` from ``/join``, ``../voila/render/...`` from
``/join/CODE``), so it lands on the right page under any sub-path or proxy without knowing
either. Only a code of the right shape is passed on (upper-cased, spaces and dashes
dropped); anything else goes to the plain start page, so nothing typed into the address
is ever written back into a page.
"""

from __future__ import annotations

from urllib.parse import urlencode

from jupyter_server.utils import url_path_join
from tornado import web

from ..keys import is_valid_code, normalise_code

START = "voila/render/00_start.ipynb"


def start_address(code: str | None, depth: int = 1) -> str:
    """Where ``/join`` sends the browser, relative to the address asked for: ``depth`` is
    how many folders below the server's base that address is (0 for ``/join``, 1 for
    ``/join/`` and ``/join/CODE``). ``code`` is what followed ``/join/`` (None or "":
    nothing)."""
    query = ""
    if code:
        code = normalise_code(code[:40])
        query = f"?{urlencode({'code': code})}" if is_valid_code(code) else ""
    return "../" * depth + START + query


class JoinHandler(web.RequestHandler):
    """GET ``/join``, ``/join/`` or ``/join/CODE``: a 302 to the start page (the code filled
    in)."""

    def initialize(self, prefix: str) -> None:
        self.prefix = prefix  # the route's own path, "/join" under the server's base URL

    def get(self, code: str | None = None) -> None:
        depth = self.request.path[len(self.prefix):].count("/")  # "" 0, "/" or "/CODE" 1
        self.set_header("Cache-Control", "no-store")  # a code belongs to one session
        self.set_header("Referrer-Policy", "no-referrer")
        self.redirect(start_address(code, depth), permanent=False)

    def head(self, code: str | None = None) -> None:
        self.get(code)


Route = tuple[str, type[web.RequestHandler], dict[str, str]]


def join_handlers(server_url: str | None) -> list[Route]:
    """The route, under the server's own base URL (``--base-url``)."""
    prefix = url_path_join(server_url or "/", "/join")  # None before Voila has started
    return [(prefix + r"(?:/([^/]*))?/?", JoinHandler, {"prefix": prefix})]
