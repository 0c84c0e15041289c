"""Addresses people type or click.

Links inside pages stay relative (they then work under any sub-path or proxy); addresses
shown for typing on a phone are absolute, built from ``CONDUCTOR_PUBLIC_URL``, which
``conductor serve`` sets to the address it printed.
"""

from __future__ import annotations

import os

from ...session import page_link

ENV_PUBLIC = "CONDUCTOR_PUBLIC_URL"


def public_link(notebook: str, **params: str) -> str:
    base = os.environ.get(ENV_PUBLIC, "").strip()
    rel = page_link(notebook, **params)
    if not base:
        return rel
    return f"{base.rstrip('/')}/voila/render/{rel}"


def public_join(code: str = "") -> str:
    """The short join address (``/join``, or ``/join/CODE`` to fill the code in) as people
    type or scan it, or "" when the server has not said its public address (a notebook
    outside ``conductor serve``, which has no /join)."""
    base = os.environ.get(ENV_PUBLIC, "").strip()
    if not base:
        return ""
    return f"{base.rstrip('/')}/join/{code}" if code else f"{base.rstrip('/')}/join"
