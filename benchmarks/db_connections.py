"""Database connections with many real pages: several ``conductor serve`` processes share
one PostgreSQL that allows few connections, and real pages on each (the protocol client in
tests/e2e/protocol.py, which speaks to Voila as a browser does, one kernel per page) answer
the whole readiness check and stay open. For each way a page holds its connection
(``CONDUCTOR_DATABASE_CONNECTIONS``: kept, per-use) it prints the pages, the answers stored
of those given, the pages that failed, the connections PostgreSQL refused, the peak number
of connections (pg_stat_activity, sampled every 20 ms while the pages open and answer) in
all and held by one process, and what one store use costs.

    .venv/bin/python benchmarks/db_connections.py [--servers 2] [--pages 60] \\
        [--max-connections 100] [--modes kept,per-use]

PostgreSQL is a throwaway instance of the Debian server (``initdb`` in a temporary folder,
run as the ``postgres`` user when this runs as root), on its own port, with password
logins over TCP as a trust's server would have. Three of its ``max_connections`` are kept
for superusers (PostgreSQL's default); the benchmark's own setup and checks use those.

The test suite runs a short form (2 servers x 4 pages): tests/e2e/test_db_connections.py.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import pwd
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: tests.e2e.protocol is the page client
    sys.path.insert(0, str(ROOT))

RESERVED = 3  # superuser_reserved_connections, PostgreSQL's default, written out
# "default": CONDUCTOR_DATABASE_CONNECTIONS not set, what a trust gets; the others set it.
MODES = ("default", "kept", "per-use")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- a throwaway PostgreSQL ----------------------------------------------------------------


@dataclass
class Postgres:
    port: int
    folder: Path
    max_connections: int
    proc: subprocess.Popen

    def url(self, database: str) -> str:
        """The kit's address: user conductor, password login over TCP."""
        return f"postgresql+psycopg://conductor:conductor@127.0.0.1:{self.port}/{database}"

    def admin_url(self, database: str = "postgres") -> str:
        """A superuser over the Unix socket: one of the connections kept for superusers."""
        return f"postgresql+psycopg://postgres@/{database}?host={self.folder}&port={self.port}"

    def create_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(host=str(self.folder), port=self.port, user="postgres",
                             dbname="postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" OWNER conductor')

    def refused(self) -> int:
        """Connections the server turned away as too many (its log, in English): all slots
        taken, or only those kept for superusers left."""
        log = (self.folder / "postgres.log").read_text(errors="replace")
        return sum(log.count(m) for m in ("too many clients already",
                                          "remaining connection slots are reserved"))


@contextlib.contextmanager
def postgres(max_connections: int):
    """A PostgreSQL server of its own in a temporary folder, stopped and removed after."""
    import psycopg

    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                      key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)
    if not versions:
        raise SystemExit("This needs Debian's PostgreSQL server: run ./dev test (it installs "
                         "it) or sudo apt-get install postgresql.")
    bindir = versions[-1].parent
    folder = Path(tempfile.mkdtemp(prefix="conductor-pg-"))
    as_owner: dict = {}
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root: run it as Debian's postgres
        owner = pwd.getpwnam("postgres")
        os.chown(folder, owner.pw_uid, owner.pw_gid)
        as_owner = {"user": owner.pw_uid, "group": owner.pw_gid, "extra_groups": []}
    data = folder / "data"
    subprocess.run([str(bindir / "initdb"), "-D", str(data), "-U", "postgres",
                    "-E", "UTF8", "--locale=C", "--no-sync", "--auth-local=trust",
                    "--auth-host=scram-sha-256"], check=True, capture_output=True, **as_owner)
    port = free_port()
    log = folder / "postgres.log"
    with open(log, "w") as out:
        if as_owner:
            os.chown(log, owner.pw_uid, owner.pw_gid)
        proc = subprocess.Popen(
            [str(bindir / "postgres"), "-D", str(data), "-p", str(port),
             "-c", f"max_connections={max_connections}",
             "-c", f"superuser_reserved_connections={RESERVED}",
             "-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={folder}",
             "-c", "lc_messages=C", "-c", "shared_buffers=32MB"],
            stdout=out, stderr=subprocess.STDOUT, **as_owner)
    server = Postgres(port, folder, max_connections, proc)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with psycopg.connect(host=str(folder), port=port, user="postgres",
                                     dbname="postgres", autocommit=True) as conn:
                    conn.execute("CREATE ROLE conductor LOGIN PASSWORD 'conductor'")
                break
            except psycopg.OperationalError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("PostgreSQL did not start:\n" + log.read_text()) from None
                time.sleep(0.2)
        yield server
    finally:
        proc.send_signal(signal.SIGINT)  # fast shutdown: clients are cut off
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(folder, ignore_errors=True)


# -- watching its connections ----------------------------------------------------------------


class Sampler:
    """Counts the kit's connections to one database every ``interval`` seconds from
    pg_stat_activity, in all and per process (the application name carries the pid)."""

    def __init__(self, pg: Postgres, database: str, interval: float = 0.02):
        self.pg, self.database, self.interval = pg, database, interval
        self.peak = 0
        self.peak_per_process = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(10)

    def _run(self) -> None:
        import psycopg

        with psycopg.connect(host=str(self.pg.folder), port=self.pg.port, user="postgres",
                             dbname="postgres", autocommit=True) as conn:
            while not self._stop.is_set():
                rows = conn.execute(
                    "SELECT application_name, count(*) FROM pg_stat_activity "
                    "WHERE datname = %s AND backend_type = 'client backend' "
                    "AND usename = 'conductor' GROUP BY 1", (self.database,)).fetchall()
                self.peak = max(self.peak, sum(n for _, n in rows))
                self.peak_per_process = max([self.peak_per_process, *(n for _, n in rows)])
                self.samples += 1
                self._stop.wait(self.interval)


# -- the servers ---------------------------------------------------------------------------------


@dataclass
class Served:
    base: str
    proc: subprocess.Popen
    log: Path


def start_servers(count: int, url: str, mode: str, pages: int, folder: Path) -> list[Served]:
    """``conductor serve`` ``count`` times on the database, started together."""
    servers = []
    for i in range(count):
        port = free_port()
        data = folder / f"server{i}"
        data.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "CONDUCTOR_DATABASE_URL": url, "CONDUCTOR_DATABASE_CONNECTIONS":
               mode, "CONDUCTOR_DATA_DIR": str(data)}
        env.pop("QUERY_STRING", None)
        if mode == "default":
            env.pop("CONDUCTOR_DATABASE_CONNECTIONS")
        log = data / "serve.log"
        with open(log, "w") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "widgets.server.cli", "serve", "--port", str(port),
                 "--max-kernels", str(pages + 5), "--max-kernels-per-address", "0",
                 "--cull-idle", "600"],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        servers.append(Served(f"http://127.0.0.1:{port}/", proc, log))
    deadline = time.monotonic() + 600  # a loaded machine starts two servers slowly
    for s in servers:
        while True:
            try:
                urllib.request.urlopen(s.base, timeout=2)  # noqa: S310 - our own server
                break
            except OSError as err:
                if s.proc.poll() is not None or time.monotonic() > deadline:
                    stop_servers(servers)
                    raise SystemExit("conductor serve did not start:\n"
                                     + s.log.read_text()) from err
                time.sleep(0.3)
    return servers


def stop_servers(servers: list[Served]) -> None:
    for s in servers:
        s.proc.terminate()
    for s in servers:
        try:
            s.proc.wait(30)
        except subprocess.TimeoutExpired:
            s.proc.kill()


# -- one round ---------------------------------------------------------------------------------


@dataclass
class Round:
    mode: str
    servers: int
    pages: int
    max_connections: int
    expected: int = 0  # answers given
    stored: int = 0  # of them, found in the database with the value given
    rows: int = 0  # answer rows in the database (more than expected: duplicated)
    failures: list[str] = field(default_factory=list)
    refused: int = 0
    peak: int = 0
    peak_per_process: int = 0
    samples: int = 0
    seconds: float = 0.0
    logs: str = ""  # where the servers' logs were kept, when pages failed

    @property
    def failed_pages(self) -> int:
        return len(self.failures)


def answer_readiness(url: str, value: int, items: int) -> str:
    """Open the page, answer every statement with ``value`` (leave the page open). Returns
    an empty string, or what went wrong."""
    from tests.e2e.protocol import PageClient

    page = PageClient(url, timeout=120)
    try:
        page.open()
        def ready(p):
            trouble = [t for t in p.texts() if any(w in t for w in TROUBLE)]
            if trouble:
                return trouble
            found = p.models(model_name="ToggleButtonsModel",
                             _options_labels=lambda o: "Don't know" in o)
            return found if len(found) == items else None

        ratings = page.wait_for(ready, "the readiness statements")
        if isinstance(ratings[0], str):
            return f"the page says: {ratings[0][:160]}"
        for model in ratings:
            page.set(model, index=value - 1)
        trouble = [t for t in page.texts() if any(w in t for w in TROUBLE)]
        if trouble:
            return f"the page says: {trouble[0][:160]}"
        return ""
    except Exception as err:  # every failure is counted and named
        return f"{type(err).__name__}: {str(err)[:200]}"
    finally:
        _open_pages.append(page)


_open_pages: list = []
# What a page says when the database failed it (a store error, or a page that could not
# be built): words of the kit's own messages.
TROUBLE = ("was not saved", "could not open the database", "database is busy",
           "Something went wrong")


def run_round(pg: Postgres, mode: str, servers: int, pages: int, workers: int = 12) -> Round:
    from widgets import keys
    from widgets.content import READINESS
    from widgets.session import join
    from widgets.store import Store

    database = f"conductor_{mode.replace('-', '_')}"
    pg.create_database(database)
    result = Round(mode, servers, pages, pg.max_connections)
    folder = Path(tempfile.mkdtemp(prefix="conductor-dbconn-"))
    # Set up as the kit (its tables are the kit's), then let go before the pages open; the
    # checks after use a superuser's connection (kept for them): the budget is the pages'.
    setup = Store(pg.url(database))
    key = keys.new_secret()
    setup.set_setting("facilitator_key_hash", keys.hash_secret(key))
    session = setup.create_session("Connections budget", key)
    setup.move_stage(session.id, "readiness", "open", key)
    people, value_of = [], {}
    for n in range(servers * pages):
        person, token = join(setup, session.code, f"Person {n + 1}")
        people.append((n, token))
        value_of[person.id] = n % 5 + 1
    setup.dispose()
    refused_before = pg.refused()

    served = start_servers(servers, pg.url(database), mode, pages, folder)
    started = time.monotonic()
    try:
        with Sampler(pg, database) as sampler, ThreadPoolExecutor(workers) as pool:
            jobs = [pool.submit(answer_readiness,
                                f"{served[n % servers].base}voila/render/00_readiness.ipynb"
                                f"?p={token}", n % 5 + 1, len(READINESS))
                    for n, token in people]
            problems = [j.result() for j in jobs]
            time.sleep(1.0)  # every page open and polling: the connections at rest
        result.seconds = time.monotonic() - started
        result.peak, result.peak_per_process = sampler.peak, sampler.peak_per_process
        result.samples = sampler.samples
        result.failures = [p for p in problems if p]
    finally:
        for page in _open_pages:
            with contextlib.suppress(Exception):
                page.close()
        _open_pages.clear()
        stop_servers(served)
        if result.failures:  # keep the servers' logs (the pages' kernels write there too)
            result.logs = str(Path(tempfile.mkdtemp(prefix=f"conductor-dbconn-{mode}-logs-")))
            for s in served:
                shutil.copy(s.log, Path(result.logs) / f"{s.log.parent.name}.log")
        shutil.rmtree(folder, ignore_errors=True)
    result.refused = pg.refused() - refused_before

    check = Store(pg.admin_url(database))
    try:
        latest = check.latest_answers(session.id, "readiness", 1)
        result.expected = servers * pages * len(READINESS)
        result.stored = sum(1 for a in latest if a.value == value_of.get(a.participant_id))
        result.rows = check.count_submissions(session.id)
    finally:
        check.dispose()
    return result


def use_cost_ms(pg: Postgres, mode: str, uses: int = 200) -> float:
    """Median time of one store use (a transaction with one small query) in this mode."""
    import sqlalchemy as sa

    from widgets.store.engine import ENV_CONNECTIONS, make_engine

    if mode != "default":
        os.environ[ENV_CONNECTIONS] = mode
    try:
        engine = make_engine(pg.url("postgres"))
    finally:
        os.environ.pop(ENV_CONNECTIONS, None)
    times = []
    for _ in range(uses):
        t = time.perf_counter()
        with engine.connect() as conn, conn.begin():
            conn.execute(sa.text("SELECT 1")).scalar()
        times.append(time.perf_counter() - t)
    engine.dispose()
    return statistics.median(times) * 1000


def machine() -> str:
    import psutil

    return (f"{platform.node()} ({psutil.cpu_count()} cores, "
            f"{psutil.virtual_memory().total / 2**30:.0f} GiB)")


def report(rounds: list[Round], costs: dict[str, float] | None = None) -> str:
    first = rounds[0]
    lines = [f"Database connections: {first.servers} servers, real pages answering every "
             f"readiness statement; PostgreSQL max_connections={first.max_connections} "
             f"({RESERVED} kept for superusers, 1 used by this benchmark's watcher: "
             f"{first.max_connections - RESERVED - 1} for the kit); on {machine()}",
             f"{'mode':<9}{'pages':>6}{'failed':>8}{'answers stored':>18}{'rows':>7}"
             f"{'refused':>9}{'peak conns':>12}{'peak/process':>14}{'one use':>10}"
             f"{'seconds':>9}"]
    for r in rounds:
        lines.append(
            f"{r.mode:<9}{r.servers * r.pages:>6}{r.failed_pages:>8}"
            f"{f'{r.stored}/{r.expected}':>18}{r.rows:>7}{r.refused:>9}{r.peak:>12}"
            f"{r.peak_per_process:>14}"
            f"{f'{costs[r.mode]:.2f}ms' if costs and r.mode in costs else '-':>10}"
            f"{r.seconds:>9.0f}")
    for r in rounds:
        for reason, n in Counter(r.failures).most_common(3):
            lines.append(f"  {r.mode}: {n} page(s): {reason}")
        if r.logs:
            lines.append(f"  {r.mode}: the servers' logs are in {r.logs}")
    lines.append(f"(peaks sampled from pg_stat_activity every 20 ms, "
                 f"{', '.join(str(r.samples) for r in rounds)} samples)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--pages", type=int, default=60, help="real pages per server")
    parser.add_argument("--max-connections", type=int, default=100)
    parser.add_argument("--modes", default=",".join(MODES))
    args = parser.parse_args(argv)
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    unknown = [m for m in modes if m not in MODES]
    if unknown:
        parser.error(f"--modes takes {', '.join(MODES)}; not {', '.join(unknown)}")
    with postgres(args.max_connections) as pg:
        costs = {m: use_cost_ms(pg, m) for m in modes}
        rounds = []
        for m in modes:
            rounds.append(run_round(pg, m, args.servers, args.pages))
            print(report(rounds[-1:], costs), file=sys.stderr, flush=True)  # as it goes
    print(report(rounds, costs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
