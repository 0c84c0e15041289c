"""Views of a seeded live session, as each kind of person sees it."""

from __future__ import annotations

from widgets.session import View, Viewer

AREAS = ["Frailty and falls", "Sepsis"]  # the Focus decision the `room` fixture records


def pview(live, i: int) -> View:
    """What participant ``i`` of the ``live`` fixture sees."""
    return View(live.store, live.session, Viewer("participant",
                                                 participant_id=live.people[i][0].id))


def fview(live) -> View:
    """What the facilitator sees."""
    return View(live.store, live.session, Viewer("facilitator", key=live.key))


def sends_during(work) -> list[str]:
    """Run ``work()`` and return the widgets that sent state to the page meanwhile.

    Idle pages must cost nothing: a refresh with nothing new must send no message.
    """
    import ipywidgets as w

    sent: list[str] = []
    original = w.Widget.send_state
    w.Widget.send_state = lambda self, key=None: sent.append(type(self).__name__)
    try:
        work()
    finally:
        w.Widget.send_state = original
    return sent


def as_voila_page(monkeypatch, store) -> str:
    """Make page functions run as in a Voila kernel on ``store``; returns the facilitator
    key it installs (the URL is set by the caller, as ``QUERY_STRING``)."""
    from widgets import keys
    from widgets.ui import pages

    monkeypatch.setattr(pages, "_STORE", store)
    monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5")
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    key = keys.new_secret()
    store.set_setting("facilitator_key_hash", keys.hash_secret(key))
    return key
