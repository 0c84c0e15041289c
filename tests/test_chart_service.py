"""The chart service: kernels get their SVG from one drawing process, fall back to drawing
themselves when it is down, and the service stops with the server that started it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

SPEC = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "mark": "bar",
        "data": {"values": [{"a": "x", "b": 3}]},
        "encoding": {"x": {"field": "a", "type": "nominal"},
                     "y": {"field": "b", "type": "quantitative"}}}
DRAW = ("import json, sys; from widgets.charts.draw import svg; "
        "out = svg(json.loads(sys.argv[1])); "
        "print(out.startswith('<svg'), 'vl_convert' in sys.modules)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def service():
    port = free_port()
    parent = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
    proc = subprocess.Popen([sys.executable, "-m", "widgets.charts.service", "--port",
                             str(port), "--parent", str(parent.pid)])
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    until_ready(f"http://127.0.0.1:{port}/svg")
    yield f"http://127.0.0.1:{port}/svg", proc, parent
    parent.kill()
    proc.kill()


def draw_in_a_kernel(tmp_path, service_url: str) -> list[str]:
    import json

    env = {"CONDUCTOR_CHART_SERVICE": service_url,
           "CONDUCTOR_CHART_CACHE": str(tmp_path / "cache"),
           "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", DRAW, json.dumps(SPEC)], env=env,
                         capture_output=True, text=True, check=True, timeout=120)
    return out.stdout.split()


def test_a_kernel_gets_its_svg_without_loading_the_engine(tmp_path, service):
    url, _proc, _parent = service
    assert draw_in_a_kernel(tmp_path, url) == ["True", "False"]


def test_without_the_service_a_kernel_draws_for_itself(tmp_path):
    dead = f"http://127.0.0.1:{free_port()}/svg"
    assert draw_in_a_kernel(tmp_path, dead) == ["True", "True"]


def test_the_service_refuses_what_is_not_a_chart(service):
    url, _proc, _parent = service
    for body in (b"not json", b'{"mark": 42}'):
        req = urllib.request.Request(url, data=body, method="POST")  # noqa: S310
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(req, timeout=30)  # noqa: S310 - a local test server
        assert err.value.code in (400, 422)


def test_the_service_builds_a_described_chart_with_altair(service):
    """Kernels send a chart's description; the drawing process builds its spec with altair
    and draws it. A kind of chart it does not know is refused, and the next one drawn."""
    url, _proc, _parent = service
    described = {"chart": "readiness.profile", "params": {"sentence": "Three people", "values": [
        {"label": "We agree on aims", "lowest": 1, "highest": 5, "q1": 2, "q3": 4,
         "median": 3.0}]}}
    drawn = draw(url, described)
    assert drawn.startswith(b"<svg") and b"We agree on aims" in drawn
    assert b"#E69F00" in drawn  # the builder's palette: built in the service, not here
    req = urllib.request.Request(url, data=b'{"chart": "pie", "params": {}}',  # noqa: S310
                                 method="POST")
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=60)  # noqa: S310 - a local test server
    assert err.value.code == 422
    assert draw(url, described).startswith(b"<svg")


def test_the_service_stops_with_its_server(service):
    _url, proc, parent = service
    parent.kill()
    parent.wait()
    proc.wait(timeout=15)
    assert proc.returncode is not None


def until_ready(url: str) -> None:
    """Wait (up to three minutes: a busy machine) until the service's drawing process has
    loaded the engine and altair, as a room's first page would find it."""
    for _ in range(1800):
        try:
            if status(url)["ready"]:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError("the drawing process never became ready")


def status(url: str) -> dict:
    import json

    with urllib.request.urlopen(url.replace("/svg", "/status"), timeout=30) as r:  # noqa: S310
        return json.loads(r.read())


def draw(url: str, spec: dict) -> bytes:
    import json

    req = urllib.request.Request(url, data=json.dumps(spec).encode(), method="POST")  # noqa: S310
    with urllib.request.urlopen(req, timeout=60) as reply:  # noqa: S310 - a local test server
        return reply.read()


def test_the_drawing_process_comes_back_after_it_dies(service):
    """The renderer can abort its whole process (SIGABRT). It runs in a drawing process the
    service watches: killed, it is started again, and the next chart is drawn."""
    import os
    import signal

    url, proc, _parent = service
    assert draw(url, SPEC).startswith(b"<svg")
    first = status(url)["drawing_process"]
    os.kill(first, signal.SIGABRT)
    deadline = time.monotonic() + 60  # a bound for a busy machine, not a measure
    while status(url)["drawing_process"] in (first, None):
        assert time.monotonic() < deadline, "the drawing process did not come back"
        time.sleep(0.2)
    assert status(url)["restarts"] >= 1
    assert draw(url, {**SPEC, "title": "Bell\x07 after the restart"}).startswith(b"<svg")
    assert proc.poll() is None  # the service itself never went down


def test_a_kernel_whose_service_cannot_draw_shows_a_message(monkeypatch, tmp_path):
    """A service that answers with an error: the kernel shows a message in the chart's
    place and does not draw for itself what broke the service's drawing process."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from widgets.charts import draw as charts

    class Broken(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_error(503, "The drawing process stopped")

        def log_message(self, *_args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Broken)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("CONDUCTOR_CHART_SERVICE",
                           f"http://127.0.0.1:{server.server_address[1]}/svg")
        monkeypatch.setenv("CONDUCTOR_CHART_CACHE", str(tmp_path))

        drawn_here = []
        monkeypatch.setattr(charts, "_draw",
                            lambda spec: drawn_here.append(spec) or "<svg></svg>")
        html = charts.figure(SPEC, "Three in x")
        assert drawn_here == []
        assert "could not be drawn" in html and "<figcaption>Three in x</figcaption>" in html
    finally:
        server.shutdown()


def _accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        return True
    except OSError:
        return False


def killed_and_back(keeper) -> None:
    """Kill the service ``keeper`` keeps and wait (within 30 s) for it to be back."""
    import os
    import signal

    first = keeper.pid
    os.kill(first, signal.SIGKILL)
    for _ in range(300):
        if keeper.pid not in (None, first) and _accepts(keeper.port):
            until_ready(f"http://127.0.0.1:{keeper.port}/svg")
            return
        time.sleep(0.1)
    raise AssertionError(f"the service did not come back (pid {keeper.pid}, was {first})")


def test_the_server_starts_the_service_again_whenever_it_exits(tmp_path):
    """The service kernels talk to never draws, but it can still be killed (the machine
    short of memory, a person with a task manager): the server starts it again on the same
    port, so kernels keep getting their charts from it."""

    from widgets.charts.service import ServiceKeeper

    port = free_port()
    keeper = ServiceKeeper(port, pause=0.1).start()
    try:
        for _ in range(200):
            if _accepts(port):
                break
            time.sleep(0.1)
        url = f"http://127.0.0.1:{port}/svg"
        for round_ in (1, 2):
            killed_and_back(keeper)
            assert keeper.restarts == round_
            assert draw_in_a_kernel(tmp_path, url) == ["True", "False"]
    finally:
        keeper.stop()
    assert not _accepts(port)


def test_serve_hands_the_service_to_the_server_to_keep(monkeypatch, tmp_path):
    """conductor serve picks the port and tells Voila (ConductorVoila) to keep the service
    running there: the process that starts it is the one that outlives it."""
    from widgets.server import cli

    calls = []
    monkeypatch.setattr(cli.os, "execv", lambda exe, argv: calls.append(argv))
    for name in ("CONDUCTOR_PUBLIC_URL", "CONDUCTOR_CHART_SERVICE", "JUPYTER_PATH"):
        monkeypatch.setenv(name, "")
    monkeypatch.setenv("CONDUCTOR_DATABASE_URL", f"sqlite:///{tmp_path / 'c.sqlite'}")
    assert cli.main(["serve", "--data-folder", str(tmp_path)]) == 0
    port = os.environ["CONDUCTOR_CHART_SERVICE"].split(":")[2].split("/")[0]
    assert f"--ConductorVoila.chart_service_port={port}" in calls[0]
    assert not _accepts(int(port))  # nothing started by serve itself


def test_a_failed_restart_is_tried_again(monkeypatch):
    """Starting the service again can itself fail (a machine out of memory cannot fork,
    the very case the keeper is for): the keeper tries again rather than giving up."""

    from widgets.charts import service as chart_service

    port = free_port()
    keeper = chart_service.ServiceKeeper(port, pause=0.05).start()
    try:
        real, failures = subprocess.Popen, []

        def popen_once_failing(*args, **kwargs):
            if not failures:
                failures.append(1)
                raise OSError(12, "Cannot allocate memory")
            return real(*args, **kwargs)

        monkeypatch.setattr(chart_service.subprocess, "Popen", popen_once_failing)
        killed_and_back(keeper)
        assert failures == [1]
    finally:
        keeper.stop()
