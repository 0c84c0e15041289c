"""The facilitator console: sessions, who has joined, who has answered, and the step controls.

Why it shows names but never answers: the facilitator needs to know who to wait for, and
the room needs to trust that nobody, the facilitator included, sees a vote before the
reveal. Answers appear here only through the same reveal filter as everywhere else.

Why it never guesses the session: a store often holds a demonstration or last month's
session beside today's, and opening on the newest once put the wrong room link on the
projector. The console opens on the session its address names (``?session=CODE``), or on
the only one there is; otherwise it asks. The session in use is shown large at the top
(title, code, created), and the address bar follows the choice, so a reload keeps it.
"""

from __future__ import annotations

from datetime import UTC, datetime

import ipywidgets as w

from ... import keys
from ...session import (
    View,
    Viewer,
    Withdrawal,
    create_session,
    hide_name,
    joining,
    opening_session,
    page_link,
    plan_withdrawal,
    roster_name,
    set_joining,
    withdraw,
)
from ...stages import STAGES
from ...store import SessionRow, Store, StoreError
from ...validation import FieldError, show_date, show_time
from ..aria import name as aria_name
from ..common import FULL, Status, button, esc, html_block, link, set_html
from ..sharing import layout, shown
from .address import Address
from .agenda_panel import AgendaPanel
from .console_tools import ModuleTools
from .export_panel import ExportPanel
from .links import public_link
from .stagecontrols import StageControls, emphasise

CHOOSE = 0  # the dropdown's "choose a session" entry (session ids start at 1)


def session_label(s: SessionRow) -> str:
    return f"{s.code} · {s.title} · {show_time(s.created_at)}"


class Console:
    def __init__(self, store: Store, key: str, session_code: str | None = None):
        if not store.is_facilitator(key):
            raise StoreError("This link does not carry the facilitator key.")
        self.store = store
        self.key = key
        self.status = Status()
        self.banner = html_block()
        self.sessions = w.Dropdown(description="Session", options=[],
                                   style={"description_width": "initial"},
                                   layout=layout(width=FULL, max_width="40rem"))
        self._quiet = False  # True while the console itself replaces the list
        self.new_title = w.Text(description="New session title",
                                placeholder="e.g. Board development day, March",
                                style={"description_width": "initial"},
                                layout=layout(width=FULL, max_width="40rem"))
        self.create_btn = button("Create session", "Create a new live session")
        self.create_btn.on_click(lambda _: self.create())
        self.people = w.VBox()
        # Joining: open or closed to new joiners, and when it closes itself.
        self.clock = lambda: datetime.now(UTC)
        self.joining_text = html_block()
        self.joining_btn = button("Close to new joiners", "Stop new people joining with the "
                                  "code; people already in keep their personal links")
        self.joining_btn.on_click(lambda _: self.toggle_joining())
        self._closes_at: datetime | None = None  # when the session closes itself, if open
        self.removing: Withdrawal | None = None
        self.remove_text = html_block()
        self.remove_yes = button("Yes, remove them", "Remove this person's answers, name and "
                                 "personal link", "danger")
        self.remove_no = button("Cancel", "Keep this person")
        self.remove_yes.on_click(lambda _: self.remove())
        self.remove_no.on_click(lambda _: self._cancel_remove())
        self.removal = w.VBox([self.remove_text, w.HBox([self.remove_yes, self.remove_no])])
        shown(self.removal, False)
        self.steps = w.VBox()
        self.results = w.VBox()
        self.agenda_box = w.VBox()
        self.agenda = None
        self.address: Address | None = None  # made when a session is first chosen
        self.view: View | None = None
        self._roster_key: tuple | None = None
        self._controls: list[StageControls] = []
        self._results: list = []
        self._missing = ""  # a code the address named that no session has
        self.sessions.observe(self._chosen, names="value")
        self.tools = w.VBox([
            self.agenda_box,
            html_block("<h3>Joining</h3>"),
            self.joining_text,
            self.joining_btn,
            html_block("<h3>Who has joined</h3>"),
            self.people,
            self.removal,
            html_block("<h3>Steps</h3>"),
            self.steps,
            self.results,
        ])
        self.widget = w.VBox([
            self.banner,
            self.status.widget,
            html_block("<h2>Your sessions</h2>"),
            self.sessions,
            w.HBox([self.new_title, self.create_btn]),
            self.tools,
        ])
        rows = self.store.list_sessions()
        first = opening_session(rows, session_code)
        if session_code and first is None:
            self._missing = keys.normalise_code(session_code)[:20]
        self._load_sessions(rows, select=first.id if first else None)
        if self.view is None:
            self.refresh()

    # -- sessions -------------------------------------------------------------
    def _load_sessions(self, rows: list[SessionRow] | None = None,
                       select: int | None = None) -> None:
        """List the sessions; keep the one being run (or ``select`` it). Never picks one
        among several by itself."""
        rows = self.store.list_sessions() if rows is None else rows
        ids = {s.id for s in rows}
        target = select if select is not None else (self.view.session.id if self.view
                                                    else None)
        if target not in ids:
            target = None
            if self.view is not None:  # deleted (by `conductor delete-session`, say):
                self._clear()          # ask, rather than move to another by itself
                self._missing = "deleted"
            if not self._missing:
                only = opening_session(rows, None)
                target = only.id if only else None
        options = [(session_label(s), s.id) for s in rows]
        if target is None and rows:
            options = [("Choose the session you are running…", CHOOSE), *options]
        value = target if target is not None else (CHOOSE if rows else None)
        # With no session yet, creating one is the next thing to do; else choosing is.
        emphasise({"create": self.create_btn}, None if rows else "create")
        self._quiet = True
        try:
            if list(self.sessions.options) != options:
                self.sessions.options = options
            if self.sessions.value != value:
                self.sessions.value = value
        finally:
            self._quiet = False
        if target is not None and (self.view is None or self.view.session.id != target):
            self.select(target)

    def _chosen(self, change) -> None:
        if self._quiet or not change["new"]:
            return
        if self.view is None or self.view.session.id != change["new"]:
            self.select(change["new"])

    def create(self) -> None:
        try:
            session = create_session(self.store, self.new_title.value, self.key)
        except (FieldError, StoreError) as err:
            self.status.error(str(err))
            return
        self.new_title.value = ""
        self.status.info(f"Created session {session.code}. It is the one shown now.")
        self._load_sessions(select=session.id)

    def select(self, session_id: int | None) -> None:
        if not session_id:
            return
        self._missing = ""
        self.view = View(self.store, self.store.session(session_id),
                         Viewer("facilitator", key=self.key))
        self._controls = [StageControls(self.view, info) for info in STAGES.values()]

        self._results = [ModuleTools(self.view), ExportPanel(self.view)]

        self.agenda = AgendaPanel(self.view)
        self.agenda_box.children = [self.agenda.widget]
        self.steps.children = [c.widget for c in self._controls]
        self.results.children = [r.widget for r in self._results]
        self._roster_key = None
        self._cancel_remove()
        shown(self.tools, True)
        # The address bar names the session, so a reload or a bookmark opens this one.
        if self.address is None:
            self.address = Address()
            self.widget.children = [*self.widget.children, self.address]
        self.address.show(page_link("facilitator.ipynb", key=self.key,
                                    session=self.view.session.code))
        self.refresh()

    def _clear(self) -> None:
        """No session chosen: nothing to run, so no tools (and no stale room link)."""
        self.view = None
        self._controls, self._results, self.agenda = [], [], None
        self.agenda_box.children = self.steps.children = self.results.children = ()
        self.people.children = ()
        self._cancel_remove()
        shown(self.tools, False)

    # -- refresh --------------------------------------------------------------
    def revision(self) -> tuple:
        """What the poll compares: the session's counter, how many sessions exist, and
        whether the time the session closes itself has passed (no write marks that)."""
        sid = self.view.session.id if self.view else None
        due = self._closes_at is not None and self.clock() >= self._closes_at
        return (self.store.revision(sid) if sid else 0, self.store.count_sessions(), due)

    def refresh(self) -> None:
        self._load_sessions()
        if self.view is None:
            shown(self.tools, False)
            set_html(self.banner, self._choose_text())
            return
        self.view.refresh()
        s = self.view.session
        join_url = public_link("00_start.ipynb", code=s.code)
        room_url = public_link("room.ipynb", room=s.room_token or "")
        step = STAGES[s.current_stage].title if s.current_stage in STAGES else "not started"
        # A check-in leaves the workshop's step as it was: while one is open, the room is on it.
        sitting = next((x for x in self.store.sittings(s.id) if x.state == "open"), None)
        if sitting is not None:
            step = f"Check-in {sitting.number}, held on {show_date(sitting.held_on)}"
        set_html(self.banner,
                 '<div class="cd-note cd-session-in-use">'
                 '<p>You are running this session. Check that the room screen shows the '
                 "same title and code before people join.</p>"
                 f'<h2 class="cd-big">{esc(s.title)}</h2>'
                 f'<p class="cd-big">Join code <strong>{esc(s.code)}</strong> · created '
                 f"{show_time(s.created_at)}</p>"
                 f"<p>{self.view.people_count()} joined · the room is on: {esc(step)}</p>"
                 f"<p>Participants: {link(join_url, join_url)}<br>"
                 f"Room screen (for the projector): {link(room_url, room_url)}</p></div>")
        self._refresh_joining()
        self._refresh_roster()
        self.agenda.refresh()
        for c in self._controls:
            c.refresh()
        for r in self._results:
            r.refresh()

    def _choose_text(self) -> str:
        n = len(self.sessions.options) - 1
        if n < 1:
            return ('<div class="cd-note"><h2>No session yet</h2><p>Create a session to '
                    "begin: give it a title the room will recognise.</p></div>")
        missing = ("<p>The session you were running has been deleted.</p>"
                   if self._missing == "deleted" else
                   f"<p>No session has the code {esc(self._missing)} (it may have been "
                   "deleted).</p>" if self._missing else "")
        return (f'<div class="cd-warn">{missing}<h2>Which session are you running?</h2>'
                f"<p>There {'is 1 session' if n == 1 else f'are {n} sessions'} here, perhaps "
                "a demonstration or an earlier one. Choose yours under “Your sessions” "
                "(check its title and code), or create a new one.</p></div>")

    def _refresh_joining(self) -> None:
        state = joining(self.store, self.view.session, self.clock())
        self._closes_at = state.closes_at
        set_html(self.joining_text, f'<p class="{"cd-note" if state.open else "cd-warn"}">'
                 f"{esc(state.describe())}</p>")
        label = "Close to new joiners" if state.open else "Reopen to new joiners"
        if self.joining_btn.description != label:
            self.joining_btn.description = label
            self.joining_btn.tooltip = (
                "Stop new people joining with the code; people already in keep their "
                "personal links" if state.open else "Let people join with the code again")

    def toggle_joining(self) -> None:
        """Close the session to new joiners, or reopen it (which restarts the clock)."""
        if self.view is None:
            return
        opening = not joining(self.store, self.view.session, self.clock()).open
        try:
            set_joining(self.store, self.view.session, opening, self.key)
        except StoreError as err:
            self.status.error(str(err))
            return
        self.status.info("Reopened: people can join with the code again." if opening else
                         "The session is closed to new joiners. People already in keep "
                         "working through their personal links.")
        self.refresh()

    def _refresh_roster(self) -> None:
        people = self.view.roster()
        key = tuple((p.id, p.hidden, p.display_name) for p in people)
        if key == self._roster_key:
            return
        self._roster_key = key
        rows = []
        for p in people:
            when = show_time(p.joined_at)
            name = w.HTML(f"<span>{esc(roster_name(p))}</span> "
                          f'<span class="cd-when">joined {when}</span>',
                          layout=layout(min_width="12rem"))
            acts = []
            if p.display_name:
                act = "Show name" if p.hidden else "Hide name"
                b = button(act, f"{act} of participant {p.id}", name=f"{act} of {p.display_name}"
                           f" (joined {when})")
                b.on_click(lambda _b, pid=p.id, hide=not p.hidden: self.hide(pid, hide))
                acts.append(b)
            rm = button("Remove…", f"Remove {roster_name(p)} (joined {when}) from this "
                        "session")
            rm.on_click(lambda _b, pid=p.id: self.ask_remove(pid))
            aria_name(rm, rm.tooltip)  # heard with whom it removes
            row = w.HBox([name, *acts, rm])
            row.add_class("cd-person")
            rows.append(row)
        self.people.children = rows or [html_block("<p>Nobody has joined yet.</p>")]

    def hide(self, participant_id: int, hidden: bool = True) -> None:
        try:
            hide_name(self.store, participant_id, self.key, hidden)
        except StoreError as err:
            self.status.error(str(err))
            return
        self.status.info("Name hidden everywhere." if hidden else "Name shown again.")
        self.refresh()

    # -- removing someone (a person who joined twice) ---------------------------
    def ask_remove(self, participant_id: int) -> None:
        """Say exactly what would go, and wait for Yes (as `conductor withdraw` asks)."""
        try:
            self.removing = plan_withdrawal(self.store, self.view.session, participant_id)
        except StoreError as err:
            self.status.error(str(err))
            return
        set_html(self.remove_text, f'<p class="cd-warn" role="alert">'
                                   f"{esc(self.removing.question())}</p>")
        shown(self.removal, True)

    def _cancel_remove(self) -> None:
        self.removing = None
        shown(self.removal, False)

    def remove(self) -> None:
        plan = self.removing
        self._cancel_remove()
        if plan is None:
            return
        try:
            done = withdraw(self.store, plan, self.key)
        except StoreError as err:
            self.status.error(str(err))
            return
        self.status.info(done)
        self.refresh()
