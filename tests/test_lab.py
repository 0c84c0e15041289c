"""``conductor lab``: the person's own copy of the four self-guided notebooks, never written
over, and JupyterLab opened on it."""

from __future__ import annotations

import json

import pytest

from widgets.server import cli, lab


def test_copies_the_four_notebooks_and_keeps_an_edited_copy(tmp_path):
    folder = tmp_path / "mine"
    first = lab.copy_notebooks(folder)
    assert first.new == list(lab.SELF_GUIDED) and not first.kept
    for name in lab.SELF_GUIDED:
        nb = json.loads((folder / name).read_text())
        assert nb["metadata"]["kernelspec"]["name"] == "python3"  # opens without asking
        assert all(not c.get("outputs") for c in nb["cells"])
    mine = folder / "01_focus.ipynb"
    mine.write_text(mine.read_text().replace("Focus", "My focus"))
    edited = mine.read_bytes()
    again = lab.copy_notebooks(folder)
    assert again.kept == ["01_focus.ipynb"] and not again.new
    assert sorted(again.same) == sorted(set(lab.SELF_GUIDED) - {"01_focus.ipynb"})
    assert mine.read_bytes() == edited


def test_lab_command_prints_the_folder_and_opens_jupyterlab_there(tmp_path, monkeypatch,
                                                                  capsys):
    started = {}

    def execve(path, argv, env):
        started.update(path=path, argv=argv, env=env)
        raise SystemExit(0)

    monkeypatch.setattr(lab.os, "execve", execve)
    folder = tmp_path / "my workshop"
    (folder).mkdir()
    (folder / "00_readiness.ipynb").write_text("{}")  # the person's own, edited
    url = f"sqlite:///{tmp_path / 'solo.sqlite'}"
    with pytest.raises(SystemExit):
        cli.main(["--database-url", url, "lab", str(folder), "--port", "9999",
                  "--no-browser"])
    out = capsys.readouterr().out
    assert f"Your workshop folder: {folder}" in out
    assert "Kept your own 00_readiness.ipynb" in out
    assert (folder / "00_readiness.ipynb").read_text() == "{}"
    assert f"--notebook-dir={folder}" in started["argv"]
    assert "--port=9999" in started["argv"] and "--no-browser" in started["argv"]
    assert started["argv"][1:3] == ["-m", "jupyterlab"]
    assert started["env"]["CONDUCTOR_DATABASE_URL"] == url  # the kernels use the same store


def test_the_lab_module_stands_alone():
    """widgets.server.lab imported widgets.server.cli at module level while cli imports lab: a
    cycle. The notebooks' folder comes from widgets.paths, so lab loads without the command
    line."""
    import subprocess
    import sys

    script = ("import sys, widgets.server.lab, widgets.paths; "
              "assert 'widgets.server.cli' not in sys.modules, 'lab imports the command line'; "
              "assert widgets.server.lab.copy_notebooks.__defaults__[-1] "
              "== widgets.paths.WORKSHOPS")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
