"""Views of a seeded live session, as each kind of person sees it."""

from __future__ import annotations

from widgets.session import View, Viewer


def pview(live, i: int) -> View:
    """What participant ``i`` of the ``live`` fixture sees."""
    return View(live.store, live.session, Viewer("participant",
                                                 participant_id=live.people[i][0].id))


def fview(live) -> View:
    """What the facilitator sees."""
    return View(live.store, live.session, Viewer("facilitator", key=live.key))
