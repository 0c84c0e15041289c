"""The database connections budget, short form (the full form is benchmarks/db_connections.py:
two servers x 60 pages against max_connections=100). Two ``conductor serve`` processes share
one PostgreSQL that allows only 4 connections to the kit (max_connections 8: 3 kept for
superusers, 1 for the test's watcher of pg_stat_activity), and real pages (the protocol
client, one kernel each) answer the whole readiness check and stay open:

- the default (``CONDUCTOR_DATABASE_CONNECTIONS`` not set, as a trust runs it): 2 x 4 pages,
  twice the budget, as the full form's 2 x 60 pages are against max_connections=100;
- kept (``CONDUCTOR_DATABASE_CONNECTIONS=kept``): 2 x 2 pages, one connection each, exactly
  the budget;
- per use (``CONDUCTOR_DATABASE_CONNECTIONS=per-use``): 2 x 4 pages, twice the budget: an
  idle page holds none, and a connection refused for a moment is tried again.

Every answer is stored once, no page fails, no process holds more than one connection. The
figures (peaks, refusals, seconds) are printed, not asserted: the machine is shared.
"""

from __future__ import annotations

import importlib.util
import sys

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.postgres  # a PostgreSQL server of its own (Debian's, as ./dev installs)

KIT_SLOTS = 4


def connections_benchmark():
    spec = importlib.util.spec_from_file_location("db_connections_benchmark",
                                                  ROOT / "benchmarks" / "db_connections.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["db_connections_benchmark"] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


def test_two_servers_of_real_pages_stay_within_the_connection_budget():
    from widgets.content import READINESS

    bench = connections_benchmark()
    with bench.postgres(max_connections=bench.RESERVED + 1 + KIT_SLOTS) as pg:
        default = bench.run_round(pg, "default", servers=2, pages=KIT_SLOTS)
        kept = bench.run_round(pg, "kept", servers=2, pages=KIT_SLOTS // 2)
        per_use = bench.run_round(pg, "per-use", servers=2, pages=KIT_SLOTS)
    print(bench.report([default, kept, per_use]))
    for r in (default, kept, per_use):
        assert r.failures == [], (r.mode, r.failures, r.logs)
        assert r.expected == 2 * r.pages * len(READINESS)  # every statement, every page
        assert (r.stored, r.rows) == (r.expected, r.expected), r.mode  # none lost, none twice
        assert r.peak_per_process == 1, r.mode
        assert r.peak <= KIT_SLOTS, r.mode
