"""Charts that render with no internet: Vega-Lite specs drawn to SVG in the kernel.

Why SVG from vl-convert: Altair's default renderer loads Vega from a CDN, which a hospital
network may block ("Error loading script"). vl-convert runs the Vega JavaScript that ships
inside its Python package and returns SVG, which the page shows as plain markup: no
scripts, no requests, no actions menu, and the same SVG goes into the offline report.
Every chart carries one sentence, computed from the data, as its text alternative.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from ..markup import esc

_ARIA = re.compile(r'\s(?:role|aria-roledescription|aria-label|aria-hidden)="[^"]*"')


LINE = "\n"  # where a wrapped label breaks; the chart draws each part on its own line


def wrap_label(text: str, width: int = 34) -> str:
    """A long label (an area and a decision, say) broken into lines at spaces, so the
    chart shows it whole instead of cutting it short with an ellipsis."""
    import textwrap

    return LINE.join(textwrap.wrap(text, width)) or text


def wrapped_labels(labels) -> tuple[dict, int]:
    """The axis settings that draw labels made by :func:`wrap_label` on several lines,
    and the pixels each row of a chart needs for the longest of ``labels``."""
    lines = max((str(label).count(LINE) + 1 for label in labels), default=1)
    axis = {"labelExpr": "split(datum.label, '\\n')", "labelLimit": 0, "labelLineHeight": 13}
    return axis, 13 * lines + 8


def cache_dir() -> Path:
    """Where drawn charts are kept: ``CONDUCTOR_CHART_CACHE``, else beside the store."""
    configured = os.environ.get("CONDUCTOR_CHART_CACHE", "").strip()
    if configured:
        return Path(configured)
    from ..paths import data_dir

    return data_dir() / ".chart-cache"


def svg(spec: dict[str, Any]) -> str:
    """Draw a Vega-Lite spec (a dict, or anything with ``to_dict``) to an SVG string.

    Why a cache: every participant's kernel shows the same data charts, and drawing one
    costs a fifth of a second of CPU. Drawings are kept on disk under the hash of their
    spec (so a changed spec is a new file), written atomically, and shared by all kernels.
    """
    if hasattr(spec, "to_dict"):
        spec = spec.to_dict()
    key = hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()
    path = cache_dir() / f"{key}.svg"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    drawn = _draw_anywhere(spec)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(drawn)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only disk only costs speed
    return drawn


def _draw_anywhere(spec: dict[str, Any]) -> str:
    """Ask the server's chart service when there is one (the drawing engine then lives in
    one process, not in every kernel); draw here when there is none or it fails."""
    from ..chart_service import ENV_SERVICE

    service = os.environ.get(ENV_SERVICE, "").strip()
    if service:
        import urllib.request

        body = json.dumps(spec, default=str).encode("utf-8")
        request = urllib.request.Request(service, data=body, method="POST",  # noqa: S310
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as reply:  # noqa: S310
                return reply.read().decode("utf-8")
        except OSError:
            pass  # the service is down or refused the spec: draw here instead
    return _draw(spec)


def _draw(spec: dict[str, Any]) -> str:
    import vl_convert as vlc  # imported on first chart: keeps kernels small until needed

    # The whole drawing is one image named by its sentence. Vega's own per-mark ARIA roles
    # would give screen readers unnamed images inside it, so they are switched off, and any
    # Vega still writes (layer containers) are stripped from the markup.
    spec = {**spec, "config": {**spec.get("config", {}), "aria": False}}
    return _ARIA.sub("", vlc.vegalite_to_svg(spec))


def figure(spec: dict[str, Any], sentence: str, table_html: str = "",
           summary: str = "The numbers as a table") -> str:
    """A figure: the chart (named by its sentence for screen readers), the sentence as a
    caption, and an optional table (or list) with the same content."""
    drawing = svg(spec).replace("<svg ", f'<svg role="img" aria-label="{esc(sentence)}" ', 1)
    table = f"<details><summary>{esc(summary)}</summary>{table_html}</details>" \
        if table_html else ""
    return (f'<figure class="cd-chart" style="margin:0">{drawing}'
            f"<figcaption>{esc(sentence)}</figcaption>{table}</figure>")
