"""The facilitator console: sessions, who has joined, who has answered, and the step controls.

Why it shows names but never answers: the facilitator needs to know who to wait for, and
the room needs to trust that nobody, the facilitator included, sees a vote before the
reveal. Answers appear here only through the same reveal filter as everywhere else.
"""

from __future__ import annotations

import ipywidgets as w

from ..session import View, Viewer, roster_name
from ..stages import STAGES
from ..store import Store, StoreError
from ..validation import FieldError, check_text
from .common import FULL, Status, button, esc, html_block, link, set_html
from .links import public_link
from .sharing import layout
from .stagecontrols import StageControls


class Console:
    def __init__(self, store: Store, key: str):
        if not store.is_facilitator(key):
            raise StoreError("This link does not carry the facilitator key.")
        self.store = store
        self.key = key
        self.status = Status()
        self.sessions = w.Dropdown(description="Session", options=[],
                                   style={"description_width": "initial"},
                                   layout=layout(width=FULL, max_width="40rem"))
        self.new_title = w.Text(description="New session title",
                                placeholder="e.g. Board development day, March",
                                style={"description_width": "initial"},
                                layout=layout(width=FULL, max_width="40rem"))
        self.create_btn = button("Create session", "Create a new live session", "primary")
        self.create_btn.on_click(lambda _: self.create())
        self.header = html_block()
        self.people = w.VBox()
        self.steps = w.VBox()
        self.results = w.VBox()
        self.agenda_box = w.VBox()
        self.agenda = None
        self.view: View | None = None
        self._roster_key: tuple | None = None
        self._controls: list[StageControls] = []
        self._results: list = []
        self.sessions.observe(lambda ch: self.select(ch["new"]), names="value")
        self.widget = w.VBox([
            html_block("<h2>Your sessions</h2>"),
            self.sessions,
            w.HBox([self.new_title, self.create_btn]),
            self.status.widget,
            self.header,
            self.agenda_box,
            html_block("<h3>Who has joined</h3>"),
            self.people,
            html_block("<h3>Steps</h3>"),
            self.steps,
            self.results,
        ])
        self._load_sessions()

    # -- sessions -------------------------------------------------------------
    def _load_sessions(self, select: int | None = None) -> None:
        rows = self.store.list_sessions()
        options = [(f"{s.code} · {s.title} · {s.created_at:%d %b %Y}", s.id) for s in rows]
        ids = [o[1] for o in options]
        current = self.sessions.value
        if list(self.sessions.options) != options:
            self.sessions.options = options
        # Keep the one being run; else the one just created; else the newest.
        target = select if select is not None else current
        if target not in ids:
            target = ids[0] if ids else None
        if self.sessions.value != target:
            self.sessions.value = target  # the observer selects it
        elif target is not None and self.view is None:
            self.select(target)

    def create(self) -> None:
        try:
            title = check_text(self.new_title.value, "short", "The session title") or \
                "Workshop session"
            session = self.store.create_session(title, self.key)
        except (FieldError, StoreError) as err:
            self.status.error(str(err))
            return
        self.new_title.value = ""
        self.status.info(f"Created session {session.code}.")
        self._load_sessions(select=session.id)

    def select(self, session_id: int | None) -> None:
        if session_id is None:
            return
        self.view = View(self.store, self.store.session(session_id),
                         Viewer("facilitator", key=self.key))
        self._controls = [StageControls(self.view, info) for info in STAGES.values()]
        from .console_tools import ModuleTools
        from .export_panel import ExportPanel

        self._results = [ModuleTools(self.view), ExportPanel(self.view)]
        from .agenda_panel import AgendaPanel

        self.agenda = AgendaPanel(self.view)
        self.agenda_box.children = [self.agenda.widget]
        self.steps.children = [c.widget for c in self._controls]
        self.results.children = [r.widget for r in self._results]
        self._roster_key = None
        self.refresh()

    # -- refresh --------------------------------------------------------------
    def revision(self) -> tuple:
        """What the poll compares: the session's counter and how many sessions exist."""
        sid = self.view.session.id if self.view else None
        return (self.store.revision(sid) if sid else 0, self.store.count_sessions())

    def refresh(self) -> None:
        self._load_sessions()
        if self.view is None:
            set_html(self.header, "<p>Create a session to begin.</p>")
            return
        self.view.refresh()
        s = self.view.session
        join_url = public_link("00_start.ipynb", code=s.code)
        room_url = public_link("room.ipynb", code=s.code)
        step = STAGES[s.current_stage].title if s.current_stage in STAGES else "not started"
        set_html(self.header,
                 f"<h3>{esc(s.title)}</h3>"
                 f'<p>Join code <strong class="cd-big">{esc(s.code)}</strong> · '
                 f"{self.view.people_count()} joined · the room is on: {esc(step)}</p>"
                 f"<p>Participants: {link(join_url, join_url)}<br>"
                 f"Room screen (for the projector): {link(room_url, room_url)}</p>")
        self._refresh_roster()
        self.agenda.refresh()
        for c in self._controls:
            c.refresh()
        for r in self._results:
            r.refresh()

    def _refresh_roster(self) -> None:
        people = self.view.roster()
        key = tuple((p.id, p.hidden, p.display_name) for p in people)
        if key == self._roster_key:
            return
        self._roster_key = key
        rows = []
        for p in people:
            name = w.HTML(f"<span>{esc(roster_name(p))}</span>",
                          layout=layout(min_width="12rem"))
            if p.display_name:
                act = "Show name" if p.hidden else "Hide name"
                b = button(act, f"{act} of participant {p.id}")
                b.on_click(lambda _b, pid=p.id, hide=not p.hidden: self.hide(pid, hide))
                rows.append(w.HBox([name, b]))
            else:
                rows.append(w.HBox([name]))
        self.people.children = rows or [html_block("<p>Nobody has joined yet.</p>")]

    def hide(self, participant_id: int, hidden: bool = True) -> None:
        try:
            self.store.hide_participant_name(participant_id, self.key, hidden)
        except StoreError as err:
            self.status.error(str(err))
            return
        self.status.info("Name hidden everywhere." if hidden else "Name shown again.")
        self.refresh()
