"""What the store's mixins (answers, shared work) use of the store they are part of.

Why: :class:`~widgets.store.store.Store` is composed of small mixins, each in its own file;
this is the one statement of what each may call on it, so the type checker can hold them to
it.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

import sqlalchemy as sa

from .rows import SessionRow


class StoreParts:
    """The plumbing :class:`~widgets.store.store.Store` gives its mixins."""

    def _read(self) -> AbstractContextManager[sa.Connection]:
        raise NotImplementedError

    def _write(self) -> AbstractContextManager[sa.Connection]:
        raise NotImplementedError

    @staticmethod
    def _bump(conn: sa.Connection, session_id: int) -> None:
        raise NotImplementedError

    def _authorise(self, conn: sa.Connection, session: SessionRow, key: str | None) -> None:
        raise NotImplementedError

    def session(self, session_id: int) -> SessionRow:
        raise NotImplementedError
