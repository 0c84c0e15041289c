"""One definition for each fact the workshop states in more than one place: the delegation
levels' words, the steps' minutes, and the run-chart and XmR rule numbers. The code reads
them from one place; the notebooks, the README and the facilitator guide, which cannot
import them, are held to them here."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from widgets import agenda, tracking
from widgets import delegation_levels as levels
from widgets.analysis import delegation, spc
from widgets.delegation_levels import BY_NUMBER, LEVELS
from widgets.session import View, Viewer
from widgets.stages import STAGES
from widgets.validation import FieldError

ROOT = Path(__file__).resolve().parents[1]
WORKSHOPS = ROOT / "workshops"


def markdown(notebook: str) -> str:
    cells = json.loads((WORKSHOPS / notebook).read_text())["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


# -- the delegation levels --------------------------------------------------------------------
def test_the_cede_notebook_table_is_the_seven_levels():
    rows = re.findall(r"^\| (\d) (\w+) \| (.+?) \|$", markdown("02_cede.ipynb"), re.M)
    assert [(int(n), name, meaning) for n, name, meaning in rows] == [
        (lv.number, lv.name, lv.meaning[0].lower() + lv.meaning[1:].rstrip("."))
        for lv in LEVELS]


@pytest.mark.parametrize("path", ["README.md", "data/README.md", "docs/facilitator-guide.md"])
def test_the_docs_number_each_level_as_the_kit_does(path):
    names = "|".join(lv.name for lv in LEVELS)
    text = (ROOT / path).read_text()
    said = re.findall(rf"\b(\d) \(?({names})\b", text)
    assert all(BY_NUMBER[int(n)].name == name for n, name in said), said


def test_the_board_counts_guardrails_from_the_kits_advise():
    assert BY_NUMBER[levels.ADVISE].name == "Advise"
    assert delegation.ADVISE is levels.ADVISE
    below, at = {"d": levels.ADVISE - 1}, {"d": levels.ADVISE}
    assert delegation.guardrail_gaps(below, {"d": "Ward manager"}, {}) == {}
    assert delegation.guardrail_gaps(at, {"d": "Ward manager"}, {})["d"] == list(
        delegation.GUARDRAIL_FIELDS)


# -- the steps' minutes -----------------------------------------------------------------------
def test_the_three_hour_agenda_is_the_steps_own_minutes():
    plan = agenda.THREE_HOURS
    assert plan.minutes() == 180
    for key, info in STAGES.items():
        assert plan.minutes_for(key) == info.minutes


@pytest.mark.parametrize("notebook", sorted({s.notebook for s in STAGES.values()}))
def test_each_notebook_says_its_steps_minutes(notebook):
    steps = [s.minutes for s in STAGES.values() if s.notebook == notebook]
    found = re.search(r"\*About (\d+) minutes: ([^*]+)\*", markdown(notebook))
    assert found, f"{notebook} does not say how long it takes"
    parts = [int(n) for n in re.findall(r"\b(\d+) (?:to|for)\b", found[2])]
    assert int(found[1]) == sum(steps)
    assert parts == steps if len(steps) > 1 else sum(parts) == sum(steps)


@pytest.mark.parametrize("where", ["facilitator.ipynb", "README.md"])
def test_the_readiness_check_is_timed_as_the_agenda_does(where):
    text = markdown(where) if where.endswith(".ipynb") else (ROOT / where).read_text()
    said = re.search(r"readiness check takes about (\d+)\s+minutes", text)
    assert said and int(said[1]) == STAGES["readiness"].minutes


def test_the_readme_gives_each_module_its_agenda_time():
    said = dict(re.findall(r"\(`(\d\d_\w+)`, about (\d+) minutes\)", (ROOT / "README.md")
                           .read_text()))
    assert set(said) == {"01_focus", "02_cede", "03_prototype"}
    for name, minutes in said.items():
        assert int(minutes) == sum(s.minutes for s in STAGES.values()
                                   if s.notebook == f"{name}.ipynb")


def test_the_facilitator_guide_table_is_the_three_hour_agenda():
    text = (ROOT / "docs/facilitator-guide.md").read_text()
    table = text.split("**One three-hour session**", 1)[1].split("\n\n", 2)[1]
    rows = re.findall(r"^\| (\d:\d\d) \| (.+?) \| (\d+) \|$", table, re.M)
    clock, expected = 0, []
    for s in agenda.THREE_HOURS.steps:
        expected.append((agenda.clock(clock), s.title, str(s.minutes)))
        clock += s.minutes
    assert rows == expected


def test_the_facilitator_guide_gives_the_three_sittings_their_minutes():
    text = " ".join((ROOT / "docs/facilitator-guide.md").read_text().split())
    plan = agenda.THREE_SITTINGS
    for module, part in (("Cede", 2), ("Prototype", 3)):
        said = re.search(rf"sitting {part} is {module} \(([\d, and]+) minutes", text)
        assert said, module
        minutes = [s.minutes for s in plan.steps if s.part == part and s.item in STAGES]
        assert [int(n) for n in re.findall(r"\d+", said[1])] == minutes


def test_the_step_bar_says_the_time_the_countdown_runs(live):
    from widgets.ui.shell.stepbar import StepBar

    f = View(live.store, live.session, Viewer("facilitator", key=live.key))
    agenda.choose(f, agenda.custom([("readiness", 7)]))
    live.store.move_stage(live.session.id, "readiness", "open", live.key)
    f.refresh()
    bar = StepBar(f, "00_readiness.ipynb")
    assert agenda.start_for_stage(f, "readiness").seconds_left() <= 7 * 60
    assert "About 7 minutes." in bar.bar.value
    agenda.choose(f, agenda.THREE_HOURS)
    bar.refresh()
    assert f"About {STAGES['readiness'].minutes} minutes." in bar.bar.value


# -- the chart rules --------------------------------------------------------------------------
def test_the_run_chart_sentence_says_the_rule_it_applies(monkeypatch):
    monkeypatch.setattr(spc, "RUN_SHIFT", 5)
    monkeypatch.setattr(spc, "RUN_TREND", 4)
    shifted = spc.spc_sentence([1, 2, 1, 2, 9, 8, 9, 8, 9, 1], list(range(10)))
    assert "a shift of 5 or more points" in shifted
    rising = spc.spc_sentence([5, 1, 2, 3, 4, 0], list(range(6)))
    assert "a trend of 4 or more points" in rising


def test_a_measure_chart_uses_the_xmr_rules_of_the_analysis(live):
    assert tuple(spc.XMR_RULES) == tracking.RULE_LENGTHS
    view = View(live.store, live.session, Viewer("facilitator", key=live.key))
    assert tracking.series(view, "p", "m", shared={}).rule == spc.XMR_RULE
    with pytest.raises(FieldError) as said:
        tracking.save_settings(view, "p", "m", 5, [])
    for n, why in spc.XMR_RULES.items():
        assert f"{n} points ({why})" in str(said.value) or f"{n} ({why})" in str(said.value)
