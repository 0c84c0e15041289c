"""The HTML layer: what the screens, the report and the exports show, as plain HTML built
from module state, with no ipywidgets.

Why its own layer: the report and the exports run from the command line and in tests with
no widget front end, and they must show the same words and charts the screens show. So the
HTML lives here once; a screen wraps it in a widget, the report puts it in a file.
(Charts are drawn by ``widgets.charts.draw``, which imports no ipywidgets either.)
"""
