"""Where Conductor keeps and finds its files.

Why a data folder: a facilitator preparing for their own organisation puts its care-area
and decision files in one folder and serves from it (``conductor serve --data-folder DIR``,
or ``CONDUCTOR_DATA_DIR``; ``conductor init DIR`` makes one). The store (SQLite by default)
and the chart cache live there too, so one folder holds everything the workshop wrote.
Without one, the data folder is the person's own (``user_data_dir``). Files the folder does
not have come from the kit's own fictional samples (``KIT_DATA``), which are only read.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from platformdirs import user_data_dir as _platform_dir

ENV_DATA = "CONDUCTOR_DATA_DIR"
APP_NAME = "conductor-kit"  # the per-user data folder's name


def _kit() -> Path:
    """The kit's own files (read, never written): ``widgets/kit/`` in an installed wheel
    (setup.py puts them there), else the repository's top level in a checkout."""
    here = Path(__file__).resolve().parent
    return here / "kit" if (here / "kit").is_dir() else here.parent


KIT = _kit()
KIT_DATA = KIT / "data"  # the fictional samples
WORKSHOPS = KIT / "workshops"  # the kit's own notebooks, served by Voila, copied by lab
SHARE = KIT / "share" / "jupyter"  # holds the 'conductor' Voila template


def data_dir() -> Path:
    """The data folder: ``CONDUCTOR_DATA_DIR`` (``--data-folder``), else the person's own."""
    configured = os.environ.get(ENV_DATA, "").strip()
    return Path(configured).expanduser().resolve() if configured else user_data_dir()


def user_data_dir() -> Path:
    """The default data folder: one per person, the same whichever folder the kit is
    started in, kept across upgrades, and never inside the installed kit.

    Why not the folder the command is started in: a facilitator who starts it once from
    their home folder and once from Downloads would find their sessions and facilitator key
    gone. Why not the kit's own folder: an installed package is replaced by an upgrade, and
    is often not writable by the person running it. On Linux this is
    ``~/.local/share/conductor-kit`` (``$XDG_DATA_HOME`` is honoured); macOS and Windows get
    their own usual place (platformdirs knows them)."""

    return Path(_platform_dir(APP_NAME, appauthor=False)).resolve()


def earlier_checkout_store() -> Path | None:
    """A store left in a checkout's ``data/`` by an earlier version (the default then),
    so ``conductor serve`` can say how to keep using it."""
    old = KIT_DATA / "conductor.sqlite"
    return old if old.is_file() and data_dir() != KIT_DATA else None


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

    cache = chart_cache()
    if not cache.is_dir():
        return
    for entry in cache.iterdir():
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
