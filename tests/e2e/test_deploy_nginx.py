"""The deployment in compose.yaml, run without containers (the short form, for CI): the
built wheel installed in a fresh virtual environment (test_installed_wheel's ``kit``), a
fresh database on a real PostgreSQL server, and Debian's ``nginx`` in front, serving
``deploy/nginx/conductor.conf.template`` itself: only its ports and certificate paths are
filled in, as the nginx image does from compose.yaml's environment. HTTPS with a
self-signed certificate (openssl), the sub-path ``/conductor/``, Conductor started with
compose.yaml's options (``--base-url``, ``--public-url``, ``--trust-forwarded-for``, a data
folder of its own, ``CONDUCTOR_DATABASE_URL``), listening on 127.0.0.1 only.

Through it, in Chromium: the facilitator creates a session and opens the readiness check,
a person joins by the link the console shows and answers, the facilitator closes and
reveals on the console, the room screen and the person's page show the group's profile.
Every request and websocket went to nginx's HTTPS port (wss), nginx relayed the websockets
(101 in its log), the store is the PostgreSQL database, the kernels ran the installed kit,
and nginx's body limit is the kit's upload limit.

What it does not prove: that the Containerfile builds and compose.yaml starts (this
machine runs no containers), nor that the image's dependencies resolve from the index.
"""

from __future__ import annotations

import http.client
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .conftest import ROOT, free_port, page_reaching_only, start_server, stop_server, wait_ready
from .nginx import fill_in, nginx_binary, nginx_main, start_nginx
from .test_https import self_signed
from .test_installed_wheel import kit  # noqa: F401 - the fixture: the wheel, freshly installed

TEMPLATE = ROOT / "deploy" / "nginx" / "conductor.conf.template"
# The names the template leaves to whoever starts nginx (compose.yaml's nginx environment).
FILLED_IN = ("CONDUCTOR_UPSTREAM", "HTTPS_PORT", "HTTP_PORT", "TLS_CERTIFICATE",
             "TLS_CERTIFICATE_KEY")
PREFIX = "/conductor/"
pytestmark = pytest.mark.postgres  # a database of its own on the test server


@pytest.fixture(scope="module")
def database():
    """A database of its own on the test server: other tests empty the shared one."""
    from tests.conftest import database_of_its_own

    with database_of_its_own("conductor_deploy") as url:
        yield url


@pytest.fixture(scope="module")
def deployed(kit, database, tmp_path_factory, cull_idle):  # noqa: F811 - kit is the fixture
    nginx = nginx_binary("deployment")
    tmp = tmp_path_factory.mktemp("deploy")
    cert, key = self_signed(tmp)
    https_port, http_port = free_port(), free_port()
    public = f"https://127.0.0.1:{https_port}{PREFIX}"
    here, volume = tmp / "empty", tmp / "data"  # where it starts; its data folder (/data)
    here.mkdir()
    volume.mkdir()
    env = {**kit.env, "CONDUCTOR_DATABASE_URL": database, "CONDUCTOR_DATA_DIR": str(volume)}
    server = start_server(tmp, cull_idle, "--base-url", PREFIX, "--public-url", public,
                          "--trust-forwarded-for", probe=PREFIX.lstrip("/"), db=database,
                          conductor=kit.conductor(), cwd=here, env=env)
    upstream = server.base.removeprefix("http://").rstrip("/")

    conf = tmp / "conductor.conf"
    conf.write_text(fill_in(TEMPLATE.read_text(), {
        "CONDUCTOR_UPSTREAM": upstream, "HTTPS_PORT": str(https_port),
        "HTTP_PORT": str(http_port), "TLS_CERTIFICATE": str(cert),
        "TLS_CERTIFICATE_KEY": str(key)}, FILLED_IN))
    main = tmp / "nginx.conf"
    main.write_text(nginx_main(tmp, conf))
    proxy, tls = start_nginx(nginx, tmp, main, public, cert)
    server.public, server.tls, server.http_port = public, tls, http_port
    server.access_log, server.volume = tmp / "access.log", volume
    yield server
    proxy.terminate()
    proxy.wait(timeout=15)
    stop_server(server)


def test_a_readiness_round_through_nginx_https_on_a_sub_path(deployed, kit, browser):  # noqa: F811
    import psutil

    from widgets.store import Store

    server, public = deployed, deployed.public
    printed = server.log.read_text()
    assert f"Facilitator console: {public}voila/render/facilitator.ipynb?key=" in printed
    assert f"Participants join at:    {public}join " in printed
    assert f"/{server.db_url.rsplit('/', 1)[1]}" in re.search(r"Store: (\S+)", printed)[1]

    outside, errors, sockets, contexts = [], [], [], []

    def page():
        p = page_reaching_only(browser, public, contexts, outside, errors, https=True)
        p.on("websocket", lambda ws: sockets.append(ws.url))
        return p

    fac = page()
    fac.goto(f"{public}voila/render/facilitator.ipynb?key={server.key}")
    wait_ready(fac, "Your sessions")
    fac.get_by_label("New session title").fill("Board day behind nginx")
    fac.get_by_role("button", name="Create session").click()
    fac.get_by_role("heading", name="Board day behind nginx").wait_for()
    steps = fac.locator(".cd-stage-readiness")
    steps.get_by_role("button", name="Open for answers").click()
    steps.get_by_text("Open for answers, round 1").wait_for()
    href = fac.get_by_role("link", name=f"{public}voila/render/00_start.ipynb?code=") \
        .first.get_attribute("href")
    assert href.startswith(public)

    room = page()
    room.goto(fac.locator(".cd-session-in-use").get_by_role(
        "link", name=re.compile(r"room\.ipynb\?room=")).get_attribute("href"))
    wait_ready(room, "Board day behind nginx")

    person = page()
    person.goto(href)
    wait_ready(person, "Session code")
    person.get_by_label("Your name").fill("Asha")
    person.get_by_role("button", name="Join", exact=True).click()
    person.get_by_role("link", name="Go to Board readiness check").click()
    wait_ready(person, "Everyone here could say our mission")
    person.locator(".cd-rating").first.get_by_role("button", name="4", exact=True).click()
    person.get_by_text("Saved your rating").wait_for()
    steps.get_by_text("1 of 1 answered").wait_for()

    steps.get_by_role("button", name="Close answers").click()
    steps.get_by_role("button", name="Reveal to the room…").click()
    steps.get_by_role("button", name="Yes, reveal to the room").click()
    for p in (room, person):
        p.get_by_text("The group's readiness profile").wait_for()
        p.locator("figure.cd-chart svg[role=img]").first.wait_for()  # drawn through nginx
    kernels = []
    for pid in server.kernel_pids():
        try:
            kernels.append(psutil.Process(pid).cmdline()[0])
        except psutil.NoSuchProcess:  # a page left behind (the start page) let its kernel go
            continue
    for ctx in contexts:
        ctx.close()

    assert outside == [] and errors == []
    # Each page's websocket went to nginx over TLS, under the sub-path, and nginx relayed it.
    assert sockets and all(url.startswith(f"wss://{public.removeprefix('https://')}")
                           for url in sockets), sockets
    relayed = re.findall(r'"GET /conductor/api/kernels/[^ ]+/channels[^"]*" 101 ',
                         server.access_log.read_text())
    assert len(relayed) >= 3, server.access_log.read_text()[-2000:]
    # The store is the PostgreSQL database; the data folder (the image's /data) holds none.
    store = Store(server.db_url)
    try:
        code = re.search(r"code=([A-Z0-9]+)", href)[1]
        assert store.session_by_code(code).title == "Board day behind nginx"
    finally:
        store.dispose()
    assert not list(server.volume.glob("*.sqlite*"))
    # The pages' kernels ran the installed kit, with the new environment's Python.
    assert kernels and all(Path(exe).parent == kit.venv / "bin" for exe in kernels), kernels


def test_nginx_redirects_plain_http_and_holds_the_kits_upload_limit(deployed):
    from widgets.validation import MAX_UPLOAD_BYTES

    plain = http.client.HTTPConnection("127.0.0.1", deployed.http_port, timeout=10)
    plain.request("GET", f"{PREFIX}voila/render/00_start.ipynb")
    reply = plain.getresponse()
    assert reply.status == 301
    assert reply.getheader("Location") == f"https://127.0.0.1{PREFIX}voila/render/00_start.ipynb"
    plain.close()

    def post(size: int) -> int:
        req = urllib.request.Request(deployed.public, data=b"x" * size, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(req, timeout=30, context=deployed.tls) as r:  # noqa: S310
                return r.status
        except urllib.error.HTTPError as err:
            return err.code

    assert post(MAX_UPLOAD_BYTES) != 413  # the kit's largest file reaches Conductor
    assert post(10 * 1024 * 1024 + 1) == 413  # past Voila's websocket ceiling: nginx refuses


def test_nginx_keeps_voilas_kernel_only_websocket_inside(deployed):
    """voila/query/<kernel> is where a preheated kernel hears of its request; kernels reach
    Conductor directly, and from outside it could disturb a waiting kernel."""
    req = urllib.request.Request(f"{deployed.public}voila/query/some-kernel")  # noqa: S310
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=30, context=deployed.tls)  # noqa: S310
    assert err.value.code == 404
