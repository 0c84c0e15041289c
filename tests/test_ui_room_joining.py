"""The room screen follows the session's joining state: a session closed to new joiners
does not project its join code (latecomers would only be refused), and says so."""

from __future__ import annotations

from widgets.session import set_joining
from widgets.ui.shell.room import RoomScreen


def top_html(screen: RoomScreen) -> str:
    return screen.top.value


def test_a_closed_session_shows_no_join_code_and_says_it_is_closed(live):
    store, key = live.store, live.key
    screen = RoomScreen(store, live.session)
    assert live.session.code in top_html(screen) and "Join at" in top_html(screen)
    set_joining(store, live.session, False, key)
    screen.refresh()
    html = top_html(screen)
    assert live.session.code not in html and "Join at" not in html
    assert "closed to new joiners" in html
    assert "<strong>3</strong> people have joined" in html  # the head count stays
    assert "Join now" not in html
    set_joining(store, store.session(live.session.id), True, key)
    screen.refresh()
    assert live.session.code in top_html(screen) and "closed" not in top_html(screen)
