"""The self-guided path as a leader takes it: ``conductor lab``, then all four notebooks in a
real JupyterLab, in order, solo, each run with Run > Run All Cells and its buttons pressed
through to its results.

What it guards: no traceback anywhere (cell outputs or the log console), one leader's words
on every result ("you", never "the group" or "the room"), and the kit's own notebooks left
byte-for-byte as they were (the leader works on a copy in their own folder).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from widgets.server.lab import SELF_GUIDED

from .conftest import ROOT, free_port

WORKSHOPS = ROOT / "workshops"
IDLE = "Python 3 (ipykernel) | Idle"


@dataclass
class Lab:
    base: str
    token: str
    folder: Path
    db_url: str
    proc: subprocess.Popen
    log: Path


def kit_notebooks() -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(WORKSHOPS.glob("*.ipynb"))}


def stop_lab(proc: subprocess.Popen) -> None:
    """Stop JupyterLab and every process it started. Kernels run in sessions of their own,
    so they are found as its children first and any that outlive it are killed too."""
    import psutil

    try:
        children = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        children = []
    proc.terminate()  # JupyterLab shuts its kernels down on the way out
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=30)
    _, alive = psutil.wait_procs(children, timeout=15)
    for child in alive:
        child.kill()
    psutil.wait_procs(alive, timeout=15)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """``conductor lab`` on a fresh folder, with its own solo store, a token and no
    browser; JupyterLab's own settings, workspaces, data and IPython's profile kept in the
    temporary folder too. Nothing set by another test or the shell (a ``CONDUCTOR_*`` or
    ``JUPYTER*`` variable) reaches it; whatever happens, it and its kernels are stopped."""
    tmp = tmp_path_factory.mktemp("lab")
    folder = tmp / "my workshop"  # a space, as in many people's folder names
    token = secrets.token_hex(16)
    port = free_port()
    db_url = f"sqlite:///{tmp / 'solo.sqlite'}"
    jupyter = tmp / "jupyter"
    inherited = {k: v for k, v in os.environ.items()
                 if not k.startswith(("CONDUCTOR_", "JUPYTER", "IPYTHON"))
                 and k not in ("QUERY_STRING", "SERVER_SOFTWARE", "VOILA_PREHEAT")}
    env = {**inherited, "CONDUCTOR_DATABASE_URL": db_url, "JUPYTER_TOKEN": token,
           "CONDUCTOR_CHART_CACHE": str(tmp / "charts"),
           "JUPYTER_CONFIG_DIR": str(jupyter / "config"),
           "JUPYTER_DATA_DIR": str(jupyter / "data"),
           "JUPYTER_RUNTIME_DIR": str(jupyter / "runtime"),
           "JUPYTERLAB_SETTINGS_DIR": str(jupyter / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(jupyter / "workspaces"),
           "IPYTHONDIR": str(tmp / "ipython")}
    conductor = Path(sys.executable).parent / "conductor"
    log = tmp / "lab.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([str(conductor), "lab", str(folder), "--port", str(port),
                                 "--no-browser"], cwd=tmp, env=env, stdout=out,
                                stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.time() + 180  # a generous bound on a busy machine, not a measure
        while True:
            try:
                urllib.request.urlopen(f"{base}api/status?token={token}",  # noqa: S310
                                       timeout=5)
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail("conductor lab exited:\n" + log.read_text())
                if time.time() > deadline:
                    pytest.fail("JupyterLab did not start within 180 s:\n" + log.read_text())
                time.sleep(0.3)
        yield Lab(base, token, folder, db_url, proc, log)
    finally:
        stop_lab(proc)


@pytest.fixture
def lab_page(browser, lab):
    """A browser tab that may reach JupyterLab and nothing else."""
    local = lab.base.rstrip("/")
    outside: list[str] = []

    def route(r):
        if r.request.url.startswith(local) or r.request.url.startswith("data:"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    ctx.set_default_timeout(90_000)
    ctx.route("**/*", route)
    page = ctx.new_page()
    yield page
    ctx.close()


def open_and_run(page, lab: Lab, name: str):
    """Open ``name`` alone (a reset workspace), wait for its kernel, then Run > Run All
    Cells from the menu, and wait until the page's cell has run. Returns the page (the
    code cell's output)."""
    page.goto(f"{lab.base}lab/tree/{name}?reset&token={lab.token}")
    notebook = page.locator(".jp-NotebookPanel >> visible=true")
    notebook.locator(".jp-Notebook").wait_for()
    page.get_by_text(IDLE).wait_for()  # the kernel was chosen without asking, and is ready
    page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Run$")).click()
    page.get_by_role("menuitem", name=re.compile(r"^Run All Cells")).click()
    notebook.locator(".jp-CodeCell .jp-InputPrompt", has_text="[1]:").wait_for()
    page.get_by_text(IDLE).wait_for()
    return notebook.locator(".jp-CodeCell .jp-Cell-outputArea")  # the page, not the story


def tracebacks(page) -> list[str]:
    """Every error a cell printed, and every error or warning in the log console (where
    JupyterLab puts what a widget's button handler printed)."""
    found = [t for t in page.locator(
        ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
    ).all_inner_texts() if t.strip()]
    found += page.locator(".jp-OutputArea-output.jp-mod-error, "
                          ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']"
                          ).all_inner_texts()
    page.locator(".lm-MenuBar-item", has_text=re.compile(r"^View$")).click()
    page.get_by_role("menuitem", name=re.compile(r"^Show Log Console")).click()
    console = page.locator(".jp-LogConsolePanel")
    console.wait_for()
    found += [t for t in console.locator(".jp-OutputArea-output").all_inner_texts()
              if re.search(r"Traceback|Error", t)]
    return found


def save(page) -> None:
    """File > Save Notebook, and wait until the tab no longer shows unsaved changes."""
    page.locator(".lm-MenuBar-item", has_text=re.compile(r"^File$")).click()
    page.get_by_role("menuitem", name=re.compile(r"^Save Notebook(?! As)")).click()
    page.locator(".lm-TabBar-tab.jp-mod-current.jp-mod-dirty").wait_for(state="detached")


def pick_in_every_row(scope, nth: int) -> int:
    """Press the ``nth`` choice (0 first) in every rating row shown; the number of rows."""
    rows = scope.locator(".cd-rating")
    rows.first.wait_for()
    n = rows.count()
    for i in range(n):
        rows.nth(i).locator("button").nth(nth).click()
    return n


def press(scope, name: str) -> None:
    """Press the button showing ``name`` (its accessible name may say more: "Show my
    results: Board readiness check")."""
    scope.get_by_role("button", name=re.compile(rf"^{re.escape(name)}(:|$)")).click()


def readiness(page, lab):
    nb = open_and_run(page, lab, "00_readiness.ipynb")
    nb.get_by_text("Everyone here could say our mission").wait_for()
    assert pick_in_every_row(nb, 3) == 14  # 4 of 5 on every statement ...
    nb.locator(".cd-rating").nth(0).locator("button").nth(4).click()  # ... but a 5
    nb.locator(".cd-rating").nth(1).locator("button").nth(0).click()  # ... and a 1
    press(nb.locator(".cd-stage-readiness"), "Show my results")
    nb.get_by_text("Your readiness profile").wait_for()
    nb.get_by_text(re.compile(r"You rate yourself highest on .*\(5 of 5\) and lowest on .*"
                              r"\(1 of 5\)")).first.wait_for()


def focus(page, lab):
    nb = open_and_run(page, lab, "01_focus.ipynb")
    nb.get_by_text("What the data says").wait_for()
    score = nb.locator(".cd-rating")
    rows = pick_in_every_row(nb, 2)  # 3 of 5 throughout ...
    for i in range(0, rows, 4):  # ... but 5 for the first criterion, so areas differ
        score.nth(i).locator("button").nth(4 - (i // 4) % 5).click()
    press(nb.locator(".cd-stage-focus-score"), "Show my results")
    weights = nb.locator(".cd-stage-focus-weights")
    press(weights, "Start answering")
    for label in ("Patients a year", "Cost a year", "Harm or risk",
                  "Willing, able clinical leads", "Fits our purpose"):
        box = nb.get_by_label(re.compile(rf"^{label} \(")).first
        box.fill("20")
        box.press("Tab")
    nb.get_by_text("Total: 100 of 100.").wait_for()
    press(nb, "Save my weights")
    nb.get_by_text("Saved your weights").wait_for()
    press(weights, "Show my results")
    nb.get_by_role("heading", name="The ranking").wait_for()
    nb.get_by_role("table", name=re.compile("Ranking")).wait_for()
    press(nb, "Record the decision")
    nb.get_by_text("Decided:").wait_for()


def cede(page, lab):
    nb = open_and_run(page, lab, "02_cede.ipynb")
    nb.locator(".cd-stage-cede-poker").wait_for()
    press(nb, "Save the decisions to play")
    nb.get_by_text(re.compile("^Saved")).first.wait_for()
    nb.get_by_text("Today: who decides?").first.wait_for()
    rows = pick_in_every_row(nb, 1)  # 2 Sell today ...
    for i in range(1, rows, 2):  # ... 5 Advise proposed
        nb.locator(".cd-rating").nth(i).locator("button").nth(4).click()
    press(nb.locator(".cd-stage-cede-poker"), "Show my results")
    nb.get_by_text("Agreed level:").first.wait_for()
    nb.locator(".cd-agree").first.locator("button").nth(4).click()
    nb.get_by_text(re.compile("^Recorded 5 Advise")).wait_for()
    owner = nb.get_by_label("Accountable owner (a role)").first
    owner.fill("Director of nursing")
    nb.get_by_role("button", name=re.compile(r"^Save (owner|the owner)")).first.click()
    nb.get_by_text(re.compile("^Saved")).first.wait_for()


def prototype(page, lab):
    nb = open_and_run(page, lab, "03_prototype.ipynb")
    nb.get_by_role("heading", name="Start a prototype").wait_for()
    nb.get_by_label("Name of the new prototype").fill("Night-time rounding on Ward 7")
    press(nb, "Start a new prototype")
    nb.get_by_text("Started “Night-time rounding on Ward 7”").wait_for()
    nb.get_by_label(re.compile("^Aim")).fill(
        "Reduce falls on Ward 7 from 12 to 6 a month by 30 Sep 2027")
    press(nb, "Add a measure")
    nb.get_by_label("Measure 1", exact=True).fill("Falls a month")
    press(nb, "Save the canvas")
    nb.get_by_text("Saved the canvas").wait_for()
    nb.locator(".cd-rating", has_text="Aim: Reduce falls on Ward 7").wait_for()
    assert pick_in_every_row(nb, 0) == 1  # I will help make this happen
    press(nb.locator(".cd-stage-prototype-commit"), "Show my results")
    nb.get_by_text("You will help make 1 of 1 prototype happen.").first.wait_for()
    nb.get_by_label("Date the cycle starts").fill("2027-03-03")
    nb.get_by_label(re.compile("^Plan")).fill("Two nurses round hourly on nights")
    press(nb, "Save the cycle")
    nb.get_by_text("Saved cycle 1").wait_for()
    nb.get_by_label("Date", exact=True).fill("2027-03-10")
    nb.get_by_label("Value", exact=True).fill("9")
    press(nb, "Add the value")
    nb.get_by_text("Added 9 for 10 Mar 2027").wait_for()


def test_self_guided_path_in_jupyterlab(lab, lab_page):
    before = kit_notebooks()
    page = lab_page
    copies = sorted(p.name for p in lab.folder.glob("*.ipynb"))
    assert copies == sorted(SELF_GUIDED)
    for step, name in zip((readiness, focus, cede, prototype), SELF_GUIDED, strict=True):
        step(page, lab)
        page.get_by_text(IDLE).wait_for()
        problems = tracebacks(page)
        assert not problems, f"{step.__name__}: " + "\n".join(problems)[:3000]
        save(page)
        saved = json.loads((lab.folder / name).read_text())
        assert any(c.get("outputs") for c in saved["cells"]), f"{name} saved no outputs"
    # The person's copies hold their work; the kit's own files are untouched.
    after = kit_notebooks()
    changed = sorted(n for n in before.keys() | after.keys() if before.get(n) != after.get(n))
    assert not changed, f"the kit's own notebooks changed: {changed}"
    # Nor did the kit fail where JupyterLab logs what kernels print outside any cell (the
    # server's own warnings, such as an unreachable extension index, are not the kit's).
    log = lab.log.read_text()
    assert not re.search(r'File ".*/widgets/', log), log[-3000:]
