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

FIELD_CLASS, CHECK_CLASS = "cd-field", "cd-check"  # styled in kit.css


def field(widget: w.Widget) -> w.Widget:
    """Put ``widget``'s label above it."""
    widget.add_class(FIELD_CLASS)
    return widget


def check(box: w.Checkbox) -> w.Checkbox:
    """Let a tick box's words wrap instead of being cut off with "..."."""
    box.add_class(CHECK_CLASS)
    return box


def date_example() -> str:
    """A date box's example: today, never a date gone by."""
    return example_date()
