"""Charts that render with no internet: Vega-Lite specs drawn to SVG, never in a browser.

Why SVG from vl-convert: Altair's default renderer loads Vega from a CDN, which a hospital
network may block ("Error loading script"). vl-convert runs the Vega JavaScript that ships
inside its Python package and returns SVG, which the page shows as plain markup: no
scripts, no requests, no actions menu, and the same SVG goes into the offline report.
Every chart carries one sentence, computed from the data, as its text alternative.

Why screens describe a chart (:class:`Chart`) rather than write its spec: the specs are
built with altair (:mod:`.specs`, one builder per kind of chart), and altair costs a
process some 46 MB. A screen gives the chart's kind, its data rows and its sentence; the
process that draws it (the server's chart service, or this kernel when there is none)
builds the spec there. So a participant's kernel never imports altair.

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
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, NamedTuple

from ..markup import esc
from ..paths import chart_cache

# What XML 1.0 cannot hold: C0 controls but tab, newline and return, U+FFFE and U+FFFF, and
# lone surrogates. The renderer parses the SVG it writes as XML and aborts on any of them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
MAX_ROWS = 5_000  # data rows in one chart: a measure's 520 points drawn in a few layers
MAX_SPEC_BYTES = 2 * 1024 * 1024  # a spec's JSON; a long driver diagram is some 100 kB
# Where the server's chart service listens (``conductor serve`` sets it for its kernels).
ENV_SERVICE = "CONDUCTOR_CHART_SERVICE"


class Chart(NamedTuple):
    """A chart described compactly: its kind (a builder in :mod:`.specs`) and
    that builder's arguments (data rows under ``values``, the sentence, a few words).
    This description is what is checked, cached and sent to the chart service; altair
    builds the Vega-Lite spec from it where the chart is drawn."""

    kind: str
    params: dict[str, Any]

    def payload(self) -> dict[str, Any]:
        return {"chart": self.kind, "params": self.params}


def _described(spec: dict[str, Any]) -> bool:
    return set(spec) == {"chart", "params"}


_BUILDERS: str | None = None


def _builders() -> str:
    """What a described chart's drawing depends on besides its description: the builders'
    source and altair's version (from its metadata: importing it is what we avoid). Part
    of the cache key, so a changed builder or altair never serves an old drawing."""
    global _BUILDERS
    if _BUILDERS is None:
        # here, not at the top: 15 ms to import (benchmarks/import_cost.py)
        from importlib.metadata import version

        source = Path(__file__).with_name("specs.py").read_bytes()
        _BUILDERS = hashlib.sha256(source).hexdigest()[:16] + "/" + version("altair")
    return _BUILDERS


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
    """Data rows in a spec: every inline ``values`` list and named dataset, at any depth;
    in a described chart, every list of rows among its arguments."""
    if isinstance(node, dict) and _described(node):
        return sum(len(v) for v in node["params"].values()
                   if isinstance(v, list) and v and isinstance(v[0], dict))
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

    return LINE.join(textwrap.wrap(text, width)) or text


def cache_dir() -> Path:
    """Where drawn charts are kept (``paths.chart_cache``: emptied by ``forget_drawings``
    when a session is deleted or a person withdrawn)."""

    return chart_cache()


def svg(spec: dict[str, Any] | Chart) -> str:
    """Draw a described chart (:class:`Chart`), or a Vega-Lite spec (a dict, or anything
    with ``to_dict``, such as a self-guided notebook's own chart), to an SVG string.

    Why a cache: every participant's kernel shows the same data charts, and drawing one
    costs a fifth of a second of CPU. Drawings are kept on disk under the hash of their
    spec (so a changed spec is a new file), written atomically, and shared by all kernels.
    """
    extra = ""
    if isinstance(spec, Chart):
        payload, extra = spec.payload(), _builders()
    elif hasattr(spec, "to_dict"):
        payload = spec.to_dict()
    else:
        payload = spec
    rows = _rows(payload)
    if rows > MAX_ROWS:
        raise ChartNotDrawn(f"This chart could not be drawn: it has {rows:,} points, and a "
                            f"chart shows at most {MAX_ROWS:,}.")
    text = json.dumps(payload, sort_keys=True, default=str)
    if len(text) > MAX_SPEC_BYTES:
        raise ChartNotDrawn("This chart could not be drawn: it holds too much text "
                            f"({len(text) / 1048576:.1f} MB; the limit is "
                            f"{MAX_SPEC_BYTES // 1048576} MB).")
    key = hashlib.sha256((text + extra).encode()).hexdigest()
    path = cache_dir() / f"{key}.svg"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    drawn = _draw_anywhere(payload)
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
    service = os.environ.get(ENV_SERVICE, "").strip()
    if service:
        import urllib.error  # here, not at the top: 0 ms to import (benchmarks/import_cost.py)
        import urllib.request  # here, not at the top: 16 ms to import (benchmarks/import_cost.py)

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


# The whole drawing is one image named by its sentence (:func:`figure`), so nothing inside
# it should speak to a screen reader. Vega-Lite's options do that for axes, legends, titles
# and marks (``aria`` false: ``specs._finish``; the same config for a spec given as
# it is). No option reaches the group Vega draws around the whole chart (nor the group
# around each legend entry, inside the legend the options hide): Vega 6 always writes this
# role on it (seen with vl-convert 1.9; Vega's own ``aria`` is for marks only). So that
# one attribute pair is removed from the drawing, as written, and nothing else is edited.
_FRAME_ROLE = ' role="graphics-object" aria-roledescription="group mark container"'
_QUIET = {"aria": False, "mark": {"aria": False}}


def _draw(spec: dict[str, Any]) -> str:
    """Draw in this process: a described chart is built here with altair first."""
    import vl_convert as vlc  # imported on first chart: keeps kernels small until needed

    spec = xml_safe(spec)  # before building too: the text goes into the spec and the SVG
    if _described(spec):
        # here, not at the top: 8 ms to import (benchmarks/import_cost.py)
        from .specs import build

        spec = xml_safe(build(spec["chart"], spec["params"]))
    else:
        config = spec.get("config", {})
        spec = {**spec, "config": {**config, **_QUIET,
                                   "mark": {**config.get("mark", {}), "aria": False}}}
    # No requests from a drawing: every chart's data is in its spec.
    return vlc.vegalite_to_svg(spec, allowed_base_urls=[]).replace(_FRAME_ROLE, "")


# Whether the charts drawn now are for the room screen (:func:`for_the_room`).
_ROOM: ContextVar[bool] = ContextVar("conductor_room_charts", default=False)


@contextmanager
def for_the_room() -> Iterator[None]:
    """Charts drawn inside this block are the room's: each described chart is drawn with
    its builder's ``room`` options (larger type, as wide as the projector's result column)
    and a long one is cut into parts that each fit the screen (``specs.ROOM_ROWS``).

    Why a context and not an argument: the room screen shows the same parts as the console
    and the participant's page (the cards, the board, the commitment, the measures), which
    draw through :func:`figure`; the room screen wraps its refresh in this block, so every
    chart it shows is drawn for the projector, and no other screen's charts change."""
    token = _ROOM.set(True)
    try:
        yield
    finally:
        _ROOM.reset(token)


def in_the_room() -> bool:
    """Whether what is drawn now is for the room screen (:func:`for_the_room`)."""
    return _ROOM.get()


def room_parts(chart: Chart) -> list[Chart]:
    """``chart`` as the room draws it: with ``room`` set, cut into parts of at most
    ``specs.ROOM_ROWS[kind]`` rows (whole rows: a decision's two cells stay together)."""
    from .specs import ROOM_ROWS  # no altair: the builders import it inside themselves

    params = {**chart.params, "room": True}
    field, most = ROOM_ROWS.get(chart.kind, (None, 0))
    values = params.get("values")
    if not field or not isinstance(values, list):
        return [Chart(chart.kind, params)]
    keys = list(dict.fromkeys(r.get(field) for r in values))
    if len(keys) <= most:
        return [Chart(chart.kind, params)]
    count = -(-len(keys) // most)
    size = -(-len(keys) // count)  # parts of even size: 9 rows are 5 and 4, not 8 and 1
    parts = []
    for i in range(0, len(keys), size):
        chunk = set(keys[i:i + size])
        part = {**params, "values": [r for r in values if r.get(field) in chunk]}
        if "areas" in part:  # the robustness chart names its rows' order
            part["areas"] = [a for a in part["areas"] if a in chunk]
        parts.append(Chart(chart.kind, part))
    return parts


def _drawing(spec: dict[str, Any] | Chart, name: str) -> str:
    """The chart's SVG named ``name`` for screen readers, or a short message in its place."""
    try:
        # The drawing's one name, on the <svg> itself: Vega-Lite keeps a spec's
        # ``description`` out of the SVG it writes, and has no option for the root's role.
        return svg(spec).replace("<svg ", f'<svg role="img" aria-label="{esc(name)}" ', 1)
    except ChartNotDrawn as err:
        return f'<p class="cd-warn">{esc(str(err))}</p>'
    except Exception as err:  # one chart's failure must not stop the screen
        # The server's log, never the page: a kernel's own stderr is sent to the browser.
        print(f"A chart could not be drawn: {type(err).__name__}: {str(err)[:300]}",
              file=sys.__stderr__, flush=True)
        return ('<p class="cd-warn">This chart could not be drawn. The sentence below '
                "says what it shows.</p>")


def figure(spec: dict[str, Any] | Chart, sentence: str, table_html: str = "",
           summary: str = "The numbers as a table") -> str:
    """A figure: the chart (named by its sentence for screen readers), the sentence as a
    caption, and an optional table (or list) with the same content. A chart that cannot be
    drawn is a short message in its place; the sentence and the table still show.

    For the room (:func:`for_the_room`) a described chart is drawn in its room version,
    and a long one as several figures, one part each, so the room screen can show them a
    page at a time; the sentence is the caption of the first and names every part."""
    sentence = xml_safe(sentence)
    if _ROOM.get() and isinstance(spec, Chart):
        parts = room_parts(spec)
        if len(parts) > 1:
            out = []
            for i, part in enumerate(parts, 1):
                name = f"{sentence} (Part {i} of {len(parts)}.)"
                words = (f"Part {i} of {len(parts)}. {sentence}" if i == 1
                         else f"Part {i} of {len(parts)}, continued.")
                out.append(f'<figure class="cd-chart">{_drawing(part, name)}'
                           f"<figcaption>{esc(words)}</figcaption></figure>")
            table = f"<details><summary>{esc(summary)}</summary>{table_html}</details>" \
                if table_html else ""
            return "".join(out) + table
        spec = parts[0]
    drawing = _drawing(spec, sentence)
    table = f"<details><summary>{esc(summary)}</summary>{table_html}</details>" \
        if table_html else ""
    return (f'<figure class="cd-chart">{drawing}'
            f"<figcaption>{esc(sentence)}</figcaption>{table}</figure>")
