"""Errors the store raises, each with a message a person can act on.

Every message says what was wrong and how to put it right; the command line and the pages
show ``str(error)`` as it is, never a traceback.
"""

from __future__ import annotations


class StoreError(Exception):
    """Base class: something the store refused or could not do."""


class StoreVersionError(StoreError):
    """The database was written by a different schema version of Conductor."""


class NotAllowed(StoreError):
    """The caller lacks the facilitator key for a facilitator-only action."""


class StageClosed(StoreError):
    """An answer arrived for a stage that is not open."""


class NotFound(StoreError):
    """A session, participant or stage that does not exist."""


class StoreUnavailable(StoreError):
    """The database stayed busy or unreachable after the retries ran out."""
