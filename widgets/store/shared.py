"""Shared work (versions, later save wins) and each session's own data files."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from . import schema as t
from .engine import with_retries
from .errors import NotAllowed
from .parts import StoreParts
from .rows import Dataset, SavedShared, Shared, now, utc


class SharedMixin(StoreParts):
    def save_shared(self, session_id: int, stage: str, item: str, value: Any, *,
                    participant_id: int | None = None, key: str | None = None,
                    base_version: int | None = None,
                    facilitator_only: bool = False) -> SavedShared:
        """Save a new version of a shared item. The later save wins and nothing is lost.

        ``base_version`` is the version the writer's screen showed; if someone saved since,
        the result says ``stale`` so the screen can tell them. Facilitator-only items need
        the key; other items need a participant of this session (or the key).
        """
        session = self.session(session_id)
        payload = json.dumps(value, ensure_ascii=False, sort_keys=True)

        def work() -> SavedShared:
            with self._write() as conn:
                by_facilitator = False
                if facilitator_only or participant_id is None:
                    self._authorise(conn, session, key)
                    by_facilitator = not session.solo or participant_id is None
                else:
                    owner = conn.execute(sa.select(t.participants.c.session_id).where(
                        t.participants.c.id == participant_id)).scalar()
                    if owner != session_id:
                        raise NotAllowed("Only people in this session can change its shared "
                                         "work. Join with the session's code first.")
                self._bump(conn, session_id)  # also serialises saves to one session
                current = self._insert_shared(conn, session_id, stage, item, payload,
                                              participant_id, by_facilitator)
                stale = base_version is not None and base_version != current
                return SavedShared(current + 1, stale)
        return with_retries(work)

    def save_shared_items(self, session_id: int, stage: str, items: dict[str, Any], *,
                          key: str | None) -> None:
        """Save new versions of several facilitator-only items in one transaction: all of
        them are kept or none is. Why: a change that touches two items (a renamed decision
        and the lists that play it) must never be half saved."""
        session = self.session(session_id)
        payloads = {item: json.dumps(value, ensure_ascii=False, sort_keys=True)
                    for item, value in items.items()}

        def work() -> None:
            with self._write() as conn:
                self._authorise(conn, session, key)
                self._bump(conn, session_id)
                for item, payload in payloads.items():
                    self._insert_shared(conn, session_id, stage, item, payload, None, True)
        with_retries(work)

    @staticmethod
    def _insert_shared(conn: sa.Connection, session_id: int, stage: str, item: str,
                       payload: str, participant_id: int | None, by_facilitator: bool) -> int:
        """Add the next version of one item; returns the version it replaces (0: none)."""
        s = t.shared
        current = conn.execute(sa.select(sa.func.max(s.c.version)).where(
            s.c.session_id == session_id, s.c.stage == stage, s.c.item == item)
        ).scalar() or 0
        conn.execute(s.insert().values(
            session_id=session_id, stage=stage, item=item, version=current + 1,
            payload=payload, participant_id=participant_id,
            by_facilitator=by_facilitator, created_at=now()))
        return current

    def shared(self, session_id: int, stage: str) -> dict[str, Shared]:
        """The current (latest) version of every shared item in a stage."""
        s = t.shared
        latest = (sa.select(sa.func.max(s.c.id).label("id"))
                  .where(s.c.session_id == session_id, s.c.stage == stage)
                  .group_by(s.c.item).subquery())
        q = sa.select(s).join(latest, s.c.id == latest.c.id)
        with self._read() as conn:
            return {r.item: Shared(r.item, r.version, json.loads(r.payload), r.participant_id,
                                   bool(r.by_facilitator), utc(r.created_at))
                    for r in conn.execute(q)}

    # -- data files -----------------------------------------------------------
    def save_dataset(self, session_id: int, kind: str, name: str, sha256: str, content: str,
                     key: str | None) -> None:
        """Keep a validated data file for the session (append-only; the latest is used)."""
        session = self.session(session_id)

        def work() -> None:
            with self._write() as conn:
                self._authorise(conn, session, key)
                self._bump(conn, session_id)
                conn.execute(t.datasets.insert().values(
                    session_id=session_id, kind=kind, name=name, sha256=sha256,
                    content=content, created_at=now()))
        with_retries(work)

    def dataset(self, session_id: int, kind: str) -> Dataset | None:
        d = t.datasets
        q = (sa.select(d).where(d.c.session_id == session_id, d.c.kind == kind)
             .order_by(d.c.id.desc()).limit(1))
        with self._read() as conn:
            r = conn.execute(q).first()
        return Dataset(r.kind, r.name, r.sha256, r.content, utc(r.created_at)) if r else None
