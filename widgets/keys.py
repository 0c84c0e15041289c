"""Secrets: the facilitator key, personal-link tokens and join codes.

Why here and not in the store: these are pure functions the store, the session layer and
the command line all need. Only hashes are ever stored; comparisons run in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

# Join codes avoid characters people confuse when reading from a projector:
# no 0/O, 1/I/L, 2/Z, 5/S, 8/B.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6


def new_secret() -> str:
    """A URL-safe secret with 192 bits of entropy (facilitator key, personal token).

    Never one starting with "-": typed after ``--key`` on a command line it would be read
    as an option (one key in 64 would be, and the command refused it). Drawing again costs
    a negligible fraction of one bit."""
    while True:
        secret = secrets.token_urlsafe(24)
        if not secret.startswith("-"):
            return secret


def hash_secret(secret: str) -> str:
    """SHA-256 of a high-entropy secret; salting adds nothing for random 192-bit values."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def secret_matches(secret: str | None, stored_hash: str | None) -> bool:
    """True when ``secret`` hashes to ``stored_hash``, compared in constant time."""
    if not secret or not stored_hash:
        return False
    return hmac.compare_digest(hash_secret(secret), stored_hash)


def new_join_code() -> str:
    """Six characters from :data:`CODE_ALPHABET`."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: str) -> str:
    """Upper-case and drop spaces and dashes, so "ack 34-x" and "ACK34X" match."""
    return re.sub(r"[\s\-]+", "", typed or "").upper()


def is_valid_code(code: str) -> bool:
    """A normalised code of the right length from the right alphabet."""
    return len(code) == CODE_LENGTH and all(c in CODE_ALPHABET for c in code)
