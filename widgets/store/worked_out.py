"""Results worked out once for a whole session and kept for every page to read.

Why: a room's pages all show the same Focus ranking, and working it out (20,000 weightings
with pandas and numpy) costs each kernel that does it about 40 MB for as long as the page
stays open. The first kernel that works a result out keeps it here under a digest of its
inputs; every other kernel reads the plain rows and never imports pandas. Saving bumps the
session's revision, so pages waiting for the result refresh at once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from . import schema as t
from .engine import with_retries
from .parts import StoreParts
from .rows import now


def add_worked_out(conn: sa.Connection) -> None:
    """Version 4 -> 5: the table of worked-out results (empty: they are worked out again
    when first asked for)."""
    t.metadata.create_all(conn, tables=[t.worked_out], checkfirst=True)


def inputs_digest(inputs: object) -> str:
    """One 64-character key for everything a result depends on (its ``repr``: the inputs
    are tuples of numbers and strings)."""
    return hashlib.sha256(repr(inputs).encode()).hexdigest()


class WorkedOutMixin(StoreParts):
    def worked_out(self, session_id: int, kind: str, inputs: str) -> Any | None:
        """The result kept for these inputs, or None if none is kept yet."""
        w = t.worked_out
        with self._read() as conn:
            payload = conn.execute(sa.select(w.c.payload).where(
                w.c.session_id == session_id, w.c.kind == kind, w.c.inputs == inputs)
            ).scalar()
        return None if payload is None else json.loads(payload)

    def keep_worked_out(self, session_id: int, kind: str, inputs: str, value: Any,
                        answers_counted: Sequence[tuple[str, int, int]] = ()) -> bool:
        """Keep a result for these inputs; True if this call kept it, False if another
        kernel kept one first (the same inputs give the same result, so either will do).
        No key is needed: the value comes from the kit's own analysis of stored answers,
        never from a browser.

        ``answers_counted``: (step, round, rows) of the rounds it was worked out from. If a
        round no longer holds that many (a withdrawal committed while it was being worked
        out), nothing is kept: a withdrawal removes everything worked out from that
        person's answers, and this must not bring it back."""
        # keys in their own order (weights are listed criterion by criterion), floats exact
        payload = json.dumps(value, ensure_ascii=False, allow_nan=False)

        def work() -> bool:
            with self._write() as conn:
                w, a = t.worked_out, t.submissions
                for stage, round_, rows in answers_counted:
                    if conn.execute(sa.select(sa.func.count()).where(
                            a.c.session_id == session_id, a.c.stage == stage,
                            a.c.round == round_)).scalar() != rows:
                        return False
                if conn.execute(sa.select(w.c.id).where(
                        w.c.session_id == session_id, w.c.kind == kind,
                        w.c.inputs == inputs)).first() is not None:
                    return False
                conn.execute(w.insert().values(session_id=session_id, kind=kind,
                                               inputs=inputs, payload=payload,
                                               created_at=now()))
                self._bump(conn, session_id)
                return True
        try:
            return with_retries(work)
        except sa.exc.IntegrityError:  # another kernel kept it between the check and insert
            return False

    @staticmethod
    def _forget_worked_out(conn: sa.Connection, session_id: int) -> None:
        conn.execute(t.worked_out.delete().where(t.worked_out.c.session_id == session_id))
