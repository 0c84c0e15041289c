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
    for its request with ``voila.utils.get_query_string`` (once: Voila sends it only once).
    Outside Voila: empty.
    """
    if preheated() and not os.environ.get(_ASKED):
        from voila.utils import get_query_string

        os.environ["QUERY_STRING"] = get_query_string() or ""
        os.environ[_ASKED] = "1"
    raw = os.environ.get("QUERY_STRING")
    return {k: v[0] for k, v in parse_qs(raw or "").items() if v}


def page_link(notebook: str, **params: str) -> str:
    """A link to another workshop page, relative so it works under any sub-path."""
    query = urlencode({k: v for k, v in params.items() if v})
    return f"{notebook}?{query}" if query else notebook
