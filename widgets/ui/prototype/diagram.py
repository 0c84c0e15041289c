"""The driver diagram, drawn from the saved canvas: aim, primary and secondary drivers,
change ideas. Beside it, the same tree as a nested list (its text equivalent).

Why draw it: a driver diagram shows at a glance whether the change being tested actually
connects to the aim, which a page of text hides.
"""

from __future__ import annotations

import ipywidgets as w

from ... import prototype
from ...analysis import drivers
from ...session import View
from ..charts import Chart
from ..common import esc, html_block, set_html
from .picker import Picker

ROW_PX = 64
COL_PX = 190
BOX_PX = 160
LINE_PX = 13


def diagram_chart(d: drivers.Diagram, sentence: str) -> Chart:
    """The boxes, lines and column heads laid out in pixels. Drawn by
    ``chart_specs.driver_diagram``."""
    boxes = [{"x": b.column * COL_PX, "y": b.y * ROW_PX,
              "x2": b.column * COL_PX + BOX_PX, "top": b.y * ROW_PX - ROW_PX * 0.42,
              "bottom": b.y * ROW_PX + ROW_PX * 0.42, "tx": b.column * COL_PX + 6,
              "lines": drivers.wrap(b.text, 24)}
             for b in d.boxes]
    for b in boxes:  # centre a block of lines on its box (Vega anchors the first line)
        b["ty"] = b["y"] - (len(b["lines"]) - 1) * LINE_PX / 2
    by_id = {b.id: box for b, box in zip(d.boxes, boxes, strict=True)}
    links = [{"x": by_id[a]["x2"], "y": by_id[a]["y"],
              "x2": by_id[b]["x"], "y2": by_id[b]["y"]} for a, b in d.links]
    heads = [{"x": c * COL_PX, "y": -ROW_PX * 0.8, "lines": [name]}
             for c, name in enumerate(drivers.COLUMNS)]
    return Chart("prototype.drivers", {
        "boxes": boxes, "links": links, "heads": heads, "width": 4 * COL_PX,
        "height": max(d.rows, 1) * ROW_PX, "top": -ROW_PX, "line_px": LINE_PX,
        "sentence": sentence})


def as_list(aim: str, outline: drivers.Outline, extra: list[str]) -> str:
    """The tree as nested lists: what a screen reader (or a printout) reads."""
    def items(nodes):
        return "".join(f"<li>{esc(n.text)}" + (f"<ul>{items(n.children)}</ul>"
                                                if n.children else "") + "</li>"
                       for n in nodes)
    loose = "".join(f"<li>Change idea not yet linked to a driver: {esc(i)}</li>"
                    for i in extra)
    return (f"<ul><li>Aim: {esc(aim or '(no aim yet)')}<ul>{items(outline.primary)}</ul>"
            f"</li>{loose}</ul>")


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
        from ..charts import figure

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
