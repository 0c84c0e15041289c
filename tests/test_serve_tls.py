"""`conductor serve` with and without TLS: on the room's network without a certificate it
says plainly that people on the network can read answers, votes and the facilitator key;
with --certfile and --keyfile every printed link is https and Voila is given the pair."""

from __future__ import annotations

import subprocess

import pytest

from widgets.server import cli

from .test_cli import db  # noqa: F401 - the same fixture as the other serve tests

READABLE = "Other people on this network can read"


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cert")
    cert, key = folder / "room.crt", folder / "room.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=room.local", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return str(cert), str(key)


def test_the_room_network_without_tls_warns_that_answers_can_be_read(db, no_exec, capsys):  # noqa: F811
    assert cli.main(["serve", "--host", "0.0.0.0"]) == 0
    out = " ".join(capsys.readouterr().out.split())  # as read, whatever the line breaks
    assert READABLE in out
    assert "answers, private votes and the facilitator key" in out
    assert "--certfile" in out  # and what to do about it
    assert "://" in out and "https://" not in out


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_serving_only_this_laptop_does_not_warn(db, no_exec, capsys, host):  # noqa: F811
    assert cli.main(["serve", "--host", host]) == 0
    assert READABLE not in capsys.readouterr().out


def test_with_a_certificate_every_link_is_https_and_voila_gets_it(db, no_exec, capsys,  # noqa: F811
                                                                   pair, monkeypatch):
    cert, key = pair
    # --demo: with one session, the room screen's link (its room token) is printed too.
    assert cli.main(["serve", "--host", "0.0.0.0", "--port", "9443", "--demo",
                     "--certfile", cert, "--keyfile", key]) == 0
    out = capsys.readouterr().out
    assert READABLE not in out
    links = [w for w in out.split() if "/voila/render/" in w or w.endswith("/join")]
    assert len(links) >= 3 and all(w.startswith("https://") for w in links), links
    assert cli.os.environ["CONDUCTOR_PUBLIC_URL"].startswith("https://")
    argv = no_exec[0]
    assert f"--ConductorVoila.certfile={cert}" in argv
    assert f"--ConductorVoila.keyfile={key}" in argv


def test_a_certificate_that_does_not_load_is_refused_before_serving(db, no_exec, capsys,  # noqa: F811
                                                                     pair, tmp_path):
    cert, key = pair
    bad = tmp_path / "not-a-key.pem"
    bad.write_text("not a key\n")
    assert cli.main(["serve", "--certfile", cert, "--keyfile", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "certificate" in err and str(bad) in err
    assert no_exec == []
    with pytest.raises(SystemExit) as exc:
        cli.main(["serve", "--keyfile", key])  # a key with no certificate
    assert exc.value.code == 2
