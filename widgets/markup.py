"""Text made safe to show as HTML, for the screens and for the report alike.

Why its own module: the report and the exports must build without ipywidgets (they run from
the command line and in tests with no widget front end), and they show the same words the
screens show, so the one escaping function lives where both can import it.
"""

from __future__ import annotations

import html
from typing import Any


def esc(value: Any) -> str:
    """HTML-escape anything for display, quotes included."""
    return html.escape("" if value is None else str(value), quote=True)
