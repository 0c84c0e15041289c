"""The check-in's board paper and its data in the exports (issue 20): one self-contained
HTML file that opens offline, through the reveal filter; and the demonstration's past
check-in (``conductor serve --demo``)."""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from datetime import date, timedelta

import pytest

from widgets import board_paper, check_in, exports, prototype
from widgets.server.demo import seed_check_in
from widgets.session import View, Viewer

HELD = date.today() + timedelta(days=1)
HOSTILE = "<img src=x onerror=alert(1)> =cmd|' /C calc'!A0 \u202e 🙂"


@pytest.fixture
def demo(demo_copy):
    return demo_copy.store, demo_copy.key, demo_copy.sid


def views(store, key, sid):
    session = store.session(sid)
    people = store.participants(sid)
    fac = View(store, session, Viewer("facilitator", key=key))
    return fac, [View(store, session, Viewer("participant", participant_id=p.id))
                 for p in people]


def test_no_check_in_yet_is_said_plainly(demo):
    fac, _ = views(*demo)
    with pytest.raises(ValueError, match="no check-in yet"):
        board_paper.build(fac)


def test_the_paper_is_self_contained_and_reads_through_the_reveal_filter(demo):
    store, _key, sid = demo
    fac, people = views(*demo)
    s = check_in.start(fac, HELD)
    pid = prototype.prototypes(fac)[0].id
    check_in.move_round(fac, s, check_in.KEEP, "open")
    for i, answer in enumerate(["stop", "stop", "keep", "change"]):
        check_in.submit_keep(people[i], s, pid, answer)
    paper = board_paper.build(fac)
    # Offline: nothing to fetch, nothing to run.
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", paper)
    assert "<script" not in paper and "<link" not in paper and "@import" not in paper
    assert paper.count("<style") == 1
    # Private until revealed: the open round is not in the paper, not even its counts.
    assert "keep, change or stop round was not revealed" in paper
    assert "Stop and learn: 2" not in paper
    check_in.move_round(fac, s, check_in.KEEP, "reveal")
    paper = board_paper.build(fac)
    assert "Stop and learn: 2" in paper and "Keep going: 1" in paper
    names = {p.display_name: p.named_ok for p in store.participants(sid)}
    for name, ok in names.items():
        if name and not ok:
            assert name not in paper  # Ben Hughes did not agree to be named
    # Every part the issue names, with icons and their words.
    for words in ("The portfolio", "What changed since the last sitting",
                  "The board's decisions and reasons", "The Delegation Board's history",
                  "What we learned from stopped work", "Each measure's chart",
                  "Focus held steady", "Variation: ", "Assurance: "):
        assert words in html.unescape(paper), words
    assert "<svg" in paper and 'class="cd-icon cd-icon-' in paper


def test_hostile_text_shows_inertly_in_the_paper_and_the_exports(demo):
    fac, _ = views(*demo)
    s = check_in.start(fac, HELD)
    pid = prototype.prototypes(fac)[0].id
    check_in.record_decision(fac, s, pid, "stop", HOSTILE, HOSTILE)
    paper = board_paper.build(fac)
    assert "<img src=x" not in paper and "&lt;img src=x onerror=alert(1)&gt;" in paper
    data = exports.session_data(fac)
    [made] = data["check_in"]["sittings"][0]["decisions"]
    assert made["reason"] == HOSTILE and made["learned"] == HOSTILE  # kept as typed
    json.loads(exports.to_json(data))
    with zipfile.ZipFile(io.BytesIO(exports.csv_zip(data))) as z:
        rows = z.read("check_in_decisions.csv").decode("utf-8-sig")
    assert "'<img" not in rows and HOSTILE.split(" =")[0] in rows
    learned_csv = exports.to_csv([{"x": "=cmd"}])
    assert "'=cmd" in learned_csv  # a formula stays inert in a spreadsheet


def test_the_exports_carry_the_check_in_only_where_revealed(demo):
    fac, people = views(*demo)
    s = check_in.start(fac, HELD)
    pid = prototype.prototypes(fac)[0].id
    check_in.move_round(fac, s, check_in.KEEP, "open")
    for i in range(3):
        check_in.submit_keep(people[i], s, pid, "keep")
    data = exports.session_data(fac)
    [sitting] = data["check_in"]["sittings"]
    assert sitting["keep_round_revealed"] is False and sitting["keep_round"] == []
    assert len(sitting["portfolio"]) == 3 and sitting["portfolio"][0]["place"] == 1
    check_in.move_round(fac, s, check_in.KEEP, "reveal")
    [sitting] = exports.session_data(fac)["check_in"]["sittings"]
    assert sitting["keep_round"][0]["keep"] == 3
    tables = exports.tables(exports.session_data(fac))
    assert {"check_in_portfolio", "check_in_decisions", "check_in_keep_round"} <= set(tables)


def test_the_demo_has_one_past_check_in_with_every_part_filled(demo):
    store, key, sid = demo
    fac, _ = views(*demo)
    seed_check_in(store, key, store.session(sid))
    [s] = check_in.sittings(fac)
    assert s.state == "closed"
    made = check_in.decisions(fac, s)
    assert {d.decision for d in made.values()} == {"keep", "change", "stop"}
    assert check_in.learned(fac) and check_in.learned(fac)[0].learned
    assert check_in.keep_votes(fac, s) is not None and check_in.review_votes(fac, s)
    [change] = check_in.board_history(fac)
    assert change.to_level == change.from_level + 1
    paper = board_paper.build(fac)
    assert "moved towards the front line" in paper and "It taught us" in paper
    assert "Stop and learn" in paper and "success of learning" in paper


def test_each_check_in_answer_is_in_the_individual_export_once_revealed(demo):
    """The individual answers export (--individual) holds the check-in's rounds as it holds
    the workshop's votes: one row per answer once its round is revealed, named only where
    the person agreed, nothing while the round is private."""
    fac, people = views(*demo)
    s = check_in.start(fac, HELD)
    pid = prototype.prototypes(fac)[0].id
    check_in.move_round(fac, s, check_in.KEEP, "open")
    for i in range(3):
        check_in.submit_keep(people[i], s, pid, ("keep", "change", "stop")[i])

    def rows() -> list[dict]:
        return [a for a in exports.session_data(fac, individual=True)["answers"]
                if a["stage"].startswith("check_in")]

    assert rows() == []  # private until revealed
    check_in.move_round(fac, s, check_in.KEEP, "reveal")
    found = rows()
    assert sorted(a["value"] for a in found) == ["change", "keep", "stop"]
    assert {a["stage"] for a in found} == {f"check_in {s.number}: {check_in.ROUNDS[check_in.KEEP]}"}
    assert {a["round"] for a in found} == {1}
    assert all(a["item"] for a in found)
    named = {a["participant"] for a in found}
    assert len(named) == 3  # each person once, by name or as "Participant N"
    tables = exports.tables(exports.session_data(fac, individual=True))
    assert any(r["stage"].startswith("check_in") for r in tables["answers"])
