"""The canvas check's prompts: each gap named, a complete canvas left in peace."""

from __future__ import annotations

import pytest

from widgets.analysis.canvas import check

GOOD = {
    "aim": "Reduce falls on Ward 7 from 12 to 6 a month by 30 September 2026",
    "cause": "Patients walk to the toilet unaided at night; audit of 40 falls",
    "prediction": "Falls at night halve within 6 weeks",
    "stop_criteria": "Stop if any patient is harmed by the change or nurses cannot keep up",
    "timebox_weeks": 8,
    "drivers": "Patients are supervised at night\n- Hourly rounds\n-- Intentional rounding "
               "chart\nStaff know who is at risk\n- Falls risk on the board",
    "change_idea": "Intentional rounding every hour at night",
    "smallest_test": "Two nurses on Ward 7, nights of 3 to 9 March",
    "need": "Older patients at risk of falling at night",
    "team": [{"role": "Ward sister", "frontline": True}, {"role": "Matron",
                                                          "frontline": False}],
    "measures": [
        {"name": "Falls a month", "kind": "outcome", "better": "lower",
         "definition": "Datix falls on Ward 7, counted monthly"},
        {"name": "Night rounds done", "kind": "process", "better": "higher",
         "definition": "Hourly rounds ticked on the chart"},
        {"name": "Staff overtime", "kind": "balancing", "better": "lower",
         "definition": "Hours of overtime on Ward 7 a week"},
    ],
}


def fields(prompts):
    return [p.field for p in prompts]


def test_a_complete_canvas_gets_no_prompts():
    assert check(GOOD) == []


def test_an_empty_canvas_is_prompted_but_never_blocked():
    prompts = check({})
    assert {"aim", "measures", "stop_criteria", "timebox_weeks", "team", "prediction",
            "cause"} <= set(fields(prompts))


def test_each_gap_gets_its_own_prompt():
    no_number = {**GOOD, "aim": "Fewer falls on the ward by September"}
    assert check(no_number)[0].text.startswith("How much?")
    no_date = {**GOOD, "aim": "Halve falls on Ward 7 from 12 to 6"}
    assert check(no_date)[0].text.startswith("By when?")
    no_balancing = {**GOOD, "measures": GOOD["measures"][:2]}
    assert [p.text for p in check(no_balancing)] == [
        "Add a balancing measure: could it cause harm somewhere else?"]
    no_direction = {**GOOD, "measures": [{**GOOD["measures"][0], "better": None},
                                         *GOOD["measures"][1:]]}
    assert "higher or lower is better" in check(no_direction)[0].text
    long_box = {**GOOD, "timebox_weeks": 20}
    assert "20 weeks is long" in check(long_box)[0].text
    assert check(long_box, max_weeks=26) == []
    no_front_line = {**GOOD, "team": [{"role": "Matron", "frontline": False}]}
    assert fields(check(no_front_line)) == ["team"]
    no_stop = {**GOOD, "stop_criteria": "  "}
    assert fields(check(no_stop)) == ["stop_criteria"]
    assert fields(check({**GOOD, "change_idea": ""})) == ["change_idea"]
    assert fields(check({**GOOD, "smallest_test": ""})) == ["smallest_test"]
    assert fields(check({**GOOD, "need": None})) == ["need"]
    assert "number of weeks" in check({**GOOD, "timebox_weeks": "eight"})[0].text


def test_drivers_are_prompted_for_number_and_placement():
    assert "2 to 5 primary drivers" in check({**GOOD, "drivers": ""})[0].text
    many = "\n".join(f"Driver {i}" for i in range(7))
    assert "7 primary drivers is a lot" in check({**GOOD, "drivers": many})[0].text
    orphan = "- Hourly rounds\nPatients are supervised"
    assert [p.text for p in check({**GOOD, "drivers": orphan})] == [
        "“Hourly rounds” starts with dashes but has no driver above it to sit under. Add "
        "one, or remove the dashes."]


@pytest.mark.parametrize(("aim", "says_how_much"), [
    ("Reduce falls on Ward 7 from 12 to 6 a month by 30 September 2026", True),
    ("Fewer falls on Ward 7 by September", False),  # a ward's number is no amount
    ("Fewer falls on Ward 7 by 30 September 2026", False),  # nor is a date
    ("Cut waits on Bay 3B before 1 March 2026", False),
    ("Fewer readmissions in 2026", False),  # nor a year
    ("Fewer falls by 2026-09-30", False),
    ("Improve flow by May 5th, 2026", False),
    ("Halve falls on Ward 7 by September 2026", True),  # a word can be the amount
    ("Zero pressure ulcers on Ward 12 by 2026-09-30", True),
    ("Reduce falls by 50% by 2027", True),
    ("Reduce waits from 2000 to 1500 appointments by March", True),  # numbers, not years
    ("95% of patients screened by 31/03/2026", True),
])
def test_how_much_is_an_amount_not_a_place_or_a_date(aim, says_how_much):
    asked = any(p.text.startswith("How much?") for p in check({**GOOD, "aim": aim}))
    assert asked is not says_how_much


@pytest.mark.parametrize(("aim", "says_by_when"), [
    ("Reduce falls on Ward 7 from 12 to 6 a month by 30 September 2026", True),
    ("Fewer falls on Ward 7 by September", True),
    ("Fewer falls by 2026-09-30", True),
    ("95% of patients screened by 31/03/2026", True),
    ("Fewer readmissions in 2027", True),
    ("Cut waits from 40 to 20 days in 2026/27", True),
    ("Halve falls within 12 weeks", True),
    ("Halve falls over the next six months", True),
    ("Raise the share seen from 62% to 80% by the end of the quarter", True),
    ("Zero pressure ulcers by year end", True),
    ("Halve missed doses before Christmas", True),
    ("Halve missed doses in Q3", True),
    ("Halve missed doses by next spring", True),
    ("Halve missed doses by this time next year", True),
    ("Cut falls by this much: from 12 to 6", False),
    ("An 8-week test halving missed doses", True),
    ("Halve falls on Ward 7 from 12 to 6", False),
    ("Decrease falls from 12 to 6 a month", False),  # "dec...", "a month": no time
    ("Reduce falls by 50%", False),  # "by" an amount
    ("Patients may wait less: from 40 to 20 days", False),  # "may", and a wait's length
    ("Fewer decisions escalated: from 30 to 10 a week", False),
    ("Junior doctors report 20% fewer bleeps", False),
    ("Improve the margin by 5%", False),
])
def test_by_when_is_a_time_not_a_word_that_looks_like_one(aim, says_by_when):
    asked = any(p.text.startswith("By when?") for p in check({**GOOD, "aim": aim}))
    assert asked is not says_by_when


def test_missing_measures_are_asked_for_in_plain_english():
    """ "Add a outcome measure" read badly: "an" before a vowel."""
    texts = [p.text for p in check({**GOOD, "measures": []})]
    assert any(t.startswith("Add an outcome measure") for t in texts), texts
    assert any(t.startswith("Add a process measure") for t in texts), texts
    assert any(t.startswith("Add a balancing measure") for t in texts), texts
    assert not any(" a outcome" in t for t in texts)
