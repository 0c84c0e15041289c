"""The facilitator closes a session to new joiners and reopens it (issue 15, item 6).

Without it, anyone holding an old code could join a finished session and read its revealed
results. Closed from the console, a new page's join with the right code is refused with a
plain message and adds nobody; a person already in carries on through their personal link;
reopened, the same page joins. Spoken to at the protocol level, as a script would.
"""

from __future__ import annotations

from widgets.session import CLOSED_TO_JOINERS
from widgets.store import Store

from .protocol import PageClient


def test_closed_from_the_console_a_new_join_is_refused_and_people_in_carry_on(voila_server,
                                                                               seed_session):
    seeded = seed_session("Closing day", ["Asha"])
    s = seeded.session
    console = PageClient(voila_server.url("facilitator.ipynb",
                                          f"key={voila_server.key}&session={s.code}"))
    with console:
        console.wait_for_text("Open to new joiners")
        console.click(console.find(description="Close to new joiners", model_name="ButtonModel"))
        console.wait_for_text("Closed to new joiners since")

        with PageClient(voila_server.url("00_start.ipynb")) as late:
            join = late.find(description="Join", model_name="ButtonModel")
            late.set(late.find(description="Session code", model_name="TextModel"),
                     value=s.code)
            late.set(late.find(description="Your name", model_name="TextModel"), value="Late")
            late.click(join)
            late.wait_for_text(CLOSED_TO_JOINERS)
            assert not late.shows("Welcome")

            # Asha, already in, keeps working through her personal link.
            with PageClient(voila_server.url("00_start.ipynb",
                                             f"p={seeded.tokens['Asha']}")) as asha:
                asha.wait_for_text("Welcome")
                assert asha.shows("Asha") and not asha.shows(CLOSED_TO_JOINERS)

            console.click(console.find(description="Reopen to new joiners",
                                       model_name="ButtonModel"))
            console.wait_for_text("Open to new joiners")
            late.click(join)  # the same page, the same code: in now
            late.wait_for_text("Welcome")
    store = Store(voila_server.db_url)
    try:
        assert [p.display_name for p in store.participants(s.id)] == ["Asha", "Late"]
    finally:
        store.dispose()
