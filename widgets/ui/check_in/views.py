"""What everyone sees of a check-in, read-only: the portfolio, what changed since the last
sitting, the revealed rounds, the decisions, the Delegation Board's history and the focus
held steady. The participants' page, the console and the room screen share these; the
HTML itself is in ``widgets.html.check_in``, which the board paper uses too."""

from __future__ import annotations

import ipywidgets as w

from ... import check_in
from ...html import check_in as h
from ...session import View
from ...store.check_ins import Sitting
from ..common import esc, html_block, set_html
from ..sharing import layout
from .state import on_show, rows


class SittingPart:
    """A read-only part of a check-in's screens: one block of HTML, made again from
    ``markup()`` on each refresh (``set_html`` sends it only when it changed)."""

    def __init__(self, view: View, sitting: Sitting):
        self.view = view
        self.sitting = sitting
        self.html = html_block()
        self.widget = w.VBox([self.html])
        self.refresh()

    def markup(self) -> str:
        raise NotImplementedError

    def refresh(self) -> None:
        set_html(self.html, self.markup())


class PortfolioView(SittingPart):
    """The portfolio table, its sentence and what changed since the last sitting."""

    def __init__(self, view: View, sitting: Sitting, changes: bool = True, room: bool = False):
        self.changes = changes
        self.room = room  # the projector's version: fewer, shorter words per row
        super().__init__(view, sitting)

    def markup(self) -> str:
        found = rows(self.view, self.sitting)
        table = h.portfolio_room_table(found) if self.room else h.portfolio_table(found)
        out = f"<p><strong>{esc(h.portfolio_sentence(found))}</strong></p>" + table
        if self.changes:
            out += ("<h4>What changed since the last sitting</h4>"
                    + h.changes_html(check_in.compare(self.view, self.sitting)))
        return out


class RoundResults(SittingPart):
    """A round's revealed answers (keep, change or stop; or the delegation review), or a
    note that they are private until revealed."""

    def __init__(self, view: View, sitting: Sitting, round_: str, room: bool = False):
        self.round = round_
        self.room = room  # the projector's version: the keep round as a table
        super().__init__(view, sitting)

    def markup(self) -> str:
        v, s = self.view, self.sitting
        if self.round == check_in.KEEP:
            titles = {r.id: r.title for r in rows(v, s)}
            votes = check_in.keep_votes(v, s)
            body = (h.keep_room_table if self.room else h.keep_html)(votes, titles)
        else:
            body = h.review_html(check_in.review_votes(v, s),
                                 check_in.due_for_review(v, s.held_on))
        rnd = v.stage(check_in.stage(s, self.round)).round
        head = f"<h4>What the room said{f' (round {rnd})' if rnd > 1 else ''}</h4>"
        return head + body


class DecisionsView(SittingPart):
    """The board's decisions at this sitting, what stopped work taught, and the level
    changes agreed at check-ins."""

    def markup(self) -> str:
        v, s = self.view, self.sitting
        titles = {r.id: r.title for r in rows(v, s)}
        return ("<h4>The board's decisions</h4>"
                + h.decisions_html(check_in.decisions(v, s), titles)
                + "<h4>What we learned from stopped work</h4>"
                + h.learned_html(check_in.learned(v))
                + "<h4>The Delegation Board's history</h4>"
                + h.level_changes_html(check_in.board_history(v)))


class FocusView:
    def __init__(self, view: View):
        self.view = view
        self.html = html_block()
        self.widget = w.VBox([self.html])
        self.refresh()

    def refresh(self) -> None:
        set_html(self.html, h.focus_html(check_in.focus_count(self.view)))


class Following:
    """Parts made for the check-in on show (the open one, else the latest), made again when
    another check-in starts or this one closes. ``make(view, sitting)`` returns the parts;
    ``none`` is said while there is no check-in yet."""

    def __init__(self, view: View, make, none: str, open_only: bool = False, choose=None):
        self.view = view
        self.make = make
        self.none = none
        self.open_only = open_only
        self.choose = choose  # the check-in to show instead, when someone picked one
        self.parts: list = []
        self._key: object = object()  # nothing shown yet
        self.widget = w.VBox(layout=layout())
        self.refresh()

    def sitting(self) -> Sitting | None:
        s = (self.choose() if self.choose else None) or on_show(self.view)
        if s is not None and self.open_only and s.state != "open":
            return None
        return s

    def refresh(self) -> None:
        s = self.sitting()
        key = (s.id, s.state) if s else None
        if key != self._key:
            self._key = key
            self.parts = list(self.make(self.view, s)) if s else []
            none = [html_block(f'<p class="cd-note">{esc(self.none)}</p>')] if self.none else []
            self.widget.children = [p.widget for p in self.parts] if s else none
            return
        for p in self.parts:
            p.refresh()
