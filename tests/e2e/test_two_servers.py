"""Two Voila servers on different ports share one PostgreSQL database: people who joined
through either appear on one console and one room screen, and answers from both count."""

from __future__ import annotations

import pytest

from .conftest import start_server, stop_server, wait_ready


@pytest.fixture(scope="module")
def pair(tmp_path_factory, cull_idle):
    from tests.conftest import postgres_url
    from widgets.store import schema
    from widgets.store.engine import make_engine

    url = postgres_url()
    engine = make_engine(url)
    with engine.begin() as conn:
        schema.metadata.drop_all(conn)  # a fresh store: the first server makes the key
    engine.dispose()
    first = start_server(tmp_path_factory.mktemp("one"), cull_idle, db=url)
    second = start_server(tmp_path_factory.mktemp("two"), cull_idle, db=url)
    assert first.key and not second.key  # one key for both: it lives in the database
    yield first, second
    stop_server(first, second)


@pytest.mark.postgres
def test_two_servers_one_database_one_room(pair, browser):
    from widgets.session import join
    from widgets.store import Store

    first, second = pair
    store = Store(first.db_url)
    session = store.create_session("Two servers", first.key)
    store.move_stage(session.id, "readiness", "open", first.key)
    tokens = {name: join(store, session.code, name)[1] for name in ("Asha", "Ben")}
    store.dispose()

    def page(server, notebook, query):
        ctx = browser.new_context()
        ctx.set_default_timeout(60_000)
        p = ctx.new_page()
        p.goto(server.url(notebook, query))
        return p

    fac = page(first, "facilitator.ipynb", f"key={first.key}")
    wait_ready(fac, "Your sessions")
    fac.get_by_role("heading", name="Two servers").wait_for()
    room = page(second, "room.ipynb", f"room={session.room_token}")
    wait_ready(room, "Two servers")
    room.get_by_text("2 people have joined").wait_for()

    asha = page(first, "00_readiness.ipynb", f"p={tokens['Asha']}")
    ben = page(second, "00_readiness.ipynb", f"p={tokens['Ben']}")
    for p, score in ((asha, "4"), (ben, "2")):
        wait_ready(p, "Everyone here could say our mission")
        p.locator(".cd-rating").first.get_by_role("button", name=score, exact=True).click()
        p.get_by_text("Saved your rating").wait_for()
    fac.locator(".cd-stage-readiness").get_by_text("2 of 2 answered: Asha, Ben").wait_for()
    room.get_by_text("2 of 2 have answered").wait_for()
    for p in (fac, room, asha, ben):
        p.context.close()
