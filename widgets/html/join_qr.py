"""The QR code of the join address, as inline SVG with its text alternative.

Why segno: a maintained QR library that draws SVG in pure Python, offline, with no imaging
library; the room screen shows the code beside the address, so a phone's camera opens the
start page with the session code filled in (``/join/CODE``, widgets.server.join_address).
Why error correction "M" (segno may raise it when the data leaves room): a projected code is
read at an angle, through glare, from the middle of a room.
"""

from __future__ import annotations

from functools import lru_cache

import segno

from ..markup import esc


@lru_cache(maxsize=8)  # the room screen redraws its head often; the address rarely changes
def join_qr(url: str) -> str:
    """A ``<figure>``: the QR code of ``url`` (dark on a white quiet zone, sized by the page's
    style) named for a screen reader, and a caption saying what to do with it."""
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(scale=1, border=4, dark="#000", light="#fff", omitsize=True)
    # The name is on a wrapper (role img makes the drawing inside it one picture): segno
    # has no option for ARIA attributes on its <svg>, and its output is not edited.
    return (f'<figure class="cd-qr"><div class="cd-qr-code" role="img" '
            f'aria-label="QR code that opens {esc(url)}">{svg}</div>'
            "<figcaption>Or scan this with your phone's camera</figcaption></figure>")
