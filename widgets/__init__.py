"""Conductor: a facilitated workshop kit for healthcare leadership groups.

Layers, each importable alone: ``analysis`` (pure pandas/numpy) -> ``store`` (SQLAlchemy)
-> ``session`` (who is this, what may they see) -> ``ui`` (ipywidgets components) -> the
notebooks in ``workshops/``. Heavy libraries are imported lazily, so a participant's kernel
stays small.
"""

__version__ = "0.1.0"
