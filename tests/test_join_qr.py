"""The room screen's QR code markup (issue 17, item 1): named for a screen reader, the
address escaped, and the same figure for the same address."""

from __future__ import annotations

import re

from widgets.html.join_qr import join_qr


def test_the_code_is_one_named_picture_with_a_caption():
    html = join_qr("https://conductor.example.nhs.uk/join/ACK34X")
    assert re.search(r'<div class="cd-qr-code" role="img" aria-label="QR code that opens '
                     r'https://conductor\.example\.nhs\.uk/join/ACK34X"><svg ', html)
    assert "<figcaption>Or scan this with your phone's camera</figcaption>" in html
    assert html.count("<svg") == 1 and 'viewBox="0 0 ' in html


def test_an_address_is_escaped_where_it_is_named():
    html = join_qr('https://x.example/join/"><script>alert(1)</script>')
    assert "<script>" not in html and "&lt;script&gt;" in html
