"""Twenty people answering at once: every answer kept exactly once, on both databases."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from widgets.store import StageClosed


def test_twenty_threads_fifty_answers_each_no_loss_no_duplicates(live):
    store, session, k = live.store, live.session, live.key
    from widgets.session import join

    people = [join(store, session.code, f"P{i}")[0] for i in range(20)]
    store.move_stage(session.id, "readiness", "open", k)

    def burst(person, resend=False):
        for n in range(50):
            store.submit(session.id, person.id, "readiness", f"item{n % 14}", n,
                         f"{session.id}-{person.id}-{n}")

    with ThreadPoolExecutor(max_workers=20) as pool:
        list(pool.map(burst, people))
    assert store.count_submissions(session.id) == 1000

    # The same 1,000 again, with the same idempotency keys, concurrently: nothing added.
    with ThreadPoolExecutor(max_workers=20) as pool:
        list(pool.map(burst, people))
    assert store.count_submissions(session.id) == 1000
    assert store.answered(session.id, "readiness", 1) == {p.id for p in people}


def test_answers_racing_a_close_are_either_kept_or_refused(live):
    store, session, k = live.store, live.session, live.key
    store.move_stage(session.id, "readiness", "open", k)
    person = live.people[0][0]
    outcomes = []

    def answer(n):
        try:
            store.submit(session.id, person.id, "readiness", "users", n % 5 + 1, f"race-{n}")
            outcomes.append("kept")
        except StageClosed:
            outcomes.append("refused")

    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [pool.submit(answer, n) for n in range(40)]
        store.move_stage(session.id, "readiness", "close", k)
        for f in futures:
            f.result()
    assert len(outcomes) == 40
    assert store.count_submissions(session.id) == outcomes.count("kept")
