"""The check-in's timings (issue 20) are written once, in ``agenda.CHECK_IN``; the notebook,
the README and the facilitator guide say the same minutes, and the sitting fits 45 to 60."""

from __future__ import annotations

import json
import re
from pathlib import Path

from widgets import agenda

ROOT = Path(__file__).resolve().parents[1]


def test_the_check_in_fits_45_to_60_minutes():
    assert 45 <= agenda.CHECK_IN.minutes() <= 60
    assert {s.item for s in agenda.CHECK_IN.steps} == set(agenda.CHECK_IN_STEPS)
    assert agenda.Step("check_in.keep", 1).title == "Check-in: keep, change or stop"


def test_the_guide_table_is_the_check_in_agenda():
    text = (ROOT / "docs/facilitator-guide.md").read_text()
    table = text.split("**The check-in** (", 1)[1].split("\n\n", 2)[1]
    rows = re.findall(r"^\| (\d:\d\d) \| (.+?) \| (\d+) \|$", table, re.M)
    clock, expected = 0, []
    for s in agenda.CHECK_IN.steps:
        expected.append((agenda.clock(clock), s.title, str(s.minutes)))
        clock += s.minutes
    assert rows == expected
    assert f"**The check-in** ({agenda.CHECK_IN.minutes()} minutes" in text


def _said(text: str) -> tuple[int, list[int]]:
    found = re.search(r"about (\d+) minutes[^(]*?\((\d+) to welcome, ([^)]+)\)", " ".join(
        text.split()))
    assert found, "the minutes are not said"
    return int(found[1]), [int(found[2]), *(int(n) for n in re.findall(r"\b(\d+) (?:to|for)\b",
                                                                       found[3]))]


def test_the_readme_and_the_notebook_say_the_same_minutes():
    minutes = [s.minutes for s in agenda.CHECK_IN.steps]
    total, parts = _said((ROOT / "README.md").read_text())
    assert (total, parts) == (agenda.CHECK_IN.minutes(), minutes)
    cells = json.loads((ROOT / "workshops/04_check_in.ipynb").read_text())["cells"]
    text = "".join(cells[0]["source"])
    found = re.search(r"\*About (\d+) minutes, every month or quarter: ([^*]+)\*", text)
    assert found and int(found[1]) == agenda.CHECK_IN.minutes()
    assert [int(n) for n in re.findall(r"\b(\d+) (?:to|for)\b", found[2])] == minutes
    assert cells[1]["outputs"] == [] and cells[1]["execution_count"] is None
