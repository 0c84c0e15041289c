"""Focus results on a screen: the HTML of ``widgets.html.focus`` (the ranking, how robust
its top few are, and where people disagree; shared with the report), worked out once the
page is in the browser."""

from __future__ import annotations

from ... import focus
from ...html.focus import results_html
from ...html.focus import weight_percentages as weight_percentages  # the decision panel's
from ...session import View
from ..common import html_block, set_html
from ..sharing import sharing
from ..shell.opening import building, when_shown


class FocusResults:
    """Shown once scores and weights are revealed, identical for everyone who may see it.

    While a Voila page is being built the ranking is not worked out: importing pandas and
    drawing 20,000 weightings take a fresh kernel a quarter to a third of a second (the
    first kernel to draw the chart, half a second more), and the ranking sits below the
    data and the forms. The page opens without it and fills it in once the browser has the
    page, while the browser is still drawing the rest.
    """

    def __init__(self, view: View):
        self.view = view
        self.widget = html_block()
        self._key: tuple | None = None
        self.results: focus.Results | None = None
        self.followers: list = []  # parts built from these results (the decision panel)
        self.refresh()

    def refresh(self) -> None:
        key = focus.results_inputs(self.view)
        if key == self._key:
            return
        self.results = focus.results(self.view, compute=not building())
        if self.results.pending:
            when_shown(self._fill_in)
        else:
            self._key = key
        set_html(self.widget, results_html(self.results))

    @sharing
    def _fill_in(self) -> None:
        """The page is in the browser: work the ranking out, then refresh what shows it."""
        self.refresh()
        for part in self.followers:
            part.refresh()
