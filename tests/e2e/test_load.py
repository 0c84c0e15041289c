"""The load benchmark's short form: 100 participants (5 of them real Chromium pages) answer
the readiness check at once; it fails only on a lost, duplicated or wrong answer (the
timings are the benchmark's business: benchmarks/load.py)."""

from __future__ import annotations

import importlib.util
import sys

from .conftest import ROOT


def load_benchmark():
    spec = importlib.util.spec_from_file_location("load_benchmark",
                                                  ROOT / "benchmarks" / "load.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["load_benchmark"] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


def test_100_participants_lose_and_duplicate_nothing(voila_server, browser):
    from widgets.store import Store

    bench = load_benchmark()
    store = Store(voila_server.db_url)
    result = bench.run(voila_server.base, store, voila_server.key, participants=100,
                       pages=5, browser=browser)
    store.dispose()
    print(result.report())
    assert result.errors == []
    assert (result.lost, result.duplicated, result.wrong) == (0, 0, 0)
    assert len(result.expected) == 100 * len(bench.ITEMS)
