"""Past one machine (short form, for CI): two ``conductor serve`` processes share one
PostgreSQL database behind Debian's nginx, which serves
``deploy/nginx/conductor-servers.conf.template`` itself (only the servers, ports and
certificate paths filled in, as the facilitator guide's "Many servers" section shows).
nginx gives each browser a route cookie and keeps it with one server, so a page's websocket
reaches the server that holds its kernel.

In Chromium, through nginx's HTTPS port: the console on one server sees an answer given on
the other within 2 seconds of its "Saved"; every request of each browser went to one server;
then that server is stopped mid-session, and the person opens their personal link again and
gets a page from the other server showing every answer they saved, answers on, and the
console sees it.

Which server a browser reaches depends on its cookie's hash: the test picks cookie values
that nginx sends to each server (asking nginx, and reading its access log, which records
the route and the upstream of every request).
"""

from __future__ import annotations

import contextlib
import os
import re
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from .conftest import ROOT, free_port, page_reaching_only, start_server, stop_server, wait_ready
from .nginx import fill_in, nginx_binary, nginx_main, start_nginx
from .test_deploy_nginx import database  # noqa: F401 - the fixture: a database of its own
from .test_https import self_signed

TEMPLATE = ROOT / "deploy" / "nginx" / "conductor-servers.conf.template"
FILLED_IN = ("CONDUCTOR_SERVERS", "HTTPS_PORT", "HTTP_PORT", "TLS_CERTIFICATE",
             "TLS_CERTIFICATE_KEY")
PREFIX = "/conductor/"
COOKIE = "conductor_route"
ROUTES = "$conductor_route|$upstream_addr|$status|$request"  # the access log's lines
pytestmark = pytest.mark.postgres


class Farm:
    def __init__(self, servers, public, tls, access_log: Path):
        self.servers, self.public, self.tls, self.access_log = servers, public, tls, access_log
        self.taken: set[str] = set()  # routes a test has used (each browser its own)

    def port_of(self, server) -> str:
        return server.base.rstrip("/").rsplit(":", 1)[1]

    def log(self) -> list[tuple[str, list[str], str, str]]:
        """(route, upstream ports tried in order, status, request) for every request."""
        out = []
        for line in self.access_log.read_text().splitlines():
            route, upstreams, status, request = line.split("|", 3)
            ports = [u.strip().rsplit(":", 1)[-1] for u in upstreams.split(",")
                     if u.strip() not in ("", "-")]
            out.append((route, ports, status, request))
        return out

    def sockets_of(self, route: str, until: str = "") -> list[str]:
        """The ports that took websockets carrying ``route`` (101), once they have closed:
        nginx logs a websocket when it ends, so this waits a moment for the entries (for
        one to ``until``, when given)."""
        deadline = time.monotonic() + 30
        while True:
            found = [ports[-1] for r, ports, status, req in self.log()
                     if r == route and "/channels" in req and status == "101"]
            if (found and (not until or until in found)) or time.monotonic() > deadline:
                return found
            time.sleep(0.2)

    def served_by(self, route: str) -> list[str]:
        """The port that answered each request carrying ``route``, in order."""
        return [ports[-1] for r, ports, _, _ in self.log() if r == route and ports]

    def route_to(self, server) -> str:
        """A cookie value that nginx sends to ``server`` (asked, then read from its log)."""
        for n in range(200):
            route = f"test-{n}"
            if route in self.taken:
                continue
            req = urllib.request.Request(  # noqa: S310 - our nginx; HEAD builds no page
                f"{self.public}voila/render/00_start.ipynb?route-probe",
                headers={"Cookie": f"{COOKIE}={route}"}, method="HEAD")
            with contextlib.suppress(urllib.error.HTTPError):  # any answer: the log says whose
                urllib.request.urlopen(req, timeout=60, context=self.tls).close()  # noqa: S310
            if self.served_by(route)[-1:] == [self.port_of(server)]:
                self.taken.add(route)
                return route
        raise AssertionError(f"no route found to {server.base}")


@pytest.fixture(scope="module")
def farm(database, tmp_path_factory, cull_idle):  # noqa: F811 - database is the fixture
    from widgets import keys
    from widgets.store import Store

    nginx = nginx_binary("many-servers")
    tmp = tmp_path_factory.mktemp("farm")
    cert, key = self_signed(tmp)
    https_port, http_port = free_port(), free_port()
    public = f"https://127.0.0.1:{https_port}{PREFIX}"
    store = Store(database)  # the facilitator key, made once for both (it lives in the database)
    facilitator_key = keys.new_secret()
    store.set_setting("facilitator_key_hash", keys.hash_secret(facilitator_key))
    store.dispose()

    def serve(name: str):
        folder = tmp / name
        folder.mkdir()
        env = {**os.environ, "CONDUCTOR_DATA_DIR": str(folder / "data")}
        return start_server(folder, cull_idle, "--base-url", PREFIX, "--public-url", public,
                            "--trust-forwarded-for", probe=PREFIX.lstrip("/"), db=database,
                            env={**env, "CONDUCTOR_DATABASE_URL": database})

    with ThreadPoolExecutor(2) as pool:
        servers = list(pool.map(serve, ("one", "two")))
    for s in servers:
        s.key = facilitator_key

    conf = tmp / "conductor.conf"
    conf.write_text(fill_in(TEMPLATE.read_text(), {
        "CONDUCTOR_SERVERS": " ".join(f"server {s.base.removeprefix('http://').rstrip('/')};"
                                      for s in servers),
        "HTTPS_PORT": str(https_port), "HTTP_PORT": str(http_port),
        "TLS_CERTIFICATE": str(cert), "TLS_CERTIFICATE_KEY": str(key)}, FILLED_IN))
    main = tmp / "nginx.conf"
    main.write_text(nginx_main(tmp, conf, ROUTES))  # each request's route and server
    proxy, tls = start_nginx(nginx, tmp, main, public, cert)
    yield Farm(servers, public, tls, tmp / "access.log")
    proxy.terminate()
    proxy.wait(timeout=15)
    stop_server(*servers)


def browser_on(browser, farm, route: str, contexts, outside, errors):
    """A person's browser whose route cookie nginx sends to one server."""
    page = page_reaching_only(browser, farm.public, contexts, outside, errors, https=True)
    page.context.add_cookies([{"name": COOKIE, "value": route, "url": farm.public,
                               "secure": True, "httpOnly": True, "sameSite": "Lax"}])
    return page


def test_a_new_browser_gets_a_route_cookie_and_keeps_to_one_server(farm, browser):
    """No cookie set by the test: nginx makes one, and the page and its websocket (and
    every other request of that browser) go to one server."""
    contexts, outside, errors = [], [], []
    page = page_reaching_only(browser, farm.public, contexts, outside, errors, https=True)
    page.goto(f"{farm.public}voila/render/00_start.ipynb")
    wait_ready(page, "Session code")
    cookies = {c["name"]: c for c in page.context.cookies(farm.public)}
    for ctx in contexts:
        ctx.close()
    assert COOKIE in cookies, cookies.keys()
    assert cookies[COOKIE]["secure"] and cookies[COOKIE]["httpOnly"]
    route = cookies[COOKIE]["value"]
    assert re.fullmatch(r"[0-9a-f]{32}", route)  # nginx's $request_id: random, 128 bits
    sockets = farm.sockets_of(route)
    served = farm.served_by(route)
    assert sockets and len(set(served)) == 1, served  # the websocket too, to the same one
    assert outside == [] and errors == []


def test_the_console_on_one_server_sees_answers_given_on_the_other(farm, browser):
    from widgets.session import join
    from widgets.store import Store

    one, two = farm.servers
    store = Store(one.db_url)
    session = store.create_session("Two servers, one room", one.key)
    store.move_stage(session.id, "readiness", "open", one.key)
    token = join(store, session.code, "Asha")[1]
    store.dispose()

    contexts, outside, errors = [], [], []
    fac_route, asha_route = farm.route_to(one), farm.route_to(two)
    fac = browser_on(browser, farm, fac_route, contexts, outside, errors)
    fac.goto(f"{farm.public}voila/render/facilitator.ipynb?key={one.key}&session={session.code}")
    wait_ready(fac, "Two servers, one room")
    steps = fac.locator(".cd-stage-readiness")
    steps.get_by_text("0 of 1 answered").wait_for()

    asha = browser_on(browser, farm, asha_route, contexts, outside, errors)
    asha.goto(f"{farm.public}voila/render/00_readiness.ipynb?p={token}")
    wait_ready(asha, "Everyone here could say our mission")
    asha.locator(".cd-rating").first.get_by_role("button", name="4", exact=True).click()
    asha.get_by_text("Saved your rating").wait_for()
    saved = time.monotonic()
    steps.get_by_text("1 of 1 answered: Asha").wait_for(timeout=2_000)  # the 2 s
    print(f"the console on {one.base} showed the answer given on {two.base} "
          f"{time.monotonic() - saved:.2f} s after its Saved")
    for ctx in contexts:
        ctx.close()
    assert outside == [] and errors == []
    # Each browser kept to its server: the console's every request to one, Asha's to two.
    assert farm.sockets_of(fac_route) and farm.sockets_of(asha_route)
    assert set(farm.served_by(fac_route)) == {farm.port_of(one)}
    assert set(farm.served_by(asha_route)) == {farm.port_of(two)}


def test_a_server_stopped_mid_session_loses_no_answer_and_its_people_carry_on(farm, browser):
    from widgets.content import READINESS
    from widgets.session import join
    from widgets.store import Store

    one, two = farm.servers
    store = Store(one.db_url)
    session = store.create_session("A server stops", one.key)
    store.move_stage(session.id, "readiness", "open", one.key)
    ben, token = join(store, session.code, "Ben")

    contexts, outside, errors = [], [], []
    fac_route, ben_route = farm.route_to(one), farm.route_to(two)
    fac = browser_on(browser, farm, fac_route, contexts, outside, errors)
    fac.goto(f"{farm.public}voila/render/facilitator.ipynb?key={one.key}&session={session.code}")
    wait_ready(fac, "A server stops")
    steps = fac.locator(".cd-stage-readiness")

    link = f"{farm.public}voila/render/00_readiness.ipynb?p={token}"
    page = browser_on(browser, farm, ben_route, contexts, outside, errors)
    page.goto(link)
    wait_ready(page, "Everyone here could say our mission")
    rows = page.locator(".cd-rating")
    for i, score in enumerate(("4", "2")):
        rows.nth(i).get_by_role("button", name=score, exact=True).click()
        page.get_by_text(f"Saved your rating for “{READINESS[i].short}”").wait_for()

    two.proc.terminate()  # mid-session: Ben's server goes
    two.proc.wait(timeout=60)
    answers = {a.item: a.value for a in store.latest_answers(session.id, "readiness", 1)
               if a.participant_id == ben.id}
    assert answers == {READINESS[0].id: 4, READINESS[1].id: 2}  # nothing saved was lost

    page.goto(link)  # Ben opens his personal link again: the other server answers
    wait_ready(page, "Everyone here could say our mission")
    assert rows.nth(0).locator(".mod-active").inner_text().strip() == "4"
    assert rows.nth(1).locator(".mod-active").inner_text().strip() == "2"
    rows.nth(2).get_by_role("button", name="5", exact=True).click()
    page.get_by_text(f"Saved your rating for “{READINESS[2].short}”").wait_for()
    steps.get_by_text("1 of 1 answered: Ben").wait_for()
    for ctx in contexts:
        ctx.close()
    assert outside == [] and errors == []
    answers = {a.item: a.value for a in store.latest_answers(session.id, "readiness", 1)
               if a.participant_id == ben.id}
    store.dispose()
    assert answers == {READINESS[0].id: 4, READINESS[1].id: 2, READINESS[2].id: 5}
    # Before the stop every request of Ben's went to two; after it, to one.
    assert farm.port_of(one) in farm.sockets_of(ben_route, until=farm.port_of(one))
    served = farm.served_by(ben_route)
    assert farm.port_of(one) in served and served[0] == farm.port_of(two)
    cut = served.index(farm.port_of(one))
    assert set(served[:cut]) == {farm.port_of(two)} and set(served[cut:]) == {farm.port_of(one)}
