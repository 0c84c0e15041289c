"""The board readiness check's answers: what one person may save.

Why a module of its own: every answer is checked where it is stored, not by the buttons a
page shows (a script on the room's network can send any value over the page's websocket).
The statements and the scale live in ``widgets.content``; the screens in
``widgets.ui.readiness``.
"""

from __future__ import annotations

import uuid

from .content import READINESS, READINESS_SCALE
from .session import View
from .validation import check_choice, check_number

STAGE = "readiness"


def submit_rating(view: View, item: str, value) -> None:
    """Save the viewer's rating of one statement: 1 to 5, or None for "don't know". A
    statement that does not exist or a value off the scale raises ``FieldError``."""
    check_choice(item, [q.id for q in READINESS], "That statement")
    if value is not None:
        check_number(value, min(READINESS_SCALE), max(READINESS_SCALE), "A rating")
    view.store.submit(view.session.id, view.viewer.participant_id, STAGE, item, value,
                      uuid.uuid4().hex)
