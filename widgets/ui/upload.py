"""Choose a CSV file: checked for size in the browser, read and validated in the kernel.

Why not ipywidgets' FileUpload: it sends the whole file over the websocket first, and Voila
silently drops a message larger than the server allows, so a 25 MB file would just vanish.
This small widget (anywidget, shipped as a Python package, no CDN) looks at the size in
the browser and refuses a file over the kit's limit (``validation.MAX_UPLOAD_BYTES``, set
below what Voila's websocket carries) with a message before anything is sent. The kernel
checks the size again: a page can send anything.
"""

from __future__ import annotations

from collections.abc import Callable

import anywidget
import traitlets

from ..validation import MAX_UPLOAD_BYTES, too_large
from .common import Status, esc, set_html

_ESM = r"""
function render({ model, el }) {
  const id = "cd-file-" + Math.random().toString(36).slice(2);
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = model.get("label");
  label.style.display = "block";
  label.style.fontWeight = "600";
  const input = document.createElement("input");
  input.type = "file";
  input.id = id;
  input.accept = ".csv,text/csv";
  input.style.minHeight = "44px";
  input.style.fontSize = "1rem";
  input.disabled = model.get("disabled");
  model.on("change:disabled", () => { input.disabled = model.get("disabled"); });
  input.addEventListener("change", async () => {
    const file = input.files && input.files[0];
    if (!file) return;
    if (file.size > model.get("max_bytes")) {
      model.send({ kind: "too_large", name: file.name, size: file.size });
    } else {
      const buffer = await file.arrayBuffer();
      model.send({ kind: "file", name: file.name, size: file.size }, undefined, [buffer]);
    }
    input.value = "";
  });
  el.append(label, input);
}
export default { render };
"""


def show_problems(status: Status, box, name: str, err, unchanged: str) -> None:
    """A refused file: the count in the status line, every problem (row, column, fix)
    listed below it, and what stayed as it was."""

    n = len(err.problems)
    status.error(f"“{name}” was not used: {n} problem{'s' if n != 1 else ''} to fix. "
                 f"{unchanged}")
    items = "".join(f"<li>{esc(p)}</li>" for p in err.problems[:50])
    set_html(box, f"<ul>{items}</ul>")


class FilePicker(anywidget.AnyWidget):
    _esm = traitlets.Unicode(_ESM).tag(sync=True)
    label = traitlets.Unicode("Choose a CSV file", help="the visible label").tag(sync=True)
    max_bytes = traitlets.Int(MAX_UPLOAD_BYTES, help="largest file sent to the kernel").tag(
        sync=True)
    disabled = traitlets.Bool(False, help="refuse new files while one is handled").tag(
        sync=True)

    def __init__(self, on_file: Callable[[str, bytes], None], status: Status, **kwargs):
        super().__init__(**kwargs)
        self._on_file = on_file
        self._status = status
        self.on_msg(self._handle)

    def _handle(self, _widget, content: dict, buffers: list) -> None:
        name = str(content.get("name", "file"))[:200]
        if content.get("kind") == "too_large":
            try:
                size = int(content.get("size", 0))
            except (TypeError, ValueError):
                size = MAX_UPLOAD_BYTES + 1
            self._status.error(too_large(f"“{name}”", size))
            return
        if content.get("kind") == "file" and buffers:
            if len(buffers[0]) > MAX_UPLOAD_BYTES:  # sent past the browser's check
                self._status.error(too_large(f"“{name}”", len(buffers[0])))
                return
            self.receive(name, bytes(buffers[0]))

    def receive(self, name: str, data: bytes) -> None:
        """Hand a file to the page (also how tests deliver one without a browser)."""
        self._on_file(name, data)
