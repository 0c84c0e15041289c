"""Form fields with the label above the box, as wide as the space they sit in.

Why: the Prototype canvas asks long questions ("The cause we are tackling (not the
symptom), and the evidence for it"). Beside its label a box was pushed past the screen's
edge, so on a phone most of the canvas could not be filled in, and on a laptop parts of it
were cut off. A label above its box fits any screen, and the label stays tied to the box
(ipywidgets' ``description`` is the box's ``<label for>``), so screen readers name it.

ipywidgets lays a labelled box out as a wrapping row; turned into a column with a fixed
height it wrapped the box into a second column beside the label. So a field here is a
column that never wraps and grows with its content, and a text area's height comes from
its number of rows, never from its layout.
"""

from __future__ import annotations

import ipywidgets as w

from ...validation import example_date
from ..common import html_block

FIELD_CLASS, CHECK_CLASS = "cd-field", "cd-check"

# Kept beside the fields that use it (the page's shared style belongs to every screen).
STYLE = """<style>
/* Prototype forms: label above the box, box as wide as its space (proto_fields.py) */
.cd-page .cd-field { display: flex; flex-direction: column; align-items: stretch;
  flex-wrap: nowrap; height: auto; max-width: calc(100% - 4px); }
.cd-page .cd-field > .widget-label { width: auto !important; max-width: 100%;
  white-space: normal; margin: 0 0 4px 0; line-height: 1.3; }
.cd-page .cd-field > textarea, .cd-page .cd-field > input,
.cd-page .cd-field > select { width: 100%; max-width: 100%; flex: 0 0 auto; }
.cd-page .cd-field > textarea { height: auto; min-height: 3rem; }
.cd-page .cd-check { height: auto; min-height: 44px; max-width: calc(100% - 4px); }
.cd-page .cd-check > .widget-label-basic { white-space: normal; overflow: visible;
  line-height: 1.3; display: flex; align-items: center; gap: 0.5rem; }
.cd-page .cd-check input[type=checkbox] { flex: 0 0 auto; }
</style>"""


def field(widget: w.Widget) -> w.Widget:
    """Put ``widget``'s label above it."""
    widget.add_class(FIELD_CLASS)
    return widget


def check(box: w.Checkbox) -> w.Checkbox:
    """Let a tick box's words wrap instead of being cut off with "..."."""
    box.add_class(CHECK_CLASS)
    return box


def field_style() -> w.HTML:
    """The style the fields need; every part that shows fields carries one."""
    return html_block(STYLE)


def date_example() -> str:
    """A date box's example: today, never a date gone by."""
    return example_date()
