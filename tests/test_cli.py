"""The conductor command: serve's printed links and warnings, keys, sessions, exit codes."""

from __future__ import annotations

import re

import pytest

from widgets import cli, keys
from widgets.store import Store


@pytest.fixture
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    monkeypatch.setenv("CONDUCTOR_DATABASE_URL", url)
    return url


@pytest.fixture
def no_exec(monkeypatch):
    """serve ends by replacing itself with Voila; capture that instead."""
    calls = []
    monkeypatch.setattr(cli.os, "execv", lambda exe, argv: calls.append(argv))
    return calls


def test_first_serve_makes_a_key_prints_links_and_stores_only_the_hash(db, no_exec, capsys):
    assert cli.main(["serve", "--port", "9001"]) == 0
    out = capsys.readouterr().out
    key = re.search(r"facilitator\.ipynb\?key=(\S+)", out).group(1)
    assert "http://127.0.0.1:9001/voila/render/room.ipynb" in out
    assert "http://127.0.0.1:9001/voila/render/00_start.ipynb" in out
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
        f.truncate(21 * 1024 * 1024)
    assert cli.main(["check-data", str(big)]) == 1
    assert "the limit is 20 MB" in capsys.readouterr().err
