"""The Delegation Board as HTML: the chart of today's and the agreed level of each decision,
and a level in words; the board's screen and the report show the same."""

from __future__ import annotations

from .. import cede
from ..charts.draw import Chart, wrap_label
from ..delegation_levels import BY_NUMBER
from ..markup import esc


def board_chart(rows: list[cede.BoardRow], sentence: str) -> Chart:
    """Today's and the agreed level of each decision. Drawn by
    ``charts.specs.delegation_board``."""
    values = []
    for r in rows:
        label = wrap_label(f"{r.area}: {r.decision}")
        for col, lv in (("Today", r.today), ("Agreed", r.agreed)):
            if lv is not None:
                values.append({"decision": label, "column": col, "level": float(lv),
                               "text": f"{lv:g} {BY_NUMBER[round(lv)].name}"})
    return Chart("cede.board", {"values": values, "sentence": sentence})


def level_html(level: float | None) -> str:
    """A level with its name, such as "5 Advise" (a median may be 4.5: "4.5 Agree"); empty
    for none."""
    if level is None:
        return ""
    return f"{level:g} {esc(BY_NUMBER[round(level)].name)}"
