"""What each notebook shows: one call per page, so notebooks stay a few lines long.

Each function reads the page's URL (Voila passes it to the kernel), works out who the page
is for, builds the components, starts a poll that refreshes them when the session changes,
and returns one widget. Problems become a plain message, never a traceback.
"""

from __future__ import annotations

import contextlib
import sys
from importlib import import_module
from typing import TYPE_CHECKING

import ipywidgets as w

from ..server.kernel_quiet import install
from ..server.priority import give_way
from ..stages import STAGES
from ..urls import in_voila, page_link, preheated, query_params
from .common import esc, html_block, page
from .poll import Poller
from .sharing import shared_defaults, sharing
from .shell.opening import FAILED, on_loop, open_page

if TYPE_CHECKING:
    from ..session import View
    from ..store import Store

# The session and store (SQLAlchemy) are imported inside the functions below, so that in
# Voila they load while the browser does (see ``opening``).

_STORE: Store | None = None
POLL_SECONDS = 1.0


def get_store() -> Store:
    """One store per kernel, opened on first use from ``CONDUCTOR_DATABASE_URL``."""
    global _STORE
    if _STORE is None:
        # here, not at the top: 207 ms to import (benchmarks/import_cost.py)
        from ..store import Store

        _STORE = Store()
    return _STORE


# What each page imports before it reads its URL. With preheated kernels (``conductor serve
# --preheat``) a page's notebook runs before anyone asks for it and waits at the URL, so
# everything imported here is ready when the request arrives; without, it costs the same.
_MODULE = (".shell.stepbar", ".shell.agenda_panel", "..charts.draw")
_ALL = (".focus.page", ".cede.page", ".prototype.page", "..analysis.priorities",
        "..analysis.delegation", "..analysis.spc")
WARM = {
    "start": (".shell.start",),
    "console": (".shell.console", ".shell.console_tools", ".shell.agenda_panel"),
    "room": (".shell.room", ".shell.agenda_panel", "..charts.draw"),
    "readiness": (".readiness.form", ".readiness.results", ".shell.stagecontrols", *_MODULE),
    "focus": (".focus.page", "..focus", *_MODULE),
    "cede": (".cede.page", ".cede.poker", "..analysis.delegation", *_MODULE),
    "prototype": (".prototype.page", "..analysis.spc", "..analysis.drivers", "..tracking",
                  *_MODULE),
    "check_in": (".check_in.page", "..check_in", "..analysis.portfolio", *_MODULE),
}
# The console and the room show whichever module the room is on, known only from the URL's
# session: a preheated kernel has time to import them all; a cold one imports what it needs.
# Focus opens on its data (plain Python) and needs pandas only for a revealed ranking; the
# readiness check opens without pandas (its profile needs it only once revealed).
WARM_IF_PREHEATED = {"console": (".readiness.results", "pandas", *_ALL, ".check_in.console"),
                     "room": (*_ALL, ".check_in.room"),
                     "focus": ("..analysis.priorities",),
                     "readiness": ("..analysis.readiness",)}


def warm(page: str) -> None:
    """Import ``page``'s code and open the store (a preheated kernel does this before its
    request arrives; see ``WARM``)."""

    names = WARM[page]
    if preheated():
        names += WARM_IF_PREHEATED.get(page, ())
    for name in names:
        import_module(name, __package__ if name.startswith(".") else None)
    get_store()


def message(title: str, text: str, href: str | None = None, link_text: str = "") -> w.VBox:
    more = f'<p><a href="{esc(href)}">{esc(link_text)}</a></p>' if href else ""
    return page(html_block(f'<div class="cd-warn" role="alert"><h2>{esc(title)}</h2>'
                           f"<p>{esc(text)}</p>{more}</div>"))


def _show(component, *before: w.Widget) -> w.VBox:
    """Start the component's poll and return it as a page (after any ``before`` parts)."""
    poller = Poller(component.revision, sharing(_reading_once(component)), POLL_SECONDS)
    poller.last = component.revision()
    on_loop(poller.start)
    component.poller = poller
    return page(*before, component.widget)


def _reading_once(component):
    """``component.refresh`` with its session's state read once, whatever number of parts
    ask for it (``View.one_snapshot``)."""
    def refresh() -> None:
        view = getattr(component, "view", None)
        if view is None:  # the console before a session is chosen
            component.refresh()
            return
        with view.one_snapshot():
            component.refresh()
    return refresh


def _in_a_kernel() -> bool:
    """Is this an IPython kernel's process (not a test's, nor a script's)?"""
    kernelbase = sys.modules.get("ipykernel.kernelbase")  # a kernel has it imported
    return kernelbase is not None and kernelbase.Kernel.initialized()


def _guard(name: str):
    """Make ``build`` a page function: store problems (version, database down) become a
    message page; in Voila the page opens at once and is built while the browser loads
    (``opening``). ``name`` says what to import ahead (``WARM``)."""
    def decorate(build):
        def run():
            # here, not at the top: 404 ms to import (benchmarks/import_cost.py)
            from ..store import StoreError

            try:
                query_params()  # a preheated kernel waits here for its request
                if in_voila():  # a pool kernel learns it is in Voila only with its request
                    from ..server.kernel_quiet import install

                    install()  # once per kernel: failures to the server's log, not the page
                with shared_defaults():
                    warm(name)
                    return build()
            except StoreError as err:
                return message("Something needs attention", str(err))

        def wrapper():
            # A pool kernel (``preheated``) is a Voila page too, though it learns so only
            # with its request: its frame goes back now, so Voila renders the page ahead
            # and sends it the moment someone asks, and the page is built in the thread once
            # the request is in (``run`` waits for it there). Built here in the cell, the
            # page's HTML waited for the whole build and for Voila to read every widget's
            # announcement: 4.1 s median on the readiness check in a storm of 40 with
            # pools of 40 (benchmarks/join_storm.py, 7 Dec 2026).
            if not (in_voila() or preheated()):
                return run()

            install()  # failures to the server's log, once each, never to the page
            if _in_a_kernel():  # not a test's process, which plays a page
                give_way(name)  # participants' pages: the console and room screen first
            if preheated():  # import now, while the kernel waits in the pool for a page
                from ..store import StoreError

                with contextlib.suppress(StoreError):  # the build will say what is wrong
                    warm(name)
            return open_page(run, page, lambda: message(*FAILED))
        wrapper.__doc__ = build.__doc__
        wrapper.__name__ = build.__name__
        return wrapper
    return decorate


@_guard("start")
def start_page() -> w.Widget:
    """The join page (``00_start``)."""
    # here, not at the top: 289 ms to import (benchmarks/import_cost.py)
    from .shell.start import StartPage
    q = query_params()
    return _show(StartPage(get_store(), code=q.get("code", ""), token=q.get("p")))


@_guard("console")
def console_page() -> w.Widget:
    """The facilitator console; refuses politely without the key."""
    # here, not at the top: 442 ms to import (benchmarks/import_cost.py)
    from .shell.console import Console
    store = get_store()
    q = query_params()
    key = q.get("key")
    if not store.is_facilitator(key):
        return message("This page is for the facilitator",
                       "Open the console with the link printed by `conductor serve` (it carries "
                       "the facilitator key). If it is lost, run `conductor rotate-key`.")
    return _show(Console(store, key, session_code=q.get("session")))


ROOM_FROM_CONSOLE = "Open the room screen from the facilitator's console"


@_guard("room")
def room_page() -> w.Widget:
    """The projector screen for the session whose room token the URL carries
    (``?room=TOKEN``, the link the console gives). The join code opens nothing here: every
    participant knows it, and an old one would show a finished session's results. A bare
    address shows no session: it would put the join code in front of anyone on the
    network."""
    # here, not at the top: 332 ms to import (benchmarks/import_cost.py)
    from .shell.room import RoomScreen
    store = get_store()
    token = query_params().get("room", "")
    if not token:
        return message(ROOM_FROM_CONSOLE,
                       "The console shows the room screen's link for the session you are "
                       "running (under the join code). Open that link on the projector.")
    session = store.session_by_room_token(token)
    if session is None or session.solo:
        return message("This room screen link is not recognised",
                       f"The session may have been deleted, or the link was copied only in "
                       f"part. {ROOM_FROM_CONSOLE}: it shows the room screen's link for the "
                       "session you are running.")
    return _show(RoomScreen(store, session))


def module_context(stage: str):
    """(view, token, solo) for a module page, or a message widget explaining what to do."""
    # here, not at the top: 254 ms to import (benchmarks/import_cost.py)
    from ..session import View, Viewer, participant_from_token, solo_session, start_alone

    store = get_store()
    q = query_params()
    token = q.get("p")
    if token:
        person = participant_from_token(store, token)
        if person is None:
            return message("This link is not recognised",
                           "The session may have been deleted. Join again with the code from "
                           "the room screen.", "00_start.ipynb", "Go to the start page")
        view = View(store, store.session(person.session_id),
                    Viewer("participant", participant_id=person.id))
        return view, token, False
    if in_voila():
        return message("Join first", "This page needs your personal link. Join with the "
                       "session code on the start page.", "00_start.ipynb",
                       "Go to the start page")
    session, person = solo_session(store)
    view = View(store, session, Viewer("solo", participant_id=person.id))
    start_alone(view, stage)  # nobody else is there to open the step
    return view, None, True


class _Module:
    """A module page: its parts refresh together from one poll."""

    def __init__(self, view: View, parts: list, children: list[w.Widget]):
        self.view = view
        self.parts = parts
        self.widget = w.VBox(children)

    def revision(self) -> int:
        return self.view.store.revision(self.view.session.id)

    def refresh(self) -> None:
        with self.view.one_snapshot():  # every part shows the same reads
            self.view.refresh()
            for part in self.parts:
                part.refresh()


@_guard("readiness")
def readiness_page() -> w.Widget:
    """The board readiness check (``00_readiness``), for a participant or a solo leader."""
    # here, not at the top: 228 ms to import (benchmarks/import_cost.py)
    from ..readiness import STAGE

    # here, not at the top: 288 ms to import (benchmarks/import_cost.py)
    from .readiness.form import ReadinessForm

    # here, not at the top: 764 ms to import (benchmarks/import_cost.py)
    from .readiness.results import ReadinessResults

    # here, not at the top: 556 ms to import (benchmarks/import_cost.py)
    from .shell.stagecontrols import StageControls

    # here, not at the top: 461 ms to import (benchmarks/import_cost.py)
    from .shell.stepbar import StepBar
    ctx = module_context(STAGE)
    if isinstance(ctx, w.Widget):
        return ctx
    view, token, solo = ctx
    info = STAGES[STAGE]
    with view.one_snapshot():  # each part draws itself from the same reads
        parts = [StepBar(view, info.notebook, token), ReadinessForm(view)]
        if solo:
            parts.append(StageControls(view, info, solo=True))
        parts.append(ReadinessResults(view))
    children = [p.widget for p in parts]
    if token:
        children.append(html_block(f'<p><a href="{esc(page_link("00_start.ipynb", p=token))}">'
                                   "Back to the start page</a></p>"))
    return _show(_Module(view, parts, children))


def _module_page(stage: str, notebook: str, build_parts) -> w.Widget:
    """A module page: the step bar, the module's parts, and a way back to the start."""
    # here, not at the top: 461 ms to import (benchmarks/import_cost.py)
    from .shell.stepbar import StepBar

    ctx = module_context(stage)
    if isinstance(ctx, w.Widget):
        return ctx
    view, token, solo = ctx
    with view.one_snapshot():  # each part draws itself from the same reads
        parts = [StepBar(view, notebook, token), *build_parts(view, solo)]
    children = [p.widget for p in parts]
    if token:
        children.append(html_block(f'<p><a href="{esc(page_link("00_start.ipynb", p=token))}">'
                                   "Back to the start page</a></p>"))
    return _show(_Module(view, parts, children))


@_guard("focus")
def focus_page() -> w.Widget:
    """The Focus module (``01_focus``), for a participant or a solo leader."""
    # here, not at the top: 206 ms to import (benchmarks/import_cost.py)
    from .focus.page import participant_parts

    return _module_page("focus.score", "01_focus.ipynb", participant_parts)


@_guard("cede")
def cede_page() -> w.Widget:
    """The Cede module (``02_cede``), for a participant or a solo leader."""
    # here, not at the top: 366 ms to import (benchmarks/import_cost.py)
    from .cede.page import participant_parts

    return _module_page("cede.poker", "02_cede.ipynb", participant_parts)


@_guard("prototype")
def prototype_page() -> w.Widget:
    """The Prototype module (``03_prototype``), for a participant or a solo leader."""
    # here, not at the top: 629 ms to import (benchmarks/import_cost.py)
    from .prototype.page import participant_parts

    return _module_page("prototype.commit", "03_prototype.ipynb", participant_parts)


@_guard("check_in")
def check_in_page() -> w.Widget:
    """The board's check-in (``04_check_in``), from a participant's personal link: the
    portfolio, the keep, change or stop round, the delegation review and the focus."""
    # here, not at the top: imports the check-in's screens and the portfolio analysis
    from .check_in.page import participant_parts

    if not query_params().get("p"):
        return message("Open the check-in from your personal link",
                       "The check-in is a sitting of a workshop your board ran together. "
                       "Open it from the personal link you were given when you joined, or "
                       "join again with the session code on the start page.",
                       "00_start.ipynb", "Go to the start page")
    ctx = module_context("prototype.track")  # with a personal link: no solo session
    if isinstance(ctx, w.Widget):
        return ctx
    view, token, _solo = ctx
    with view.one_snapshot():  # each part draws itself from the same reads
        parts = participant_parts(view, token)
    children = [p.widget for p in parts]
    children.append(html_block(f'<p><a href="{esc(page_link("00_start.ipynb", p=token))}">'
                               "Back to the start page</a></p>"))
    return _show(_Module(view, parts, children))
