"""What the data says: Pareto charts of patients and cost, variation against volume, and a
table that sorts by any column from the keyboard.

All in plain Python over :class:`widgets.care_areas.CareAreas`: this is the first screen
of the Focus page, which opens without pandas."""

from __future__ import annotations

from statistics import median

import ipywidgets as w

from ...analysis.pareto import ParetoRow, pareto, pareto_sentence
from ...care_areas import DATA_CRITERIA, EFFORT, CareAreas
from ...charts.draw import Chart, figure
from ...focus import CareData
from ..common import FULL, esc, html_block, set_html
from ..sharing import layout

COLUMN_LABELS = {c.key: f"{c.label} ({c.unit})" for c in DATA_CRITERIA} | {
    EFFORT: "Effort (points)"}


def _fmt(key: str, value: float) -> str:
    if key == "cost_per_year_gbp":
        return f"£{value / 1e6:,.1f}m"
    if key == "variation_cv":
        return f"{value:.2f}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def pareto_chart(rows: list[ParetoRow], what: str, sentence: str, money: bool = False
                 ) -> Chart:
    """Drawn by ``charts.specs.pareto``."""
    return Chart("focus.pareto", {
        "values": [{"area": r.area, "value": r.value, "cumulative": r.cumulative}
                   for r in rows], "what": what, "sentence": sentence, "money": money})


def _most_varied(table: CareAreas, areas) -> list[str]:
    """Areas by variation between sites, most first (ties in file order)."""
    return sorted(areas, key=lambda a: -table.value(a, "variation_cv"))


def scatter_chart(table: CareAreas, sentence: str) -> Chart:
    """Drawn by ``charts.specs.variation``: the three most varied areas are named."""
    return Chart("focus.variation", {
        "values": [{"area": a, "patients": table.value(a, "patients_per_year"),
                    "variation": table.value(a, "variation_cv")} for a in table.areas],
        "named": sorted(_most_varied(table, table.areas)[:3]), "sentence": sentence})


def scatter_sentence(table: CareAreas) -> str:
    patients = table.column("patients_per_year")
    middle = median(patients.values())
    busy = [a for a, n in patients.items() if n >= middle]
    top = _most_varied(table, busy)[0]
    return (f"Among the {len(busy)} areas with at least the median number of patients, "
            f"{top} varies most between sites (coefficient of variation "
            f"{table.value(top, 'variation_cv'):.2f}).")


class FocusData:
    def __init__(self, data: CareData):
        self.data = data
        cols = list(COLUMN_LABELS)
        self.sort_by = w.Dropdown(description="Sort the table by",
                                  options=[("Care area", "area")] +
                                  [(COLUMN_LABELS[c], c) for c in cols],
                                  value="patients_per_year",
                                  style={"description_width": "initial"},
                                  layout=layout(width=FULL, max_width="30rem"))
        self.order = w.ToggleButtons(description="Order", options=[("Highest first", False),
                                                                   ("Lowest first", True)],
                                     value=False, style={"description_width": "initial",
                                                         "button_width": "auto"})
        self.charts = html_block()
        self.table = html_block()
        self.sort_by.observe(lambda _: self._draw_table(), names="value")
        self.order.observe(lambda _: self._draw_table(), names="value")
        self.widget = w.VBox([self.charts, self.sort_by, self.order, self.table])
        self.show(data)

    def show(self, data: CareData) -> None:

        self.data = data
        t = data.table
        parts = [f"<h3>What the data says</h3><p>Data: {esc(data.name)}, {len(t)} care areas."
                 "</p>"]
        for key, what, heading in (("patients_per_year", "patients", "Where the patients are"),
                                   ("cost_per_year_gbp", "cost", "Where the money goes")):
            sentence = pareto_sentence(t.column(key), what)
            ranked = pareto(t.column(key))
            rows = "".join(f"<tr><th scope='row'>{esc(r.area)}</th><td>{_fmt(key, r.value)}</td>"
                           f"<td>{r.cumulative:.0%}</td></tr>" for r in ranked)
            table = (f"<table class='cd-table'><thead><tr><th scope='col'>Care area</th>"
                     f"<th scope='col'>{esc(COLUMN_LABELS[key])}</th><th scope='col'>"
                     f"Cumulative share</th></tr></thead><tbody>{rows}</tbody></table>")
            parts.append(f"<h4>{heading}</h4>" + figure(
                pareto_chart(ranked, COLUMN_LABELS[key], sentence, key == "cost_per_year_gbp"),
                sentence, table))
        sentence = scatter_sentence(t)
        parts.append("<h4>Variation against volume</h4>" + figure(scatter_chart(t, sentence),
                                                                  sentence))
        set_html(self.charts, "".join(parts))
        self._draw_table()

    def _draw_table(self) -> None:
        key = self.sort_by.value
        rows = sorted(self.data.table.rows, key=lambda r: r[key], reverse=not self.order.value)
        direction = "ascending" if self.order.value else "descending"
        heads = [("area", "Care area"), *COLUMN_LABELS.items()]
        head = "".join(f"<th scope='col'{f' aria-sort={direction!r}' if k == key else ''}>"
                       f"{esc(label)}</th>" for k, label in heads)
        body = "".join("<tr><th scope='row'>" + esc(r["area"]) + "</th>" + "".join(
            f"<td>{_fmt(k, r[k])}</td>" for k in COLUMN_LABELS) + "</tr>"
            for r in rows)
        set_html(self.table, f"<table class='cd-table'><caption>Candidate care areas, sorted "
                             f"by {esc(dict(heads)[key])}</caption><thead><tr>{head}</tr>"
                             f"</thead><tbody>{body}</tbody></table>")
