"""The room screen opens a session only through its own read-only link (issue 15, item 6).

The join code is on the projector and in every participant's head. When the room screen
opened by the join code (``room.ipynb?code=...``), anyone in the room could open it for a
session, and anyone holding an old code could read a finished session's revealed results.
Now the room screen opens only with the session's room token, which the facilitator's
console gives in its room link; a join code, a wrong or an old token says where the right
link is. Spoken to at the protocol level, as a participant's script would.
"""

from __future__ import annotations

from .protocol import PageClient

WHERE = "Open the room screen from the facilitator"  # (its apostrophe is escaped in HTML)


def test_a_participant_with_the_join_code_cannot_open_the_room_screen(voila_server,
                                                                       seed_session):
    seeded = seed_session("Room by its own link", ["Asha"])
    s = seeded.session
    with PageClient(voila_server.url("room.ipynb", f"code={s.code}")) as page:
        page.wait_for(lambda p: p.shows(WHERE) or p.shows("Room by its own link"),
                      "the room screen to open")
        assert not page.shows("Room by its own link")
        assert not page.shows(s.code)
        assert not page.shows("joined")
        assert page.shows(WHERE)


def test_the_room_token_opens_the_room_screen_and_a_wrong_one_says_what_to_do(voila_server,
                                                                              seed_session):
    seeded = seed_session("Room by its token", ["Asha"])
    s = seeded.session
    with PageClient(voila_server.url("room.ipynb", f"room={s.room_token}")) as page:
        page.wait_for_text("Room by its token")
        assert page.shows(s.code)
    # One character changed (not set: a token already starting with "x" stayed right, and
    # one run in 64 the room opened and the test waited for the message in vain).
    wrong = ("y" if s.room_token[0] == "x" else "x") + s.room_token[1:]
    assert wrong != s.room_token
    with PageClient(voila_server.url("room.ipynb", f"room={wrong}")) as page:
        page.wait_for_text("This room screen link is not recognised")
        page.wait_for_text(WHERE)
        assert not page.shows("Room by its token")
        assert not page.shows(s.code)
