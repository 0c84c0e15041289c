"""The benchmarks in their short form: each script runs end to end on this machine and
prints its figures (read them in the test log). They assert no timings: the machines are
shared and noisy, and the figures that count are the full runs in benchmarks/README.md. A
participant's kernel must stay within 150 MB (memory does not depend on a busy machine).
The load benchmark's short form, which asserts no loss or duplication, is test_load.py."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from .conftest import ROOT

SHORT = {
    "cold_load.py": (["--runs", "1", "--only", "01_focus.ipynb"],
                     r"01_focus\.ipynb\s+median [\d.]+ s .* baseline [\d.]+ +paired [\d.]+"
                     r"(.|\n)*01_focus\.ipynb\s+whole page .* median [\d.]+ s"),
    "memory.py": (["--only", "03_prototype.ipynb"],
                  r"03_prototype\.ipynb\s+[\d.]+ MB\s+[\d.]+ MB"),
    "focus_recompute.py": (["--repeats", "3", "--participants", "20"],
                           r"full recompute, as after a reveal .* median [\d.]+ ms"),
    "console_share.py": (["--busy", "2", "--repeat", "1"],
                         r"none +console: +[\d.]+% (.|\n)*group +console: +[\d.]+% of one "
                         r"core"),
}


@pytest.mark.parametrize("script", list(SHORT))
def test_benchmark_runs_and_prints_its_figures(script):
    args, figures = SHORT[script]
    done = subprocess.run([sys.executable, script, *args], cwd=ROOT / "benchmarks",
                          capture_output=True, text=True, timeout=600)
    print(done.stdout)
    assert done.returncode == 0, done.stderr[-3000:]
    assert re.search(figures, done.stdout), done.stdout
    if script == "memory.py":  # memory is no timing: its target holds on any machine
        sizes = [float(x) for x in re.findall(r"([\d.]+) MB", done.stdout.split(
            "03_prototype.ipynb", 1)[1].splitlines()[0])]
        assert max(sizes) <= 150, sizes
