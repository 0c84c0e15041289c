"""Open a Voila page at once and build it while the browser loads.

Why: Voila sends a page only once its notebook's cell has finished, and the browser starts
loading its scripts (about a second of work) only then. A module page spends most of half
a second importing pandas and SQLAlchemy and building its parts before that cell ends, so
the two waits came one after the other. Here the cell returns the page's frame straight
away and the page is built in a thread, so the kernel builds while the browser loads; the
frame's contents are put in place when ready. Outside Voila (tests, JupyterLab) pages are
built in place.

The browser must never see half a page. It learns of widgets in two ways: a message as
each is made (heard only once its connection is open) and, on connecting, one snapshot of
them all. A page built across the moment the browser connects would reach it as a box
whose parts were announced before anyone listened, stuck at "Loading widget". So widgets
made by a build announce nothing, and the browser's request for the snapshot waits until
the build has finished: whenever it connects, it gets the whole page at once.

Anything started during the build that belongs to the kernel's event loop (each page's
poll) is handed to that loop once the page is in place, so refreshes never run beside the
build. Work a page can show a moment later (the Focus ranking, which needs pandas and
20,000 weightings) waits until the browser has its snapshot (``when_shown``), so it costs
the page's opening nothing.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import threading
from collections.abc import Callable

import ipywidgets as w
from ipywidgets import comm as widget_comm

from ... import compat

log = logging.getLogger(__name__)

FAILED = ("Something went wrong opening this page",
          "Reload the page. If it happens again, tell the facilitator.")
WAIT_SECONDS = 120.0  # a build taking longer is stuck: the browser then gets what there is
SHOWN_SECONDS = 20.0  # no browser asked for the page by then: do the waiting work anyway

_build = threading.local()  # .pending: what to start on the loop once this build is done
_building: set[threading.Thread] = set()
_after_snapshot: list[tuple[asyncio.AbstractEventLoop, Callable[[], None]]] = []
_create_comm = widget_comm.create_comm


def building() -> bool:
    """True while this thread builds a page in Voila."""
    return getattr(_build, "pending", None) is not None


def _quiet_create_comm(*args, **kwargs):
    """ipywidgets makes every widget's comm here: in a build thread, register it without
    announcing it (the browser's snapshot carries it)."""
    if not building():
        return _create_comm(*args, **kwargs)
    link = _create_comm(*args, primary=False, **kwargs)
    widget_comm.get_comm_manager().register_comm(link)
    _build.made.append(link)
    return link


_quiet_create_comm.__wrapped__ = _create_comm  # type: ignore[attr-defined]  # compat's check


def _connect(links: list) -> None:
    """Let the comms made by a build send from now on.

    ipykernel gives a comm its kernel when it sends its first message, and ipywidgets sends
    nothing on a comm without one. Until its build ends a quiet comm has none, so the build's
    own changes (about sixty messages on the Focus page) cost nothing and reach no browser (none
    knows these widgets yet; the snapshot carries their final state). After it, each gets
    its kernel, or the widget could never update.
    """
    # here, not at the top: 175 ms to import (benchmarks/import_cost.py)
    from ipykernel.kernelbase import Kernel

    if not Kernel.initialized():
        return
    kernel = Kernel.instance()
    for link in links:
        if getattr(link, "kernel", False) is None and not getattr(link, "_closed", False):
            link.kernel = kernel


def _forget(widget: w.Widget) -> None:
    """Close a widget the browser never heard of, without telling it (it would log an
    error about an unknown comm)."""
    link = widget.comm
    if link is not None:
        link._closed = True  # comm's own flag: close() then sends nothing
        widget_comm.get_comm_manager().unregister_comm(link)
    widget.close()


def _snapshot_after_builds(answer):
    def handle(cls, msg):
        for thread in list(_building):
            thread.join(WAIT_SECONDS)
        try:
            return answer(msg)
        finally:
            page_shown()
    handle.waits_for_builds = True
    return classmethod(handle)


def _install() -> None:
    """Patch ipywidgets once per kernel (see the module's docstring)."""
    widget_comm.create_comm = _quiet_create_comm
    if not getattr(w.Widget._handle_control_comm_msg, "waits_for_builds", False):
        w.Widget._handle_control_comm_msg = _snapshot_after_builds(
            w.Widget._handle_control_comm_msg)


def _kernel_loop() -> asyncio.AbstractEventLoop | None:
    """The kernel's event loop, when this runs in a cell of an IPython kernel; else None
    (a script, or a test process whose running loop is another library's)."""
    # here, not at the top: 175 ms to import (benchmarks/import_cost.py)
    from ipykernel.kernelbase import Kernel

    if not Kernel.initialized():
        return None
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def kernel_loop() -> asyncio.AbstractEventLoop | None:
    """The kernel's event loop, for work a page does later (a timer); None outside a
    kernel's cell, where that work is done at once."""
    return _kernel_loop()


def on_loop(start: Callable[[], None]) -> None:
    """Run ``start`` in the kernel's event loop: now if this is the kernel's thread, or
    once the page being built in this thread is in place."""
    if building():
        _build.pending.append(start)
    else:
        start()


def when_shown(start: Callable[[], None]) -> None:
    """Run ``start`` in the kernel's event loop once the browser has the page being built
    in this thread (its snapshot of the widgets has been answered), or after
    ``SHOWN_SECONDS`` if no browser asks; outside a build, now. For parts that may appear a
    moment after the rest, so the page's opening does not wait for them. Asked again for
    the same ``start`` (a part refreshed twice while building), it still runs once."""
    if not building():
        start()
    elif start not in _build.shown:
        _build.shown.append(start)


def page_shown() -> None:
    """The browser has its snapshot: start what was waiting for it (``when_shown``)."""
    while _after_snapshot:
        loop, start = _after_snapshot.pop(0)
        loop.call_soon_threadsafe(start)


def open_page(build: Callable[[], w.VBox], frame: Callable[..., w.VBox],
              failed: Callable[[], w.VBox]) -> w.VBox:
    """Return ``frame()`` now (its first child is the page style) and give it the rest of
    ``build()``'s page from a thread; ``failed()`` is shown (and the error logged) if the
    build raises. Outside a kernel's cell (a script, a test) the page is built in place, and
    so it is where ipywidgets, comm or ipykernel no longer look as this relies on
    (``widgets.compat``, "page-opening": the server's log says so as it starts)."""

    loop = _kernel_loop()
    if loop is None or not compat.fits("page-opening"):
        return build()
    _install()
    outer = frame()

    def work() -> None:
        _build.pending = pending = []
        _build.made = links = []
        _build.shown = waiting = []
        try:
            try:
                page = build()
            except Exception:
                log.exception("building the page failed")
                page = failed()
            style, *parts = page.children
            outer.children = (outer.children[0], *parts)
            page.children = ()
            for made in (style, page):  # made in the build: never announced
                _forget(made)
        finally:
            _build.pending = None
            _connect(links)
            _after_snapshot.extend((loop, start) for start in waiting)
            if waiting:
                loop.call_soon_threadsafe(loop.call_later, SHOWN_SECONDS, page_shown)
            _building.discard(thread)
        for start in pending:
            loop.call_soon_threadsafe(start)

    ctx = contextvars.copy_context()  # the cell's context: messages keep their parent
    thread = threading.Thread(target=ctx.run, args=(work,), name="conductor-page", daemon=True)
    _building.add(thread)
    outer.opening = thread
    thread.start()
    return outer
