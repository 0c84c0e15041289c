"""What a screen reader hears: names that say what a control acts on, and which choice is made.

Why this exists: ipywidgets 8 sets no ARIA attribute at all (its controls bundle has none).
A button's accessible name is its visible text, so five "Open for answers" buttons sound
alike; a ``tooltip`` only becomes the ``title``, which screen readers read as a description,
if at all. ``ToggleButtons`` are plain buttons in an unnamed ``div``: "3", "3", "3" across a
page, with the chosen one marked only by a CSS class (``mod-active``).

How, and why this way rather than the others considered:

- A widget says what it should be called with a class in its ``_dom_classes``
  (``cd-aria-label=<name, percent-encoded>`` or ``cd-aria-labelledby=<ids>``; :func:`name`,
  :func:`labelled_by`). The name is the widget's own synced state, so it changes with the
  widget (a renamed step, a person who joins) and costs nothing while nothing changes.
- One small script mirrors that into the page: the name onto the control (the ``button``,
  or the ``input``/``textarea``/``select`` inside a field), ``role="group"`` and its name
  onto each group of toggle buttons (named by its class, else by its visible description),
  and ``aria-pressed`` onto every toggle button, following ``mod-active`` as it changes. It
  watches the page with one ``MutationObserver``, so buttons that ipywidgets redraws (new
  options, a new round) are named too.
- The script comes as an anywidget (:class:`Aria`), shown once in every page's frame
  (:func:`helper`). anywidget ships its front end inside the Python package (a JupyterLab
  extension that Voila loads as well), the script is a string in this file, so nothing comes
  from the internet, and it works the same in Voila and in a self-guided leader's JupyterLab.
  A script in the Voila template would leave JupyterLab out; an anywidget per choice (a
  hand-made radio group) would send its script once per choice (240 on the scoring page)
  and re-implement keyboard handling that the ToggleButtons already get right.
- Choices stay buttons, with ``aria-pressed``: they are reached with Tab and chosen with
  Enter or Space, as before, and each sits in a group named after its statement, so a screen
  reader says "Our board has a shared view of the organisation's purpose, group; 3, toggle
  button, not pressed".

Names should start with, or at least contain, the visible words ("Open for answers:
Board readiness check", "Hide name of Asha"), so that what people see is what they can say
to voice control, and a page read aloud matches the page seen.

If the script cannot run (a notebook front end without anywidget), the page works exactly
as before; only the extra names and states are missing.
"""

from __future__ import annotations

from functools import cache
from urllib.parse import quote, unquote

import ipywidgets as w
import traitlets

from .sharing import layout

LABEL = "cd-aria-label="
LABELLEDBY = "cd-aria-labelledby="

_ESM = r"""
const LABEL = "cd-aria-label=", BY = "cd-aria-labelledby=";
const WATCH = ".widget-toggle-buttons, .widget-toggle-button, [class*='cd-aria-'], " +
              "[data-cd-named]";
let made = 0;

function marked(el, prefix) {
  for (const c of el.classList) {
    if (c.startsWith(prefix)) {
      try { return decodeURIComponent(c.slice(prefix.length)); } catch (e) { return null; }
    }
  }
  return null;
}

function set(el, attr, value) {
  if (value === null) { if (el.hasAttribute(attr)) el.removeAttribute(attr); }
  else if (el.getAttribute(attr) !== value) el.setAttribute(attr, value);
}

// The element a name belongs on: the control itself, a choice's group, or a field's input.
function target(el) {
  if (el.matches("button, input, textarea, select")) return el;
  if (el.classList.contains("widget-toggle-buttons")) return el;
  return el.querySelector("input, textarea, select, button") || el;
}

function fix(el) {
  if (el.classList.contains("widget-toggle-button")) {
    set(el, "aria-pressed", el.classList.contains("mod-active") ? "true" : "false");
  }
  const label = marked(el, LABEL), by = marked(el, BY);
  if (label !== null || by !== null) {
    const t = target(el);
    set(t, "aria-label", label);
    set(t, "aria-labelledby", by);
    set(el, "data-cd-named", "");
  } else if (el.hasAttribute("data-cd-named")) {  // its name was taken away: the text again
    const t = target(el);
    set(t, "aria-label", null);
    set(t, "aria-labelledby", null);
    set(el, "data-cd-named", null);
  }
  if (el.classList.contains("widget-toggle-buttons")) {
    set(el, "role", "group");
    if (label === null && by === null) {  // named by its visible description, if any
      const text = el.querySelector(":scope > .widget-label");
      if (text && text.textContent.trim()) {
        if (!text.id) text.id = "cd-aria-" + (++made) + "-" + Date.now().toString(36);
        set(el, "aria-labelledby", text.id);
      }
    }
  }
}

function visit(node) {
  if (node.nodeType !== 1) return;
  if (node.matches(WATCH)) fix(node);
  for (const el of node.querySelectorAll(WATCH)) fix(el);
}

function watch() {
  if (window.__conductorAria) return;
  window.__conductorAria = true;
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === "attributes") { if (r.target.matches(WATCH)) fix(r.target); }
      else for (const n of r.addedNodes) visit(n);
    }
  }).observe(document.body, { subtree: true, childList: true, attributes: true,
                              attributeFilter: ["class"] });
  visit(document.body);
}

export default { initialize() { watch(); }, render({ el }) { el.hidden = true; watch(); } };
"""


def _marker(prefix: str, value: str) -> str:
    return prefix + quote(value, safe="")


def _replace(widget: w.DOMWidget, prefix: str, value: str | None) -> None:
    """Put one ``prefix`` class on ``widget`` (or none); sends nothing if unchanged."""
    want = _marker(prefix, value) if value else None
    old = [c for c in widget._dom_classes if c.startswith(prefix)]
    if old == ([want] if want else []):
        return
    widget._dom_classes = tuple(c for c in widget._dom_classes if not c.startswith(prefix)
                                ) + ((want,) if want else ())


def name(widget: w.DOMWidget, text: str | None) -> w.DOMWidget:
    """Give ``widget`` the accessible name ``text`` (None or "": its visible text again).
    On a field, the name goes on its input; on a group of toggle buttons, on the group."""
    _replace(widget, LABEL, " ".join((text or "").split()))
    return widget


def labelled_by(widget: w.DOMWidget, *ids: str) -> w.DOMWidget:
    """Name ``widget`` by the text of the page elements with these ids (read in order)."""
    _replace(widget, LABELLEDBY, " ".join(ids))
    return widget


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 11th, 22nd: rows named in words that do not read as another field's
    label ("measure 1" would also be found by anyone looking for the "Measure 1" box)."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def accessible_name(widget: w.DOMWidget) -> str:
    """The name :func:`name` gave (for tests and for a screen's own checks)."""

    for c in widget._dom_classes:
        if c.startswith(LABEL):
            return unquote(c[len(LABEL):])
    return ""


@cache
def _aria_class() -> type:
    import anywidget  # here, not at the top: 69 ms to import (benchmarks/import_cost.py)

    class Aria(anywidget.AnyWidget):
        """Mirrors the names and states above into the page (see the module's docstring)."""

        _esm = traitlets.Unicode(_ESM).tag(sync=True)

    return Aria


@cache
def helper() -> w.DOMWidget:
    """The one script widget of this kernel, shown in every page's frame."""

    return _aria_class()(layout=layout(display="none"))
