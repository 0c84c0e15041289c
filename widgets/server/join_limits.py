"""Wrong join codes counted per address, across pages (the session layer).

Why: a start page counts its own wrong codes (``session.JoinTries``: five a minute), but
each page is its own kernel, so a script opened page after page from one address and
guessed in each. So every page's wrong codes are also counted against the address it was
asked from (told to its kernel by the server: ``widgets.server.client_address``), in the store,
where every page and every server on one database sees them.

The limit, and why it is this one: :data:`ADDRESS_LIMIT` wrong codes in
:data:`ADDRESS_SECONDS` from one address (for IPv6, one /64 network).

- An honest room must never be stopped, and a whole room may share one address (a
  hospital that sends all its phones out through one NAT address). Only a well-formed code
  that no session has counts: a code of the wrong length or with a character codes never
  use (0, O, 1, I, L, ...) is a typo the page explains, and is not counted. A room the size
  of the kit's default cap on open pages (80) could each mistype once and stay under 100.
  In practice a room makes a handful.
- A guesser gets at most 100 tries in 10 minutes, 14,400 a day, against 25**6 (about 244
  million) possible codes: about one chance in 17,000 a day of finding a given session,
  where a page alone answered about 74 tries a second.
- Ten minutes is about how long a room takes to join. The pause ends by itself ten minutes
  after the wrong codes stop; tries refused while paused are not counted (no code was looked
  up), so knocking does not make the pause longer.
- Past the limit the right code waits too. Otherwise the limit would not slow guessing at
  all: every guess would still be answered, and the right one would get in. The cost: a
  guesser on the room's own address pauses joining for that address until ten minutes after
  they stop; people already in keep their places and their personal links.

The store never holds an address: only a salted hash of its network (:func:`client_key`).
"""

from __future__ import annotations

from .. import keys
from ..session import JoinError, JoinTries
from ..store import Store
from .client_address import network, page_address

ADDRESS_LIMIT = 100
ADDRESS_SECONDS = 600
SALT_SETTING = "join_client_salt"

TOO_MANY_FROM_ADDRESS = (
    "Too many wrong codes have been tried from this network in the last few minutes, so "
    "joining from it is paused. Wait ten minutes, check the code on the room screen and "
    "try again. If this keeps happening, tell the facilitator.")


def client_key(store: Store, address: str) -> str:
    """How the store knows an address: a hash of a secret salt and the address's network,
    64 characters. The salt is made once per store and kept in it, so every server on one
    database counts an address alike, and hashing a list of addresses does not undo it."""
    salt = store.get_setting(SALT_SETTING)
    if not salt:
        store.set_setting(SALT_SETTING, keys.new_secret())
        salt = store.get_setting(SALT_SETTING)  # another page may have made it first
    return keys.hash_secret(f"{salt}|{network(address)}")


class AddressTries:
    """The wrong codes of one address across pages: past the limit, joining waits."""

    def __init__(self, store: Store, address: str, limit: int = ADDRESS_LIMIT,
                 seconds: float = ADDRESS_SECONDS):
        self.store = store
        self.address = address
        self.limit = limit
        self.seconds = seconds

    @classmethod
    def for_page(cls, store: Store) -> AddressTries | None:
        """For this page's address, as the server told its kernel; None outside Voila."""
        address = page_address()
        return cls(store, address) if address else None

    @property
    def client(self) -> str:
        return client_key(self.store, self.address)

    def check(self) -> None:
        if self.store.join_failures(self.client, self.seconds) >= self.limit:
            raise JoinError(TOO_MANY_FROM_ADDRESS)

    def wrong(self) -> None:
        self.store.note_join_attempt(self.client, ok=False)


class PageTries(JoinTries):
    """A start page's tries: its own (``JoinTries``) and, with an address, its address's
    (:class:`AddressTries`). ``session.join`` takes it as its ``tries``."""

    def __init__(self, address: AddressTries | None = None, **page_limits):
        super().__init__(**page_limits)
        self.address = address

    @classmethod
    def for_page(cls, store: Store) -> PageTries:
        return cls(AddressTries.for_page(store))

    def check(self) -> None:
        super().check()
        if self.address is not None:
            self.address.check()

    def wrong(self) -> None:
        super().wrong()
        if self.address is not None:
            self.address.wrong()
