"""The Focus ranking is worked out once for a session and kept in the store.

Why it matters: working it out imports pandas and numpy (about 40 MB a kernel, for as
long as the page stays open). The console and the room screen work it out as it is
revealed; a participant's page in a live session reads the kept rows, and works it out
itself only when nobody else has after a while (``benchmarks/memory.py`` measures it).
"""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
import sqlalchemy as sa

from widgets import focus
from widgets.store import schema
from widgets.ui.focus.results import FocusResults

from .helpers import fview, kernel_loop_of_its_own, on, pview
from .test_ui_focus import move, score_all, weigh_all


@pytest.fixture
def store(sqlite_store):
    return sqlite_store


@pytest.fixture
def kernel(monkeypatch):
    with kernel_loop_of_its_own(monkeypatch) as loop:
        yield loop


def revealed(live) -> None:
    """Scores and weights given by three people and revealed; nothing worked out yet."""
    score_all(live, [4, 3, lambda a: 5 if a.startswith("C") else 2])
    weigh_all(live, {"leads": 40, "energy": 20, "feasible": 20, "purpose": 20})
    move(live, focus.SCORE, "close", "reveal")
    move(live, focus.WEIGHTS, "close", "reveal")
    focus._RESULTS.clear()


def kept_rows(live) -> int:
    with live.store.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(schema.worked_out)
                            .where(schema.worked_out.c.session_id == live.session.id)).scalar()


def no_working_out(monkeypatch) -> None:
    def refuse(*_args, **_kwargs):
        raise AssertionError("worked the ranking out again instead of reading the kept one")
    monkeypatch.setattr(focus, "_compute", refuse)


def test_the_facilitators_ranking_is_kept_and_read_back_the_same(live, monkeypatch):
    revealed(live)
    mine = focus.results(fview(live))
    assert mine.ready and kept_rows(live) == 1
    before = live.store.revision(live.session.id)
    focus._RESULTS.clear()  # as in another kernel
    no_working_out(monkeypatch)
    theirs = focus.results(pview(live, 0), compute=False)
    assert theirs == mine  # every row, weight and figure, exactly
    assert [row.area for row in theirs.ranked()][:3] == [row.area for row in mine.ranked()][:3]
    assert live.store.revision(live.session.id) == before  # reading it writes nothing


def test_keeping_it_wakes_every_page_and_a_second_kernel_keeps_nothing(live):
    revealed(live)
    before = live.store.revision(live.session.id)
    focus.results(fview(live))
    assert live.store.revision(live.session.id) == before + 1  # pages refresh and read it
    focus._RESULTS.clear()
    digest = focus._digest(focus._inputs(fview(live), focus.care_data(fview(live)), None))
    assert not live.store.keep_worked_out(live.session.id, focus.WORKED_OUT, digest, {"x": 1})
    assert kept_rows(live) == 1


def test_a_new_vote_round_is_never_answered_from_the_old_one(live, monkeypatch):
    revealed(live)
    first = focus.results(fview(live))
    move(live, focus.WEIGHTS, "new_round")
    for i in range(3):
        focus.submit_weights(pview(live, i), {"leads": 10, "energy": 10, "feasible": 10,
                                              "purpose": 70})
    move(live, focus.WEIGHTS, "close", "reveal")
    focus._RESULTS.clear()
    assert focus.results(pview(live, 0), compute=False).pending  # not the first round's
    second = focus.results(fview(live))
    assert second.weights != first.weights and kept_rows(live) == 2


def test_a_withdrawal_forgets_what_was_worked_out_from_their_answers(live):
    revealed(live)
    focus.results(fview(live))
    live.store.withdraw_participant(live.people[0][0].id, live.key)
    assert kept_rows(live) == 0
    focus._RESULTS.clear()
    assert focus.results(fview(live)).people == 2


def test_deleting_the_session_deletes_what_was_kept(live):
    revealed(live)
    focus.results(fview(live))
    live.store.delete_session(live.session.id, live.key)
    assert kept_rows(live) == 0


def test_a_participants_page_reads_the_kept_ranking_and_works_nothing_out(live, monkeypatch):
    revealed(live)
    focus.results(fview(live))
    focus._RESULTS.clear()
    no_working_out(monkeypatch)
    page = FocusResults(pview(live, 1))
    assert page.results.ready and "ranks first" in page.widget.value


def test_a_participants_page_waits_for_the_console_then_shows_its_ranking(live, monkeypatch,
                                                                          kernel):
    revealed(live)
    calls = []
    real = focus._compute
    monkeypatch.setattr(focus, "_compute", lambda *a: calls.append(a) or real(*a))
    page = on(kernel, lambda: FocusResults(pview(live, 1)), 30)  # in a kernel: it can wait
    assert page.results.pending and focus.WORKING in page.widget.value
    focus.results(fview(live))  # the console, as the reveal reaches it
    focus._RESULTS.clear()  # the page's kernel is another process
    on(kernel, page.refresh, 30)  # the save bumped the revision: the page's poll calls this
    assert page.results.ready and "ranks first" in page.widget.value
    assert len(calls) == 1  # the console's; the page only read
    assert page._wait is None  # its wait is over


def test_a_page_alone_works_it_out_after_waiting(live, monkeypatch, kernel):
    revealed(live)
    monkeypatch.setattr(focus, "WAIT_FOR_RANKING_SECONDS", 0.05)
    page = on(kernel, lambda: FocusResults(pview(live, 1)), 30)
    assert page.results.pending
    deadline = time.monotonic() + 30
    while not on(kernel, lambda: page.results.ready, 30) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert page.results.ready and "ranks first" in page.widget.value and kept_rows(live) == 1


def test_outside_a_kernel_a_page_works_it_out_at_once(live):
    """A script or a notebook outside Voila has no kernel loop to wait on (another
    library's running loop does not count): the ranking is worked out in place."""
    revealed(live)

    async def under_another_loop() -> FocusResults:
        return FocusResults(pview(live, 1))

    made = []  # in a thread of its own: this thread may already run a loop (Playwright's)
    runner = threading.Thread(target=lambda: made.append(asyncio.run(under_another_loop())))
    runner.start()
    runner.join(60)
    assert made and made[0].results.ready


def test_after_a_withdrawal_the_console_works_it_out_again_without_them(live):
    """The console's screen compares ``results_inputs``: a withdrawal changes a revealed
    round's rows, so it works the ranking out again (and keeps it for every page)."""
    revealed(live)
    console = FocusResults(fview(live))
    assert console.results.people == 3
    live.store.withdraw_participant(live.people[0][0].id, live.key)
    console.refresh()
    assert console.results.people == 2 and kept_rows(live) == 1


def test_nothing_is_kept_from_answers_a_withdrawal_removed_meanwhile(live):
    """A kernel still working the ranking out as a withdrawal commits keeps nothing."""
    revealed(live)
    view = fview(live)
    counted = focus._answers_counted(view, None)
    live.store.withdraw_participant(live.people[0][0].id, live.key)
    assert not live.store.keep_worked_out(live.session.id, focus.WORKED_OUT, "c" * 64,
                                          {"ready": False}, answers_counted=counted)
    assert kept_rows(live) == 0


def test_votes_in_an_unrevealed_round_do_not_move_the_facilitators_ranking(live):
    """With the facilitator's own weights, votes arriving in an open weights round change
    nothing shown: the ranking is not worked out again for each."""
    score_all(live, [4, 3, 2])
    move(live, focus.SCORE, "close", "reveal")
    focus.save_final_weights(fview(live), {"leads": 50, "energy": 50})
    before = focus.results_inputs(fview(live))
    assert focus.results(fview(live)).ready and kept_rows(live) == 1
    move(live, focus.WEIGHTS, "open")
    focus.submit_weights(pview(live, 0), {"leads": 100})
    assert focus.results_inputs(fview(live))[2:] == before[2:]
    focus._RESULTS.clear()
    assert focus.results(pview(live, 1), compute=False).ready  # the kept one still fits


def test_a_page_whose_wait_ended_waits_again_when_the_same_inputs_come_back(live, kernel):
    """A wait that fired is not mistaken for one still running: the inputs coming back to
    an earlier value (the same step states again) start a new wait, never none."""
    revealed(live)

    def twice() -> FocusResults:
        page = FocusResults(pview(live, 1))
        key = focus.results_inputs(page.view)
        assert page._waiting_for == key
        page._give_up_waiting(("another",))  # as if a wait for other inputs had fired
        page._waiting_for, page._wait = key, None  # ...and the old mark were left behind
        page._give_up_waiting(key)  # fired: works it out on its own turn
        return page

    page = on(kernel, twice, 30)
    assert page.results.ready and page._wait is None and page._waiting_for is None


def test_a_kept_ranking_this_copy_cannot_read_is_worked_out_again(live, caplog):
    revealed(live)
    focus.results(fview(live))
    with live.store.engine.begin() as conn:  # as kept by another version of the kit
        conn.execute(schema.worked_out.update().values(payload='{"ready": true, "colour": 1}'))
    focus._RESULTS.clear()
    made = focus.results(pview(live, 0))
    assert made.ready and made.ranking and "could not be read" in caplog.text


def test_a_ranking_that_cannot_be_kept_is_still_shown(live, monkeypatch, caplog):
    revealed(live)

    def down(*_args, **_kwargs):
        raise focus.StoreError("The database is restarting.")
    monkeypatch.setattr(live.store, "keep_worked_out", down)
    made = focus.results(fview(live))
    assert made.ready and "Could not keep the Focus ranking" in caplog.text


def test_results_not_ready_round_trip_as_they_are():
    for made in (focus.Results(False, "Results appear once the scores are revealed."),
                 focus.Results(False, focus.WORKING, pending=True)):
        assert focus.Results.from_plain(made.plain()) == made


def test_a_shortlist_nobody_could_score_says_so_rather_than_fail(live):
    """Everyone answered "don't know" on one criterion for every area: no area has a
    score, so none can be ranked, and the screens say why."""
    move(live, focus.SCORE, "open")
    areas, _, _ = focus.shortlist(fview(live))
    for i in range(3):
        for area in areas:
            for c in focus.HUMAN_CRITERIA:
                focus.submit_score(pview(live, i), focus.item_key(area, c.key), None)
    weigh_all(live, {"leads": 40, "energy": 20, "feasible": 20, "purpose": 20})
    move(live, focus.SCORE, "close", "reveal")
    move(live, focus.WEIGHTS, "close", "reveal")
    page = FocusResults(fview(live))
    assert not page.results.ready and "No area can be ranked yet" in page.widget.value


def test_a_withdrawal_while_it_is_worked_out_leaves_nothing_kept(live, monkeypatch):
    """The rows are counted before the ranking is worked out, not after: a withdrawal that
    commits meanwhile makes the store keep nothing built from that person's answers."""
    revealed(live)
    real = focus._compute

    def withdrawn_meanwhile(*args):
        made = real(*args)
        live.store.withdraw_participant(live.people[0][0].id, live.key)
        return made
    monkeypatch.setattr(focus, "_compute", withdrawn_meanwhile)
    assert focus.results(fview(live)).people == 3  # shown to whoever asked, as worked out
    assert kept_rows(live) == 0  # but never kept for the other pages
