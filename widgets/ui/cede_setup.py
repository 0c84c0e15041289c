"""Choose the decisions to play: the facilitator edits the catalogue and ticks, per focus
area, the few decisions the room will play (participants see the lists)."""

from __future__ import annotations

import ipywidgets as w

from .. import cede
from ..session import View
from ..store import StoreError
from ..validation import FieldError, check_text
from .common import FULL, Status, button, esc, html_block
from .sharing import layout

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
                self.boxes[(a, d["decision"])] = box
                rows.append(box)
        self.lists.children = rows

    def _save(self, item: str, value, done: str) -> bool:
        v = self.view
        try:
            v.store.save_shared(v.session.id, cede.SETUP, item, value, key=v.viewer.key,
                                facilitator_only=True)
        except StoreError as err:
            self.status.error(str(err))
            return False
        self.status.saved(done)
        self.refresh()
        return True

    def save_played(self) -> None:
        for area in cede.focus_areas(self.view):
            chosen = [d for (a, d), b in self.boxes.items() if a == area and b.value]
            if not chosen:
                self.status.error(f"Tick at least one decision for {area}.")
                return
        for area in cede.focus_areas(self.view):
            chosen = [d for (a, d), b in self.boxes.items() if a == area and b.value]
            self._save(cede.key("played", area), chosen, "Saved the decisions to play")

    def _typed(self, field: w.Text, label: str) -> str | None:
        try:
            return check_text(field.value, "short", label, required=True)
        except FieldError as err:
            self.status.error(str(err))
            return None

    def add(self) -> None:
        name = self._typed(self.name, "The decision's name")
        if name is None:
            return
        cat = cede.catalogue(self.view)
        if any(d["decision"].casefold() == name.casefold() for d in cat):
            self.status.error(f"“{name}” is already in the catalogue.")
            return
        meaning = (self.meaning.value or "").strip()[:200]
        if self._save("catalogue", [*cat, {"decision": name, "meaning": meaning}],
                      f"Added “{name}”"):
            self.name.value = self.meaning.value = ""

    def rename(self) -> None:
        old, new = self.pick.value, self._typed(self.name, "The new name")
        if old is None or new is None:
            return
        if any(d["decision"].casefold() == new.casefold() and d["decision"] != old
               for d in cede.catalogue(self.view)):
            self.status.error(f"“{new}” is already in the catalogue; choose another name.")
            return
        # Read the played lists first: once the catalogue no longer has the old name,
        # played() would drop it, and the renamed decision would stop being played.
        was = cede.played_by_area(self.view)
        cat = [{**d, "decision": new} if d["decision"] == old else d
               for d in cede.catalogue(self.view)]
        if self._save("catalogue", cat, f"Renamed “{old}” to “{new}”"):
            for area, decisions in was.items():  # keep it played where it was
                now = [new if d == old else d for d in decisions]
                self._save(cede.key("played", area), now, f"Renamed “{old}” to “{new}”")
            self.name.value = ""

    def remove(self) -> None:
        old = self.pick.value
        if old is None:
            return
        cat = [d for d in cede.catalogue(self.view) if d["decision"] != old]
        self._save("catalogue", cat, f"Removed “{old}” (earlier votes stay on record)")
