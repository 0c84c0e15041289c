"""The short join address's redirect (issue 17, item 1), on its own: where /join and
/join/CODE send a browser, and that nothing typed into the address comes back but a code."""

from __future__ import annotations

import pytest

from widgets.server.join_address import START, start_address


def test_bare_join_goes_to_the_start_page():
    assert start_address(None, depth=0) == "voila/render/00_start.ipynb" == START
    assert start_address("", depth=1) == "../voila/render/00_start.ipynb"
    assert start_address("ACK34X", depth=2) == "../../voila/render/00_start.ipynb?code=ACK34X"


@pytest.mark.parametrize("typed, code", [("ACK34X", "ACK34X"), ("ack34x", "ACK34X"),
                                         ("ack 34-x", "ACK34X")])
def test_a_code_is_filled_in_as_the_start_page_expects_it(typed, code):
    assert start_address(typed) == f"../voila/render/00_start.ipynb?code={code}"


@pytest.mark.parametrize("typed", ["", "ACK", "ACK34XACK34X", "<script>alert(1)</script>",
                                   "ACK34X?p=stolen", "%2F%2Fevil.example", "x" * 10_000,
                                   "ACK\x0034X", "ÄCK34X"])
def test_anything_but_a_code_goes_to_the_plain_start_page(typed):
    assert start_address(typed) == "../voila/render/00_start.ipynb"
