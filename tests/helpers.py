"""Views of a seeded live session, as each kind of person sees it."""

from __future__ import annotations

import asyncio
import contextlib
import threading

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


@contextlib.contextmanager
def kernel_loop_of_its_own(monkeypatch):
    """An event loop in a thread of its own, standing in for a page's kernel's: pages and
    their parts find it through ``opening._kernel_loop``. Not the test's thread: the test
    process may already run another library's loop (Playwright's sync API), so none can run
    there. Its tasks are cancelled and it is closed on leaving."""
    from widgets.ui.shell import opening

    loop = asyncio.new_event_loop()
    runner = threading.Thread(target=loop.run_forever, daemon=True)
    runner.start()
    monkeypatch.setattr(opening, "_kernel_loop", lambda: loop)
    try:
        yield loop
    finally:
        for task in on(loop, lambda: list(asyncio.all_tasks())):
            task.cancel()
        loop.call_soon_threadsafe(loop.stop)
        runner.join(5)
        loop.close()


def on(loop, func, timeout: float = 10):
    """Run ``func`` in ``loop`` (after what is already queued) and return its result."""
    async def call():
        await asyncio.sleep(0)
        return func()
    return asyncio.run_coroutine_threadsafe(call(), loop).result(timeout)


def as_pool_kernel(monkeypatch, *names: str) -> None:
    """Make page functions run as in a preheated (pool) kernel, before its request.

    The marker a kernel sets once it has had its request (``urls._ASKED``), the request's
    ``QUERY_STRING`` and any of ``names`` are set, then removed: so monkeypatch restores each
    as it was, even those the page's wait writes straight into ``os.environ``. Leaked into
    a later test, the marker reached the kernels of a test server, which then built their
    pages without waiting for their request (a personal link showed the join form)."""
    from widgets import urls

    for name in (urls._ASKED, "QUERY_STRING", *names):
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    monkeypatch.setenv("VOILA_PREHEAT", "True")


def answers_kept(store, session_id: int, stage: str | None = None) -> list:
    """Every answer row the database holds for a session (or one stage), oldest first, read
    straight from its table: the append-only log as it is stored, earlier answers too."""
    import json

    import sqlalchemy as sa

    from widgets.store import Answer
    from widgets.store import schema as t

    s = t.submissions
    q = sa.select(s).where(s.c.session_id == session_id).order_by(s.c.id)
    if stage is not None:
        q = q.where(s.c.stage == stage)
    with store.engine.connect() as conn:
        return [Answer(id=r.id, participant_id=r.participant_id, stage=r.stage, round=r.round,
                       item=r.item, value=json.loads(r.payload), created_at=r.created_at)
                for r in conn.execute(q)]


def versions_kept(store, session_id: int, stage: str, item: str) -> list:
    """Every saved version of one shared item, oldest first, read straight from its table."""
    import json

    import sqlalchemy as sa

    from widgets.store import schema as t

    s = t.shared
    q = (sa.select(s.c.payload).where(s.c.session_id == session_id, s.c.stage == stage,
                                      s.c.item == item).order_by(s.c.version))
    with store.engine.connect() as conn:
        return [json.loads(r.payload) for r in conn.execute(q)]


def find_button(widget, text: str):
    """The button a person would click, found in the screen by its words."""
    import ipywidgets as w

    if isinstance(widget, w.Button) and widget.description == text:
        return widget
    for child in getattr(widget, "children", ()):
        found = find_button(child, text)
        if found is not None:
            return found
    return None


def back_to_version(store, version: int, tables=(), statements=()) -> None:
    """Take ``store`` back to what schema ``version`` made, keeping its sessions: drop
    ``tables`` (in that order), run ``statements``, mark the version, close the store. A
    store opened on the same URL afterwards brings it forward again."""
    from widgets.store import schema

    with store.engine.begin() as conn:
        for table in tables:
            table.drop(conn)
        for statement in statements:
            conn.exec_driver_sql(statement)
        conn.execute(schema.meta.update().values(value=str(version))
                     .where(schema.meta.c.key == "schema_version"))
    store.dispose()
