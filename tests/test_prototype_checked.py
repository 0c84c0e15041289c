"""The Prototype module checks every value where it is stored (``widgets.prototype`` and
``widgets.tracking``, through ``widgets.validation``), never only in its screens: a script
speaking the widget protocol, or any other caller, gets a message and nothing is saved.
And text an older version stored with control characters shows inertly and never stops
the page."""

from __future__ import annotations

import math
from datetime import date, datetime

import pytest

from widgets import cede, prototype, tracking, validation
from widgets.markup import esc, inert
from widgets.validation import FieldError

from .helpers import AREAS, fview, pview

HUGE = 10 ** 400


@pytest.fixture
def store(sqlite_store):
    return sqlite_store


@pytest.fixture
def canvas(room):
    """Asha's view and a fresh prototype in the first focus area."""
    me = pview(room, 0)
    return me, prototype.create(me, AREAS[0], "Night rounding")


def _design_rows(room) -> dict:
    """Every canvas item with its value and version: unchanged when nothing was saved."""
    return {item: (saved.value, saved.version) for item, saved in
            room.store.shared(room.session.id, prototype.DESIGN).items()}


def _refused(room, view, pid, changes, match=None):
    before = _design_rows(room)
    with pytest.raises(FieldError, match=match):
        prototype.save_fields(view, pid, changes, {})
    assert _design_rows(room) == before, "something was saved"


# -- the canvas ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", [f for f, *_ in prototype.TEXT_FIELDS] + ["title"])
@pytest.mark.parametrize("text", ["Ward\x07 7", "Ward 7\x1b[2J", "\x00", "a\x7f", "a\ud800"])
def test_canvas_text_with_a_control_character_is_refused(room, canvas, name, text):
    me, p = canvas
    _refused(room, me, p.id, {name: text}, "control character")


@pytest.mark.parametrize(("name", "limit"), [("aim", 5000), ("need", 200), ("title", 200),
                                             ("smallest_test", 200), ("drivers", 5000)])
def test_canvas_text_past_its_limit_is_refused_with_the_limit(room, canvas, name, limit):
    me, p = canvas
    _refused(room, me, p.id, {name: "x" * (limit + 1)}, f"the limit is {limit:,}")
    prototype.save_fields(me, p.id, {name: "x" * limit}, {})
    assert prototype.get(me, p.id).values[name] == "x" * limit


@pytest.mark.parametrize("value", [5, ["a"], {"a": 1}, True])
def test_canvas_text_must_be_text(room, canvas, value):
    me, p = canvas
    _refused(room, me, p.id, {"aim": value}, "must be text")


def test_one_bad_field_saves_nothing_of_the_others(room, canvas):
    me, p = canvas
    _refused(room, me, p.id, {"aim": "Halve falls by June", "cause": "Night\x07"})
    assert "aim" not in prototype.get(me, p.id).values


def test_a_prototype_needs_a_name_and_a_focus_area(room, canvas):
    me, p = canvas
    _refused(room, me, p.id, {"title": "   "}, "needs a short name")
    for area, title, match in (("Not an area", "Rounding", "not one of the choices"),
                               (AREAS[0], "Round\x07ing", "control character"),
                               (AREAS[0], "", "needs a short name"),
                               (AREAS[0], "x" * 201, "the limit is 200")):
        with pytest.raises(FieldError, match=match):
            prototype.create(me, area, title)
    assert [x.id for x in prototype.prototypes(me)] == [p.id]
    _refused(room, me, p.id, {"area": "Not an area"}, "not one of the choices")
    prototype.save_fields(me, p.id, {"area": AREAS[1]}, {})
    assert prototype.get(me, p.id).area == AREAS[1]


def test_a_solo_leader_with_no_focus_areas_files_under_other(store, facilitator_key):
    from widgets.session import View, Viewer, join

    session = store.create_session("Solo", facilitator_key)
    person, _ = join(store, session.code, "Sam")
    me = View(store, session, Viewer("participant", participant_id=person.id))
    assert prototype.area_options(me) == [prototype.OTHER]
    assert prototype.create(me, prototype.OTHER, "My own test").area == prototype.OTHER
    with pytest.raises(FieldError):
        prototype.create(me, "Sepsis", "Not a chosen area")


def test_the_kits_own_fields_and_unknown_prototypes_are_refused(room, canvas):
    me, p = canvas
    _refused(room, me, p.id, {"created": "1999-01-01T00:00:00"}, "set by the kit")
    _refused(room, me, p.id, {"removed": True}, "set by the kit")
    _refused(room, me, "nope", {"aim": "Halve falls"}, "does not exist")
    with pytest.raises(FieldError):
        prototype.remove(me, p.id, "yes")
    with pytest.raises(FieldError):
        prototype.remove(me, "nope")
    assert prototype.get(me, p.id).values.get("removed") is None


@pytest.mark.parametrize("weeks", [0, 105, -1, math.nan, math.inf, HUGE, 1e300, True, "8",
                                   [8]])
def test_the_timebox_is_a_number_of_weeks_within_its_range(room, canvas, weeks):
    me, p = canvas
    _refused(room, me, p.id, {"timebox_weeks": weeks}, "from 1 to 104")


def test_a_good_timebox_is_kept(room, canvas):
    me, p = canvas
    prototype.save_fields(me, p.id, {"timebox_weeks": 8.5}, {})
    prototype.save_fields(me, p.id, {"timebox_weeks": 104}, {})
    assert prototype.get(me, p.id).values["timebox_weeks"] == 104
    prototype.save_fields(me, p.id, {"timebox_weeks": None}, {})  # emptied


def _measure(**changes) -> dict:
    return {"id": "m1", "name": "Falls a month", "kind": "outcome", "better": "lower",
            "definition": "Falls on the ward, monthly", "target": 6.0, **changes}


BAD_MEASURES = [
    pytest.param([_measure(kind="made-up")], "not one of the choices", id="kind"),
    pytest.param([_measure(better="up")], "not one of the choices", id="better"),
    pytest.param([_measure(target=math.inf)], "must be a number", id="target-inf"),
    pytest.param([_measure(target=HUGE)], "must be a number", id="target-huge"),
    pytest.param([_measure(target=1e13)], "must be a number", id="target-past-limit"),
    pytest.param([_measure(target="6")], "must be a number", id="target-text"),
    pytest.param([_measure(name="Falls\x07")], "control character", id="name-bell"),
    pytest.param([_measure(name="x" * 201)], "the limit is 200", id="name-long"),
    pytest.param([_measure(definition="x" * 5001)], "the limit is 5,000", id="definition-long"),
    pytest.param([_measure(id="m1"), _measure(id="m1")], "same id", id="same-id"),
    pytest.param([_measure(id="<b>")], "no usable id", id="bad-id"),
    pytest.param([_measure(extra="x")], "is not a measure", id="extra-key"),
    pytest.param(["Falls"], "is not a measure", id="not-a-row"),
    pytest.param([_measure(id=f"m{i}") for i in range(validation.CANVAS_ROWS + 1)],
                 f"at most {validation.CANVAS_ROWS}", id="too-many"),
    pytest.param("Falls", "must be a list", id="not-a-list"),
]


@pytest.mark.parametrize(("measures", "match"), BAD_MEASURES)
def test_bad_measures_are_refused_and_nothing_is_saved(room, canvas, measures, match):
    me, p = canvas
    _refused(room, me, p.id, {"measures": measures}, match)


def test_good_measures_are_kept(room, canvas):
    me, p = canvas
    rows = [_measure(id=f"m{i}", target=None if i else 6) for i in range(
        validation.CANVAS_ROWS)]
    prototype.save_fields(me, p.id, {"measures": rows}, {})
    saved = prototype.get(me, p.id).values["measures"]
    assert len(saved) == validation.CANVAS_ROWS and saved[0]["target"] == 6.0


BAD_TEAMS = [
    pytest.param([{"role": "Nurse\x07", "frontline": True}], "control character", id="bell"),
    pytest.param([{"role": "x" * 201, "frontline": True}], "the limit is 200", id="long"),
    pytest.param([{"role": "Nurse", "frontline": "yes"}], "not one of the choices", id="tick"),
    pytest.param([{"role": "Nurse", "pay": 1}], "not a role", id="extra-key"),
    pytest.param([{"role": "Nurse", "frontline": True}] * (validation.CANVAS_ROWS + 1),
                 f"at most {validation.CANVAS_ROWS}", id="too-many"),
]


@pytest.mark.parametrize(("team", "match"), BAD_TEAMS)
def test_bad_team_rows_are_refused(room, canvas, team, match):
    me, p = canvas
    _refused(room, me, p.id, {"team": team}, match)


def test_decisions_held_are_those_of_the_board(room, canvas):
    me, p = canvas
    held = "Start a small test of change"
    room.store.save_shared(room.session.id, cede.BOARD, cede.key("agreed", AREAS[0], held), 5,
                           key=room.key)
    _refused(room, me, p.id, {"decisions": [held, "Sack the board"]}, "not one of the choices")
    _refused(room, me, p.id, {"decisions": [7]}, "not one of the choices")
    prototype.save_fields(me, p.id, {"decisions": [held, held]}, {})
    assert prototype.get(me, p.id).values["decisions"] == [held]


# -- the facilitator's settings -----------------------------------------------------------------

@pytest.mark.parametrize("people", [0, 11, -5, 2.5, True, math.nan, math.inf, HUGE, "3", None])
def test_the_threshold_is_a_whole_number_of_people_in_its_range(room, people):
    before = prototype.threshold(fview(room))
    with pytest.raises(FieldError, match="from 1 to 10"):
        prototype.set_threshold(fview(room), people)
    assert prototype.threshold(fview(room)) == before


@pytest.mark.parametrize("weeks", [0, 105, 12.5, True, math.nan, HUGE, "13", None])
def test_the_longest_timebox_is_a_whole_number_of_weeks_in_its_range(room, weeks):
    with pytest.raises(FieldError, match="from 1 to 104"):
        prototype.set_max_weeks(fview(room), weeks)
    assert prototype.max_weeks(fview(room)) == 12


def test_good_facilitator_settings_are_kept(room):
    prototype.set_threshold(fview(room), 10)
    prototype.set_max_weeks(fview(room), 13)
    assert (prototype.threshold(fview(room)), prototype.max_weeks(fview(room))) == (10, 13)


# -- the PDSA log --------------------------------------------------------------------------------

GOOD_CYCLE = {"date": "2025-03-03", "plan": "Two nurses round hourly", "act": ""}
BAD_CYCLES = [
    pytest.param({**GOOD_CYCLE, "date": "2025-02-30"}, "not a real date", id="feb-30"),
    pytest.param({**GOOD_CYCLE, "date": "0001-01-01"}, "in the year 1;", id="year-1"),
    pytest.param({**GOOD_CYCLE, "date": "2101-01-01"}, "in the year 2101", id="year-2101"),
    pytest.param({**GOOD_CYCLE, "date": "20255-01-01"}, "not a date", id="year-20255"),
    pytest.param({**GOOD_CYCLE, "date": "soon"}, "not a date", id="words"),
    pytest.param({**GOOD_CYCLE, "date": None}, "not a date", id="no-date"),
    pytest.param({**GOOD_CYCLE, "plan": ""}, "Write the plan first", id="no-plan"),
    pytest.param({**GOOD_CYCLE, "plan": "Round\x07"}, "control character", id="plan-bell"),
    pytest.param({**GOOD_CYCLE, "study": "x" * 5001}, "the limit is 5,000", id="study-long"),
    pytest.param({**GOOD_CYCLE, "do": 5}, "must be text", id="do-number"),
    pytest.param({**GOOD_CYCLE, "act": "ignore"}, "not one of the choices", id="act"),
    pytest.param({**GOOD_CYCLE, "owner": "x"}, "no part called", id="extra-key"),
    pytest.param({**GOOD_CYCLE, "logged": "yesterday"}, "not a moment", id="logged"),
    pytest.param("a cycle", "must be a date with its plan", id="not-a-dict"),
]


@pytest.mark.parametrize(("cycle", "match"), BAD_CYCLES)
def test_bad_cycles_are_refused_and_nothing_is_saved(room, canvas, cycle, match):
    me, p = canvas
    with pytest.raises(FieldError, match=match):
        tracking.save_cycle(me, p.id, cycle)
    assert tracking.cycles(me, p.id) == []


def test_a_cycle_names_a_prototype_and_a_cycle_that_exist(room, canvas):
    me, p = canvas
    with pytest.raises(FieldError, match="prototype does not exist"):
        tracking.save_cycle(me, "nope", GOOD_CYCLE)
    with pytest.raises(FieldError, match="cycle does not exist"):
        tracking.save_cycle(me, p.id, GOOD_CYCLE, "made-up", 1)
    cid, _ = tracking.save_cycle(me, p.id, GOOD_CYCLE)
    assert [c.id for c in tracking.cycles(me, p.id)] == [cid]


def test_a_log_holds_at_most_its_stated_number_of_cycles(room, canvas, monkeypatch):
    me, p = canvas
    monkeypatch.setattr(tracking, "PDSA_CYCLES", 2)
    tracking.save_cycle(me, p.id, GOOD_CYCLE)
    tracking.save_cycle(me, p.id, GOOD_CYCLE)
    with pytest.raises(FieldError, match="at most 2"):
        tracking.save_cycle(me, p.id, GOOD_CYCLE)
    assert len(tracking.cycles(me, p.id)) == 2
    one = tracking.cycles(me, p.id)[0]  # writing into a cycle already there still works
    tracking.save_cycle(me, p.id, {**one.value, "study": "Done"}, one.id, one.version)


# -- measure values and chart settings --------------------------------------------------------

@pytest.mark.parametrize("day", [date(1, 1, 1), date(1899, 12, 31), date(2101, 1, 1),
                                 datetime(2025, 3, 3, 9, 0), "2025-02-30", "soon", None])
def test_a_value_needs_a_real_date_in_a_sensible_year(room, canvas, day):
    me, p = canvas
    with pytest.raises(FieldError):
        tracking.add_points(me, p.id, "m1", [(date(2025, 3, 3), 1.0), (day, 2.0)])
    assert tracking.series(me, p.id, "m1").points == []
    with pytest.raises(FieldError):
        tracking.remove_point(me, p.id, "m1", day)


def test_a_value_dated_by_its_iso_text_is_kept_as_a_date(room, canvas):
    me, p = canvas
    assert tracking.add_points(me, p.id, "m1", [("2025-03-03", 4.0)]) == (1, [])
    assert tracking.series(me, p.id, "m1").points == [(date(2025, 3, 3), 4.0)]


@pytest.mark.parametrize(("rule", "breaks"), [
    (5, []), (7.0, []), (True, []), ("7", []),
    (7, [date(1, 1, 1)]), (7, ["2025-02-30"]), (7, [datetime(2025, 3, 3)]), (7, "2025-03-03"),
])
def test_chart_settings_are_checked(room, canvas, rule, breaks):
    me, p = canvas
    with pytest.raises(FieldError):
        tracking.save_settings(me, p.id, "m1", rule, breaks)
    assert tracking.series(me, p.id, "m1").rule == 7
    assert not room.store.shared(room.session.id, prototype.TRACK)


# -- dates anywhere --------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["2025-02-30", "30/02/2025", "0225-03-01", "2101-01-01",
                                  "01/01/1066"])
def test_dates_typed_must_be_real_days_in_a_sensible_year(text):
    with pytest.raises(FieldError, match=r"real date|Check the year"):
        validation.parse_date(text)


def test_check_date_takes_a_date_or_its_iso_text():
    assert validation.check_date(date(2025, 3, 3), "x") == date(2025, 3, 3)
    assert validation.check_date("2025-03-03", "x") == date(2025, 3, 3)
    for bad in (datetime(2025, 3, 3), "03/03/2025", 20250303, None):
        with pytest.raises(FieldError):
            validation.check_date(bad, "x")


# -- old text shown inertly -------------------------------------------------------------------

def test_control_characters_show_as_visible_signs():
    assert inert("Ward\x07 7\x1b[2J\x00\x7f\x9b\ud800") == "Ward\u2407 7\u241b[2J\u2400\u2421" \
                                                          "\ufffd\ufffd"
    assert inert("tab\tand\nnew line") == "tab\tand\nnew line"
    assert inert(None) == ""
    assert esc("<b>\x07</b>") == "&lt;b&gt;\u2407&lt;/b&gt;"
    assert not validation.control_problem(inert("".join(map(chr, range(0x20)))))


def _stored_with_controls(room, me, p) -> None:
    """Put control characters straight into the store, as older versions allowed."""
    who = room.people[0][0].id
    for name, value in (("aim", "Fewer falls\x1b by June"), ("drivers", "Supervised\x07"),
                        ("team", [{"role": "Nurse\x07", "frontline": True}]),
                        ("measures", [_measure(name="Falls\x07", definition="\x00count")])):
        room.store.save_shared(room.session.id, prototype.DESIGN,
                               prototype.key("canvas", p.id, name), value, participant_id=who)


def test_a_canvas_stored_with_control_characters_opens_and_shows_them(room, canvas):
    """The page-stopping bug: a saved team or measure row holding a control character
    failed its check while the canvas was being built, the check then read the raw rows and
    raised AttributeError, and the participant's Prototype page never opened."""
    from widgets.ui.prototype.canvas import CanvasEditor
    from widgets.ui.prototype.page import participant_parts
    from widgets.ui.prototype.picker import Picker

    me, p = canvas
    _stored_with_controls(room, me, p)
    assert participant_parts(me, solo=False)  # builds
    editor = CanvasEditor(me, Picker(me))
    assert editor.boxes["aim"].value == "Fewer falls\u241b by June"
    assert editor.team.rows[0][0].value == "Nurse\u2407"
    assert editor.measures.rows[0]["name"].value == "Falls\u2407"
    assert "Prompts to strengthen" in editor.prompts.value
    # Another field edited and saved: the old text, shown as signs, does not block it.
    editor.boxes["need"].value = "Older patients"
    editor.save()
    assert "Saved" in editor.status.text, editor.status.text
    assert prototype.get(me, p.id).values["need"] == "Older patients"


def test_a_control_character_typed_into_a_list_row_keeps_the_prompts_working(room, canvas):
    from widgets.ui.prototype.canvas import CanvasEditor
    from widgets.ui.prototype.picker import Picker

    me, _ = canvas
    editor = CanvasEditor(me, Picker(me))
    editor.measures.add(name="Falls", kind="outcome")
    editor.measures.rows[0]["name"].value = "Falls\x07"  # the prompt check runs as you type
    editor.team.add("Nurse\x07", True)
    assert "Prompts to strengthen" in editor.prompts.value
    editor.save()
    assert "control character" in editor.status.text
