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
