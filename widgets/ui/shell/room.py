"""The room screen, on the projector: big join code, address, head count, current step and
revealed results. It holds no key and reads through the reveal filter as "room", so it
cannot show anything unrevealed.
"""

from __future__ import annotations

import ipywidgets as w

from ... import check_in
from ...charts.draw import for_the_room
from ...html.join_qr import join_qr
from ...session import View, Viewer, joining
from ...stages import STAGES
from ...store import SessionRow, Store
from ...store.check_ins import Sitting
from ...validation import show_date
from ..common import esc, html_block, set_html
from ..readiness.results import ReadinessResults
from ..sharing import shown
from .links import public_join, public_link
from .stepbar import SHARED_TEXT


class WhenOn:
    """A module's room view, built the first time the room reaches that module.

    Why: the projector shows one module at a time; building all three at load (with their
    analysis and charts) made the room screen the slowest page to open.
    """

    def __init__(self, view: View, prefix: str, build):
        self.view = view
        self.prefix = prefix
        self.build = build
        self.part = None
        self.widget = w.VBox()

    def refresh(self) -> None:
        if self.part is None:
            if not (self.view.session.current_stage or "").startswith(self.prefix):
                return
            self.part = self.build(self.view)  # builds and refreshes itself
            self.widget.children = [self.part.widget]
            return
        self.part.refresh()


class WhenCheckIn(WhenOn):
    """The check-in's room view (issue 20), built the first time a check-in is open and
    shown only while one is. A check-in's rounds leave the room's step as it was, so no step
    prefix finds it: the session's sittings do, read as the room reads its session."""

    def __init__(self, view: View, build):
        super().__init__(view, "check_in.", build)
        self.open: Sitting | None = None  # the open check-in, as last read

    def refresh(self) -> None:
        self.open = next((s for s in self.view.store.sittings(self.view.session.id)
                          if s.state == "open"), None)
        shown(self.widget, self.open is not None)
        if self.part is None:
            if self.open is None:
                return
            self.part = self.build(self.view)  # builds and refreshes itself
            self.widget.children = [self.part.widget]
            return
        self.part.refresh()


#: What the room is asked at each part of a check-in, under "Now:" on the room screen.
CHECK_IN_ASK = {
    None: "The portfolio first: what needs the board's attention comes first.",
    check_in.KEEP: "For each prototype: keep going, change course, or stop and learn? "
                   "Answer on your phone or laptop; answers stay private until revealed.",
    check_in.REVIEW: "For each delegated decision due today: did the guardrails hold, and "
                     "should the level stay, move towards the front line or move back?"}
ROUND_STATE = {"open": "answering now", "closed": "answers closed",
               "revealed": "results revealed"}


def check_in_step(view: View, sitting: Sitting) -> str:
    """The room's "Now:" line during a check-in: the sitting, the round the room is on and
    its state. Its data-stage changes with the round and its state, so the page's script
    shows a round's note or result from its first page."""
    now = check_in.room_round(view, sitting)
    where = f"check_in.{sitting.id}"
    round_words = ""
    if now is not None:
        state = check_in.round_state(view, sitting, now)
        where += f".{now}.{state}"
        round_words = f": {check_in.ROUNDS[now]} ({ROUND_STATE.get(state, state)})"
    return (f'<p class="cd-big cd-room-now" data-stage="{esc(where)}">Now: '
            f"<strong>Check-in {sitting.number}</strong>{esc(round_words)}, held on "
            f"{esc(show_date(sitting.held_on))}</p>"
            f'<p class="cd-room-ask">{esc(CHECK_IN_ASK[now])}</p>')


def _room_check_in(view: View):
    # here, not at the top: 230 ms to import (the portfolio's analysis; measured in a fresh
    # kernel, 7 Dec 2026), paid only once a check-in opens
    from ..check_in.room import RoomCheckIn

    return RoomCheckIn(view)


def _room_focus(view: View):
    # here, not at the top: 32 ms to import (benchmarks/import_cost.py)
    from ..focus.page import RoomFocus

    return RoomFocus(view)


def _room_cede(view: View):
    # here, not at the top: 50 ms to import (benchmarks/import_cost.py)
    from ..cede.page import RoomCede

    return RoomCede(view)


def _room_prototype(view: View):
    # here, not at the top: 150 ms to import (benchmarks/import_cost.py)
    from ..prototype.page import RoomPrototype

    return RoomPrototype(view)


class RoomScreen:
    def __init__(self, store: Store, session: SessionRow):
        self.view = View(store, session, Viewer("room"))
        self.top = html_block()
        # here, not at the top: 16 ms to import (benchmarks/import_cost.py)
        from .agenda_panel import RoomAgenda

        self.clock = RoomAgenda(self.view)
        self.results = ReadinessResults(self.view, draw_now=False)
        self.focus = WhenOn(self.view, "focus.", _room_focus)
        self.cede = WhenOn(self.view, "cede.", _room_cede)
        self.prototype = WhenOn(self.view, "prototype.", _room_prototype)
        self.check_in = WhenCheckIn(self.view, _room_check_in)
        # Once the room is under way a wide projector shows the join details and the clock
        # in a column beside the step's view, so a revealed result starts at the top of the
        # screen rather than below the fold ("cd-room-split"; stacked on narrower screens).
        # The result column is cut into pages that fit the screen by the page's own script
        # (static/room.js, which finds it by "cd-room-results"; arrows turn the pages).
        side = w.VBox([self.top, self.clock.widget])
        side.add_class("cd-room-side")
        results = w.VBox([self.check_in.widget, self.results.widget, self.focus.widget,
                          self.cede.widget, self.prototype.widget])
        results.add_class("cd-room-results")
        self.widget = w.VBox([side, results])
        self.widget.add_class("cd-room")
        self.refresh()

    def revision(self) -> int:
        return self.view.store.revision(self.view.session.id)

    def refresh(self) -> None:
        # Every chart the room shows is drawn in its room version (charts.draw.for_the_room).
        with for_the_room():
            self._refresh()

    def _refresh(self) -> None:
        self.view.refresh()
        s = self.view.session
        join_url = public_join() or public_link("00_start.ipynb")
        count = self.view.people_count()
        taking_joiners = joining(self.view.store, s).open
        info = STAGES.get(s.current_stage or "")
        self.check_in.refresh()  # while a check-in is open, the room is on it
        sitting = self.check_in.open
        if sitting is not None:
            step = check_in_step(self.view, sitting)
        elif info:
            st = self.view.stage(info.key)
            prog = self.view.progress(info.key)
            state = SHARED_TEXT if info.kind == "shared" else {
                "open": f"answering now: {prog.answered} of {count} have answered",
                "closed": "answers closed", "revealed": "results revealed"}[st.state]
            # data-stage: the page's script shows a new step's result from its first page
            step = (f'<p class="cd-big cd-room-now" data-stage="{esc(info.key)}">Now: '
                    f"<strong>{esc(info.title)}</strong> ({esc(state)})</p>"
                    f'<p class="cd-room-ask">{esc(info.ask)}</p>')
        else:
            step = ('<p class="cd-big cd-room-now" data-stage="">Waiting to start. Join now.</p>'
                    if taking_joiners else
                    '<p class="cd-big cd-room-now" data-stage="">Waiting to start.</p>')
        # Before the first step the join details fill the screen; once the room is under
        # way they shrink to one line, so what the room is looking at starts high on a
        # 1080 px projector (latecomers can still read the address and code).
        head = "cd-room-head cd-under-way" if info else "cd-room-head"
        if info and "cd-room-split" not in self.widget._dom_classes:
            self.widget.add_class("cd-room-split")
        elif not info and "cd-room-split" in self.widget._dom_classes:
            self.widget.remove_class("cd-room-split")
        people = (f'<p class="cd-big"><strong>{count}</strong> '
                  f"{'person has' if count == 1 else 'people have'} joined</p>")
        if taking_joiners:
            # Three spans of their own, each kept whole, so they wrap as units and never
            # run into each other (the address breaks only where it must).
            join = (f'<div class="cd-join-words"><p class="cd-big cd-join-line">'
                    f'<span>Join at</span> <strong class="cd-join-url">{esc(join_url)}</strong>'
                    " <span>with the code</span></p>"
                    f'<div class="cd-code" aria-label="Join code {" ".join(s.code)}">'
                    f"{esc(s.code)}</div></div>")
            scan = public_join(s.code)
            if scan:  # served by conductor serve, which answers /join/CODE
                join += join_qr(scan)
        else:  # latecomers would only be refused: the code is not projected
            join = ('<p class="cd-big">This session is closed to new joiners. The '
                    "facilitator can reopen it from the console.</p>")
        set_html(self.top,
                 f'<div class="{head}"><h2>{esc(s.title)}</h2><div class="cd-join">'
                 f"{join}{people}</div>{step}</div>")
        self.clock.refresh()
        on_readiness = s.current_stage in (None, "readiness")
        shown(self.results.widget, on_readiness)
        if on_readiness:  # drawn only while shown: the profile's analysis needs pandas
            self.results.refresh()
        self.focus.refresh()
        self.cede.refresh()
        shown(self.prototype.widget, sitting is None)  # the check-in's portfolio instead
        self.prototype.refresh()
