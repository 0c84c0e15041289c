"""Choose the decisions to play: the facilitator edits the catalogue and ticks, per focus
area, the few decisions the room will play (participants see the lists).

The screen only reads the boxes and hands the change to :mod:`widgets.cede`, which checks it
and saves every area in one write.
"""

from __future__ import annotations

import ipywidgets as w

from ... import cede
from ...session import View
from ...store import StoreError
from ...validation import FieldError
from ..aria import name as aria_name
from ..common import FULL, Status, button, esc, html_block
from ..sharing import layout

STYLE = {"description_width": "initial"}


class CedeSetup:
    def __init__(self, view: View, editable: bool):
        self.view = view
        self.editable = editable
        self.status = Status()
        self.lists = w.VBox()
        self.boxes: dict[tuple[str, str], w.Checkbox] = {}
        self._key: tuple | None = None
        children: list[w.Widget] = [html_block("<h3>Decisions to play</h3>"), self.lists]
        if editable:
            self.pick = w.Dropdown(description="Decision", options=[], style=STYLE,
                                   layout=layout(width=FULL, max_width="36rem"))
            self.name = w.Text(description="New name, or a new decision", style=STYLE,
                               layout=layout(width=FULL, max_width="36rem"))
            self.meaning = w.Text(description="What it covers (for a new decision)",
                                  style=STYLE, layout=layout(width=FULL, max_width="36rem"))
            add = button("Add decision", "Add a new decision to the catalogue")
            rename = button("Rename", "Rename the chosen decision")
            remove = button("Remove", "Remove the chosen decision from this session")
            save = button("Save the decisions to play", "Save the ticked decisions", "primary")
            add.on_click(lambda _: self.add())
            rename.on_click(lambda _: self.rename())
            remove.on_click(lambda _: self.remove())
            save.on_click(lambda _: self.save_played())
            children += [w.HBox([save]), html_block("<h4>Edit the catalogue</h4>"),
                         self.pick, self.name, self.meaning, w.HBox([add, rename, remove])]
        children.append(self.status.widget)
        self.widget = w.VBox(children)
        self.refresh()

    def refresh(self) -> None:
        v = self.view
        playing = cede.played_by_area(v)
        areas = list(playing)
        cat = cede.catalogue(v)
        state = (tuple(areas), repr(cat), repr(playing))
        if state == self._key:
            return
        self._key = state
        if not areas:
            self.lists.children = [html_block(
                '<p class="cd-note">Cede starts from the focus areas the room chose. Record '
                "the Focus decision first.</p>")]
            return
        if not self.editable:
            blocks = "".join(f"<h4>{esc(a)}</h4><ul>" + "".join(
                f"<li>{esc(d)}</li>" for d in playing[a]) + "</ul>" for a in areas)
            self.lists.children = [html_block(blocks)]
            return
        self.pick.options = [d["decision"] for d in cat]
        self.boxes = {}
        rows: list[w.Widget] = []
        for a in areas:
            rows.append(html_block(f"<h4>{esc(a)}</h4>"))
            for d in cat:
                box = w.Checkbox(value=d["decision"] in playing[a], description=d["decision"],
                                 indent=False, layout=layout(width="auto",
                                                               min_height="44px"))
                aria_name(box, f"{d['decision']}, in {a}")  # one box per area: say which
                self.boxes[(a, d["decision"])] = box
                rows.append(box)
        self.lists.children = rows

    def _do(self, change, done: str) -> bool:
        """Send one change to the module logic; say what it did, or that nothing was saved."""
        try:
            change()
        except FieldError as err:  # Refused too: its message says nothing was saved
            self.status.error(str(err))
            return False
        except StoreError as err:
            self.status.error(f"Nothing was saved: {err}")
            return False
        self.status.saved(done)
        self.refresh()
        return True

    def save_played(self) -> None:
        # Read every box before anything refreshes: a refresh rebuilds the boxes from the
        # store, and ticks not yet saved would be lost.
        chosen: dict[str, list[str]] = {a: [] for a, _ in self.boxes}
        for (area, decision), box in self.boxes.items():
            if box.value:
                chosen[area].append(decision)

        def save() -> None:
            try:
                cede.save_played(self.view, chosen)
            except cede.AreasChanged:
                self._redraw(keeping=chosen)  # then the message says to check and save again
                raise

        self._do(save, "Saved the decisions to play")

    def _redraw(self, keeping: dict[str, list[str]]) -> None:
        """Draw the boxes for the focus areas now chosen (another tab changed them),
        keeping the ticks made here for the areas still among them."""
        self._key = None
        self.refresh()
        for (area, decision), box in self.boxes.items():
            if area in keeping:
                box.value = decision in keeping[area]

    def add(self) -> None:
        name = (self.name.value or "").strip()
        if self._do(lambda: cede.add_decision(self.view, self.name.value, self.meaning.value),
                    f"Added “{name}”"):
            self.name.value = self.meaning.value = ""

    def rename(self) -> None:
        old, new = self.pick.value, (self.name.value or "").strip()
        if old is None:
            return
        if self._do(lambda: cede.rename_decision(self.view, old, self.name.value),
                    f"Renamed “{old}” to “{new}”"):
            self.name.value = ""

    def remove(self) -> None:
        old = self.pick.value
        if old is None:
            return
        self._do(lambda: cede.remove_decision(self.view, old),
                 f"Removed “{old}” (earlier votes stay on record)")
