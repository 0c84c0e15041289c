"""Transient database errors are retried with back-off; a final failure says what to do."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from widgets.store import StoreUnavailable
from widgets.store.engine import with_retries


def locked():
    return sa.exc.OperationalError("INSERT ...", {}, Exception("database is locked"))


def test_a_locked_database_is_retried_until_it_frees(monkeypatch):
    waits = []
    monkeypatch.setattr("widgets.store.engine.time.sleep", waits.append)
    attempts = iter([locked(), locked(), "saved"])

    def work():
        outcome = next(attempts)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    assert with_retries(work) == "saved"
    assert waits == [0.05, 0.1]  # doubling back-off


def test_a_database_that_stays_down_gives_a_clear_message(monkeypatch):
    monkeypatch.setattr("widgets.store.engine.time.sleep", lambda _s: None)

    def work():
        raise locked()

    with pytest.raises(StoreUnavailable, match="Your earlier answers are safe"):
        with_retries(work)


def test_other_errors_are_not_retried(monkeypatch):
    calls = []

    def work():
        calls.append(1)
        raise sa.exc.OperationalError("SELECT", {}, Exception("no such column: x"))

    with pytest.raises(sa.exc.OperationalError):
        with_retries(work)
    assert calls == [1]
