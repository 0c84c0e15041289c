"""The conductor command: serve's printed links and warnings, keys, sessions, exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from widgets import keys
from widgets.server import cli
from widgets.store import Store


@pytest.fixture
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    monkeypatch.setenv("CONDUCTOR_DATABASE_URL", url)
    return url


def test_first_serve_makes_a_key_prints_links_and_stores_only_the_hash(db, no_exec, capsys):
    assert cli.main(["serve", "--port", "9001"]) == 0
    out = capsys.readouterr().out
    key = re.search(r"facilitator\.ipynb\?key=(\S+)", out).group(1)
    # No session yet: no room link (the room screen opens only by a session's room token).
    assert "Room screen (projector): the console gives its link" in out
    assert "room.ipynb" not in out
    assert "Participants join at:    http://127.0.0.1:9001/join " in out  # the short address
    store = Store(db)
    assert store.facilitator_key_hash() == keys.hash_secret(key)
    assert key not in repr(store.get_setting("facilitator_key_hash"))
    argv = no_exec[0]
    assert "--MappingKernelManager.cull_idle_timeout=600" in argv
    assert "--MappingKernelManager.cull_connected=False" in argv
    assert "--template=conductor" in argv
    assert "--Voila.ip=127.0.0.1" in argv

    # A second serve keeps the key and does not print it.
    assert cli.main(["serve", "--port", "9001"]) == 0
    again = capsys.readouterr().out
    assert key not in again and "rotate-key" in again


def test_serving_the_room_network_warns_what_that_exposes(db, no_exec, capsys):
    assert cli.main(["serve", "--host", "0.0.0.0"]) == 0
    out = capsys.readouterr().out
    assert "WARNING: the workshop is open to this network" in out
    assert "--Voila.ip=0.0.0.0" in no_exec[0]


def test_rotate_key_replaces_the_old_key(db, capsys):
    cli.main(["rotate-key"])
    first = re.search(r"key=(\S+)", capsys.readouterr().out).group(1)
    cli.main(["rotate-key"])
    second = re.search(r"key=(\S+)", capsys.readouterr().out).group(1)
    store = Store(db)
    assert store.is_facilitator(second) and not store.is_facilitator(first)


def test_a_new_key_can_follow_key_on_the_command_line(db, capsys, monkeypatch):
    """A key starting with "-" would be read as an option after --key: none is issued."""
    import secrets

    drawn = iter(["-looks-like-an-option", "AfterTheDash_0123456789abcdefghijk"])
    real = secrets.token_urlsafe  # later secrets (the session's room token) drawn as usual
    monkeypatch.setattr(secrets, "token_urlsafe", lambda n: next(drawn, None) or real(n))
    assert cli.main(["rotate-key"]) == 0
    key = re.search(r"key=(\S+)", capsys.readouterr().out).group(1)
    assert key == "AfterTheDash_0123456789abcdefghijk"
    assert cli.main(["new-session", "Board", "--key", key]) == 0


def test_new_session_needs_the_key(db, capsys):
    cli.main(["rotate-key"])
    key = re.search(r"key=(\S+)", capsys.readouterr().out).group(1)
    assert cli.main(["new-session", "Board", "--key", "wrong"]) == 1
    assert "not the facilitator key" in capsys.readouterr().err
    assert cli.main(["new-session", "x" * 201, "--key", key]) == 1
    assert "limit is 200" in capsys.readouterr().err
    assert cli.main(["new-session", "Board", "--key", key]) == 0
    assert re.search(r"Created session [A-Z0-9]{6}: Board", capsys.readouterr().out)


def test_a_store_of_another_version_is_a_message_not_a_traceback(db, capsys):
    Store(db).set_setting("schema_version", "99")
    assert cli.main(["rotate-key"]) == 1
    err = capsys.readouterr().err
    assert "schema version 99" in err and "Traceback" not in err


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["no-such-command"])
    assert exc.value.code == 2


def test_check_data_accepts_the_sample(capsys):
    from widgets.care_areas import SAMPLE

    assert cli.main(["check-data", str(SAMPLE)]) == 0
    assert "valid: 30 care areas" in capsys.readouterr().out


def test_check_data_names_every_problem_with_row_and_column(tmp_path, capsys):
    bad = tmp_path / "ours.csv"
    bad.write_text("area,patients_per_year,cost_per_year_gbp,variation_cv,outcome_gap_pct,"
                   "harm_risk,effort_points\nSepsis,lots,1,0.2,3,9,2\nSepsis,5,-1,0.2,3,2,2\n")
    assert cli.main(["check-data", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "4 problems" in err
    assert "Row 2, column 'patients_per_year': 'lots' is not a number" in err
    assert "Row 2, column 'harm_risk': 9 is above the largest allowed value, 5" in err
    assert "Row 3, column 'area': 'Sepsis' is already used on row 2" in err
    assert "Row 3, column 'cost_per_year_gbp': -1 is below" in err


def test_check_data_missing_and_oversized_files(tmp_path, capsys):
    assert cli.main(["check-data", str(tmp_path / "nope.csv")]) == 1
    assert "There is no file" in capsys.readouterr().err
    big = tmp_path / "big.csv"
    with open(big, "wb") as f:
        f.truncate(12_000_000)
    assert cli.main(["check-data", str(big)]) == 1
    assert "big.csv is 12.0 MB; the limit is 10 MB" in capsys.readouterr().err


def _key(capsys) -> str:
    cli.main(["rotate-key"])
    return re.search(r"key=(\S+)", capsys.readouterr().out).group(1)


def test_every_command_has_help(capsys):
    for command in ("serve", "rotate-key", "new-session", "check-data", "delete-session",
                    "withdraw"):
        with pytest.raises(SystemExit) as exc:
            cli.main([command, "--help"])
        assert exc.value.code == 0
        assert "usage: conductor" in capsys.readouterr().out


def test_new_session_takes_the_key_from_the_environment(db, capsys, monkeypatch):
    key = _key(capsys)
    monkeypatch.setenv("CONDUCTOR_KEY", key)
    assert cli.main(["new-session", "Board"]) == 0
    monkeypatch.setenv("CONDUCTOR_KEY", "wrong")
    assert cli.main(["new-session", "Board"]) == 1


def test_check_data_knows_each_kind_of_file(tmp_path, capsys):
    from widgets.decisions import CATALOGUE

    assert cli.main(["check-data", str(CATALOGUE)]) == 0
    assert "valid: 10 decision areas" in capsys.readouterr().out
    values = tmp_path / "values.csv"
    values.write_text("date,value\n2025-03-03,4\n10/03/2025,5\n")
    assert cli.main(["check-data", str(values)]) == 0
    assert "valid: 2 values" in capsys.readouterr().out
    values.write_text("date,value\n2025-03-03,four\n03/10/25,5\n")
    assert cli.main(["check-data", str(values)]) == 1
    err = capsys.readouterr().err
    assert "measure's values file" in err and "Row 2, column 'value'" in err
    assert "Row 3, column 'date'" in err
    odd = tmp_path / "odd.csv"
    odd.write_text("x,y\n1,2\n")
    assert cli.main(["check-data", str(odd)]) == 1
    assert "--kind care-areas" in capsys.readouterr().err
    assert cli.main(["check-data", str(odd), "--kind", "values"]) == 1
    assert "column is missing" in capsys.readouterr().err


def test_delete_session_asks_then_deletes(db, capsys, monkeypatch):
    key = _key(capsys)
    store = Store(db)
    s = store.create_session("Old board", key)
    assert cli.main(["delete-session", "NOPE99", "--key", key, "--yes"]) == 1
    assert "no session with the code NOPE99" in capsys.readouterr().err
    assert cli.main(["delete-session", s.code, "--key", "wrong", "--yes"]) == 1
    assert "not the facilitator key" in capsys.readouterr().err
    # From a script without --yes: refused, nothing deleted.
    monkeypatch.setattr(cli.sys.stdin, "isatty", lambda: False, raising=False)
    assert cli.main(["delete-session", s.code, "--key", key]) == 1
    assert "Add --yes" in capsys.readouterr().err
    assert store.session_by_code(s.code) is not None
    # At a terminal: typing the wrong code keeps it; the right code deletes it.
    monkeypatch.setattr(cli.sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda _prompt: "WRONG1")
    assert cli.main(["delete-session", s.code.lower(), "--key", key]) == 1
    assert store.session_by_code(s.code) is not None
    monkeypatch.setattr("builtins.input", lambda _prompt: s.code.lower())
    assert cli.main(["delete-session", s.code, "--key", key]) == 0
    assert f"Deleted session {s.code} “Old board” with 0 people" in capsys.readouterr().out
    assert store.session_by_code(s.code) is None


def test_withdraw_removes_one_person(db, capsys, local_time):
    from widgets.session import join
    from widgets.validation import show_time

    key = _key(capsys)
    store = Store(db)
    s = store.create_session("Board", key)
    asha, _ = join(store, s.code, "Asha", named_ok=True)
    join(store, s.code, "Ben")
    twin, _ = join(store, s.code, "ben")
    store.move_stage(s.id, "readiness", "open", key)
    store.submit(s.id, asha.id, "readiness", "mission", 4, "k1")
    assert cli.main(["withdraw", s.code, "Zed", "--key", key, "--yes"]) == 1
    assert "Names in it: Asha, Ben, ben" in capsys.readouterr().err
    assert cli.main(["withdraw", s.code, "Ben", "--key", key, "--yes"]) == 1
    err = capsys.readouterr().err
    assert "2 people in session" in err
    assert f"--id {twin.id} (joined {show_time(twin.joined_at)})" in err  # as the console
    assert cli.main(["withdraw", s.code, "Ben", "--id", str(twin.id), "--key", key,
                     "--yes"]) == 0
    capsys.readouterr()
    assert cli.main(["withdraw", s.code, "asha", "--key", key, "--yes"]) == 0
    assert (f"Removed the 1 answer, name and personal link of “Asha” (joined "
            f"{show_time(asha.joined_at)}) in session {s.code}.") in capsys.readouterr().out
    assert [p.display_name for p in store.participants(s.id)] == ["Ben"]
    assert store.count_submissions(s.id) == 0


def test_serve_with_a_data_folder_checks_its_files_first(db, no_exec, capsys, tmp_path,
                                                         monkeypatch):
    from widgets.care_areas import SAMPLE

    monkeypatch.delenv("CONDUCTOR_DATA_DIR", raising=False)
    folder = tmp_path / "ours"
    folder.mkdir()
    (folder / "care_areas.csv").write_text(SAMPLE.read_text().replace("Sepsis,", "Sepsis,x",
                                                                      1))
    assert cli.main(["serve", "--data-folder", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "care_areas.csv" in err and "is not a number" in err and no_exec == []
    (folder / "care_areas.csv").write_text(SAMPLE.read_text())
    assert cli.main(["serve", "--data-folder", str(folder)]) == 0
    import os

    assert os.environ["CONDUCTOR_DATA_DIR"] == str(folder.resolve())


def test_serve_demo_fills_a_session_once(db, no_exec, capsys):
    assert cli.main(["serve", "--demo"]) == 0
    out = capsys.readouterr().out
    code = re.search(r"Demonstration session: ([A-Z0-9]{6}), filled", out).group(1)
    store = Store(db)
    session = store.session_by_code(code)
    assert len(store.participants(session.id)) == 8
    assert store.stage(session.id, "prototype.commit").state == "revealed"
    room = f"http://127.0.0.1:8866/voila/render/room.ipynb?room={session.room_token}"
    assert room in out and "?code=" not in out  # the room link carries the room token
    assert cli.main(["serve", "--demo"]) == 0  # the same session, not another
    out = capsys.readouterr().out
    assert f"Demonstration session: {code} (room screen: {room})" in out
    assert f"Room screen (projector): {room}" in out  # the only session: its room link
    assert "?code=" not in out
    assert store.count_sessions() == 1


def test_serve_behind_a_proxy_prints_the_public_addresses(db, no_exec, capsys):
    assert cli.main(["serve", "--demo", "--base-url", "/conductor", "--public-url",
                     "https://example.org/conductor"]) == 0
    out = capsys.readouterr().out
    assert "https://example.org/conductor/voila/render/room.ipynb?room=" in out
    assert "--Voila.base_url=/conductor/" in no_exec[0]
    for bad in (["--base-url", "conductor/"], ["--public-url", "example.org"]):
        with pytest.raises(SystemExit) as exc:
            cli.main(["serve", *bad])
        assert exc.value.code == 2


def test_serve_writes_the_kit_s_bytecode_for_its_kernels(db, no_exec, monkeypatch):
    """Where PYTHONDONTWRITEBYTECODE is set, each page's kernel would compile the kit from
    source: serve writes the bytecode once first."""
    import importlib.util

    from widgets import focus

    cached = Path(importlib.util.cache_from_source(focus.__file__))
    cached.unlink(missing_ok=True)
    monkeypatch.setattr(cli.sys, "dont_write_bytecode", True)
    assert cli.main(["serve"]) == 0
    assert cached.exists()


def test_serve_caps_the_kernels(db, no_exec):
    assert cli.main(["serve", "--max-kernels", "25"]) == 0
    argv = no_exec[0]
    assert ("--VoilaConfiguration.multi_kernel_manager_class="
            "widgets.server.kernels.CappedKernelManager") in argv
    assert "--CappedKernelManager.max_kernels=25" in argv


def test_serve_expect_keeps_a_kernel_waiting_for_each_person_on_the_first_pages(
        db, no_exec, capsys):
    """A room's join storm meets kernels already started: a pool of PEOPLE on the start
    page and on the readiness check, none elsewhere (unless --preheat asks)."""
    assert cli.main(["serve", "--expect", "40", "--max-kernels", "140"]) == 0
    argv = no_exec[0]
    assert "--preheat_kernel=True" in argv
    pools = json.loads(next(a for a in argv if a.startswith(
        "--VoilaKernelManager.kernel_pools_config=")).split("=", 1)[1])
    assert pools == {"00_start.ipynb": {"pool_size": 40},
                     "00_readiness.ipynb": {"pool_size": 40}, "default": {"pool_size": 0}}
    assert set(cli.FIRST_PAGES) <= {p.name for p in cli.WORKSHOPS.glob("*.ipynb")}
    assert "Ready for a room of 40: 80 kernels waiting" in capsys.readouterr().out


def test_serve_expect_says_what_cap_the_room_needs(db, no_exec, capsys):
    assert cli.main(["serve", "--expect", "40"]) == 2  # the default cap, 80, is too small
    err = capsys.readouterr().err
    assert "add --max-kernels 140 (now 80)" in err and not no_exec
    with pytest.raises(SystemExit) as exc:
        cli.main(["serve", "--expect", "-3"])
    assert exc.value.code == 2
    assert "--expect" in capsys.readouterr().err


def test_withdraw_and_delete_session_remove_drawn_charts(db, capsys, monkeypatch, tmp_path):
    """A drawing can show a person's answers or a session's names; the chart cache keeps
    none after a withdrawal or a deletion."""
    from widgets.charts import draw as charts
    from widgets.session import join

    cache = tmp_path / "charts"
    monkeypatch.setenv("CONDUCTOR_CHART_CACHE", str(cache))
    key = _key(capsys)
    store = Store(db)
    s = store.create_session("Board", key)
    join(store, s.code, "Asha", named_ok=True)
    spec = {"mark": "bar", "data": {"values": [{"who": "Asha", "n": 4}]},
            "encoding": {"x": {"field": "who", "type": "nominal"},
                         "y": {"field": "n", "type": "quantitative"}}}
    charts.figure(spec, "Asha rated 4")
    assert list(cache.rglob("*.svg"))
    assert cli.main(["withdraw", s.code, "Asha", "--key", key, "--yes"]) == 0
    assert not list(cache.rglob("*.svg"))
    charts.figure(spec, "Asha rated 4")
    assert list(cache.rglob("*.svg"))
    assert cli.main(["delete-session", s.code, "--key", key, "--yes"]) == 0
    assert not list(cache.rglob("*.svg"))


def test_rotate_key_prints_the_address_people_use(db, capsys):
    """A server on HTTPS or behind a proxy: the new console link is on its public address."""
    assert cli.main(["rotate-key", "--public-url", "https://example.org/conductor/"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"https://example\.org/conductor/voila/render/facilitator\.ipynb\?key=\S+",
                     out), out
    assert "http://127.0.0.1" not in out
    assert cli.main(["rotate-key", "--port", "9000"]) == 0
    out = capsys.readouterr().out
    assert "http://127.0.0.1:9000/voila/render/facilitator.ipynb?key=" in out
    assert "https://" in out and "--public-url" in out  # says what to use on an HTTPS server
