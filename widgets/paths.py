"""Where Conductor keeps and finds its files.

Why a data folder: a facilitator preparing for their own organisation puts its care-area
and decision files in one folder and serves from it (``conductor serve --data-folder DIR``,
or ``CONDUCTOR_DATA_DIR``). The store (SQLite by default) and the chart cache live there
too, so one folder holds everything the workshop wrote. Files the folder does not have
come from the kit's own fictional samples in ``data/``.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_DATA = "CONDUCTOR_DATA_DIR"
KIT = Path(__file__).resolve().parents[1]
KIT_DATA = KIT / "data"
WORKSHOPS = KIT / "workshops"  # the kit's own notebooks, served by Voila, copied by lab


def data_dir() -> Path:
    configured = os.environ.get(ENV_DATA, "").strip()
    return Path(configured).expanduser().resolve() if configured else KIT_DATA


def data_file(name: str) -> Path:
    """The data folder's own copy of a file when it has one, else the kit's sample."""
    own = data_dir() / name
    return own if own.is_file() else KIT_DATA / name


def is_sample(path: Path) -> bool:
    return path.resolve().parent == KIT_DATA
