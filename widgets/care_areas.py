"""Candidate care areas: the columns a data file must have, and what each means.

Why data criteria and human criteria: Intermountain chose its key processes from data
(volume, cost, variation, risk), and the seed article "The Old World Bites Back" adds the
human side: pick only what willing, able clinicians and citizens want to change, and only
as many as you can actually do. The data file carries the first kind; the room scores the
second.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .paths import KIT_DATA
from .validation import Column, read_table

if TYPE_CHECKING:  # pandas is imported when a frame is first asked for (see frame)
    import pandas as pd

SAMPLE = KIT_DATA / "care_areas.csv"  # the kit's own
FILE_NAME = "care_areas.csv"  # the name a data folder's own file goes by


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    kind: str  # "data" (from the file) or "human" (scored by the room)
    direction: int  # +1: a higher value means more opportunity; -1: a lower one does
    unit: str
    meaning: str


DATA_CRITERIA: tuple[Criterion, ...] = (
    Criterion("patients_per_year", "Patients a year", "data", 1, "people",
              "people treated in the area in a year"),
    Criterion("cost_per_year_gbp", "Cost a year", "data", 1, "£",
              "what care in the area costs in a year"),
    Criterion("variation_cv", "Unwarranted variation", "data", 1, "coefficient of variation",
              "how much a key measure varies between sites (standard deviation / mean)"),
    Criterion("outcome_gap_pct", "Outcome gap", "data", 1, "percentage points",
              "how far a key outcome falls short of the benchmark"),
    Criterion("harm_risk", "Harm or risk", "data", 1, "rating 1 to 5",
              "how much harm or risk to patients the area carries today"),
)

HUMAN_CRITERIA: tuple[Criterion, ...] = (
    Criterion("leads", "Willing, able clinical leads", "human", 1, "rating 1 to 5",
              "clinicians who want to lead this and can"),
    Criterion("energy", "Patient and citizen energy", "human", 1, "rating 1 to 5",
              "patients and communities who want this to change"),
    Criterion("feasible", "Can move it in 12 months", "human", 1, "rating 1 to 5",
              "a visible improvement is possible within a year"),
    Criterion("purpose", "Fits our purpose", "human", 1, "rating 1 to 5",
              "it serves what this organisation is for"),
)

CRITERIA = {c.key: c for c in DATA_CRITERIA + HUMAN_CRITERIA}

EFFORT = "effort_points"  # for capacity, not a criterion: how much a programme would take

COLUMNS: tuple[Column, ...] = (
    Column("area", "text", unique=True, help="the care area's name"),
    Column("patients_per_year", help="a whole number of people, 0 or more"),
    Column("cost_per_year_gbp", help="pounds a year, 0 or more, without the £ sign"),
    Column("variation_cv", help="a ratio such as 0.25, 0 or more"),
    Column("outcome_gap_pct", help="percentage points, 0 or more"),
    Column("harm_risk", minimum=1, maximum=5, help="a rating from 1 to 5"),
    Column(EFFORT, help="effort points a programme would take, 0 or more"),
)


class CareAreas:
    """Validated care areas, in file order, as plain rows.

    Why plain Python: a participant's Focus page opens on the data (the charts, the table,
    the proposed shortlist), and thirty rows need no pandas; importing it costs a kernel
    about a fifth of a second of every page load. The ranking, which does use pandas, asks
    for :meth:`frame` once the scores are revealed.
    """

    def __init__(self, rows: Sequence[Mapping[str, object]]):
        self.rows: tuple[dict, ...] = tuple(dict(r) for r in rows)
        self.areas: tuple[str, ...] = tuple(str(r["area"]) for r in self.rows)
        self._by_area = dict(zip(self.areas, self.rows, strict=True))
        self._frame: pd.DataFrame | None = None

    def __len__(self) -> int:
        return len(self.rows)

    def __contains__(self, area: object) -> bool:
        return area in self._by_area

    def value(self, area: str, key: str) -> float:
        return float(self._by_area[area][key])

    def column(self, key: str) -> dict[str, float]:
        """``{area: value}`` for one column, in file order."""
        return {a: float(r[key]) for a, r in zip(self.areas, self.rows, strict=True)}

    def frame(self) -> pd.DataFrame:
        """The table as a pandas DataFrame indexed by area (made once, on first use)."""
        if self._frame is None:
            import pandas as pd  # a Focus page's first screen reads rows, not frames

            self._frame = pd.DataFrame(list(self.rows)).set_index("area")
        return self._frame


def read_care_areas(data: bytes, name: str = "file") -> CareAreas:
    """Validate a care-area CSV and return its rows.

    Raises :class:`widgets.validation.TableInvalid` listing every problem with its row,
    column and fix; nothing is returned unless the whole file is valid.
    """
    return CareAreas(read_table(data, COLUMNS, what=name))


def fingerprint(data: bytes) -> str:
    """SHA-256 of the file as uploaded, for the report's method section."""
    return hashlib.sha256(data).hexdigest()
