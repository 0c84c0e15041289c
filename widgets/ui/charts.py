"""Charts that render with no internet: Vega-Lite specs drawn to SVG in the kernel.

Why SVG from vl-convert: Altair's default renderer loads Vega from a CDN, which a hospital
network may block ("Error loading script"). vl-convert runs the Vega JavaScript that ships
inside its Python package and returns SVG, which the page shows as plain markup: no
scripts, no requests, no actions menu, and the same SVG goes into the offline report.
Every chart carries one sentence, computed from the data, as its text alternative.
"""

from __future__ import annotations

import re
from typing import Any

from .common import esc

_ARIA = re.compile(r'\s(?:role|aria-roledescription|aria-label|aria-hidden)="[^"]*"')


def svg(spec: dict[str, Any]) -> str:
    """Draw a Vega-Lite spec (a dict, or anything with ``to_dict``) to an SVG string."""
    import vl_convert as vlc  # imported on first chart: keeps kernels small until needed

    if hasattr(spec, "to_dict"):
        spec = spec.to_dict()
    # The whole drawing is one image named by its sentence. Vega's own per-mark ARIA roles
    # would give screen readers unnamed images inside it, so they are switched off, and any
    # Vega still writes (layer containers) are stripped from the markup.
    spec = {**spec, "config": {**spec.get("config", {}), "aria": False}}
    return _ARIA.sub("", vlc.vegalite_to_svg(spec))


def figure(spec: dict[str, Any], sentence: str, table_html: str = "") -> str:
    """A figure: the chart (named by its sentence for screen readers), the sentence as a
    caption, and an optional table with the same numbers."""
    drawing = svg(spec).replace("<svg ", f'<svg role="img" aria-label="{esc(sentence)}" ', 1)
    table = f"<details><summary>The numbers as a table</summary>{table_html}</details>" \
        if table_html else ""
    return (f'<figure class="cd-chart" style="margin:0">{drawing}'
            f"<figcaption>{esc(sentence)}</figcaption>{table}</figure>")
