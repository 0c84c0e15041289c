"""The board readiness check's module logic: what one person may save, and the group's profile.

Why a module of its own: every answer is checked where it is stored, not by the buttons a
page shows (a script on the room's network can send any value over the page's websocket).
It also reads the results back through the reveal filter (``revealed_profile``), so the
room screen, the console, the report and the exports show one profile computed one way.
The statements and the scale live in ``widgets.content``; the screens in
``widgets.ui.readiness``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from .analysis.readiness import (
    PROFILE_COLUMNS,
    ProfileRow,
    disagreements,
    profile_rows,
    profile_sentence,
)
from .content import READINESS, READINESS_SCALE
from .session import View
from .validation import check_choice, check_number

if TYPE_CHECKING:  # a readiness page, its results too, needs no pandas; the report does
    import pandas as pd

STAGE = "readiness"


def submit_rating(view: View, item: str, value: object) -> None:
    """Save the viewer's rating of one statement: 1 to 5, or None for "don't know". A
    statement that does not exist or a value off the scale raises ``FieldError``."""
    check_choice(item, [q.id for q in READINESS], "That statement")
    rating = None if value is None else check_number(value, min(READINESS_SCALE),
                                                     max(READINESS_SCALE), "A rating")
    view.store.submit(view.session.id, view.voter(), STAGE, item, rating, uuid.uuid4().hex)


def statements() -> dict[str, str]:
    """Each statement as people read it when rating (without its full stop): results name
    statements in the words people saw, never by a label they were not shown."""
    return {q.id: q.text.rstrip(".") for q in READINESS}


def answers(view: View, round: int | None = None) -> list[tuple[int, str, object]]:
    """The revealed answers as (participant, item, score) (none while unrevealed: the reveal
    filter in ``View.group_answers`` decides)."""
    return [(a.participant_id, a.item, a.value) for _, a in view.group_answers(STAGE, round)]


def shown_round(view: View, round: int | None = None) -> int:
    """The round whose results are on show: the one asked for, or the latest revealed
    (while round 2 runs, round 1 stays on show). 0 when none has been revealed."""
    if round is None:
        st = view.stage(STAGE)
        round = st.round if st.state == "revealed" else st.round - 1
    return round if round >= 1 and view.is_revealed(STAGE, round) else 0


@dataclass(frozen=True)
class Profile:
    """One revealed round's readiness profile, ready for any screen, the report or an
    export: per statement the answers' count, median, middle half and range, the sentence
    that says what it shows, and the statements the room is furthest apart on."""

    round: int
    solo: bool
    rows: tuple[ProfileRow, ...]  # item, answers, median, q1, q3, spread, lowest, highest
    sentence: str
    labels: dict[str, str]
    talk_first: list[str]

    @property
    def empty(self) -> bool:
        return sum(r.answers for r in self.rows) == 0

    @cached_property
    def table(self) -> pd.DataFrame:
        """The rows as a DataFrame (``PROFILE_COLUMNS``), made when first asked for: it
        loads pandas (about 35 MB per kernel), which the rows alone do not need."""
        import pandas as pd  # here, not at the top: about 35 MB per kernel (memory.py)

        return pd.DataFrame(list(self.rows), columns=PROFILE_COLUMNS)


def revealed_profile(view: View, round: int | None = None) -> Profile | None:
    """The profile of the round on show (see ``shown_round``), or None before any reveal."""
    rnd = shown_round(view, round)
    if not rnd:
        return None
    labels = statements()
    rows = tuple(profile_rows(answers(view, rnd), [q.id for q in READINESS]))
    solo = view.session.solo  # one leader's own ratings: speak to them, not to a room
    return Profile(rnd, solo, rows, profile_sentence(rows, labels, solo=solo), labels,
                   disagreements(rows, 3))
