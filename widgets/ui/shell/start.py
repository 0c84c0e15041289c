"""The start page: join with the code, get a personal link, go to the step the room is on.

Why a personal link: phones lock, browsers reload and tabs get closed. The link carries a
secret token (only its hash is stored), so it brings the same person back to their saved
answers from any tab, with no account and no password. So once someone joins, the page's
own address becomes that link (a reload or a bookmark keeps them), and the join form is
closed in the kernel, not only taken off the screen: a hidden Join button can still be
clicked over the page's websocket (one script made 200 participants in 4 seconds that way).
A page opened with a personal link never builds the form at all. Wrong codes are counted
per page (``session.JoinTries``), so a page cannot guess codes as fast as the kernel answers,
and per address across pages (``join_limits``), so opening page after page does not help.
"""

from __future__ import annotations

import ipywidgets as w

from ...agenda import timer as room_timer
from ...server.join_limits import PageTries
from ...session import (
    JoinError,
    View,
    Viewer,
    join,
    page_link,
    participant_from_token,
)
from ...stages import STAGES
from ...store import NotFound, Store, StoreError
from ..common import FULL, Status, button, esc, html_block, link, set_html
from ..countdown import Countdown
from ..sharing import layout


class StartPage:
    def __init__(self, store: Store, code: str = "", token: str | None = None):
        self.store = store
        self.token = token
        self.view: View | None = None
        self.status = Status()
        self.tries = PageTries.for_page(store)  # this page's wrong codes, and its address's
        self.form: w.VBox | None = None
        self.after = html_block()
        self.here = html_block()  # where the room is, once joined
        self.clock: Countdown | None = None  # its countdown, made on joining
        agenda = "".join(f"<li>{esc(i.title)}, about {i.minutes} minutes: {esc(i.ask)}</li>"
                         for i in STAGES.values())
        self.agenda = html_block(f"<h2>Today's steps</h2><ol>{agenda}</ol>")
        self.address = None  # made on joining, to put the personal link in the address bar
        self.widget = w.VBox([self.status.widget, self.after, self.agenda])
        person = participant_from_token(store, token) if token else None
        if person is not None:
            self._joined(person.session_id, person.id, token)
            return
        self._build_form(code)
        if token:
            self.status.error("That personal link is not recognised (the facilitator may "
                              "have removed this place, or deleted the session). Join again "
                              "below with the code from the room screen.")

    def _build_form(self, code: str) -> None:
        wide = layout(width=FULL, max_width="28rem")
        style = {"description_width": "initial"}
        self.code = w.Text(value=code, description="Session code", placeholder="e.g. ACK34X",
                           style=style, layout=wide)
        self.name = w.Text(description="Your name", placeholder="As the room knows you",
                           style=style, layout=wide)
        self.anonymous = w.Checkbox(description="Join without a name (anonymous)", value=False,
                                    indent=False, layout=wide)
        self.named = w.ToggleButtons(
            description="Show my name beside my answers once results are revealed?",
            options=[("No", False), ("Yes", True)], value=False,
            style={"description_width": "initial", "button_width": "auto"},
            tooltips=["Your answers appear without your name",
                      "Your name may appear beside your answers after a reveal"],
            layout=layout(width=FULL))
        self.join_btn = button("Join", "Join the workshop session", "primary")
        self.join_btn.on_click(lambda _: self.submit())
        self.anonymous.observe(self._on_anonymous, names="value")
        self.form = w.VBox([self.code, self.name, self.anonymous, self.named, self.join_btn])
        self.widget.children = [self.form, *self.widget.children]

    def _close_form(self) -> None:
        """Take the form off the page and close its models in the kernel (their own
        styles too; shared layouts and styles stay, other widgets use them)."""
        form, self.form = self.form, None
        if form is None:
            return
        self.widget.children = [c for c in self.widget.children if c is not form]
        for part in (*form.children, form):
            own = getattr(part, "style", None)
            if own is not None and not getattr(own, "_cd_frozen", False):
                own.close()
            part.close()

    def _on_anonymous(self, change) -> None:
        self.name.disabled = bool(change["new"])
        self.named.disabled = bool(change["new"])

    def submit(self) -> None:
        if self.view is not None or self.form is None:  # joined: a click adds no person
            return
        try:
            person, token = join(self.store, self.code.value, self.name.value,
                                 anonymous=self.anonymous.value, named_ok=self.named.value,
                                 tries=self.tries)
        except (JoinError, StoreError) as err:
            self.status.error(str(err))
            return
        self.status.info("You have joined.")
        self._joined(person.session_id, person.id, token)
        # here, not at the top: 16 ms to import (benchmarks/import_cost.py)
        from .address import Address

        self.address = Address()
        self.address.show(self.personal_link())
        self.widget.children = [*self.widget.children, self.address]

    def _joined(self, session_id: int, participant_id: int, token: str) -> None:
        self.token = token
        self.view = View(self.store, self.store.session(session_id),
                         Viewer("participant", participant_id=participant_id))
        self._close_form()
        # Where the room is and its countdown stay at the top while the page scrolls
        # (kit.css), as on the module pages.
        self.clock = Countdown()
        top = w.VBox([self.here, self.clock])
        top.add_class("cd-stepbox")
        self.widget.children = [top, *self.widget.children]
        self.refresh()

    def personal_link(self) -> str:
        return page_link("00_start.ipynb", p=self.token)

    def revision(self) -> int:
        return self.store.revision(self.view.session.id) if self.view else 0

    def refresh(self) -> None:
        if self.view is None:
            return
        self.view.refresh()
        s = self.view.session
        try:
            person = self.store.participant(self.view.viewer.participant_id)
        except NotFound:  # the facilitator removed this place (a second join, say)
            set_html(self.after, "")
            set_html(self.here, "")
            if self.clock is not None:
                self.clock.show(None)
            # The form was removed on joining; a reload brings it back (their old link is
            # no longer recognised, so the page starts from the form).
            self.status.error("This place in the session was removed by the facilitator. "
                              "If that was a mistake, reload this page to join again.")
            return
        me = esc(person.display_name) if person.display_name else "anonymous participant"
        mine = self.personal_link()
        info = STAGES.get(s.current_stage or "")
        if info:
            go = (f'<p class="cd-big">The room is on <strong>{esc(info.title)}</strong>. '
                  f"{link(page_link(info.notebook, p=self.token), 'Go to ' + info.title)}</p>")
        else:
            go = ('<p class="cd-big">The facilitator has not opened the first step yet. '
                  "Stay on this page: a link appears here when it opens.</p>")
        set_html(self.here, f'<div class="cd-stepbar" role="status">{go}</div>')
        if self.clock is not None:
            self.clock.show(room_timer(self.view))
        set_html(self.after,
                 f"<p>Welcome, <strong>{me}</strong>. You are in session "
                 f"<strong>{esc(s.code)}</strong> ({esc(s.title)}).</p>"
                 f'<p class="cd-note">Your personal link: {link(mine, "bookmark this page")}. '
                 "It brings you back to your answers after a reload, in a new tab or on "
                 "another day. Keep it to yourself: it is your place in the room.</p>")
