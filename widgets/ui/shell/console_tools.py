"""The console's module tools (results, shortlists, boards, canvases), built when needed.

Why lazily: built all at once, the console held some 1,700 widgets, and every widget is a
message and a drawing in the facilitator's browser: the console took 1.7 times as long as
a one-cell page to open. The tools of the module the room is on are built first, the others
when the facilitator picks them (then kept), and only the tools on show are refreshed. In
Voila even the first module's tools are built once the browser has the console
(``opening.when_shown``), so its session controls are usable sooner.
"""

from __future__ import annotations

import ipywidgets as w

from ...session import View
from ..common import FULL, html_block, set_html
from ..sharing import layout, sharing
from .opening import building, when_shown

MODULES = {"readiness": "Board readiness check", "focus": "Focus", "cede": "Cede",
           "prototype": "Prototype", "check_in": "The check-in"}


def module_of(stage: str | None) -> str:
    return (stage or "readiness").split(".")[0] if stage else "readiness"


def _build(view: View, module: str) -> list:
    """The module's console parts; each module's code is imported only when first shown."""
    if module == "check_in":
        # here, not at the top: the check-in's tools and the portfolio analysis
        from ..check_in.console import CheckInTools

        return [CheckInTools(view)]
    if module == "focus":
        # here, not at the top: 27 ms to import (benchmarks/import_cost.py)
        from ..focus.page import console_parts
    elif module == "cede":
        # here, not at the top: 28 ms to import (benchmarks/import_cost.py)
        from ..cede.page import console_parts
    elif module == "prototype":
        # here, not at the top: 365 ms to import (benchmarks/import_cost.py)
        from ..prototype.page import console_parts
    else:
        # here, not at the top: 9 ms to import (benchmarks/import_cost.py)
        from ..readiness.results import ReadinessResults

        return [ReadinessResults(view)]
    return console_parts(view)


class ModuleTools:
    def __init__(self, view: View):
        self.view = view
        self.choose = w.Dropdown(description="Show the tools for", options=[
            (title, key) for key, title in MODULES.items()],
            style={"description_width": "initial"},
            layout=layout(width="auto", max_width=FULL))
        self.note = w.HTML()
        self.box = w.VBox()
        self.built: dict[str, list] = {}
        self._followed: str | None = None
        self.choose.observe(sharing(lambda _: self._show()), names="value")
        self.widget = w.VBox([self.choose, self.note, self.box])
        self.refresh()

    def _show(self) -> None:
        module = self.choose.value
        if module not in self.built and building():
            # Opening the console: its sessions, roster and step controls come first; the
            # module's tools (a few hundred widgets, charts) once the browser has the page.
            when_shown(self._fill_in)
            if not self.box.children:
                self.box.children = [html_block(
                    f'<p class="cd-note" role="status">Loading the {MODULES[module]} '
                    "tools…</p>")]
            return
        if module not in self.built:
            self.built[module] = _build(self.view, module)
        kids = [p.widget for p in self.built[module]]
        if list(self.box.children) != kids:
            self.box.children = kids
        here = self._here()
        set_html(self.note, "" if module == here else
                 f'<p class="cd-note">The room is on {MODULES[here]}; these are the '
                 f"{MODULES[module]} tools.</p>")

    @sharing
    def _fill_in(self) -> None:
        self.refresh()

    def _here(self) -> str:
        """The module the room is on; while a check-in is open, the check-in (its rounds
        leave the workshop's step as it was)."""
        # The session's sittings, read as the shell reads its session (importing the
        # check-in's module logic would load the portfolio's analysis, numpy, to ask this).
        if any(s.state == "open" for s in self.view.store.sittings(self.view.session.id)):
            return "check_in"
        return module_of(self.view.session.current_stage)

    def refresh(self) -> None:
        """Follow the room into a new module; refresh only the tools on show."""
        here = self._here()
        if here != self._followed:
            self._followed = here
            if self.choose.value != here:
                self.choose.value = here  # the observer shows it
            else:
                self._show()
        else:
            self._show()
        for part in self.built.get(self.choose.value, []):
            part.refresh()
