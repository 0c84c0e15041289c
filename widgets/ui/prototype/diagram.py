"""The driver diagram, drawn from the saved canvas: aim, primary and secondary drivers,
change ideas. Beside it, the same tree as a nested list (its text equivalent).

Why draw it: a driver diagram shows at a glance whether the change being tested actually
connects to the aim, which a page of text hides.
"""

from __future__ import annotations

import ipywidgets as w

from ... import prototype
from ...analysis import drivers
from ...charts.draw import figure
from ...html.prototype import as_list, diagram_chart
from ...session import View
from ..common import esc, html_block, set_html
from .picker import Picker


class DriverDiagram:
    def __init__(self, view: View, picker: Picker):
        self.view = view
        self.picker = picker
        self.body = html_block()
        self._key = None
        self.widget = w.VBox([html_block("<h3>Driver diagram</h3>"), self.body])
        picker.on_change(lambda _pid: self.refresh())
        self.refresh()

    def refresh(self) -> None:

        p = prototype.get(self.view, self.picker.pid) if self.picker.pid else None
        if p is None:
            set_html(self.body, "")
            return
        aim = str(p.values.get("aim") or "")
        text = str(p.values.get("drivers") or "")
        idea = str(p.values.get("change_idea") or "").strip()
        key = (aim, text, idea)
        if key == self._key:
            return
        self._key = key
        outline = drivers.parse(text)
        d = drivers.layout(aim, outline, [idea] if idea else [])
        in_outline = {n.text.casefold() for p1 in outline.primary for s in p1.children
                      for n in s.children}
        extra = [idea] if idea and idea.casefold() not in in_outline else []
        sentence = d.sentence()
        if not outline.primary:
            set_html(self.body, f'<p class="cd-note">{esc(sentence)} Write them in the '
                                "canvas's Drivers box, then save.</p>")
            return
        set_html(self.body, figure(diagram_chart(d, sentence), sentence,
                                   as_list(aim, outline, extra), "The diagram as a list"))
