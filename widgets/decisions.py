"""Decision areas for the Cede module: the starter catalogue and its file format.

Why a catalogue: a room asked "which decisions should move?" stares at a blank page. Ten
typical decisions for a focus area start the conversation; the facilitator adds, renames
and removes them, and plays the few most relevant so the room is not voting all afternoon.
"""

from __future__ import annotations

from functools import cache

from .paths import KIT_DATA, data_file
from .validation import Column, read_table

CATALOGUE = KIT_DATA / "decision_areas.csv"  # the kit's own
DEFAULT_PLAYED = 4  # decisions played per focus area unless the facilitator picks others

COLUMNS = (
    Column("decision", "text", unique=True, help="the decision, in a few words"),
    Column("meaning", "text", help="one line saying what the decision covers"),
    Column("relevance", minimum=1, maximum=5, help="1 to 5; the highest are played first"),
)


def read_decisions(data: bytes, name: str = "file") -> list[dict]:
    """Validated rows, most relevant first (ties keep the file's order)."""
    rows = read_table(data, COLUMNS, what=name)
    return sorted(rows, key=lambda r: -r["relevance"])


def starter() -> list[dict]:
    """The shipped catalogue (a copy: callers may change theirs freely)."""
    return [dict(r) for r in _starter()]


@cache
def _starter() -> tuple[dict, ...]:
    """Read and validated once per process (the data folder is chosen when the server
    starts, and its files are checked then)."""

    path = data_file(CATALOGUE.name)
    return tuple(read_decisions(path.read_bytes(), path.name))


def default_played(catalogue: list[dict], k: int = DEFAULT_PLAYED) -> list[str]:
    return [r["decision"] for r in catalogue[:k]]
