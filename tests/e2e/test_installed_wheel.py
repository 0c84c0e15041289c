"""The built wheel is the whole kit: installed into a fresh virtual environment outside the
repository, ``conductor serve --demo`` started in an empty folder serves the start page, a
module page and the console in Chromium (offline, no console errors), ``conductor lab``
opens JupyterLab on a copy of the installed notebooks, and nothing is written inside the
installed package.

How it is installed, and so what this proves. The wheel is built (``pip wheel``, the
project's own build backend) from a copy of only the files the build reads, so nothing else
of the checkout can leak in. It is installed with pip into a new virtual environment made
with ``venv --without-pip`` in a temporary folder. Its dependencies are not downloaded
again: after the install, one ``.pth`` file lets the new environment import the packages
already in the kit's own environment (``.venv``), and ``share/jupyter`` points at that
environment's Jupyter files (Voila's templates, the widgets' JavaScript), where pip would
have put them. So the test proves that the wheel carries every file of the kit's own and
finds it where it is installed, runs from any folder, and writes only to the data folder; it
does not prove that the dependencies resolve from the package index. With
``CONDUCTOR_TEST_WHEEL_FROM_INDEX=1`` it installs them from the index too, as a fresh
machine does (minutes, not seconds).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import ROOT, free_port, start_server, stop_server, wait_ready

FROM_INDEX = os.environ.get("CONDUCTOR_TEST_WHEEL_FROM_INDEX") == "1"
# What the build reads (setup.py and pyproject.toml say how); a store, drawn charts or a
# person's own files in the checkout's data/ are left behind, as a clean clone has none.
BUILD_INPUTS = ("pyproject.toml", "setup.py", "README.md", "widgets", "workshops", "data",
                "share")
LEFT_BEHIND = shutil.ignore_patterns("__pycache__", "*.pyc", "*.sqlite*", ".chart-cache",
                                     "user", ".ipynb_checkpoints")


@dataclass
class Installed:
    wheel: Path
    venv: Path
    package: Path  # .../site-packages/widgets of the new environment
    files: dict[str, tuple[int, int]]  # every file of the environment just after the install
    home: Path  # XDG_DATA_HOME: the person's own data folder goes under it
    env: dict[str, str]

    def conductor(self) -> tuple[str, ...]:
        return (str(self.venv / "bin" / "conductor"),)

    def written(self) -> list[str]:
        """Files of the environment added or changed since the install."""
        now = _files(self.venv)
        return sorted(p for p, stat in now.items() if self.files.get(p) != stat)


def _files(top: Path) -> dict[str, tuple[int, int]]:
    seen = {}
    for folder, _dirs, names in os.walk(top):  # not into share/jupyter: a link to .venv's
        for name in names:
            path = Path(folder, name)
            st = path.lstat()
            seen[str(path.relative_to(top))] = (st.st_size, st.st_mtime_ns)
    return seen


def _run(*argv, **kw) -> subprocess.CompletedProcess:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=600, **kw)
    assert done.returncode == 0, f"{argv[:4]} failed:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def kit(tmp_path_factory) -> Installed:
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    src.mkdir()
    for name in BUILD_INPUTS:
        from_ = ROOT / name
        if from_.is_dir():
            shutil.copytree(from_, src / name, ignore=LEFT_BEHIND)
        elif from_.exists():
            shutil.copy2(from_, src / name)
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp / "dist"),
         str(src))
    (wheel,) = (tmp / "dist").glob("conductor_kit-*.whl")

    venv = tmp / "venv"
    python = venv / "bin" / "python"
    _run(sys.executable, "-m", "venv", *([] if FROM_INDEX else ["--without-pip"]), str(venv))
    if FROM_INDEX:
        _run(str(python), "-m", "pip", "install", "-q", str(wheel))
    else:
        _run(sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
             "--no-index", "-q", str(wheel))
    purelib = Path(_run(str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                                           "['purelib'])").stdout.strip())
    if not FROM_INDEX:  # the dependencies already installed in .venv, reached after install
        (purelib / "zz_conductor_test_dependencies.pth").write_text(
            sysconfig.get_paths()["purelib"] + "\n")
        (venv / "share").mkdir(exist_ok=True)
        (venv / "share" / "jupyter").symlink_to(Path(sys.prefix) / "share" / "jupyter")

    home = tmp / "home"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CONDUCTOR_", "JUPYTER_", "PYTHON")) and k != "QUERY_STRING"}
    env.update(XDG_DATA_HOME=str(home / "share"), XDG_CONFIG_HOME=str(home / "config"),
               XDG_CACHE_HOME=str(home / "cache"))
    return Installed(wheel, venv, purelib / "widgets", _files(venv), home, env)


def test_the_wheel_holds_the_whole_kit(kit):
    names = set(zipfile.ZipFile(kit.wheel).namelist())
    code = {str(p.relative_to(ROOT)) for p in (ROOT / "widgets").rglob("*.py")
            if "__pycache__" not in p.parts}
    assert code - names == set()
    kit_files = {n for n in names if n.startswith("widgets/kit/")}
    wanted = {f"widgets/kit/workshops/{p.name}" for p in (ROOT / "workshops").glob("*.ipynb")}
    wanted |= {f"widgets/kit/data/{n}" for n in ("README.md", "care_areas.csv",
                                                 "decision_areas.csv")}
    wanted |= {f"widgets/kit/{p.relative_to(ROOT)}"
               for p in (ROOT / "share").rglob("*") if p.is_file()}
    assert kit_files == wanted  # and nothing else: no store, no drawn charts
    entry = zipfile.ZipFile(kit.wheel).read(
        next(n for n in names if n.endswith(".dist-info/entry_points.txt"))).decode()
    assert "conductor = widgets.server.cli:main" in entry


@pytest.fixture(scope="module")
def voila_server(kit, tmp_path_factory, cull_idle):
    """The installed kit's ``conductor serve --demo``, started in an empty folder: the server
    every page of this module opens (it stands in for conftest's)."""
    here = tmp_path_factory.mktemp("empty")
    server = start_server(tmp_path_factory.mktemp("installed-serve"), cull_idle, "--demo",
                          conductor=kit.conductor(), cwd=here, env=dict(kit.env))
    server.here = here
    yield server
    stop_server(server)


def test_serve_demo_from_an_empty_folder_serves_every_page(kit, voila_server, new_page):
    import psutil

    from widgets.session import join
    from widgets.store import Store

    printed = voila_server.log.read_text()
    folder = kit.home / "share" / "conductor-kit"
    assert f"Data folder: {folder}" in printed, printed
    assert f"Store: sqlite:///{folder / 'conductor.sqlite'}" in printed
    code = re.search(r"Demonstration session: ([A-Z0-9]{6})", printed).group(1)
    store = Store(f"sqlite:///{folder / 'conductor.sqlite'}")
    try:
        session = store.session_by_code(code)
        _, token = join(store, code, "Ada", named_ok=True)
    finally:
        store.dispose()

    for notebook, query, shows in (("00_start.ipynb", "", "Session code"),
                                   ("01_focus.ipynb", f"p={token}", "The ranking"),
                                   ("facilitator.ipynb", f"key={voila_server.key}",
                                    "Your sessions")):
        page = new_page()
        page.goto(voila_server.url(notebook, query))
        wait_ready(page, shows)
        page.context.close()
    assert session.title
    assert new_page.watch.errors == [] and new_page.watch.outside == []
    # The pages' kernels ran the installed kit, with the new environment's Python.
    kernels = [psutil.Process(pid).cmdline()[0] for pid in voila_server.kernel_pids()]
    assert kernels and all(Path(exe).parent == kit.venv / "bin" for exe in kernels), kernels

    stop_server(voila_server)
    assert kit.written() == []  # nothing inside the installed package, nor beside it
    assert list(voila_server.here.iterdir()) == []  # nor where it was started
    assert (folder / "conductor.sqlite").is_file() and (folder / ".chart-cache").is_dir()


def test_lab_opens_jupyterlab_on_a_copy_of_the_installed_notebooks(kit, tmp_path):
    here, mine = tmp_path / "empty", tmp_path / "my workshop"
    here.mkdir()
    port, token = free_port(), "wheel-test"
    log = tmp_path / "lab.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([*kit.conductor(), "lab", str(mine), "--port", str(port),
                                 "--no-browser"], cwd=here, stdout=out,
                                stderr=subprocess.STDOUT, env={**kit.env, "JUPYTER_TOKEN": token})
    try:
        api = f"http://127.0.0.1:{port}/api"
        deadline = time.time() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{api}/contents/01_focus.ipynb?token={token}",  # noqa: S310
                                            timeout=5) as reply:
                    notebook = json.load(reply)
                break
            except OSError:
                assert proc.poll() is None, log.read_text()
                assert time.time() < deadline, "JupyterLab did not start:\n" + log.read_text()
                time.sleep(0.5)
        assert notebook["content"]["metadata"]["kernelspec"]["name"] == "python3"
        with urllib.request.urlopen(f"{api}/kernelspecs?token={token}", timeout=5) as reply:  # noqa: S310
            specs = json.load(reply)
        assert "python3" in specs["kernelspecs"]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/lab?token={token}",
                                    timeout=10) as reply:
            assert reply.status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert sorted(p.name for p in mine.glob("*.ipynb")) == [
        "00_readiness.ipynb", "01_focus.ipynb", "02_cede.ipynb", "03_prototype.ipynb"]
    assert (mine / "01_focus.ipynb").read_bytes() == (ROOT / "workshops" /
                                                     "01_focus.ipynb").read_bytes()
    assert kit.written() == []
    assert list(here.iterdir()) == []
