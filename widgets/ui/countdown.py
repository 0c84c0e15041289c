"""A countdown that runs in the browser from an end time the kernel sets once.

Why in the browser: a kernel ticking every second would send sixty messages a minute to
every page, and an idle page must send nothing. The kernel sends the end time once; when
the countdown first appears it asks the kernel for the time (one message each way), works
out how far its own clock is from the server's, and counts down by itself, so a laptop whose
clock is a few minutes out still shows the right time.
"""

from __future__ import annotations

import time

import anywidget
import traitlets

from ..agenda import Timer

_ESM = r"""
function render({ model, el }) {
  const box = document.createElement("div");
  box.className = "cd-countdown" + (model.get("big") ? " cd-countdown-big" : "");
  box.setAttribute("role", "timer");
  const label = document.createElement("span");
  label.className = "cd-countdown-label";
  const time = document.createElement("strong");
  time.className = "cd-countdown-time";
  box.append(label, time);
  el.append(box);
  let skew = 0;  // browser clock minus server clock, in ms
  let asked = 0;
  model.on("msg:custom", (msg) => {
    if (msg && msg.now) { skew = (asked + Date.now()) / 2 - msg.now; draw(); }
  });
  const draw = () => {
    const ends = model.get("ends_at");
    if (!ends) { box.style.display = "none"; return; }
    box.style.display = "";
    label.textContent = model.get("label") + ": ";
    const left = Math.round((ends - (Date.now() - skew)) / 1000);
    if (left <= 0) {
      time.textContent = "time is up";
      box.classList.add("cd-countdown-done");
    } else {
      const m = Math.floor(left / 60), s = left % 60;
      time.textContent = m + ":" + String(s).padStart(2, "0") + " left";
      box.classList.remove("cd-countdown-done");
    }
  };
  model.on("change:ends_at", draw);
  model.on("change:label", draw);
  asked = Date.now();
  model.send({ kind: "now?" });
  draw();
  const tick = setInterval(draw, 1000);
  return () => clearInterval(tick);
}
export default { render };
"""


class Countdown(anywidget.AnyWidget):
    _esm = traitlets.Unicode(_ESM).tag(sync=True)
    ends_at = traitlets.Float(0.0, help="when the step ends, in ms since 1970 (0: no timer)"
                              ).tag(sync=True)
    label = traitlets.Unicode("", help="what is being timed, shown before the time").tag(
        sync=True)
    big = traitlets.Bool(False, help="projector size").tag(sync=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.on_msg(self._answer)

    def _answer(self, _widget, content: dict, _buffers) -> None:
        """A countdown has just appeared and asks the server's time (to allow for a wrong
        clock on the laptop or phone)."""
        if isinstance(content, dict) and content.get("kind") == "now?":
            self.send({"now": time.time() * 1000})

    def show(self, t: Timer | None) -> None:
        """Follow a timer; assigns (and so sends) only when the timer itself changed."""
        ends = t.ends_at.timestamp() * 1000 if t else 0.0
        label = f"Time left for {t.title}" if t else ""
        if ends == self.ends_at and label == self.label:
            return
        with self.hold_sync():
            self.ends_at = ends
            self.label = label
