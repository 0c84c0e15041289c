"""Tables of the Conductor store (SQLAlchemy Core).

Why append-only: in a live workshop people change their minds, connections drop and
browsers retry. Every answer is a new row in ``submissions``; the current answer is the
latest row per participant, stage, round and item. Nothing is updated in place, so nothing
is lost and the history can be shown or exported later.

The schema carries a version in ``conductor_meta``. A store written by another version gets
a clear message (see :class:`widgets.store.errors.StoreVersionError`), never a traceback.
"""

from __future__ import annotations

import sqlalchemy as sa

SCHEMA_VERSION = 5

metadata = sa.MetaData()

meta = sa.Table(
    "conductor_meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("code", sa.String(6), nullable=False, unique=True),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("solo", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    # Bumped by every write that touches the session: a poll compares one integer.
    sa.Column("revision", sa.BigInteger, nullable=False, default=0),
    sa.Column("current_stage", sa.String(64), nullable=True),
    sa.Column("seed", sa.BigInteger, nullable=False),
    # The room screen's read-only token (version 3). Kept as it is, not hashed: the console
    # shows the room link whenever it is asked, and the token opens only what the room
    # screen shows (revealed results), never a vote or a facilitator action.
    sa.Column("room_token", sa.String(64), nullable=True),
    # Closed to new joiners by the facilitator (version 3); None while open.
    sa.Column("joins_closed_at", sa.DateTime(timezone=True), nullable=True),
    # Reopened by the facilitator (version 3): counts as activity for the self-close clock.
    sa.Column("joins_reopened_at", sa.DateTime(timezone=True), nullable=True),
    sa.Index("ix_sessions_room_token", "room_token", unique=True),
)

participants = sa.Table(
    "participants",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    # Only a hash of the personal link's token is kept: the store cannot hand a link out.
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("display_name", sa.String(80), nullable=True),
    sa.Column("named_ok", sa.Boolean, nullable=False, default=False),
    sa.Column("hidden", sa.Boolean, nullable=False, default=False),
    sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_participants_session", "session_id"),
)

stages = sa.Table(
    "stages",
    metadata,
    sa.Column("session_id", sa.ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("stage", sa.String(64), primary_key=True),
    sa.Column("round", sa.Integer, nullable=False, default=1),
    sa.Column("state", sa.String(16), nullable=False, default="closed"),
    sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
)

# Every move of a stage, for the record (who moved what when is part of showing your working).
stage_events = sa.Table(
    "stage_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    sa.Column("stage", sa.String(64), nullable=False),
    sa.Column("round", sa.Integer, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
)

submissions = sa.Table(
    "submissions",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True,
              autoincrement=True),
    sa.Column("session_id", sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    sa.Column("participant_id", sa.ForeignKey("participants.id", ondelete="CASCADE"),
              nullable=False),
    sa.Column("stage", sa.String(64), nullable=False),
    sa.Column("round", sa.Integer, nullable=False),
    sa.Column("item", sa.String(450), nullable=False),  # e.g. a criterion and a 200-char area
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    # A retried submission carries the same key and so adds no row.
    sa.Column("idempotency_key", sa.String(64), nullable=False, unique=True),
    sa.Index("ix_submissions_lookup", "session_id", "stage", "round", "item"),
)

# Shared work (shortlists, final weights, decisions, canvases): every save is a new version.
# The later save wins; the earlier stays on record; a writer whose view was stale is told.
shared = sa.Table(
    "shared",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    sa.Column("stage", sa.String(64), nullable=False),
    sa.Column("item", sa.String(450), nullable=False),  # e.g. a criterion and a 200-char area
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("participant_id", sa.ForeignKey("participants.id", ondelete="SET NULL"),
              nullable=True),
    sa.Column("by_facilitator", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("session_id", "stage", "item", "version", name="uq_shared_version"),
)

# A session's own data file (kept in the database so several servers share it).
datasets = sa.Table(
    "datasets",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    sa.Column("kind", sa.String(64), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("content", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)


# Join attempts by client (version 3): a page's kernel cannot see other pages, so attempts
# from one address across many pages are counted here. ``client`` is a hash of the address,
# never the address itself; rows older than an hour are pruned as new ones arrive.
join_attempts = sa.Table(
    "join_attempts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("client", sa.String(64), nullable=False),
    sa.Column("ok", sa.Boolean, nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_join_attempts_client_at", "client", "at"),
)


# The board's check-ins (version 4): each is a new sitting of the same workshop session, so
# everything the workshop decided comes with it and personal links keep working. The votes
# of a sitting (keep, change or stop; the delegation review) are answers in ``submissions``
# under the sitting's own steps, so the reveal filter treats them as every other vote.
check_in_sittings = sa.Table(
    "check_in_sittings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    sa.Column("number", sa.Integer, nullable=False),  # 1 for the first check-in
    sa.Column("held_on", sa.Date, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),  # "open" or "closed"
    sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
    sa.UniqueConstraint("session_id", "number", name="uq_check_in_number"),
)

# The board's decision per prototype at a sitting, with its reason and, for a stopped one,
# what it taught. Append-only: the latest row per sitting and prototype counts.
check_in_decisions = sa.Table(
    "check_in_decisions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    sa.Column("sitting_id", sa.ForeignKey("check_in_sittings.id", ondelete="CASCADE"),
              nullable=False),
    sa.Column("prototype", sa.String(64), nullable=False),
    sa.Column("decision", sa.String(16), nullable=False),  # keep, change or stop
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("learned", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_check_in_decisions_sitting", "sitting_id", "prototype"),
)

# The Delegation Board's history: each level change a check-in agreed, with its date.
level_changes = sa.Table(
    "level_changes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    sa.Column("sitting_id", sa.ForeignKey("check_in_sittings.id", ondelete="CASCADE"),
              nullable=False),
    sa.Column("area", sa.String(200), nullable=False),
    sa.Column("decision", sa.String(200), nullable=False),
    sa.Column("from_level", sa.Integer, nullable=True),
    sa.Column("to_level", sa.Integer, nullable=False),
    sa.Column("guardrails_held", sa.Boolean, nullable=True),
    sa.Column("changed_on", sa.Date, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_level_changes_session", "session_id"),
)

CHECK_IN_TABLES = (check_in_sittings, check_in_decisions, level_changes)


# Results worked out from a session's answers (version 5), kept so one kernel works them
# out for the whole room: the Focus ranking draws 20,000 weightings with pandas and numpy
# (about 40 MB in each kernel that imports them). Keyed by a digest of everything the
# result depends on, so a new vote, reveal or withdrawal makes a new key and an old row is
# never read for it. Derived data only: it can always be worked out again, and a
# withdrawal removes the session's rows.
worked_out = sa.Table(
    "worked_out",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    sa.Column("kind", sa.String(64), nullable=False),
    sa.Column("inputs", sa.String(64), nullable=False),  # sha256 hex of what it depends on
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("session_id", "kind", "inputs", name="uq_worked_out"),
)
