"""Answers: the append-only log of votes, with idempotency keys and the latest-counts rule.

Why a retried answer adds nothing: phones resend when a connection drops; each answer
carries a key made once on the page, and the unique index on it turns a resend into a
read of the first row.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from . import schema as t
from .engine import with_retries
from .errors import NotAllowed, StageClosed
from .parts import StoreParts
from .rows import Answer, now, utc


class AnswersMixin(StoreParts):
    def submit(self, session_id: int, participant_id: int, stage: str, item: str, value: Any,
               idempotency_key: str) -> Answer:
        """Append an answer. A repeated ``idempotency_key`` returns the first row, adds none."""
        payload = json.dumps(value, ensure_ascii=False, sort_keys=True)

        def work() -> Answer:
            try:
                with self._write() as conn:
                    self._bump(conn, session_id)
                    st = conn.execute(sa.select(t.stages.c.round, t.stages.c.state).where(
                        t.stages.c.session_id == session_id, t.stages.c.stage == stage)).first()
                    existing = self._by_key(conn, idempotency_key)
                    if existing is not None:
                        return existing
                    owner = conn.execute(sa.select(t.participants.c.session_id).where(
                        t.participants.c.id == participant_id)).scalar()
                    if owner != session_id:
                        raise NotAllowed("That answer came from someone who has not joined "
                                         "this session. Join with the session's code first.")
                    if st is None or st.state != "open":
                        raise StageClosed("This step is not open for answers right now, so "
                                          "that answer was not saved. Your earlier answers "
                                          "are safe.")
                    conn.execute(t.submissions.insert().values(
                        session_id=session_id, participant_id=participant_id, stage=stage,
                        round=st.round, item=item, payload=payload, created_at=now(),
                        idempotency_key=idempotency_key))
                    added = self._by_key(conn, idempotency_key)
                    assert added is not None  # written a moment ago, in this transaction
                    return added
            except sa.exc.IntegrityError:
                with self._read() as conn:  # the same key won a race in another process
                    found = self._by_key(conn, idempotency_key)
                if found is None:
                    raise
                return found
        return with_retries(work)

    @staticmethod
    def _answer(row: sa.Row[Any]) -> Answer:
        return Answer(id=row.id, participant_id=row.participant_id, stage=row.stage,
                      round=row.round, item=row.item, value=json.loads(row.payload),
                      created_at=utc(row.created_at))

    def _by_key(self, conn: sa.Connection, idempotency_key: str) -> Answer | None:
        row = conn.execute(sa.select(t.submissions)
                           .where(t.submissions.c.idempotency_key == idempotency_key)).first()
        return self._answer(row) if row else None

    def latest_answers(self, session_id: int, stage: str, round: int,
                       participant_id: int | None = None) -> list[Answer]:
        """The current answer per participant and item (the latest row of each)."""
        s = t.submissions
        cond = [s.c.session_id == session_id, s.c.stage == stage, s.c.round == round]
        if participant_id is not None:
            cond.append(s.c.participant_id == participant_id)
        latest = (sa.select(sa.func.max(s.c.id).label("id")).where(*cond)
                  .group_by(s.c.participant_id, s.c.item).subquery())
        q = sa.select(s).join(latest, s.c.id == latest.c.id).order_by(s.c.id)
        with self._read() as conn:
            return [self._answer(r) for r in conn.execute(q)]

    def items_answered(self, session_id: int, stage: str) -> set[str]:
        """Every item anyone has answered in a stage, in any round (items only, no answers)."""
        s = t.submissions
        q = sa.select(s.c.item).distinct().where(s.c.session_id == session_id,
                                                 s.c.stage == stage)
        with self._read() as conn:
            return {r[0] for r in conn.execute(q)}

    def count_round(self, session_id: int, stage: str, round: int) -> int:
        """How many rows a round holds: a cheap fingerprint of a frozen round."""
        s = t.submissions
        with self._read() as conn:
            return conn.execute(sa.select(sa.func.count()).where(
                s.c.session_id == session_id, s.c.stage == stage, s.c.round == round)
            ).scalar() or 0

    def count_submissions(self, session_id: int | None = None,
                          participant_id: int | None = None) -> int:
        """Answers kept (every row, earlier answers too): in a session, or by one person."""
        q = sa.select(sa.func.count()).select_from(t.submissions)
        if session_id is not None:
            q = q.where(t.submissions.c.session_id == session_id)
        if participant_id is not None:
            q = q.where(t.submissions.c.participant_id == participant_id)
        with self._read() as conn:
            return conn.execute(q).scalar() or 0

    def answered(self, session_id: int, stage: str, round: int) -> set[int]:
        """Who has answered at least one item of this round (ids only, never answers)."""
        s = t.submissions
        with self._read() as conn:
            rows = conn.execute(sa.select(s.c.participant_id).distinct().where(
                s.c.session_id == session_id, s.c.stage == stage, s.c.round == round))
            return {r[0] for r in rows}
