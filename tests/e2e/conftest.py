"""Browser tests: real Voila (through ``conductor serve``), real Chromium from Debian.

Like Voila's own suite, the pieces are fixtures a test module can override. One server is
shared by the whole run; outside hosts are blocked, so nothing can depend on the internet.
"""

from __future__ import annotations

import json
import os
import re
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from widgets.server.kernels import is_kernel

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PHONE = {"width": 375, "height": 667}


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    base: str  # http://127.0.0.1:PORT/
    key: str
    db_url: str
    proc: subprocess.Popen
    log: Path

    def url(self, notebook: str, query: str = "") -> str:
        return f"{self.base}voila/render/{notebook}{'?' + query if query else ''}"

    def kernel_pids(self) -> set[int]:
        """Live kernel processes; one that has exited (even if not yet reaped) counts as gone."""
        import psutil

        pids = set()
        for child in psutil.Process(self.proc.pid).children(recursive=True):
            try:
                if child.status() != psutil.STATUS_ZOMBIE and is_kernel(child.cmdline()):
                    pids.add(child.pid)
            except (psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied):
                continue
        return pids

    def request_errors(self) -> list[str]:
        """Requests the server failed (see ``request_errors_in``)."""
        return request_errors_in(self.log.read_text())


_REQUEST_ERROR = re.compile(
    r"^.*(?:Uncaught exception (?:GET|POST|PUT|PATCH|DELETE|HEAD) |\b5(?!03)\d\d "
    r"(?:GET|POST|PUT|PATCH|DELETE|HEAD) ).*$", re.MULTILINE)
# jupyter_server's kernel websocket, when the browser closes it during the handshake: its
# on_close empties the connection and select_subprotocol then reads it (jupyter-server
# issue 1265, open). The page is already gone; nothing of the kit's failed.
_CLOSED_IN_HANDSHAKE = re.compile(
    r"Uncaught exception GET /api/kernels/([0-9a-f-]+)/channels\b[^\n]*\n"
    r"(?:(?!Uncaught exception (?:GET|POST)).*\n){0,40}?"
    r"AttributeError: 'NoneType' object has no attribute 'kernel_ws_protocol'")


def request_errors_in(log: str) -> list[str]:
    """Requests a server failed, from its log: a handler's uncaught exception or a 5xx reply
    other than the "room is full" 503. A kernel's own stderr shares this log; its shutdown
    noise (ipykernel racing its closing iopub socket) is not the server failing, nor is a
    websocket its browser closed during the handshake (``_CLOSED_IN_HANDSHAKE``)."""
    gone = {f"/api/kernels/{k}/channels" for k in _CLOSED_IN_HANDSHAKE.findall(log)}
    return [line for line in _REQUEST_ERROR.findall(log)
            if not any(g in line and ("/channels?" in line or line.endswith("/channels"))
                       for g in gone)]


@pytest.fixture(scope="session")
def cull_idle() -> int:
    """Seconds before a closed page's kernel goes (short, so the culling test is quick)."""
    return 12


def start_server(tmp: Path, cull_idle: int, *extra: str, probe: str = "",
                 db: str = "", conductor: tuple[str, ...] = (), cwd: Path = ROOT,
                 env: dict[str, str] | None = None) -> Server:
    """Run the real ``conductor serve`` on a free port with its own SQLite store.

    ``extra`` are more serve options (a base URL, a public URL); ``probe`` is the path
    (under the server's base) to poll until it answers; ``db`` a shared database URL (a
    server that finds a key already there prints none, and ``key`` is then empty);
    ``conductor`` another kit's command (an installed wheel's), run in ``cwd`` with ``env``.
    """
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail("Browser tests need Debian's chromium at /usr/bin/chromium: run ./dev test "
                    "(it installs it) or sudo apt-get install chromium.")
    db_url = db or f"sqlite:///{tmp / 'e2e.sqlite'}"
    port = free_port()
    log = tmp / "serve.log"
    env = {**os.environ, "CONDUCTOR_DATABASE_URL": db_url} if env is None else env
    env.pop("QUERY_STRING", None)
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [*(conductor or (sys.executable, "-m", "widgets.server.cli")), "serve",
             "--port", str(port),
             "--cull-idle", str(cull_idle), *extra],
            cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    # Served with TLS (--certfile), the server is polled over https trusting that certificate.
    cert = extra[extra.index("--certfile") + 1] if "--certfile" in extra else None
    base = f"{'https' if cert else 'http'}://127.0.0.1:{port}/"
    tls = ssl.create_default_context(cafile=cert) if cert else None
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            urllib.request.urlopen(base + probe, timeout=2, context=tls)  # noqa: S310 - ours
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail("conductor serve exited:\n" + log.read_text())
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("Voila did not start within 90 s:\n" + log.read_text())
    m = re.search(r"facilitator\.ipynb\?key=([^<\s]+)", log.read_text())
    if m is None and not db:
        pytest.fail("serve did not print the console link with the key:\n" + log.read_text())
    return Server(base, m.group(1) if m else "", db_url, proc, log)


def stop_server(*servers: Server) -> None:
    """Stop the servers, then fail if any request went wrong on any of them during the run:
    a net under every browser test, whatever it looked at on the page."""
    for server in servers:
        server.proc.terminate()
        try:
            server.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.proc.kill()
    failed = [line for server in servers for line in server.request_errors()]
    if failed:
        pytest.fail("the server failed requests:\n" + "\n".join(failed[:20]))


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory, cull_idle):
    server = start_server(tmp_path_factory.mktemp("voila"), cull_idle)
    yield server
    stop_server(server)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@dataclass
class Watch:
    """What a browser context tried to fetch outside the server, and its console errors."""

    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def page_reaching_only(browser, base: str, contexts: list, outside: list[str],
                       errors: list[str], *, https: bool = False, viewport=None):
    """A page in a new browser context (its own cookies: a separate person) that may fetch
    from ``base`` and ``data:`` URLs only: anything else is aborted and listed in
    ``outside``, and page errors go to ``errors``. ``https`` accepts the test servers'
    self-signed certificates. The caller closes the contexts listed in ``contexts``."""

    def route(r):
        if r.request.url.startswith(base) or r.request.url.startswith("data:"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    ctx = browser.new_context(ignore_https_errors=https,
                              viewport=viewport or {"width": 1200, "height": 900})
    ctx.set_default_timeout(60_000)
    ctx.route("**/*", route)
    contexts.append(ctx)
    page = ctx.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page


@pytest.fixture
def new_page(browser, voila_server):
    """Make a page in its own context (its own cookies: a separate person)."""
    contexts = []
    watch = Watch()

    def make(viewport=None):
        page = page_reaching_only(browser, voila_server.base.rstrip("/"), contexts, watch.outside,
                                  watch.errors, viewport=viewport)
        page.on("console", lambda m: watch.errors.append(m.text) if m.type == "error" else None)
        return page

    make.watch = watch
    yield make
    for ctx in contexts:
        ctx.close()


def axe_problems(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page)
    bad = [v for v in result.response["violations"] if v["impact"] in ("serious", "critical")]
    return [f"{v['id']} ({v['impact']}): {v['help']} -> "
            f"{[n['target'][0][:160] for n in v['nodes']][:4]}" for v in bad]


def open_console(new_page, server: Server, session):
    """The facilitator's console, with ``session`` chosen and shown."""
    page = new_page()
    page.goto(server.url("facilitator.ipynb", f"key={server.key}"))
    wait_ready(page, "Your sessions")
    from widgets.ui.shell.console import session_label  # the console's own words for a session

    page.get_by_label("Session", exact=True).select_option(label=session_label(session))
    page.get_by_role("heading", name=session.title).wait_for()
    return page


def wait_ready(page, text: str, timeout: float = 60_000) -> None:
    """Wait until the Voila page has rendered and shows ``text``."""
    page.get_by_text(text).first.wait_for(timeout=timeout)


@dataclass
class Seeded:
    """A live session made straight in the server's store, with people already joined."""

    store: object
    session: object
    tokens: dict[str, str]  # name -> personal-link token


@pytest.fixture
def seed_session(voila_server):
    """Make ``seed_session("Title", ["Asha", ...])``: no clicking through the start page."""
    from widgets.session import join
    from widgets.store import Store

    stores = []

    def make(title: str, names: list[str], unnamed: tuple[str, ...] = ()) -> Seeded:
        """People in ``unnamed`` did not agree to be named beside their answers."""
        store = Store(voila_server.db_url)
        stores.append(store)
        session = store.create_session(title, voila_server.key)
        tokens = {n: join(store, session.code, n, named_ok=n not in unnamed)[1]
                  for n in names}
        return Seeded(store, session, tokens)

    yield make
    for s in stores:
        s.dispose()


def demo_with_ada(server: Server, title: str, *, new_round: tuple[str, ...] = ()):
    """The demonstration session seeded on ``server`` (every step filled and revealed, so
    pages are long), optionally with some vote stages opened again for a new round, and Ada,
    who has just joined and agreed to be named. Returns the session and Ada's link token."""
    from widgets.server.demo import seed_demo
    from widgets.session import join
    from widgets.store import Store

    store = Store(server.db_url)
    try:
        session = seed_demo(store, server.key, title=title)
        for stage in new_round:
            store.move_stage(session.id, stage, "new_round", server.key)
        _, token = join(store, session.code, "Ada", named_ok=True)
    finally:
        store.dispose()
    return session, token


@dataclass
class Offline:
    """A downloaded file opened as a board member would: from disk, with the network cut
    off. ``outside``: every address the page tried to reach (must stay empty)."""

    page: object
    outside: list[str]


def download_and_open_offline(console, new_page, tmp_path: Path, prepare: str, link: str,
                              name: str) -> Offline:
    """Press the console's ``prepare`` button, download what its ``link`` gives (saved as
    ``name``) and open it from disk in a new page that can reach nothing else."""
    console.get_by_role("button", name=prepare).click()
    with console.expect_download() as info:
        console.get_by_role("link", name=link).click()
    path = tmp_path / name
    info.value.save_as(path)
    reader = new_page()
    outside: list[str] = []

    def block(route):
        if route.request.url.startswith(("file:", "data:", "about:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()
    reader.context.route("**/*", block)
    reader.goto(path.as_uri())
    return Offline(reader, outside)


# The room screen's "Page 2 of 5" line (share/.../conductor/static/room.js).
PAGER = "() => document.querySelector('.cd-room-pager')?.textContent ?? ''"


def _turn(room, key: str) -> bool:
    """Press ``key`` on the room screen; True if the page turned."""
    before = room.evaluate(PAGER)
    if not before or (key == "ArrowLeft" and before.startswith("Page 1 of")) or (
            key == "ArrowRight" and "next" not in before):
        return False
    room.locator("main").focus()
    room.keyboard.press(key)
    room.wait_for_function(f"({PAGER})() !== {json.dumps(before)}")
    return True


def see_on_a_later_page(room, text: str, pages: int = 12) -> None:
    """Turn the room screen's pages with the arrow keys, as the facilitator would, from the
    first page on, until ``text`` is on show (tests/e2e/test_room_keys.py checks the keys)."""
    # (a dropdown's option of the same words is never on a page: not that one)
    shown = room.get_by_text(text).and_(room.locator(":not(option)")).first
    shown.wait_for(state="attached")
    while not shown.is_visible() and _turn(room, "ArrowLeft"):
        pass
    for _ in range(pages):
        if shown.is_visible() or not _turn(room, "ArrowRight"):
            break
    assert shown.is_visible(), f"{text!r} is on none of the room's pages"


FAILURES = ROOT / "test-output" / "failures"


def pages_at_failure(browser, name: str) -> str:
    """What every open tab showed when a test failed: its address, the status lines and
    alerts in view (where the kit says "Saved ..." or what went wrong), and a screenshot in
    ``test-output/failures/``. A browser test that fails only on a busy CI machine then
    leaves evidence in the log, not just the line that timed out."""
    FAILURES.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[-120:]
    lines = []
    for c, ctx in enumerate(browser.contexts):
        for p, page in enumerate(ctx.pages):
            try:
                shot = FAILURES / f"{safe}-{c}-{p}.png"
                page.screenshot(path=str(shot), full_page=True, timeout=10_000)
                said = page.locator("[role=status], [role=alert], .cd-error").all_inner_texts()
                said = [s.strip().replace("\n", " ")[:300] for s in said if s.strip()]
                lines.append(f"tab {c}.{p}: {page.url[:200]}\n  screenshot: "
                             f"{shot.relative_to(ROOT)}\n  status lines: {said[:12]}")
            except Exception as err:  # evidence is best effort, never the failure itself
                lines.append(f"tab {c}.{p}: could not be read: {err}"[:300])
    return "\n".join(lines) or "no tab was open"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    browser = item.funcargs.get("browser") if hasattr(item, "funcargs") else None
    if report.when == "call" and report.failed and browser is not None:
        report.sections.append(("browser tabs at the failure",
                                pages_at_failure(browser, item.nodeid)))
    return report
