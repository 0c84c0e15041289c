"""Charts, drawn offline: a chart's compact description and its drawing to SVG (``draw``),
the Vega-Lite specs built with altair (``specs``) and the one drawing service per server
(``service``). No widgets: the screens and the report both draw with them."""
