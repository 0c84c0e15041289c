"""Text made safe to show as HTML, for the screens and for the report alike.

Why its own module: the report and the exports must build without ipywidgets (they run from
the command line and in tests with no widget front end), and they show the same words the
screens show, so the one escaping function lives where both can import it.
"""

from __future__ import annotations

import html
import re
from typing import Any

from .validation import CONTROL


def esc(value: Any) -> str:
    """HTML-escape anything for display, quotes included; control characters shown as
    visible signs (:func:`inert`)."""
    return html.escape(inert(value), quote=True)


def inert(value: Any) -> str:
    """``value`` as text with every control character (NUL, BEL, ESC, DEL, C1, lone
    surrogates: ``validation.CONTROL``) shown as a visible sign instead: the Unicode control
    pictures for C0 and DEL (BEL shows as ␇, ESC as ␛), the replacement sign � for the rest.

    Why on display, in one place: input refuses control characters
    (``validation.check_text``), but text saved by an older version, or put in the store
    another way, still holds them. Shown as they are they are invisible (a box that cannot
    be saved for no visible reason) or break what reads them; shown as signs, people see
    them and can delete them, and what they save is plain text."""
    return CONTROL.sub(_picture, "" if value is None else str(value))


def _picture(found: re.Match) -> str:
    code = ord(found.group())
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else "\ufffd"
