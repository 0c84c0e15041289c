"""``conductor lab``: the self-guided path, in JupyterLab, on the person's own copy.

Why a copy: JupyterLab saves a notebook's outputs into the file it opened. Opened straight
from the kit, that file is ``workshops/01_focus.ipynb`` itself, and the next ``git pull``
of the kit then conflicts with the leader's own answers on screen. So the four self-guided
notebooks are copied into a folder of the person's own (``~/conductor-workshop`` unless
they name one) and JupyterLab opens there. A copy already in that folder is the person's
work: it is never overwritten.

The copies need nothing else: they import ``widgets``, which is installed in the kit's
environment that JupyterLab's kernel runs in, and they use the same store (and so the same
solo session) as any other notebook of the kit.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..paths import WORKSHOPS

# The notebooks a leader works through alone, in order (the start page, console and room
# screen are for a live session).
SELF_GUIDED = ("00_readiness.ipynb", "01_focus.ipynb", "02_cede.ipynb", "03_prototype.ipynb")
DEFAULT_FOLDER = "~/conductor-workshop"


@dataclass
class Copied:
    """What ``copy_notebooks`` did: new copies, and the person's own copies left alone."""

    folder: Path
    new: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # differs from the kit's: the person's work
    same: list[str] = field(default_factory=list)  # already there, as the kit has it


def copy_notebooks(folder: str | Path, source: Path = WORKSHOPS) -> Copied:
    """Copy the self-guided notebooks into ``folder`` (made if missing); never overwrite."""
    target = Path(folder).expanduser().resolve()
    target.mkdir(parents=True, exist_ok=True)
    done = Copied(target)
    for name in SELF_GUIDED:
        kit, own = source / name, target / name
        if not own.exists():
            shutil.copyfile(kit, own)
            done.new.append(name)
        elif own.read_bytes() == kit.read_bytes():
            done.same.append(name)
        else:
            done.kept.append(name)
    return done


def lab_command(folder: Path, port: int | None, no_browser: bool) -> list[str]:
    """JupyterLab, opened on the person's folder, with the kit's Python."""
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0  # containers, CI: Lab refuses
    return [sys.executable, "-m", "jupyterlab", f"--notebook-dir={folder}",
            *([f"--port={port}"] if port else []), *(["--no-browser"] if no_browser else []),
            *(["--allow-root"] if as_root else [])]


def lab_environment(database_url: str | None) -> dict[str, str]:
    """The environment JupyterLab and its kernels run in.

    The kit's own Python kernel (installed beside JupyterLab, in the kit's environment) is
    preferred over a "python3" kernel the person may have installed elsewhere, which
    would not find ``widgets``.
    """
    env = dict(os.environ)
    env["JUPYTER_PREFER_ENV_PATH"] = "1"
    env.pop("QUERY_STRING", None)  # a notebook in JupyterLab is self-guided, never a link
    if database_url:
        env["CONDUCTOR_DATABASE_URL"] = database_url
    return env


def cmd_lab(args) -> int:
    from ..store import Store  # here, not at the top: 311 ms to import (benchmarks/import_cost.py)

    try:
        done = copy_notebooks(args.folder or DEFAULT_FOLDER)
    except OSError as err:
        print(f"Cannot copy the notebooks into {args.folder or DEFAULT_FOLDER}: "
              f"{err.strerror}.", file=sys.stderr)
        return 1
    env = lab_environment(getattr(args, "database_url", None))
    store = Store(env.get("CONDUCTOR_DATABASE_URL") or None)
    where = store._safe_url()
    store.dispose()
    print(f"Your workshop folder: {done.folder}")
    for name in done.new:
        print(f"  Copied {name}")
    for name in done.kept:
        print(f"  Kept your own {name} (it has your changes; the kit's copy was not put over "
              "it). To start that notebook afresh, delete or rename yours and run this again.")
    print("Open the notebooks in order (00_readiness, 01_focus, 02_cede, 03_prototype) and "
          "run each one: Run > Run All Cells.")
    print(f"Your answers are kept in the store: {where}\n", flush=True)
    cmd = lab_command(done.folder, args.port, args.no_browser)
    os.execve(sys.executable, cmd, env)  # noqa: S606 - replaces this process; Ctrl+C reaches it
    return 0  # pragma: no cover


def add_command(sub) -> None:
    c = sub.add_parser("lab", help="work through the kit alone in JupyterLab, on your own "
                                   "copy of the notebooks")
    c.add_argument("folder", nargs="?", help=f"your own folder for the notebooks (default "
                                             f"{DEFAULT_FOLDER}); copies already there are "
                                             "kept")
    c.add_argument("--port", type=int, help="port for JupyterLab (default: JupyterLab's own, "
                                            "8888 or the next free one)")
    c.add_argument("--no-browser", action="store_true",
                   help="do not open a browser; open the printed link yourself")
    c.set_defaults(func=cmd_lab)
