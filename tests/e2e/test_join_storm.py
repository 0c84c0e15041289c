"""The join storm's short form: 15 simulated participants (real pages, each its own kernel,
tests/e2e/participant.py) open the start page within 5 seconds, join, go to the readiness
check and answer all of it, the console open throughout. It fails only on a failure of any
kind or an answer lost, duplicated or wrong in the store; it prints the figures and asserts
no time (the timings are the benchmark's business: benchmarks/join_storm.py)."""

from __future__ import annotations

import importlib.util
import sys

from .conftest import ROOT


def storm_benchmark():
    spec = importlib.util.spec_from_file_location("join_storm_benchmark",
                                                  ROOT / "benchmarks" / "join_storm.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["join_storm_benchmark"] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


def test_a_storm_of_15_pages_loses_and_duplicates_nothing(voila_server):
    from widgets.store import Store

    bench = storm_benchmark()
    store = Store(voila_server.db_url)
    try:
        result = bench.storm(voila_server.base, store, voila_server.key, 15, 5.0,
                             proc=voila_server.proc)
    finally:
        store.dispose()
    print("\n" + bench.HEADER + "\n" + result.row() + "\n" + result.where())
    assert result.failures == []
    assert (result.lost, result.duplicated, result.wrong) == (0, 0, 0)
    assert result.answers == 15 * len(bench.ITEMS)
