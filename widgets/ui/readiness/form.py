"""The board readiness check's form: fourteen statements, each rated privately."""

from __future__ import annotations

from ...content import READINESS, READINESS_SCALE
from ...readiness import STAGE, submit_rating
from ...session import View
from ..ratings import Rated, RatingForm


class ReadinessForm(RatingForm):
    """Fourteen statements, each rated 1-5 (or "don't know") with buttons."""

    def __init__(self, view: View):
        sections: dict[str, list[Rated]] = {}
        for q in READINESS:
            sections.setdefault(q.group, []).append(Rated(q.id, q.text, q.short))
        super().__init__(view, STAGE, READINESS_SCALE, list(sections.items()),
                         submit=submit_rating)
