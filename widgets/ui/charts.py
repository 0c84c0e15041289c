"""Charts that render with no internet: Vega-Lite specs drawn to SVG in the kernel.

Why SVG from vl-convert: Altair's default renderer loads Vega from a CDN, which a hospital
network may block ("Error loading script"). vl-convert runs the Vega JavaScript that ships
inside its Python package and returns SVG, which the page shows as plain markup: no
scripts, no requests, no actions menu, and the same SVG goes into the offline report.
Every chart carries one sentence, computed from the data, as its text alternative.

Why every chart is checked before it is drawn: the renderer is not defensive. A control
character (NUL, BEL, ESC...) anywhere in a chart's text makes vl-convert abort the whole
process (SIGABRT, which no ``try`` catches), and a chart of 300,000 points grows a kernel
to gigabytes. So every string in a spec is made XML-safe in :func:`_draw`, the one place
that calls the renderer, and a spec past :data:`MAX_ROWS` or :data:`MAX_SPEC_BYTES` is never
sent. A chart that cannot be drawn becomes a short message in its own place
(:func:`figure`); the rest of the screen, the kernel and the export carry on.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

from ..markup import esc

_ARIA = re.compile(r'\s(?:role|aria-roledescription|aria-label|aria-hidden)="[^"]*"')
# What XML 1.0 cannot hold: C0 controls but tab, newline and return, U+FFFE and U+FFFF, and
# lone surrogates. The renderer parses the SVG it writes as XML and aborts on any of them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
MAX_ROWS = 5_000  # data rows in one chart: a measure's 520 points drawn in a few layers
MAX_SPEC_BYTES = 2 * 1024 * 1024  # a spec's JSON; a long driver diagram is some 100 kB


class ChartNotDrawn(Exception):
    """A chart that is not drawn; ``str()`` says why in words for the screen."""


def xml_safe(value: Any) -> Any:
    """``value`` with every string in it (dict keys too) stripped of what XML cannot hold.

    Dropped, not replaced: a stray control character carries no meaning a reader would
    miss, and text typed in the kit is refused at input (``validation.check_text``); this
    is the net for what came another way (older data, a file, a self-guided notebook)."""
    if isinstance(value, str):
        return _NOT_XML.sub("", value)
    if isinstance(value, dict):
        return {xml_safe(k): xml_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [xml_safe(v) for v in value]
    return value


def _rows(node: Any) -> int:
    """Data rows in a spec: every inline ``values`` list and named dataset, at any depth."""
    if isinstance(node, dict):
        return sum(len(v) if k == "values" and isinstance(v, list)
                   else sum(len(d) for d in v.values() if isinstance(d, list))
                   if k == "datasets" and isinstance(v, dict) else _rows(v)
                   for k, v in node.items())
    if isinstance(node, list):
        return sum(_rows(v) for v in node)
    return 0


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
    """Where drawn charts are kept (``paths.chart_cache``: emptied by ``forget_drawings``
    when a session is deleted or a person withdrawn)."""
    from ..paths import chart_cache

    return chart_cache()


def svg(spec: dict[str, Any]) -> str:
    """Draw a Vega-Lite spec (a dict, or anything with ``to_dict``) to an SVG string.

    Why a cache: every participant's kernel shows the same data charts, and drawing one
    costs a fifth of a second of CPU. Drawings are kept on disk under the hash of their
    spec (so a changed spec is a new file), written atomically, and shared by all kernels.
    """
    if hasattr(spec, "to_dict"):
        spec = spec.to_dict()
    rows = _rows(spec)
    if rows > MAX_ROWS:
        raise ChartNotDrawn(f"This chart could not be drawn: it has {rows:,} points, and a "
                            f"chart shows at most {MAX_ROWS:,}.")
    text = json.dumps(spec, sort_keys=True, default=str)
    if len(text) > MAX_SPEC_BYTES:
        raise ChartNotDrawn("This chart could not be drawn: it holds too much text "
                            f"({len(text) / 1048576:.1f} MB; the limit is "
                            f"{MAX_SPEC_BYTES // 1048576} MB).")
    key = hashlib.sha256(text.encode()).hexdigest()
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
    one process, not in every kernel); draw here when there is none or it cannot be
    reached. When the service answered that it could not draw, this kernel does not try:
    whatever broke the service's drawing process would break this kernel too."""
    from ..chart_service import ENV_SERVICE

    service = os.environ.get(ENV_SERVICE, "").strip()
    if service:
        import urllib.error
        import urllib.request

        body = json.dumps(spec, default=str).encode("utf-8")
        request = urllib.request.Request(service, data=body, method="POST",  # noqa: S310
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as reply:  # noqa: S310
                return reply.read().decode("utf-8")
        except urllib.error.HTTPError as err:
            raise ChartNotDrawn("This chart could not be drawn just now.") from err
        except OSError:
            pass  # the service is down (it is restarting): draw here instead
    return _draw(spec)


def _draw(spec: dict[str, Any]) -> str:
    import vl_convert as vlc  # imported on first chart: keeps kernels small until needed

    # The whole drawing is one image named by its sentence. Vega's own per-mark ARIA roles
    # would give screen readers unnamed images inside it, so they are switched off, and any
    # Vega still writes (layer containers) are stripped from the markup.
    spec = xml_safe({**spec, "config": {**spec.get("config", {}), "aria": False}})
    return _ARIA.sub("", vlc.vegalite_to_svg(spec))


def figure(spec: dict[str, Any], sentence: str, table_html: str = "",
           summary: str = "The numbers as a table") -> str:
    """A figure: the chart (named by its sentence for screen readers), the sentence as a
    caption, and an optional table (or list) with the same content. A chart that cannot be
    drawn is a short message in its place; the sentence and the table still show."""
    sentence = xml_safe(sentence)
    try:
        drawing = svg(spec).replace("<svg ", f'<svg role="img" aria-label="{esc(sentence)}" ',
                                    1)
    except ChartNotDrawn as err:
        drawing = f'<p class="cd-warn">{esc(str(err))}</p>'
    except Exception as err:  # one chart's failure must not stop the screen
        # The server's log, never the page: a kernel's own stderr is sent to the browser.
        print(f"A chart could not be drawn: {type(err).__name__}: {str(err)[:300]}",
              file=sys.__stderr__, flush=True)
        drawing = ('<p class="cd-warn">This chart could not be drawn. The sentence below '
                   "says what it shows.</p>")
    table = f"<details><summary>{esc(summary)}</summary>{table_html}</details>" \
        if table_html else ""
    return (f'<figure class="cd-chart" style="margin:0">{drawing}'
            f"<figcaption>{esc(sentence)}</figcaption>{table}</figure>")
