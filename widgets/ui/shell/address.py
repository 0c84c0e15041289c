"""Sets the page's address in the browser's address bar, without loading anything.

Why: a page learns who it is for from its URL, so the URL must say it. After joining, the
start page's address was still the bare start page: a phone's pull-to-refresh then showed
the empty join form, and joining again counted the person twice. The kernel cannot touch
the browser's history, and Voila runs no ``<script>`` from an HTML output; this small
widget's own code (sent with it, no CDN) calls ``history.replaceState`` when its ``url`` is
set. Replaced, not pushed: Back does not return to the join form. Made only when needed
(after joining, on choosing a session), so a page that does not move sends nothing. In
JupyterLab the address is the notebook's, so there it does nothing.
"""

from __future__ import annotations

import anywidget
import traitlets

_ESM = r"""
function render({ model, el }) {
  el.style.display = "none";
  const go = () => {
    const url = model.get("url");
    // Only a Voila page's address is the page's own; in JupyterLab it is the notebook's.
    if (!url || document.body.dataset.voila !== "voila") { return; }
    const next = new URL(url, window.location.href);
    if (next.href !== window.location.href) {
      window.history.replaceState(window.history.state, "", next.href);
    }
  };
  model.on("change:url", go);
  go();
}
export default { render };
"""


class Address(anywidget.AnyWidget):
    _esm = traitlets.Unicode(_ESM).tag(sync=True)
    url = traitlets.Unicode("", help="the page's address, relative to the page (as links are)"
                            ).tag(sync=True)

    def show(self, url: str) -> None:
        """Point the address bar at ``url``; sends only when it changed."""
        if url != self.url:
            self.url = url
