"""The protocol client (tests/e2e/protocol.py) speaks to a real page as a browser does: it
reads the page's widgets, types, clicks and sees the kernel's answer."""

from __future__ import annotations

from .protocol import PageClient


def test_the_client_joins_nothing_with_a_wrong_code_as_a_browser_would(voila_server):
    with PageClient(voila_server.url("00_start.ipynb")) as page:
        assert len(page.models()) > 10
        code = page.find(description="Session code", model_name="TextModel")
        join = page.find(description="Join", model_name="ButtonModel")
        assert not page.shows("No session has the code")
        page.set(code, value="ACDE34")
        page.click(join)
        page.wait_for_text("No session has the code")
        # The kernel kept what was typed; a fresh snapshot (a reload of the state) agrees.
        page.refresh_states()
        assert page.find(description="Session code")["value"] == "ACDE34"
