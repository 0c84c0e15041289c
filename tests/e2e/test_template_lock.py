"""A URL cannot switch the page's template or theme: Voila reads ``?template=`` and
``?theme=`` from the address and, unless told not to, serves another template (Voila's own
'lab' or 'reveal', with the fonts from the internet, without the kit's XSRF cookie, page
scrolling or 503 page) or the dark theme. The kit's template is the only one served."""

from __future__ import annotations

import urllib.request

import pytest

from .conftest import start_server, stop_server

OURS = "/voila/templates/conductor/static/"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = start_server(tmp_path_factory.mktemp("template_lock"), 8)
    yield server
    stop_server(server)


def _page(server, query: str) -> str:
    with urllib.request.urlopen(server.url("00_start.ipynb", query), timeout=180) as reply:  # noqa: S310
        return reply.read().decode()


@pytest.mark.parametrize("query", ["template=lab", "template=reveal", "voila-template=lab",
                                   "theme=dark", "template=lab&theme=dark"])
def test_a_url_cannot_switch_the_template_or_theme(server, query):
    page = _page(server, query)
    assert OURS in page, f"?{query} served another template"
    assert "/voila/templates/lab/" not in page and "/voila/templates/reveal/" not in page
    assert "theme-dark" not in page and "theme-dark.css" not in page, f"?{query} switched theme"
