"""A Voila server for benchmarks: the real notebooks plus a one-cell baseline, side by side."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from widgets import keys
from widgets.server.cli import WORKSHOPS, jupyter_path, voila_command
from widgets.server.kernels import compile_kit, is_kernel
from widgets.store import Store

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]

BASELINE = {
    "cells": [{"cell_type": "code", "execution_count": None, "id": "baseline-0",
               "metadata": {}, "outputs": [],
               "source": ["import ipywidgets as w\n",
                          "w.Text(description='Baseline')"]}],
    "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
}


@contextmanager
def server(with_proc: bool = False, extra: tuple[str, ...] = (), chart_service: bool = True,
           max_kernels: int = 80, preheat: int = 0, notebooks: dict | None = None,
           database_url: str = "", expect: int = 0):
    """Yield (base_url, key, store[, process]) for a fresh server on a temporary SQLite
    store, set up as ``conductor serve`` sets it up (with its chart service unless
    ``chart_service`` is False, and an empty chart cache); ``extra`` are more options and
    ``notebooks`` more notebooks to serve (file name -> notebook); ``database_url``: that
    database (an empty one) in place of the SQLite file; ``expect``: ``conductor serve
    --expect``'s pools for a room of that many."""
    tmp = Path(tempfile.mkdtemp(prefix="conductor-bench-"))
    nbs = tmp / "notebooks"
    shutil.copytree(WORKSHOPS, nbs)
    (nbs / "baseline.ipynb").write_text(json.dumps(BASELINE))
    for name, notebook in (notebooks or {}).items():
        (nbs / name).write_text(json.dumps(notebook))
    url = database_url or f"sqlite:///{tmp / 'bench.sqlite'}"
    store = Store(url)
    key = keys.new_secret()
    store.set_setting("facilitator_key_hash", keys.hash_secret(key))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "CONDUCTOR_DATABASE_URL": url, "JUPYTER_PATH": jupyter_path(),
           "CONDUCTOR_CHART_CACHE": str(tmp / "charts")}
    compile_kit()  # as `conductor serve` does
    helper = None
    if chart_service:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            chart_port = s.getsockname()[1]
        helper = subprocess.Popen([sys.executable, "-m", "widgets.charts.service", "--port",
                                   str(chart_port)])
        env["CONDUCTOR_CHART_SERVICE"] = f"http://127.0.0.1:{chart_port}/svg"
    else:
        env.pop("CONDUCTOR_CHART_SERVICE", None)
    # The server's log (Voila's, and every kernel's stderr) is kept, outside the folder
    # removed after: a failed run's cause is there (it went to /dev/null until 7 Dec, and a
    # 100-page storm that stalled could not be explained).
    log = Path(tempfile.mkstemp(prefix="conductor-bench-voila-", suffix=".log")[1])
    print(f"(the server's log: {log})", file=sys.stderr, flush=True)
    with open(log, "w") as out:
        proc = subprocess.Popen([*voila_command(port, "127.0.0.1", 600, notebooks=nbs,
                                                max_kernels=max_kernels, preheat=preheat,
                                                expect=expect),
                                 *extra],
                                env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"
    for _ in range(300):
        try:
            urllib.request.urlopen(base, timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    try:
        yield (base, key, store, proc) if with_proc else (base, key, store)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        if helper is not None:
            helper.terminate()
        shutil.rmtree(tmp, ignore_errors=True)


def kernels(proc: subprocess.Popen) -> int:
    """Live kernel processes under the server ``proc``."""
    import psutil

    n = 0
    for child in psutil.Process(proc.pid).children(recursive=True):
        try:
            if child.status() != psutil.STATUS_ZOMBIE and is_kernel(child.cmdline()):
                n += 1
        except (psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied):
            continue
    return n


def close_page(page, proc: subprocess.Popen, before: int, timeout: float = 15) -> None:
    """Close ``page`` as a person closing the tab does (its unload handler asks Voila to
    shut the kernel down) and wait until the server is back to ``before`` kernels.

    Why: closing only the browser context runs no unload handler, so every load left a
    kernel polling the store once a second: the machine grew busier as a run went on, and
    after 80 loads the kernel cap turned new pages away."""
    page.close(run_before_unload=True)
    page.context.close()
    deadline = time.time() + timeout
    while time.time() < deadline and kernels(proc) > before:
        time.sleep(0.2)


def tree_cpu_seconds(proc: subprocess.Popen) -> float:
    """CPU seconds (user and system) used so far by the server ``proc`` and every live
    process under it."""
    import psutil

    total = 0.0
    root = psutil.Process(proc.pid)
    for p in [root, *root.children(recursive=True)]:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except (psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied):
            continue
    return total


def wait_for_pool(proc: subprocess.Popen, n: int, timeout: float = 60,
                  quiet_cores: float = 0.2, window: float = 3.0) -> float:
    """Wait until ``n`` kernels are up (a refilled pool) and the server has gone quiet:
    under ``quiet_cores`` of CPU over ``window`` seconds, twice running. Returns the
    seconds it took.

    Why quiet, not a fixed pause: a pool's kernels run their page's code up to its
    request once their processes exist, and 80 of them on two cores take a minute or
    more. A storm started 4 s after the processes appeared (as this did until 7 Dec) met
    kernels still importing, and measured that rather than a pool a facilitator started
    before the room arrived."""
    start = time.time()
    deadline = start + timeout
    while time.time() < deadline and kernels(proc) < n:
        time.sleep(0.5)

    def server_cores(seconds: float) -> float:
        before = tree_cpu_seconds(proc)
        time.sleep(seconds)
        return (tree_cpu_seconds(proc) - before) / seconds

    _until_quiet(server_cores, deadline, quiet_cores, window)
    return time.time() - start


def _until_quiet(cores_used, deadline: float, quiet_cores: float, window: float) -> None:
    """Wait until ``cores_used(window)`` (cores busy over ``window`` seconds, measured as
    it is called) is under ``quiet_cores`` twice running, or ``deadline`` (time.time())."""
    quiet = 0
    while time.time() < deadline and quiet < 2:
        quiet = quiet + 1 if cores_used(window) < quiet_cores else 0


def wait_machine_quiet(timeout: float = 120, quiet_cores: float = 0.2,
                       window: float = 3.0) -> float:
    """Wait until the whole machine uses under ``quiet_cores`` of CPU over ``window``
    seconds, twice running (or ``timeout`` passes); returns the seconds it took.

    Why: "one cold start page on the idle server" was timed right after the storm before
    it, while that storm's 160 kernels were still ending: 0.86 to 1.51 s in one afternoon's
    runs, against 0.70 on a quiet machine, which flattered every storm's ratio to it."""
    import psutil

    start = time.time()
    _until_quiet(lambda seconds: psutil.cpu_percent(interval=seconds) / 100
                 * (psutil.cpu_count() or 1), start + timeout, quiet_cores, window)
    return time.time() - start
