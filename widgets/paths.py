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


# -- drawn charts ----------------------------------------------------------------------------
ENV_CHART_CACHE = "CONDUCTOR_CHART_CACHE"


def chart_cache() -> Path:
    """Where drawn charts are kept: ``CONDUCTOR_CHART_CACHE``, else beside the store."""
    configured = os.environ.get(ENV_CHART_CACHE, "").strip()
    return Path(configured) if configured else data_dir() / ".chart-cache"


def forget_drawings() -> None:
    """Remove every drawn chart, after a session is deleted or a person withdrawn.

    Why every one, not only that session's: a drawing is a file named by the hash of its
    chart, and nothing else ties it to a session; tagging each with its session would rely
    on every screen that draws passing the right one, and one that forgot would keep a
    withdrawn person's answers on disk. Forgetting all is one rule that cannot miss, and
    costs only a redraw (about a fifth of a second a chart) the next time each is shown.
    Deletions and withdrawals are rare, and usually come after the workshop."""
    import shutil

    cache = chart_cache()
    if not cache.is_dir():
        return
    for entry in cache.iterdir():
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
