"""The room screen shows the short join address and its QR code (issue 17, item 1). The
test reads the code back from Chromium's pixels, as a phone's camera would, at the
projector's size, and checks it is large enough to scan from the middle of a room."""

from __future__ import annotations

import io
import re

import pytest
import zxingcpp
from PIL import Image

from .conftest import wait_ready


def _decoded(element) -> list[str]:
    shot = Image.open(io.BytesIO(element.screenshot()))
    return [r.text for r in zxingcpp.read_barcodes(shot)]


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_the_room_screen_s_qr_code_opens_the_join_address_with_the_code(
        new_page, voila_server, seed_session, size):
    seeded = seed_session("Scan to join", [])
    code = seeded.session.code
    room = new_page(viewport={"width": size[0], "height": size[1]})
    room.goto(voila_server.url("room.ipynb", f"room={seeded.session.room_token}"))
    wait_ready(room, "Scan to join")
    said = room.locator(".cd-join").inner_text()
    address = re.search(r"Join at (\S+/join) with the code", said).group(1)
    qr = room.get_by_role("img", name=f"QR code that opens {address}/{code}")
    qr.wait_for()
    assert _decoded(qr) == [f"{address}/{code}"]
    box = qr.bounding_box()
    # about a third of the screen's height: a phone reads it from 8 to 10 metres away
    assert box["width"] >= 0.3 * size[1] and box["height"] >= 0.3 * size[1]
    assert box["x"] + box["width"] <= size[0] and box["y"] + box["height"] <= size[1]
