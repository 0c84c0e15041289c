"""The rule numbers of the charts a measure is read on (see :mod:`widgets.analysis.spc`).

Why a module of their own: the checks on a chart's settings (:mod:`widgets.tracking`) and the
screens' notes read them before any chart is drawn, and a page that opens without drawing
one should not import numpy for them.
"""

from __future__ import annotations

MIN_POINTS_FOR_LIMITS = 13  # an XmR chart from this many points; a run chart before
RUN_SHIFT = 6  # run chart: points in a row on one side of the median
RUN_TREND = 5  # run chart: points in a row rising or falling
# XmR chart: the shift and trend lengths a chart may use, and why each; the first is the default.
XMR_RULES = {7: "NHS-R", 6: "current guidance"}
XMR_RULE = next(iter(XMR_RULES))

# Perla, Provost & Murray (2011), run chart rules: the fewest and most runs expected by
# chance for a number of useful observations (points not on the median).
RUNS_LIMITS = {10: (3, 9), 11: (3, 10), 12: (3, 11)}
