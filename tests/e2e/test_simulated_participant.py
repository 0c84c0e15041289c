"""A simulated participant (tests/e2e/participant.py) is a page the server cannot tell from
a browser's: the same answers, given through the start page and the readiness check in
Chromium and by the simulator, leave the same rows in the store. The benchmarks that play a
room with it (benchmarks/join_storm.py) measure what real pages would cost."""

from __future__ import annotations

from ..helpers import answers_kept
from .conftest import wait_ready
from .participant import Participant
from .test_readiness_round import join, question

# Presses in order, as one person makes them: a change of mind, a "don't know" and a
# statement whose short name has an apostrophe (escaped in the "Saved" line).
PLAN = [("mission", 4), ("mission", 2), ("technology", None), ("users", 5), ("agile", 1)]


def _presses():
    from widgets.content import READINESS

    ids = {q.id: q for q in READINESS}
    return [(ids[item], value) for item, value in PLAN]


def test_simulated_answers_land_as_a_browsers_do(voila_server, new_page, seed_session):
    from widgets.content import READINESS

    items = {q.id for q in READINESS}
    assert {item for item, _ in PLAN} <= items, "the plan names real statements"
    seeded = seed_session("Simulated beside a browser", [])
    store, session = seeded.store, seeded.session
    store.move_stage(session.id, "readiness", "open", voila_server.key)

    # In Chromium: join on the start page, follow its link, press the buttons.
    page = new_page()
    join(page, voila_server, session.code, "Ada", named=False)
    page.get_by_role("link", name="Go to").click()
    wait_ready(page, READINESS[0].text)
    for q, value in _presses():
        label = "Don't know" if value is None else str(value)
        question(page, q.text).get_by_role("button", name=label, exact=True).click()
        page.get_by_text(f"Saved your rating for “{q.short}”").wait_for()

    # Simulated: the same journey over the page protocol.
    bo = Participant(voila_server.base, session.code, "Bo")
    bo.run(answer=False)
    assert bo.error == ""
    bo.answer_all(plan=PLAN, pause=(0, 0))
    bo.close()

    people = {p.display_name: p for p in store.participants(session.id)}
    assert set(people) == {"Ada", "Bo"}
    assert (people["Ada"].named_ok, people["Ada"].hidden) == (
        people["Bo"].named_ok, people["Bo"].hidden)

    def rows(name):  # every row kept, earlier answers too, as the database holds them
        return [(a.stage, a.round, a.item, a.value) for a in
                answers_kept(store, session.id, "readiness")
                if a.participant_id == people[name].id]

    assert rows("Ada") == rows("Bo")
    assert rows("Bo") == [("readiness", 1, item, value) for item, value in PLAN]
    latest = {(a.participant_id, a.item): a.value
              for a in store.latest_answers(session.id, "readiness", 1)}
    assert {i: v for (p, i), v in latest.items() if p == people["Ada"].id} == {
        i: v for (p, i), v in latest.items() if p == people["Bo"].id}
