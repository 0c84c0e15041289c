"""The plain records the store hands out: frozen, so no screen can change one by accident."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any


def now() -> datetime:
    return datetime.now(UTC)


def utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything here is stored in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class SessionRow:
    id: int
    code: str
    title: str
    solo: bool
    created_at: datetime
    revision: int
    current_stage: str | None
    seed: int
    room_token: str | None = None  # the room screen's read-only token
    joins_closed_at: datetime | None = None  # closed to new joiners by the facilitator
    joins_reopened_at: datetime | None = None  # last reopened by the facilitator


@dataclass(frozen=True)
class ParticipantRow:
    id: int
    session_id: int
    display_name: str | None
    named_ok: bool
    hidden: bool
    joined_at: datetime


@dataclass(frozen=True)
class StageRow:
    stage: str
    round: int
    state: str


@dataclass(frozen=True)
class Shared:
    item: str
    version: int
    value: Any
    participant_id: int | None
    by_facilitator: bool
    created_at: datetime


@dataclass(frozen=True)
class SavedShared:
    version: int
    stale: bool  # someone else saved after the version this writer started from


@dataclass(frozen=True)
class Dataset:
    kind: str
    name: str
    sha256: str
    content: str
    created_at: datetime


@dataclass(frozen=True)
class Answer:
    id: int
    participant_id: int
    stage: str
    round: int
    item: str
    value: Any
    created_at: datetime
