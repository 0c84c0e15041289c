"""A saved answer survives the laptop losing power: SQLite syncs the WAL on every commit
(``synchronous=FULL``), on every connection the store opens. Why FULL and what it costs:
``benchmarks/sqlite_sync.py`` and its figures in benchmarks/README.md."""

from __future__ import annotations

import threading

FULL = 2  # PRAGMA synchronous reads back as a number: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA


def test_every_sqlite_connection_syncs_each_commit(sqlite_store):
    seen = []

    def read():
        with sqlite_store.engine.connect() as conn:
            seen.append(conn.exec_driver_sql("PRAGMA synchronous").scalar())

    read()
    # A connection opened by another thread (another participant's write) is set up too.
    others = [threading.Thread(target=read) for _ in range(3)]
    for t in others:
        t.start()
    for t in others:
        t.join()
    sqlite_store.engine.dispose()  # and a connection opened after the pool was emptied
    read()
    assert seen == [FULL] * 5
