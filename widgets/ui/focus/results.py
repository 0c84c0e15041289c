"""Focus results on a screen: the HTML of ``widgets.html.focus`` (the ranking, how robust
its top few are, and where people disagree; shared with the report), worked out once the
page is in the browser."""

from __future__ import annotations

import asyncio
import random

from ... import focus
from ...html.focus import results_html
from ...html.focus import weight_percentages as weight_percentages  # the decision panel's
from ...session import View
from ..common import html_block, set_html
from ..sharing import sharing
from ..shell.opening import building, kernel_loop, when_shown


class FocusResults:
    """Shown once scores and weights are revealed, identical for everyone who may see it.

    While a Voila page is being built the ranking is not worked out: importing pandas and
    drawing 20,000 weightings take a fresh kernel a quarter to a third of a second (the
    first kernel to draw the chart, half a second more), and the ranking sits below the
    data and the forms. The page opens without it and fills it in once the browser has the
    page, while the browser is still drawing the rest.

    A participant's page in a live session does not work it out at all: the console and the
    room screen do as it is revealed, and keep it in the store, which wakes every page to
    read it (:func:`widgets.focus.works_out_ranking`). Only a page still without it after
    ``WAIT_FOR_RANKING_SECONDS`` (nobody's console open) works it out itself.
    """

    def __init__(self, view: View):
        self.view = view
        self.widget = html_block()
        self._key: tuple | None = None
        self._waiting_for: tuple | None = None  # the inputs a wait is running for
        self._wait: asyncio.TimerHandle | None = None
        self._own_turn: tuple | None = None  # the inputs this page now works out itself
        self.results: focus.Results | None = None
        self.followers: list = []  # parts built from these results (the decision panel)
        self.refresh()

    def refresh(self) -> None:
        key = focus.results_inputs(self.view)
        if key == self._key:
            return
        was_pending = self.results is not None and self.results.pending
        here = focus.works_out_ranking(self.view) or self._own_turn == key
        self.results = focus.results(self.view, compute=here and not building())
        if self.results.pending:
            if building():
                when_shown(self._fill_in)
            elif not self._wait_for_others(key):
                self._own_turn = key
                self.results = focus.results(self.view)
        if not self.results.pending:
            self._key = key
            self._stop_waiting()
        set_html(self.widget, results_html(self.results))
        if was_pending and not self.results.pending:  # the ranking came while waiting
            for part in self.followers:
                part.refresh()

    def _wait_for_others(self, key: tuple) -> bool:
        """Give the console a moment to keep the ranking (its save refreshes this page);
        then :meth:`_give_up_waiting`. False where nothing can wait (a script, a test)."""
        if self._waiting_for == key:
            return True
        loop = kernel_loop()  # not just any running loop: a test's browser driver has one
        if loop is None:
            return False
        self._stop_waiting()
        self._waiting_for = key
        # Spread over a second wait: pages revealed together with no console on Focus would
        # otherwise all work it out at once; the first to keep it wakes the rest.
        wait = focus.WAIT_FOR_RANKING_SECONDS * (1 + random.random())
        self._wait = loop.call_later(wait, self._give_up_waiting, key)
        return True

    def _stop_waiting(self) -> None:
        if self._wait is not None:
            self._wait.cancel()
        self._wait = self._waiting_for = None

    def _give_up_waiting(self, key: tuple) -> None:
        self._wait = self._waiting_for = None
        if self._key != key and focus.results_inputs(self.view) == key:
            self._own_turn = key
            self._fill_in()

    @sharing
    def _fill_in(self) -> None:
        """The page is in the browser: work the ranking out, then refresh what shows it."""
        self.refresh()
        for part in self.followers:
            part.refresh()
