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
from typing import TYPE_CHECKING

from .content import READINESS, READINESS_SCALE
from .session import View
from .validation import check_choice, check_number

if TYPE_CHECKING:  # a readiness page opens without pandas; only results need it
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


def answers_frame(view: View, round: int | None = None) -> pd.DataFrame:
    """The revealed answers as a DataFrame: participant, item, score (empty while
    unrevealed: the reveal filter in ``View.group_answers`` decides)."""
    import pandas as pd  # a readiness page opens without pandas; only results need it

    rows = [(a.participant_id, a.item, a.value) for _, a in view.group_answers(STAGE, round)]
    return pd.DataFrame(rows, columns=["participant", "item", "score"])


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
    table: pd.DataFrame  # item, answers, median, q1, q3, lowest, highest
    sentence: str
    labels: dict[str, str]
    talk_first: list[str]

    @property
    def empty(self) -> bool:
        return int(self.table["answers"].sum()) == 0


def revealed_profile(view: View, round: int | None = None) -> Profile | None:
    """The profile of the round on show (see ``shown_round``), or None before any reveal."""
    rnd = shown_round(view, round)
    if not rnd:
        return None
    from .analysis.readiness import (  # here, not at the top: pandas and numpy (0.45 s of
        disagreements,  # CPU, 37 MB per kernel) load only once a round is revealed
        profile_sentence,
        readiness_profile,
    )

    labels = statements()
    table = readiness_profile(answers_frame(view, rnd), [q.id for q in READINESS])
    solo = view.session.solo  # one leader's own ratings: speak to them, not to a room
    return Profile(rnd, solo, table, profile_sentence(table, labels, solo=solo), labels,
                   list(disagreements(table, 3)))
