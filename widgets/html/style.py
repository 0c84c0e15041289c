"""The kit's colours and its one stylesheet, shared by the screens and the offline report.

Why one file (``share/jupyter/voila/templates/conductor/static/kit.css``): buttons, cards,
notes, type sizes and the room screen's layout are defined once. The kit's Voila template
links it (one cached request, not the same styles sent in every page's widget state);
a self-guided notebook in JupyterLab, which has no kit template, and the report, which must
open offline as one file, carry it inline (:data:`STYLE`, read from the same file).
"""

from __future__ import annotations

import os

from ..paths import SHARE

# Okabe-Ito: distinguishable with the common kinds of colour blindness. kit.css declares the
# same colours as custom properties (tests/test_stylesheet.py holds the two together).
PALETTE = {"blue": "#0072B2", "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73",
           "vermillion": "#D55E00", "purple": "#CC79A7", "grey": "#6B6B6B", "ink": "#1A1A1A"}

STYLESHEET = SHARE / "voila" / "templates" / "conductor" / "static" / "kit.css"

# Set by the kit's Voila server (widgets.server.voila_app) for its kernels: their pages are
# served in the kit's template, which links the stylesheet, so a page need not carry it.
ENV_TEMPLATE_STYLE = "CONDUCTOR_TEMPLATE_STYLE"

STYLE = f"<style>\n{STYLESHEET.read_text(encoding='utf-8')}</style>\n"


def page_style() -> str:
    """What a page's first part carries: nothing when the kit's template links the
    stylesheet, else the stylesheet inline (JupyterLab, a plain ``voila`` command)."""
    return "" if os.environ.get(ENV_TEMPLATE_STYLE) == "1" else STYLE
