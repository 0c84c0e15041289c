"""Where the kit's files are: its own (notebooks, samples, template) only read, wherever it is
installed; everything it writes in the data folder, by default the person's own, printed at
start; ``conductor init DIR`` makes an organisation's own folder that ``serve --data-folder``
uses. The installed wheel itself is tried in tests/e2e/test_installed_wheel.py."""

from __future__ import annotations

import json
import os
import re

import pytest

from widgets import paths
from widgets.server import cli


@pytest.fixture
def own_home(monkeypatch, tmp_path):
    """No data folder or store named: the defaults, in a home of the test's own."""
    for name in (paths.ENV_DATA, "CONDUCTOR_DATABASE_URL", paths.ENV_CHART_CACHE):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / "share"))
    return (tmp_path / "home" / "share" / "conductor-kit").resolve()


def test_the_default_data_folder_is_the_persons_own_not_the_kits(own_home):
    from widgets.store.engine import default_url

    assert paths.data_dir() == own_home
    assert default_url() == f"sqlite:///{own_home / 'conductor.sqlite'}"
    assert paths.chart_cache() == own_home / ".chart-cache"
    assert not own_home.is_relative_to(paths.KIT)
    # the samples are read from the kit until the folder has its own
    assert paths.data_file("care_areas.csv") == paths.KIT_DATA / "care_areas.csv"


def test_serve_prints_the_data_folder_and_keeps_its_store_there(own_home, no_exec, capsys,
                                                                 tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["serve"]) == 0
    out = capsys.readouterr().out
    assert f"Data folder: {own_home}" in out
    assert (own_home / "conductor.sqlite").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]  # nothing where it started


def test_the_kits_own_files_are_found_beside_its_code():
    """Checkout or wheel, the same names: notebooks, samples and the Voila template."""
    assert {p.name for p in paths.WORKSHOPS.glob("*.ipynb")} >= {
        "00_start.ipynb", "facilitator.ipynb", "room.ipynb", "01_focus.ipynb"}
    assert (paths.KIT_DATA / "decision_areas.csv").is_file()
    assert (paths.SHARE / "voila" / "templates" / "conductor" / "conf.json").is_file()
    assert cli.jupyter_path().split(os.pathsep)[0] == str(paths.SHARE)


@pytest.mark.parametrize("notebook", sorted(p.name for p in paths.WORKSHOPS.glob("*.ipynb")))
def test_every_notebook_names_its_kernel(notebook):
    """JupyterLab opens a notebook without asking which kernel when the notebook names one."""
    meta = json.loads((paths.WORKSHOPS / notebook).read_text())["metadata"]
    assert meta.get("kernelspec", {}).get("name") == "python3", notebook
    assert meta["kernelspec"]["language"] == "python"


def test_init_makes_an_organisations_folder_and_serve_uses_it(own_home, no_exec, capsys,
                                                              tmp_path):
    folder = tmp_path / "Our trust"
    assert cli.main(["init", str(folder)]) == 0
    out = capsys.readouterr().out
    assert sorted(p.name for p in folder.iterdir()) == [
        "README.md", "care_areas.csv", "decision_areas.csv"]
    for name in ("care_areas.csv", "decision_areas.csv"):
        assert (folder / name).read_bytes() == (paths.KIT_DATA / name).read_bytes()
    readme = (folder / "README.md").read_text()
    for words in ("care_areas.csv", "decision_areas.csv", "conductor check-data",
                  "conductor serve --data-folder", "fictional"):
        assert words in readme, words
    assert f"conductor serve --data-folder '{folder}'" in out
    assert str(paths.KIT_DATA / "README.md") in readme  # the columns' meanings, installed too

    # Their own areas: kept by a second init, used and checked by serve.
    ours = (folder / "care_areas.csv").read_text().splitlines()
    (folder / "care_areas.csv").write_text("\n".join(ours[:6]) + "\n")
    assert cli.main(["init", str(folder)]) == 0
    assert "Kept your own care_areas.csv" in capsys.readouterr().out
    assert len((folder / "care_areas.csv").read_text().splitlines()) == 6
    assert cli.main(["serve", "--data-folder", str(folder)]) == 0
    out = capsys.readouterr().out
    assert f"Data folder: {folder.resolve()}" in out
    assert paths.data_file("care_areas.csv") == folder.resolve() / "care_areas.csv"
    assert (folder / "conductor.sqlite").is_file()
    assert not own_home.exists()

    from widgets.care_areas import read_care_areas  # what the Focus step reads: their five

    assert len(read_care_areas(paths.data_file("care_areas.csv").read_bytes()).areas) == 5


def test_init_says_plainly_when_it_cannot_make_the_folder(own_home, capsys, tmp_path):
    taken = tmp_path / "a file"
    taken.write_text("not a folder")
    assert cli.main(["init", str(taken)]) == 1
    err = capsys.readouterr().err
    assert re.search(r"Cannot make the workshop folder .*a file", err), err
    assert taken.read_text() == "not a folder"


def test_serve_says_where_an_earlier_clones_store_is(own_home, no_exec, capsys, tmp_path,
                                                     monkeypatch):
    """A clone used before kept its store in data/: serve says how to keep using it."""
    clone_data = tmp_path / "clone" / "data"
    clone_data.mkdir(parents=True)
    monkeypatch.setattr(paths, "KIT_DATA", clone_data)
    assert cli.main(["serve"]) == 0
    assert "An earlier store" not in capsys.readouterr().out
    (clone_data / "conductor.sqlite").write_bytes(b"")
    assert cli.main(["serve"]) == 0
    out = capsys.readouterr().out
    assert (f"An earlier store is at {clone_data / 'conductor.sqlite'}: serve with "
            f"--data-folder {clone_data} to keep using it.") in out
