"""Conductor serving HTTPS itself (`conductor serve --certfile F --keyfile K`), as a
facilitator does in a room whose Wi-Fi anyone can listen to: the printed links and the
links the console shows are https, a person joins and answers, the console sees it, and the
page's websocket to its kernel is encrypted (wss)."""

from __future__ import annotations

import re
import subprocess

import pytest

from .conftest import page_reaching_only, start_server, stop_server, wait_ready


def self_signed(folder):
    """A certificate for 127.0.0.1 made the way the facilitator guide shows."""
    cert, key = folder / "room.crt", folder / "room.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory, cull_idle):
    tmp = tmp_path_factory.mktemp("tls")
    cert, key = self_signed(tmp)
    server = start_server(tmp, cull_idle, "--certfile", str(cert), "--keyfile", str(key))
    yield server
    stop_server(server)


def test_a_round_runs_over_https_with_an_encrypted_websocket(tls_server, browser):
    server = tls_server
    assert server.base.startswith("https://")
    printed = re.findall(r"(\w+)://\S+/voila/render/", server.log.read_text())
    assert printed and set(printed) == {"https"}, printed  # console, room, participants

    outside, errors, sockets, contexts = [], [], [], []

    def page():
        p = page_reaching_only(browser, server.base.rstrip("/"), contexts, outside, errors,
                               https=True)
        p.on("websocket", lambda ws: sockets.append(ws.url))
        return p

    try:
        fac = page()
        fac.goto(server.url("facilitator.ipynb", f"key={server.key}"))
        wait_ready(fac, "Your sessions")
        fac.get_by_label("New session title").fill("Over HTTPS")
        fac.get_by_role("button", name="Create session").click()
        fac.get_by_role("heading", name="Over HTTPS").wait_for()
        join = fac.get_by_role("link", name=f"{server.base}voila/render/00_start.ipynb?code=")
        href = join.first.get_attribute("href")
        assert href.startswith(server.base)  # CONDUCTOR_PUBLIC_URL is https
        fac.locator(".cd-stage-readiness").get_by_role(
            "button", name="Open for answers").click()

        person = page()
        person.goto(href)
        wait_ready(person, "Session code")
        person.get_by_label("Your name").fill("Asha")
        person.get_by_role("button", name="Join").click()
        person.get_by_role("link", name="Go to Board readiness check").click()
        wait_ready(person, "Everyone here could say our mission")
        person.locator(".cd-rating").first.get_by_role("button", name="4", exact=True).click()
        person.get_by_text("Saved your rating").wait_for()
        fac.get_by_text("1 of 1 answered").wait_for()
    finally:
        for ctx in contexts:
            ctx.close()
    kernel_sockets = [u for u in sockets if "/api/kernels/" in u]
    assert kernel_sockets, sockets
    assert all(u.startswith("wss://") for u in sockets), sockets
    assert outside == []
    assert errors == []
