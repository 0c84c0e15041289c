"""The Prototype module driven headless: canvas and prompts, driver diagram, commitment,
PDSA log, measures and their chart, the room screen, and idle pages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from widgets import cede, prototype, tracking
from widgets.session import View, Viewer
from widgets.store import StoreError
from widgets.ui.prototype.canvas import CanvasEditor
from widgets.ui.prototype.commit import CommitForm, CommitResults
from widgets.ui.prototype.diagram import DriverDiagram
from widgets.ui.prototype.measures import MeasuresPanel
from widgets.ui.prototype.page import RoomPrototype, console_parts, participant_parts
from widgets.ui.prototype.pdsa import PdsaLog
from widgets.ui.prototype.picker import Overview, Picker

from .helpers import AREAS, fview, pview, sends_during

HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>'


@pytest.fixture
def store(sqlite_store):
    return sqlite_store


def start(view, title="Night rounding", area=AREAS[0]):
    picker = Picker(view)
    picker.area.value, picker.title.value = area, title
    picker.add_btn.click()
    assert "Started" in picker.status.text
    return picker


def fill(editor: CanvasEditor):
    b = editor.boxes
    b["aim"].value = "Reduce falls on Ward 7 from 12 to 6 a month by 30 Sep 2026"
    b["drivers"].value = "Patients are supervised at night\n- Hourly rounds\n-- Rounding chart"
    b["cause"].value = "Most falls are at night: audit of 40 falls"
    b["need"].value = "Older patients at risk of falling"
    b["change_idea"].value = "Rounding chart"
    b["prediction"].value = "Night falls halve within six weeks"
    b["smallest_test"].value = "Two nurses, Ward 7, nights of 3 to 9 March"
    b["stop_criteria"].value = "Stop if anyone is harmed"
    b["timebox_weeks"].value = "8"
    editor.team.add("Staff nurse", True)
    for name, kind, better in (("Falls a month", "outcome", "lower"),
                               ("Rounds done", "process", "higher"),
                               ("Overtime hours", "balancing", "lower")):
        editor.measures.add(name=name, kind=kind, better=better, definition=f"{name}, weekly")


def test_starting_a_prototype_and_the_overview(room):
    v = pview(room, 0)
    picker = Picker(v)
    assert picker.area.value == AREAS[0]  # chosen for you: never an empty choice
    assert "No prototypes yet" in picker.empty.value
    picker.add_btn.click()
    assert "short name first" in picker.status.text
    picker.title.value = "x" * 201
    picker.add_btn.click()
    assert "limit is 200" in picker.status.text
    picker.title.value = HOSTILE
    picker.add_btn.click()
    assert picker.pid is not None and picker.choose.value == picker.pid
    overview = Overview(pview(room, 1))
    assert "&lt;script&gt;" in overview.widget.value and "<script>" not in overview.widget.value
    assert "prompts" in overview.widget.value and "no cycles yet" in overview.widget.value


def test_the_canvas_prompts_as_you_type_and_saves_a_draft(room):
    v = pview(room, 0)
    picker = start(v)
    editor = CanvasEditor(v, picker)
    assert "Prompts to strengthen the canvas" in editor.prompts.value
    editor.boxes["aim"].value = "Fewer falls"
    assert "How much?" in editor.prompts.value
    editor.save_btn.click()  # a half-done draft saves: the prompts never block
    assert "Saved the canvas" in editor.status.text
    fill(editor)
    assert "The check finds nothing missing" in editor.prompts.value
    editor.save()
    saved = prototype.get(v, picker.pid)
    assert saved.values["timebox_weeks"] == 8.0
    assert [m["kind"] for m in saved.values["measures"]] == ["outcome", "process",
                                                             "balancing"]
    assert saved.values["team"] == [{"role": "Staff nurse", "frontline": True}]
    editor.save()
    assert editor.status.text == "Nothing new to save."


def test_the_facilitator_sets_the_longest_timebox(room):
    from widgets.ui.prototype.picker import CanvasSettings

    v = pview(room, 0)
    editor = CanvasEditor(v, start(v))
    editor.boxes["timebox_weeks"].value = "13"
    assert "13 weeks is long" in editor.prompts.value
    settings = CanvasSettings(fview(room))
    settings.weeks.value = 13
    settings.set_btn.click()
    assert "prompts above 13 weeks" in settings.status.text
    editor.refresh()
    editor.boxes["timebox_weeks"].value = "13.0"
    assert "weeks is long" not in editor.prompts.value
    with pytest.raises(StoreError):
        prototype.set_max_weeks(v, 20)  # the facilitator's call


def test_bad_input_is_refused_whole_and_named(room):
    v = pview(room, 0)
    editor = CanvasEditor(v, start(v))
    editor.boxes["aim"].value = "Halve falls by June"
    editor.boxes["timebox_weeks"].value = "eight"
    editor.save()
    assert "not a number of weeks" in editor.status.text and "Nothing was saved" in \
        editor.status.text
    assert "aim" not in prototype.get(v, editor.pid).values  # nothing went in
    editor.boxes["timebox_weeks"].value = "8"
    editor.measures.add(name="Falls", target="six")
    editor.save()
    assert "the target “six” is not a number" in editor.status.text
    editor.measures.rows[0]["target"].value = "6"
    editor.boxes["cause"].value = "x" * 5001
    editor.save()
    assert "limit is 5,000" in editor.status.text
    editor.boxes["cause"].value = "Night-time toilet trips"
    editor.boxes["title"].value = ""
    editor.save()
    assert "needs a name" in editor.status.text


def test_another_person_sees_the_edit_and_stale_saves_are_told(room):
    asha, chen = pview(room, 0), pview(room, 2)
    picker = start(asha)
    mine = CanvasEditor(asha, picker)
    other_picker = Picker(chen)
    theirs = CanvasEditor(chen, other_picker)
    mine.boxes["aim"].value = "Halve night falls by June"
    mine.save()
    theirs.refresh()
    assert theirs.boxes["aim"].value == "Halve night falls by June"
    # Both change the prediction: Chen's screen was stale, and is told.
    mine.boxes["prediction"].value = "Falls halve"
    theirs.boxes["prediction"].value = "Falls fall by a third"
    mine.save()
    theirs.refresh()  # Chen's unsaved text is kept on screen, not overwritten
    assert theirs.boxes["prediction"].value == "Falls fall by a third"
    theirs.save()
    assert "Someone else had changed Our prediction" in theirs.status.text
    assert prototype.get(asha, picker.pid).values["prediction"] == "Falls fall by a third"
    # Different fields from the same starting point both land.
    mine.refresh()
    mine.boxes["need"].value = "Older patients"
    theirs.boxes["unblock"].value = "Two hours a week"
    mine.save()
    theirs.save()
    values = prototype.get(asha, picker.pid).values
    assert (values["need"], values["unblock"]) == ("Older patients", "Two hours a week")
    assert "Someone else" not in theirs.status.text


def test_decisions_held_come_from_the_delegation_board(room):
    test = "Start a small test of change"
    room.store.save_shared(room.session.id, cede.BOARD, cede.key("agreed", AREAS[0], test), 5,
                           key=room.key)
    v = pview(room, 0)
    editor = CanvasEditor(v, start(v))
    labels = [b.description for b in editor.decisions.checks.values()]
    assert f"{test} (agreed level 5)" in labels
    editor.decisions.checks[test].value = True
    editor.save()
    assert prototype.get(v, editor.pid).values["decisions"] == [test]


def test_the_driver_diagram_follows_the_saved_canvas(room):
    v = pview(room, 0)
    picker = start(v)
    diagram = DriverDiagram(v, picker)
    assert "No drivers yet" in diagram.body.value
    editor = CanvasEditor(v, picker)
    fill(editor)
    editor.boxes["change_idea"].value = "Night lights " + HOSTILE
    editor.save()
    diagram.refresh()
    html = diagram.body.value
    assert 'role="img"' in html and "1 primary driver, 1 secondary driver and 2 change " \
        "ideas" in html
    assert "Change idea not yet linked to a driver: Night lights &lt;img" in html
    assert "<script" not in html and "<img" not in html  # shown as text, never as markup


def test_commitment_private_then_revealed_with_the_threshold(room):
    a = prototype.create(pview(room, 0), AREAS[0], "Rounding")
    b = prototype.create(pview(room, 0), AREAS[1], "Screening")
    room.store.move_stage(room.session.id, prototype.COMMIT, "open", room.key)
    answers = [{a.id: prototype.HELP, b.id: prototype.HELP},
               {a.id: prototype.HELP, b.id: prototype.NOT_NOW},
               {a.id: prototype.HELP, b.id: prototype.SUPPORT}]
    for i, mine in enumerate(answers):
        form = CommitForm(pview(room, i))
        labels = [o[0] for o in form.buttons[prototype.key("p", a.id)].options]
        assert labels == ["I will help make this happen", "I support it", "Not for me now"]
        for pid, answer in mine.items():
            form.buttons[prototype.key("p", pid)].value = answer
        assert "Saved" in form.status.text
    seen = CommitResults(pview(room, 1))
    assert "private until the facilitator reveals" in seen.body.value
    assert "3 of 3 have answered" in seen.body.value
    room.store.move_stage(room.session.id, prototype.COMMIT, "close", room.key)
    room.store.move_stage(room.session.id, prototype.COMMIT, "reveal", room.key)
    seen.refresh()
    assert "Not enough energy yet" in seen.body.value
    assert "Screening: 1 of the 3 needed" in seen.body.value
    assert "1 of 2 prototypes has at least 3 people" in seen.body.value
    assert "Asha, Chen, 1 not named" in seen.body.value  # Ben did not agree to be named
    fac = CommitResults(fview(room), editable=True)
    fac.need.value = 1
    fac.set_btn.click()
    assert "now need 1 helpers" in fac.status.text
    seen.refresh()
    assert "Not enough energy" not in seen.body.value
    assert "2 of 2 prototypes have at least 1 person" in seen.body.value


def test_the_pdsa_log_plans_studies_and_abandons(room):
    v = pview(room, 0)
    picker = start(v)
    log = PdsaLog(v, picker)
    assert "No cycles logged yet" in log.log.value
    log.save_btn.click()
    assert "Write the plan first" in log.status.text
    log.day.value = "3-4-25"
    log.boxes["plan"].value = "One nurse tries the chart for a week"
    log.save()
    assert "not a date this kit can read" in log.status.text
    log.day.value = "2025-03-03"
    log.boxes["prediction"].value = "Rounds done rise to 90%"
    log.save()
    assert "Saved cycle 1" in log.status.text
    assert "Cycle 1, 3 Mar 2025: not decided yet" in log.log.value
    log.boxes["study"].value = "Rounds rose to 70%, less than predicted " + HOSTILE
    log.act.value = "adapt"
    log.save()
    assert "Adapt: change it and test again" in log.log.value
    assert "&lt;script&gt;" in log.log.value and "<script>" not in log.log.value
    log.which.value = "new"
    assert log.boxes["plan"].value == ""
    log.day.value = "10/03/2025"
    log.boxes["plan"].value = "Two nurses, with a reminder"
    log.act.value = "abandon"
    log.save()
    assert "abandoned" in log.status.text
    assert tracking.status(v, picker.pid) == "abandon"
    assert [c.day for c in tracking.cycles(v, picker.pid)] == [date(2025, 3, 3),
                                                              date(2025, 3, 10)]
    other = PdsaLog(pview(room, 2), Picker(pview(room, 2)))
    assert "Cycle 2, 10 Mar 2025: Abandon" in other.log.value


def weekly(n, start=date(2025, 1, 6)):
    return [start + timedelta(weeks=i) for i in range(n)]


def test_measures_entered_and_charted_as_a_shift(room):
    v = pview(room, 0)
    picker = start(v)
    editor = CanvasEditor(v, picker)
    fill(editor)
    editor.measures.rows[1]["target"].value = "13"
    editor.save()
    panel = MeasuresPanel(v, picker)
    panel.choose.value = editor.measures.rows[1]["id"]  # "Rounds done", higher is better
    assert "No values yet" in panel.chart.value
    values = [10, 12] * 7 + [14, 14.5, 14, 14.5, 14, 14.5]
    for day, value in zip(weekly(20), values, strict=True):
        panel.day.value, panel.value.value = day.isoformat(), str(value)
        panel.add_btn.click()
    assert "Added 14.5 for 19 May 2025" in panel.status.text
    html = panel.chart.value
    assert "Special cause improvement: 7 points above the mean since 7 Apr 2025" in html
    assert "Variation (latest point): <strong>Special cause improvement" in html
    assert "Hit or miss" in html and "#00B0F0" in html
    panel.day.value, panel.value.value = "2025-05-19", "x"
    panel.add()
    assert "is not a number" in panel.status.text
    panel.value.value = "14"
    panel.add()
    assert "it was 14.5, now 14" in panel.status.text
    panel.rule.value = 6
    assert tracking.series(v, picker.pid, panel.choose.value).rule == 6
    panel.break_day.value = "2025-04-14"
    panel.add_break()
    assert "Limits recalculated from 14 Apr 2025 (on 6 points so far" in panel.status.text
    assert "Limits recalculated from: 14 Apr 2025" in panel.chart.value
    panel.break_day.value = "2024-01-01"
    panel.add_break()
    assert "is not one of this measure's dates" in panel.status.text
    panel.clear_breaks()
    panel.remove()
    assert "Removed the value for 19 May 2025" in panel.status.text
    panel.remove()
    assert "no value on 19 May 2025" in panel.status.text


def test_a_short_series_is_a_run_chart_and_files_are_checked(room):
    v = pview(room, 0)
    picker = start(v)
    editor = CanvasEditor(v, picker)
    fill(editor)
    editor.save()
    panel = MeasuresPanel(v, picker)
    panel.file.receive("bad.csv", b"date,value\n2025-03-03,five\n")
    assert "“bad.csv” was not used: 1 problem" in panel.status.text
    assert "Row 2, column &#x27;value&#x27;" in panel.problems.value
    good = "date,value\n" + "".join(f"{d.isoformat()},{i}\n"
                                    for i, d in enumerate(weekly(5)))
    panel.file.receive("good.csv", good.encode())
    assert "Loaded “good.csv”: 5 new values" in panel.status.text
    assert "5 points so far, median 2" in panel.chart.value
    assert "appear from 13 points" in panel.chart.value
    assert "astronomical point" in panel.chart.value  # the run-chart rule left to judgement


def test_idle_parts_send_nothing(room):
    v = pview(room, 0)
    parts = participant_parts(v, solo=False)
    picker = next(p for p in parts if isinstance(p, Picker))
    picker.area.value, picker.title.value = AREAS[0], "Rounding"
    picker.add()
    editor = next(p for p in parts if isinstance(p, CanvasEditor))
    fill(editor)
    editor.save()
    for p in parts:
        p.refresh()
    assert sends_during(lambda: [p.refresh() for p in parts]) == []
    console = console_parts(fview(room))
    for p in console:
        p.refresh()
    assert sends_during(lambda: [p.refresh() for p in console]) == []


def test_the_room_shows_prototypes_only_on_their_steps(room):
    a = prototype.create(pview(room, 0), AREAS[0], "Rounding")
    screen = RoomPrototype(View(room.store, room.session, Viewer("room")))
    assert screen.widget.children == ()
    room.store.set_current_stage(room.session.id, prototype.DESIGN, room.key)
    screen.view.refresh()
    screen.refresh()
    assert "Rounding" in screen.overview.widget.value
    room.store.move_stage(room.session.id, prototype.COMMIT, "open", room.key)
    room.store.submit(room.session.id, room.people[0][0].id, prototype.COMMIT,
                      prototype.key("p", a.id), prototype.HELP, "x")
    room.store.set_current_stage(room.session.id, prototype.TRACK, room.key)
    screen.view.refresh()
    screen.refresh()
    assert "private until the facilitator reveals" in screen.commit.body.value
    assert screen.picker is not None and screen.picker.pid == a.id


def test_remember_to_save_shows_only_while_there_are_unsaved_changes(room):
    """After a save the canvas holds nothing unsaved, so no reminder; an edit brings it back."""
    v = pview(room, 0)
    editor = CanvasEditor(v, start(v))
    fill(editor)
    assert "The check finds nothing missing" in editor.prompts.value
    assert "Remember to save" in editor.prompts.value  # filled in, not saved yet
    editor.save()
    assert "Saved the canvas" in editor.status.text
    assert "The check finds nothing missing" in editor.prompts.value
    assert "Remember to save" not in editor.prompts.value
    editor.boxes["need"].value = "Older patients at risk of falling at night"
    assert "Remember to save" in editor.prompts.value
    editor.boxes["need"].value = "Older patients at risk of falling"  # back as saved
    assert "Remember to save" not in editor.prompts.value
    editor.boxes["aim"].value = "Fewer falls"  # with prompts showing, too
    assert "How much?" in editor.prompts.value and "Remember to save" in editor.prompts.value
    editor.save()
    assert "Remember to save" not in editor.prompts.value
    # Opening a saved canvas afresh: nothing to remind about.
    again = CanvasEditor(pview(room, 1), Picker(pview(room, 1)))
    assert "Remember to save" not in again.prompts.value


def _headings(widgets) -> list[str]:
    """Every heading's text shown by the parts, in page order."""
    import re

    out: list[str] = []

    def walk(wd):
        value = getattr(wd, "value", None)
        if isinstance(value, str):
            out.extend(re.sub(r"<[^>]+>", "", h).strip()
                       for h in re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", value, re.S))
        for child in getattr(wd, "children", ()):
            walk(child)

    for wd in widgets:
        walk(wd)
    return out


def _repeated(headings: list[str]) -> list[str]:
    """Headings that say the same thing twice ("Prototype" then "Prototypes" included)."""
    same = [h.lower().rstrip("s?") for h in headings]
    return sorted({h for h, s in zip(headings, same, strict=True) if same.count(s) > 1})


def test_each_part_of_a_page_has_its_own_heading(room, sqlite_store):
    """A page said "Prototypes" twice and "Who has the energy?" twice; a screen-reader
    user moving by headings could not tell the parts apart."""
    from widgets.session import solo_session

    a = prototype.create(pview(room, 0), AREAS[0], "Rounding")
    room.store.move_stage(room.session.id, prototype.COMMIT, "open", room.key)
    room.store.submit(room.session.id, room.people[0][0].id, prototype.COMMIT,
                      prototype.key("p", a.id), prototype.HELP, "x")
    room.store.set_current_stage(room.session.id, prototype.TRACK, room.key)
    room.store.move_stage(room.session.id, prototype.COMMIT, "close", room.key)
    room.store.move_stage(room.session.id, prototype.COMMIT, "reveal", room.key)
    session, me = solo_session(sqlite_store)
    solo = View(sqlite_store, session, Viewer("solo", participant_id=me.id))
    prototype.create(solo, "Other", "My own test")
    screens = {"participant": [p.widget for p in participant_parts(pview(room, 1), False)],
               "solo leader": [p.widget for p in participant_parts(solo, True)],
               "console": [p.widget for p in console_parts(fview(room))],
               "room": [RoomPrototype(View(room.store, room.store.session(room.session.id),
                                           Viewer("room"))).widget]}
    for who, widgets in screens.items():
        headings = _headings(widgets)
        assert "Who has the energy?" in headings and "Prototypes" in headings, (who, headings)
        assert _repeated(headings) == [], (who, headings)


def test_shared_work_steps_are_never_called_closed(room):
    """Canvases, PDSA logs and measures are shared work: nothing to answer and nothing to
    close. The room screen said "answers closed" on them all the same."""
    from widgets.ui.shell.room import RoomScreen
    from widgets.ui.shell.stepbar import StepBar

    for stage in (prototype.DESIGN, prototype.TRACK):
        room.store.set_current_stage(room.session.id, stage, room.key)
        session = room.store.session(room.session.id)
        screen = RoomScreen(room.store, session)
        assert "answers closed" not in screen.top.value
        assert "open for work" in screen.top.value
        bar = StepBar(View(room.store, session, pview(room, 0).viewer), "03_prototype.ipynb")
        assert "closed" not in bar.bar.value and "answer now" not in bar.bar.value
        assert "open for work" in bar.bar.value
    room.store.set_current_stage(room.session.id, prototype.COMMIT, room.key)
    screen = RoomScreen(room.store, room.store.session(room.session.id))
    assert "answers closed" in screen.top.value  # a vote not yet opened is closed


def _dates_in(text: str) -> list[date]:
    """Dates written as 2026-03-03 or 30 Sep 2026 (or 30 September 2026)."""
    import re
    from datetime import datetime

    found = [date.fromisoformat(d) for d in re.findall(r"\b\d{4}-\d{2}-\d{2}\b", text)]
    for d, m, y in re.findall(r"\b(\d{1,2}) ([A-Z][a-z]+) (\d{4})\b", text):
        fmt = "%d %b %Y" if len(m) == 3 else "%d %B %Y"
        found.append(datetime.strptime(f"{d} {m} {y}", fmt).date())
    return found


def test_example_dates_are_never_in_the_past(room, monkeypatch):
    """A placeholder such as "e.g. 2025-03-03" or "by 30 Sep 2026" read as a date already
    gone; examples are counted from today.

    The kit's clock is set to one fixed day, years on, and the examples are compared with
    that day: a date written into the kit would be past then, and the test never compares
    two readings of the real clock (which fail when midnight falls between them)."""
    today = date(2031, 6, 15)

    class Clock(date):
        @classmethod
        def today(cls):
            return today

    from widgets import validation

    for module in (validation, prototype):  # where examples read the day
        monkeypatch.setattr(module, "date", Clock)
    v = pview(room, 0)
    picker = start(v)
    editor = CanvasEditor(v, picker)
    boxes = [*editor.boxes.values(), PdsaLog(v, picker).day, MeasuresPanel(v, picker).day]
    shown = {b.description: b.placeholder for b in boxes if b.placeholder}
    dated = {k: _dates_in(p) for k, p in shown.items() if _dates_in(p)}
    assert {"Aim: what, how much, by when", "Date the cycle starts", "Date"} <= set(dated)
    past = {k: d for k, ds in dated.items() for d in ds if d < today}
    assert past == {}, past
    # The worked example of an aim is one the canvas check accepts.
    from widgets.analysis.canvas import check

    aim = editor.boxes["aim"].placeholder.removeprefix("e.g. ")
    assert [p.text for p in check({"aim": aim}) if p.field == "aim"] == []


def test_list_rows_are_renumbered_so_label_and_spoken_name_agree():
    """Visible labels ("Measure 2") were fixed when a row was added while the spoken names
    were recounted on each redraw: after removing the first measure, the box labelled
    "Measure 2" was announced as the 1st. Both now follow the row's place."""
    from widgets.ui.aria import accessible_name
    from widgets.ui.prototype.lists import MeasureList, TeamList

    measures = MeasureList(True, lambda: None)
    measures.add(name="Falls a month")
    measures.add(name="Night rounds a week")
    measures.widget.children[0].children[-1].click()  # Remove the first measure
    [card] = measures.widget.children
    row = measures.rows[0]
    assert row["name"].value == "Night rounds a week"
    assert row["name"].description == "Measure 1"
    assert accessible_name(row["kind"]) == "Kind, for measure 1"
    assert accessible_name(card.children[-1]) == "Remove measure 1"

    team = TeamList(True, lambda: None)
    team.add(role="Staff nurse")
    team.add(role="Porter")
    team.widget.children[0].children[-1].click()
    role, front, drop = team.widget.children[0].children
    assert (role.value, role.description) == ("Porter", "Role 1")
    assert accessible_name(front) == "Works on the front line, for role 1"
    assert accessible_name(drop) == "Remove role 1"


def test_a_measure_file_past_the_limit_is_refused_with_the_limit_named(room):
    from widgets.validation import MEASURE_POINTS

    v = pview(room, 0)
    picker = start(v)
    editor = CanvasEditor(v, picker)
    fill(editor)
    editor.save()
    panel = MeasuresPanel(v, picker)
    mid = panel.choose.value
    big = "date,value\n" + "".join(f"{d.isoformat()},{i}\n"
                                   for i, d in enumerate(weekly(300_000 // 52, date(1900, 1, 1))))
    panel.file.receive("big.csv", big.encode())
    assert f"at most {MEASURE_POINTS}" in panel.problems.value
    assert tracking.series(v, picker.pid, mid).points == []
    # Two files each within the limit that together would pass it: the second is refused.
    first = "date,value\n" + "".join(f"{d.isoformat()},1\n" for d in weekly(400))
    panel.file.receive("first.csv", first.encode())
    assert "400 new values" in panel.status.text
    second = "date,value\n" + "".join(f"{d.isoformat()},2\n"
                                      for d in weekly(200, date(2040, 1, 2)))
    panel.file.receive("second.csv", second.encode())
    assert f"holds at most {MEASURE_POINTS}" in panel.status.text
    assert len(tracking.series(v, picker.pid, mid).points) == 400
    panel.day.value, panel.value.value = "2025-03-03", "1e400"
    panel.add()
    assert "not a usable number" in panel.status.text
    panel.value.value = "5e12"
    panel.add()
    assert "1,000,000,000,000" in panel.status.text
