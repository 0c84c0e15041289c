"""The store layer: every answer kept, append-only, in SQLite or PostgreSQL."""

from .engine import ENV_URL, default_url
from .errors import (
    NotAllowed,
    NotFound,
    StageClosed,
    StoreError,
    StoreUnavailable,
    StoreVersionError,
)
from .rows import Answer, Dataset, ParticipantRow, SavedShared, SessionRow, Shared, StageRow
from .schema import SCHEMA_VERSION
from .store import Store

__all__ = [
    "ENV_URL",
    "SCHEMA_VERSION",
    "Answer",
    "Dataset",
    "NotAllowed",
    "NotFound",
    "ParticipantRow",
    "SavedShared",
    "SessionRow",
    "Shared",
    "StageClosed",
    "StageRow",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "StoreVersionError",
    "default_url",
]
