"""The store: sessions, participants, stages and the append-only answer log.

Why the store checks the facilitator key itself: a participant's page runs in its own
kernel, and anything a page can call, a forged request could call too. So moving a stage
needs the key's hash to match here, at the last line of defence, not only in the console.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from .. import keys
from . import schema as t
from .answers import AnswersMixin
from .check_ins import CheckInsMixin, add_check_ins
from .engine import default_url, make_engine, with_retries
from .errors import NotAllowed, NotFound, StoreUnavailable, StoreVersionError
from .rows import ParticipantRow, SessionRow, StageRow, now, utc
from .shared import SharedMixin
from .worked_out import WorkedOutMixin, add_worked_out

# action -> (states it may start from, state it leads to)
MOVES = {
    "open": (("closed",), "open"),
    "close": (("open",), "closed"),
    "reveal": (("closed",), "revealed"),
    "new_round": (("revealed",), "open"),
}


def _add_tables(conn: sa.Connection) -> None:
    """Version 1 -> 2: shared work and per-session data files, and room in ``item`` for
    keys that hold a 200-character name (SQLite does not enforce lengths)."""
    t.metadata.create_all(conn, tables=[t.shared, t.datasets], checkfirst=True)
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("ALTER TABLE submissions ALTER COLUMN item TYPE VARCHAR(450)")


def _add_room_token_and_joining(conn: sa.Connection) -> None:
    """Version 2 -> 3: each session gets a read-only room token (existing sessions get one
    now) and a record of being closed to new joiners; join attempts get their own table."""
    stamp = "TIMESTAMP WITH TIME ZONE" if conn.dialect.name == "postgresql" else "TIMESTAMP"
    have = {c["name"] for c in sa.inspect(conn).get_columns("sessions")}
    for name, kind in (("room_token", "VARCHAR(64)"), ("joins_closed_at", stamp),
                       ("joins_reopened_at", stamp)):
        if name not in have:  # a store made by a version-1 copy already has them
            conn.exec_driver_sql(f"ALTER TABLE sessions ADD COLUMN {name} {kind}")
    for (sid,) in conn.execute(sa.select(t.sessions.c.id)
                               .where(t.sessions.c.room_token.is_(None))).all():
        conn.execute(t.sessions.update().where(t.sessions.c.id == sid)
                     .values(room_token=keys.new_secret()))
    indexes = {i["name"] for i in sa.inspect(conn).get_indexes("sessions")}
    if "ix_sessions_room_token" not in indexes:
        conn.exec_driver_sql("CREATE UNIQUE INDEX ix_sessions_room_token ON sessions (room_token)")
    t.metadata.create_all(conn, tables=[t.join_attempts], checkfirst=True)


MIGRATIONS = {"1": _add_tables, "2": _add_room_token_and_joining, "3": add_check_ins,
              "4": add_worked_out}

#: The PostgreSQL advisory lock key under which one server at a time checks and brings the
#: schema forward (any constant; "Conductor" in ASCII digits, trimmed).
SCHEMA_LOCK = 67111110

#: Join attempts older than this are pruned: no throttle looks further back.
JOIN_ATTEMPTS_KEPT_SECONDS = 3600


class Store(AnswersMixin, SharedMixin, CheckInsMixin, WorkedOutMixin):
    """All reads and writes of workshop data. One instance per process is plenty."""

    def __init__(self, url: str | None = None):
        self.url = url or default_url()
        try:
            self.engine = make_engine(self.url)
            self._ensure_schema()
        except (sa.exc.ArgumentError, sa.exc.OperationalError, sa.exc.InterfaceError,
                ModuleNotFoundError, StoreUnavailable) as err:
            cause = err.__cause__ if isinstance(err, StoreUnavailable) else err
            reason = str(getattr(cause, "orig", cause)).strip().splitlines()[0][:300]
            raise StoreUnavailable(
                f"Conductor could not open the database at {self._safe_url()}: {reason}. "
                "Check CONDUCTOR_DATABASE_URL (or --database-url): the server must be "
                "running, and the database and user must exist.") from None

    # -- plumbing -------------------------------------------------------------
    @contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        with self.engine.connect() as conn:
            conn.execution_options(conductor_write=True)
            with conn.begin():
                yield conn

    @contextmanager
    def _read(self) -> Iterator[sa.Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    def _ensure_schema(self) -> None:
        def work() -> None:
            with self._write() as conn:
                if conn.dialect.name == "postgresql":
                    # Servers sharing one database start together after an upgrade: one at
                    # a time reads the version and brings the store forward; the others
                    # wait here, then find it done (their ALTER TABLE failed otherwise).
                    # SQLite's write transaction (BEGIN IMMEDIATE) already serialises this.
                    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({SCHEMA_LOCK})")
                existing = sa.inspect(conn).get_table_names()
                if "conductor_meta" not in existing:
                    if set(existing) & {"sessions", "submissions"}:
                        raise StoreVersionError(
                            f"The database at {self._safe_url()} has tables but no Conductor "
                            "version mark. Point CONDUCTOR_DATABASE_URL at an empty database "
                            "or at one Conductor made."
                        )
                    t.metadata.create_all(conn)
                    conn.execute(t.meta.insert().values(key="schema_version",
                                                        value=str(t.SCHEMA_VERSION)))
                    return
                row = conn.execute(sa.select(t.meta.c.value).where(
                    t.meta.c.key == "schema_version")).scalar()
                if row in MIGRATIONS:  # an older store Conductor knows how to bring forward
                    for step in range(int(row), t.SCHEMA_VERSION):
                        MIGRATIONS[str(step)](conn)
                    conn.execute(t.meta.update().where(t.meta.c.key == "schema_version")
                                 .values(value=str(t.SCHEMA_VERSION)))
                    return
                if row != str(t.SCHEMA_VERSION):
                    raise StoreVersionError(
                        f"The database at {self._safe_url()} was made by Conductor schema "
                        f"version {row}; this copy of Conductor reads version "
                        f"{t.SCHEMA_VERSION}. Use the matching Conductor release, or start a "
                        "new database file (your old one is left untouched)."
                    )

        try:
            with_retries(work)
        except sa.exc.IntegrityError:  # another process created the schema at the same moment
            with_retries(work)

    def _safe_url(self) -> str:
        try:
            return sa.engine.make_url(self.url).render_as_string(hide_password=True)
        except sa.exc.ArgumentError:
            return "(an address that is not a database URL)"

    @staticmethod
    def _bump(conn: sa.Connection, session_id: int) -> None:
        conn.execute(t.sessions.update().where(t.sessions.c.id == session_id)
                     .values(revision=t.sessions.c.revision + 1))

    # -- settings -------------------------------------------------------------
    def get_setting(self, key: str) -> str | None:
        with self._read() as conn:
            return conn.execute(sa.select(t.meta.c.value).where(t.meta.c.key == key)).scalar()

    def set_setting(self, key: str, value: str) -> None:
        def work() -> None:
            with self._write() as conn:
                conn.execute(t.meta.delete().where(t.meta.c.key == key))
                conn.execute(t.meta.insert().values(key=key, value=value))
        with_retries(work)

    def facilitator_key_hash(self) -> str | None:
        return self.get_setting("facilitator_key_hash")

    def is_facilitator(self, key: str | None) -> bool:
        return keys.secret_matches(key, self.facilitator_key_hash())

    def _authorise(self, conn: sa.Connection, session: SessionRow, key: str | None) -> None:
        if session.solo:
            return  # a solo session's one person is its own facilitator
        stored = conn.execute(sa.select(t.meta.c.value)
                              .where(t.meta.c.key == "facilitator_key_hash")).scalar()
        if not keys.secret_matches(key, stored):
            raise NotAllowed("Only the facilitator can do that. Open the facilitator console "
                             "with the link that carries the facilitator key.")

    # -- sessions -------------------------------------------------------------
    def create_session(self, title: str, key: str | None, solo: bool = False) -> SessionRow:
        """A new session with a fresh join code. Live sessions need the facilitator key."""
        if not solo and not self.is_facilitator(key):
            raise NotAllowed("Only the facilitator can create a session.")

        def work() -> int:
            with self._write() as conn:
                for _ in range(50):
                    code = keys.new_join_code()
                    if not conn.execute(sa.select(t.sessions.c.id)
                                        .where(t.sessions.c.code == code)).first():
                        break
                return _new_id(conn.execute(t.sessions.insert().values(
                    code=code, title=title, solo=solo, created_at=now(), revision=0,
                    room_token=keys.new_secret(),
                    seed=random.SystemRandom().randrange(2**31))))
        return self.session(with_retries(work))

    def _row_to_session(self, row: sa.Row[Any]) -> SessionRow:
        return SessionRow(id=row.id, code=row.code, title=row.title, solo=bool(row.solo),
                          created_at=utc(row.created_at), revision=row.revision,
                          current_stage=row.current_stage, seed=row.seed,
                          room_token=row.room_token,
                          joins_closed_at=(utc(row.joins_closed_at)
                                           if row.joins_closed_at else None),
                          joins_reopened_at=(utc(row.joins_reopened_at)
                                             if row.joins_reopened_at else None))

    def session(self, session_id: int) -> SessionRow:
        with self._read() as conn:
            row = conn.execute(sa.select(t.sessions).where(t.sessions.c.id == session_id)).first()
        if row is None:
            raise NotFound("That workshop session no longer exists.")
        return self._row_to_session(row)

    def session_by_code(self, code: str) -> SessionRow | None:
        with self._read() as conn:
            row = conn.execute(sa.select(t.sessions)
                               .where(t.sessions.c.code == keys.normalise_code(code))).first()
        return self._row_to_session(row) if row else None

    def session_by_room_token(self, token: str | None) -> SessionRow | None:
        """The session whose room screen this token opens, or None (a wrong or old token)."""
        if not token or len(token) > 64:
            return None
        with self._read() as conn:
            row = conn.execute(sa.select(t.sessions)
                               .where(t.sessions.c.room_token == token)).first()
        return self._row_to_session(row) if row else None

    def set_joining(self, session_id: int, open_to_joiners: bool, key: str | None) -> SessionRow:
        """Close a session to new joiners, or open it again (the facilitator's call). People
        already in keep their personal links either way."""
        session = self.session(session_id)

        def work() -> None:
            with self._write() as conn:
                self._authorise(conn, session, key)
                values = ({"joins_closed_at": None, "joins_reopened_at": now()}
                          if open_to_joiners else {"joins_closed_at": now()})
                conn.execute(t.sessions.update().where(t.sessions.c.id == session_id)
                             .values(**values))
                self._bump(conn, session_id)
        with_retries(work)
        return self.session(session_id)

    def last_activity(self, session_id: int) -> datetime:
        """When the session last moved: its newest stage move, its reopening or its start.
        The self-close clock runs from here."""
        with self._read() as conn:
            moved = conn.execute(sa.select(sa.func.max(t.stage_events.c.at))
                                 .where(t.stage_events.c.session_id == session_id)).scalar()
            row = conn.execute(sa.select(t.sessions.c.created_at, t.sessions.c.joins_reopened_at)
                               .where(t.sessions.c.id == session_id)).first()
        if row is None:
            raise NotFound("That workshop session no longer exists.")
        return max(utc(v) for v in (moved, row.created_at, row.joins_reopened_at) if v)

    # -- join attempts (throttling across pages) --------------------------------
    def note_join_attempt(self, client: str, ok: bool) -> None:
        """Record one join attempt from ``client`` (a hash of an address, at most 64
        characters) and prune attempts older than :data:`JOIN_ATTEMPTS_KEPT_SECONDS`."""
        when = now()

        def work() -> None:
            with self._write() as conn:
                conn.execute(t.join_attempts.insert().values(client=client[:64], ok=bool(ok),
                                                             at=when))
                conn.execute(t.join_attempts.delete().where(
                    t.join_attempts.c.at < when - timedelta(seconds=JOIN_ATTEMPTS_KEPT_SECONDS)))
        with_retries(work)

    def join_failures(self, client: str, within_seconds: float) -> int:
        """How many failed join attempts ``client`` made in the last ``within_seconds``."""
        since = now() - timedelta(seconds=within_seconds)
        with self._read() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(t.join_attempts).where(
                t.join_attempts.c.client == client[:64], t.join_attempts.c.ok == sa.false(),
                t.join_attempts.c.at >= since)).scalar() or 0

    def list_sessions(self, include_solo: bool = False) -> list[SessionRow]:
        q = sa.select(t.sessions).order_by(t.sessions.c.id.desc())
        if not include_solo:
            q = q.where(t.sessions.c.solo == sa.false())
        with self._read() as conn:
            return [self._row_to_session(r) for r in conn.execute(q)]

    def count_sessions(self) -> int:
        """How many live sessions exist: the console's poll asks this every second."""
        q = sa.select(sa.func.count()).select_from(t.sessions).where(
            t.sessions.c.solo == sa.false())
        with self._read() as conn:
            return conn.execute(q).scalar() or 0

    def revision(self, session_id: int) -> int:
        """The session's change counter: the cheap question every poll asks."""
        with self._read() as conn:
            return conn.execute(sa.select(t.sessions.c.revision)
                                .where(t.sessions.c.id == session_id)).scalar() or 0

    def delete_session(self, session_id: int, key: str | None) -> None:
        session = self.session(session_id)

        def work() -> None:
            with self._write() as conn:
                self._authorise(conn, session, key)
                for table in (t.submissions, t.shared, t.datasets, t.stage_events, t.stages,
                              t.worked_out, t.participants):
                    conn.execute(table.delete().where(table.c.session_id == session_id))
                conn.execute(t.sessions.delete().where(t.sessions.c.id == session_id))
        with_retries(work)

    # -- participants ---------------------------------------------------------
    def add_participant(self, session_id: int, token_hash: str, display_name: str | None,
                        named_ok: bool) -> ParticipantRow:
        def work() -> int:
            with self._write() as conn:
                pid = _new_id(conn.execute(t.participants.insert().values(
                    session_id=session_id, token_hash=token_hash, display_name=display_name,
                    named_ok=bool(named_ok and display_name), hidden=False,
                    joined_at=now())))
                self._bump(conn, session_id)
                return pid
        pid = with_retries(work)
        return self.participant(pid)

    def _row_to_participant(self, row: sa.Row[Any]) -> ParticipantRow:
        return ParticipantRow(id=row.id, session_id=row.session_id,
                              display_name=row.display_name, named_ok=bool(row.named_ok),
                              hidden=bool(row.hidden), joined_at=utc(row.joined_at))

    def participant(self, participant_id: int) -> ParticipantRow:
        with self._read() as conn:
            row = conn.execute(sa.select(t.participants)
                               .where(t.participants.c.id == participant_id)).first()
        if row is None:
            raise NotFound("That participant is no longer in this session.")
        return self._row_to_participant(row)

    def participant_by_token_hash(self, token_hash: str) -> ParticipantRow | None:
        with self._read() as conn:
            row = conn.execute(sa.select(t.participants)
                               .where(t.participants.c.token_hash == token_hash)).first()
        return self._row_to_participant(row) if row else None

    def participants(self, session_id: int) -> list[ParticipantRow]:
        with self._read() as conn:
            rows = conn.execute(sa.select(t.participants)
                                .where(t.participants.c.session_id == session_id)
                                .order_by(t.participants.c.id))
            return [self._row_to_participant(r) for r in rows]

    def hide_participant_name(self, participant_id: int, key: str | None,
                              hidden: bool = True) -> None:
        """Hide (or show again) a display name, for the facilitator to act on an offensive one."""
        person = self.participant(participant_id)
        session = self.session(person.session_id)

        def work() -> None:
            with self._write() as conn:
                self._authorise(conn, session, key)
                conn.execute(t.participants.update()
                             .where(t.participants.c.id == participant_id).values(hidden=hidden))
                self._bump(conn, session.id)
        with_retries(work)

    def withdraw_participant(self, participant_id: int, key: str | None,
                             session_id: int | None = None) -> int:
        """Remove a person from a session, for a data-protection request or a duplicate
        (someone who joined twice): their votes go, their name and personal link go, and
        the shared work they wrote stays (it is the group's) but no longer names them.
        Returns how many answers were removed. With ``session_id``, the person must be in
        that session (a console acts only on the session it shows)."""
        person = self.participant(participant_id)
        if session_id is not None and person.session_id != session_id:
            raise NotFound("That participant is no longer in this session.")
        session = self.session(person.session_id)

        def work() -> int:
            with self._write() as conn:
                self._authorise(conn, session, key)
                gone = conn.execute(t.submissions.delete().where(
                    t.submissions.c.participant_id == participant_id)).rowcount
                conn.execute(t.shared.update().where(
                    t.shared.c.participant_id == participant_id).values(participant_id=None))
                conn.execute(t.participants.delete().where(
                    t.participants.c.id == participant_id))
                self._forget_worked_out(conn, session.id)  # worked out from their answers too
                self._bump(conn, session.id)
                return gone
        return with_retries(work)

    # -- stages ---------------------------------------------------------------
    def stages(self, session_id: int) -> dict[str, StageRow]:
        with self._read() as conn:
            rows = conn.execute(sa.select(t.stages).where(t.stages.c.session_id == session_id))
            return {r.stage: StageRow(r.stage, r.round, r.state) for r in rows}

    def stage(self, session_id: int, stage: str) -> StageRow:
        return self.stages(session_id).get(stage, StageRow(stage, 1, "closed"))

    def move_stage(self, session_id: int, stage: str, action: str, key: str | None) -> StageRow:
        """Open, close, reveal or start a new round, if the facilitator key allows.

        A closed stage can be opened again; a revealed one only moves on by a new round, so
        nobody changes an answer after seeing the group's.
        """
        if action not in MOVES:
            raise ValueError(f"Unknown stage action {action!r}.")
        session = self.session(session_id)
        starts, target = MOVES[action]

        def work() -> StageRow:
            with self._write() as conn:
                self._authorise(conn, session, key)
                self._bump(conn, session_id)  # also serialises with concurrent submissions
                row = conn.execute(sa.select(t.stages).where(
                    t.stages.c.session_id == session_id, t.stages.c.stage == stage)).first()
                current = StageRow(stage, row.round, row.state) if row else StageRow(stage, 1,
                                                                                     "closed")
                if current.state not in starts:
                    raise NotAllowed(f"This step is {current.state}, so it cannot be "
                                     f"{_done_word(action)} now.")
                rnd = current.round + 1 if action == "new_round" else current.round
                values = dict(round=rnd, state=target, changed_at=now())
                if row:
                    conn.execute(t.stages.update().where(
                        t.stages.c.session_id == session_id, t.stages.c.stage == stage)
                        .values(**values))
                else:
                    conn.execute(t.stages.insert().values(session_id=session_id, stage=stage,
                                                          **values))
                conn.execute(t.stage_events.insert().values(
                    session_id=session_id, stage=stage, round=rnd, state=target, at=now()))
                if target == "open":
                    conn.execute(t.sessions.update().where(t.sessions.c.id == session_id)
                                 .values(current_stage=stage))
                return StageRow(stage, rnd, target)
        return with_retries(work)

    def stage_events(self, session_id: int) -> list[tuple[str, int, str, datetime]]:
        """Every move of every step, oldest first: (stage, round, state, when)."""
        e = t.stage_events
        q = sa.select(e).where(e.c.session_id == session_id).order_by(e.c.id)
        with self._read() as conn:
            return [(r.stage, r.round, r.state, utc(r.at)) for r in conn.execute(q)]

    def set_current_stage(self, session_id: int, stage: str | None, key: str | None) -> None:
        session = self.session(session_id)

        def work() -> None:
            with self._write() as conn:
                self._authorise(conn, session, key)
                conn.execute(t.sessions.update().where(t.sessions.c.id == session_id)
                             .values(current_stage=stage, revision=t.sessions.c.revision + 1))
        with_retries(work)

    def dispose(self) -> None:
        self.engine.dispose()


def _new_id(result: sa.CursorResult[Any]) -> int:
    """The id the database gave the row an insert just added."""
    key = result.inserted_primary_key
    assert key is not None  # every insert here is of one row with an id
    return int(key[0])


def _done_word(action: str) -> str:
    return {"open": "opened", "close": "closed", "reveal": "revealed",
            "new_round": "given a new round"}[action]
