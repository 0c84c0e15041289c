"""Widget components: small classes that compose ipywidgets and draw charts.

Each takes its dependencies (store, view, data) as arguments, so a test builds one with no
server and drives it headless with ``Button.click()`` or ``set_state``.
"""
