"""The short join address served by the kit (issue 17, item 1): /join and /join/CODE on a
real server, and a phone that opens /join/CODE finds the code filled in and joins."""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

from .conftest import wait_ready


def _location(base: str, path: str) -> tuple[int, str]:
    """The status and Location header of GET ``path``, redirects not followed."""
    u = urlsplit(base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    try:
        conn.request("GET", u.path.rstrip("/") + path)
        answer = conn.getresponse()
        answer.read()
        return answer.status, answer.getheader("Location", "")
    finally:
        conn.close()


def test_join_and_join_code_redirect_to_the_start_page(voila_server):
    assert _location(voila_server.base, "/join") == (302, "voila/render/00_start.ipynb")
    assert _location(voila_server.base, "/join/") == (302, "../voila/render/00_start.ipynb")
    assert _location(voila_server.base, "/join/ack-34x") == (
        302, "../voila/render/00_start.ipynb?code=ACK34X")
    assert _location(voila_server.base, "/join/ack-34x/") == (
        302, "../../voila/render/00_start.ipynb?code=ACK34X")
    assert _location(voila_server.base, "/join/join") == (302, "../voila/render/00_start.ipynb")
    assert _location(voila_server.base, "/join/%3Cb%3Ehi") == (
        302, "../voila/render/00_start.ipynb")


def test_a_phone_opening_join_code_joins_with_the_code_filled_in(new_page, voila_server,
                                                                seed_session):
    seeded = seed_session("Short address", [])
    page = new_page()
    page.goto(f"{voila_server.base}join/{seeded.session.code.lower()}")
    wait_ready(page, "Session code")
    assert page.url == voila_server.url("00_start.ipynb", f"code={seeded.session.code}")
    assert page.get_by_label("Session code").input_value() == seeded.session.code
    page.get_by_label("Your name").fill("Asha")
    page.get_by_role("button", name="Join").click()
    page.get_by_text("Welcome, Asha").wait_for()
    assert seeded.store.participants(seeded.session.id)  # joined the right session
