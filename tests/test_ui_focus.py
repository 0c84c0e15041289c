"""The Focus module driven headless: shortlist, score, weights, reveal, results, decide, data."""

from __future__ import annotations

import re

import pytest

from widgets import focus
from widgets.care_areas import CRITERIA, HUMAN_CRITERIA, SAMPLE
from widgets.session import View, Viewer
from widgets.ui.focus.decide import DecisionPanel
from widgets.ui.focus.forms import ScoreForm, WeightsForm
from widgets.ui.focus.results import FocusResults
from widgets.ui.focus.shortlist import Shortlist
from widgets.ui.focus.upload import DataUpload
from widgets.ui.sharing import is_shown
from widgets.ui.shell.console import Console
from widgets.ui.shell.room import RoomScreen

from .helpers import fview, pview, sends_during


@pytest.fixture
def store(sqlite_store):
    return sqlite_store




def move(live, stage, *actions):
    for a in actions:
        live.store.move_stage(live.session.id, stage, a, live.key)


def score_all(live, values_by_person, skip_area=None):
    move(live, focus.SCORE, "open")
    for i, value in enumerate(values_by_person):
        form = ScoreForm(pview(live, i))
        for item, tb in form.buttons.items():
            area, _ = focus.split_key(item)
            if area != skip_area:
                tb.value = value(area) if callable(value) else value


def weigh_all(live, points):
    move(live, focus.WEIGHTS, "open")
    for i in range(3):
        form = WeightsForm(pview(live, i))
        for k, v in points.items():
            form.inputs[k].value = v
        form.save()
        assert "Saved your weights" in form.status.text


def test_shortlist_is_proposed_from_data_then_kept_by_the_facilitator(live):
    editor = Shortlist(fview(live), editable=True)
    seen = Shortlist(pview(live, 0), editable=False)
    assert len(editor.chosen()) == 10 and "Proposed from the data" in seen.summary.value
    first = editor.chosen()[0]
    editor.boxes[first].value = False
    editor.boxes["Cataract surgery"].value = True
    editor.save()
    assert "Saved the shortlist of 10 areas" in editor.status.text
    seen.refresh()
    assert "Cataract surgery" in seen.list.children[0].value
    assert first not in seen.list.children[0].value
    assert not hasattr(seen, "save_btn")  # participants get no save button at all


def test_a_participant_cannot_save_the_shortlist(live):
    forged = Shortlist(pview(live, 0), editable=True)  # as if a page built the editor
    forged.save()
    assert "Only the facilitator" in forged.status.text
    assert live.store.shared(live.session.id, focus.SHORTLIST) == {}


def test_weights_must_add_up_to_100(live):
    move(live, focus.WEIGHTS, "open")
    form = WeightsForm(pview(live, 0))
    form.inputs["leads"].value = 60
    assert "40 points left" in form.total.value
    form.save()
    assert "add up to 60" in form.status.text
    assert live.store.count_submissions(live.session.id) == 0


def test_the_whole_focus_flow(live):
    areas, _, _ = focus.shortlist(fview(live))
    favourite = areas[-1]
    # Person 0 loves the last area; person 1 hates it; person 2 is lukewarm.
    score_all(live, [lambda a: 5 if a == favourite else 2,
                     lambda a: 1 if a == favourite else 3, 3], skip_area=areas[0])
    weigh_all(live, {"leads": 40, "energy": 20, "feasible": 20, "purpose": 20})
    room = RoomScreen(live.store, live.session)
    live.store.set_current_stage(live.session.id, focus.DECIDE, live.key)
    room.refresh()
    for view in (pview(live, 0), fview(live)):
        r = FocusResults(view)
        assert "once the scores are revealed" in r.widget.value
    assert "once the scores are revealed" in room.focus.part.results.widget.value

    move(live, focus.SCORE, "close", "reveal")
    assert "once the weights are revealed" in FocusResults(pview(live, 0)).widget.value
    move(live, focus.WEIGHTS, "close", "reveal")
    results = FocusResults(pview(live, 0))
    html = results.widget.value
    r = results.results
    assert r.ready and r.n == 6 and r.draws == 10_000 and r.seed == live.session.seed
    assert "ranks first" in html and "concentration 50" in html and f"seed {r.seed}" in html
    assert favourite in r.disputed[:1]
    assert r.unscored == [areas[0]]  # nobody scored it: flagged, not ranked as zero
    assert "Not scored" in html
    assert sum(row.top_centred or 0 for row in r.ranking) == pytest.approx(6)
    room.refresh()
    # The room sees the same ranking, drawn for the projector (its own chart sizes, what
    # people differ on first): the same facts, not the same markup.
    shown = room.focus.part.results.widget.value
    assert shown != html
    for fact in ("ranks first", "concentration 50", f"seed {r.seed}", "Not scored",
                 "Where people differ most"):
        assert fact in shown, fact

    panel = DecisionPanel(fview(live), editable=True, source=FocusResults(fview(live)))
    ranked = [row.area for row in r.ranked()]
    assert panel.chosen() == ranked[:6]
    panel.boxes[ranked[0]].value = False
    panel.boxes[ranked[7]].value = True
    panel.save_decision()
    assert "differs from the top 6" in panel.status.text
    assert focus.decision(fview(live)) is None
    panel.boxes[ranked[8]].value = True
    assert "7 areas; your capacity is 6" in panel.warning.value
    panel.boxes[ranked[8]].value = False
    assert panel.warning.value == ""
    panel.reason.value = "The <b>stroke</b> team asked first."
    panel.save_decision()
    made = focus.decision(pview(live, 2))
    assert ranked[7] in made["areas"] and ranked[0] not in made["areas"]
    seen = DecisionPanel(pview(live, 2), editable=False, source=FocusResults(pview(live, 2)))
    assert "Decided:" in seen.record.value and "&lt;b&gt;stroke" in seen.record.value


def test_final_weights_override_the_groups(live):
    score_all(live, [3, 4, 5])
    weigh_all(live, {"patients_per_year": 100})
    move(live, focus.SCORE, "close", "reveal")
    move(live, focus.WEIGHTS, "close", "reveal")
    panel = DecisionPanel(fview(live), editable=True, source=FocusResults(fview(live)))
    assert panel.weights["patients_per_year"].value == 100
    for k, box in panel.weights.items():
        box.value = 100 if k == "cost_per_year_gbp" else 0
    panel.save_weights()
    r = focus.results(pview(live, 0))
    assert r.weights_source == "set by the facilitator"
    assert r.ranking[0].area == max(r.ranked(), key=lambda row: row.score or 0).area
    panel.save_weights(clear=True)
    assert focus.results(pview(live, 0)).weights_source == "the group's median"


def test_the_weights_shown_add_up_to_100(live):
    # 15 points on one criterion and 10 on each of the other eight: rounded one by one
    # these showed as 16% + 8 x 11% = 104%.
    score_all(live, [3, 4, 5])
    move(live, focus.SCORE, "close", "reveal")
    points = {c: 10 for c in CRITERIA}
    points["patients_per_year"] = 15
    live.store.save_shared(live.session.id, focus.WEIGHTS, "final", points, key=live.key)
    html = FocusResults(pview(live, 0)).widget.value
    used = html.split("<h4>Weights used</h4>")[1].split("</ul>")[0]
    shown = [int(n) for n in re.findall(r": (\d+)%</li>", used)]
    assert len(shown) == 9 and sum(shown) == 100 and shown[0] == 16
    panel = DecisionPanel(fview(live), editable=True, source=FocusResults(fview(live)))
    assert sum(b.value for b in panel.weights.values()) == 100  # the final-weights boxes too


def test_a_bad_file_gets_row_and_column_messages_and_changes_nothing(live):
    up = DataUpload(fview(live))
    bad = SAMPLE.read_bytes().replace(b"Heart failure,3100", b"Heart failure,lots", 1)
    up.picker.receive("ours.csv", bad)
    assert "was not used: 1 problem" in up.status.text
    assert "Row 3, column &#x27;patients_per_year&#x27;: &#x27;lots&#x27; is not a number" in \
        up.problems.value
    assert live.store.dataset(live.session.id, focus.DATA_KIND) is None
    up.picker.receive("empty.csv", b"")
    assert "is empty" in up.problems.value
    up.picker._handle(None, {"kind": "too_large", "name": "huge.csv", "size": 25_000_000}, [])
    assert "25.0 MB; the limit is 10 MB" in up.status.text
    # A page can send a file past the browser's check: the kernel refuses it all the same.
    up.picker._handle(None, {"kind": "file", "name": "past.csv"}, [b"a" * 10_000_001])
    assert "“past.csv” is 10.0 MB; the limit is 10 MB" in up.status.text


def test_replacing_data_after_scoring_asks_first(live):
    score_all(live, [3, 3, 3])
    up = DataUpload(fview(live))
    rows = SAMPLE.read_bytes().decode().splitlines()
    smaller = "\n".join(rows[:1] + rows[2:]).encode()  # drops Maternity and births
    up.picker.receive("ours.csv", smaller)
    assert is_shown(up.confirm)
    assert "Scoring has already started" in up.confirm_text.value
    assert live.store.dataset(live.session.id, focus.DATA_KIND) is None
    up.no.click()
    assert live.store.dataset(live.session.id, focus.DATA_KIND) is None
    up.picker.receive("ours.csv", smaller)
    up.yes.click()
    assert live.store.dataset(live.session.id, focus.DATA_KIND).name == "ours.csv"
    assert "Maternity and births" not in focus.care_data(fview(live)).table
    assert live.store.count_submissions(live.session.id) > 0  # scores kept on record


def test_console_carries_the_focus_tools(live):
    console = Console(live.store, live.key)
    tools = console._results[0]
    assert tools.choose.value == "readiness"  # the room has not started: readiness first
    assert set(tools.built) == {"readiness"}  # the other modules are built when needed
    live.store.move_stage(live.session.id, "focus.score", "open", live.key)
    console.refresh()
    assert tools.choose.value == "focus"  # the tools follow the room into Focus
    kinds = {type(p).__name__ for p in tools.built["focus"]}
    assert {"Shortlist", "FocusResults", "DecisionPanel"} <= kinds
    assert len(HUMAN_CRITERIA) == 4


HOSTILE_AREA = '<img src=x onerror="alert(1)"><script>alert(2)</script> \u202e'


def test_hostile_area_names_in_an_uploaded_file_stay_inert(live):
    rows = SAMPLE.read_text().splitlines()
    quoted = HOSTILE_AREA.replace('"', '""')  # CSV doubles quotes inside a quoted field
    rows[1] = rows[1].replace("Maternity and births", f'"{quoted}"')
    up = DataUpload(fview(live))
    up.picker.receive("ours.csv", "\n".join(rows).encode())
    assert "Loaded" in up.status.text
    from widgets.ui.focus.page import DataPart

    part = DataPart(fview(live))
    shown = part.inner.charts.value + part.inner.table.value
    assert HOSTILE_AREA.split(" ")[0] not in shown and "<script>" not in shown
    assert "&lt;img" in part.inner.table.value
    editor = Shortlist(fview(live), editable=True)
    editor.boxes[HOSTILE_AREA].value = True
    editor.save()
    listed = Shortlist(pview(live, 0), editable=False).list.children[0].value
    assert "<script>" not in listed and "&lt;script&gt;" in listed


def test_two_editors_the_stale_one_is_told(live):
    first, second = Shortlist(fview(live), editable=True), Shortlist(fview(live), editable=True)
    first.save()
    assert "Saved the shortlist" in first.status.text
    second.boxes["Cataract surgery"].value = True
    second.save()  # its view still showed the proposal, before the first save
    assert "had changed since you opened it" in second.status.text
    assert "Cataract surgery" in focus.shortlist(fview(live))[0]


def test_idle_focus_screens_send_nothing(live):
    from widgets.ui.focus.page import RoomFocus, console_parts, participant_parts

    score_all(live, [3, 4, 5])
    weigh_all(live, {"purpose": 100})
    move(live, focus.SCORE, "close", "reveal")
    move(live, focus.WEIGHTS, "close", "reveal")
    live.store.set_current_stage(live.session.id, focus.DECIDE, live.key)
    parts = [*participant_parts(pview(live, 0), solo=False), *console_parts(fview(live))]
    room = View(live.store, live.store.session(live.session.id), Viewer("room"))
    parts.append(RoomFocus(room))
    for p in parts:
        p.refresh()
    assert sends_during(lambda: [p.refresh() for _ in range(3) for p in parts]) == []
