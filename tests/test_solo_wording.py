"""A self-guided leader's results speak to one person: "You rate yourself ...", never "the
group", "the room" or "people" differing (there is nobody else)."""

from __future__ import annotations

import re
import uuid

import pandas as pd
import pytest

from widgets import focus
from widgets.analysis.readiness import profile_sentence, readiness_profile
from widgets.care_areas import HUMAN_CRITERIA
from widgets.content import READINESS
from widgets.prototype import HELP, NOT_NOW, SUPPORT, Commitment, Prototype
from widgets.session import View, Viewer, solo_session

ROOM_WORDS = re.compile(r"\b(group|room|people|everyone|facilitator|person)\b", re.IGNORECASE)

ITEMS = ["a", "b", "c"]
LABELS = {"a": "We know our mission", "b": "We use data", "c": "We learn"}


def one_person(scores: dict[str, int | None]) -> pd.DataFrame:
    rows = [(1, item, score) for item, score in scores.items()]
    return readiness_profile(pd.DataFrame(rows, columns=["participant", "item", "score"]),
                             ITEMS)


def test_readiness_sentence_speaks_to_one_leader():
    s = profile_sentence(one_person({"a": 5, "b": 2, "c": 4}), LABELS, solo=True)
    assert s == ("You rate yourself highest on “We know our mission” (5 of 5) and lowest on "
                 "“We use data” (2 of 5).")
    same = profile_sentence(one_person({"a": 3, "b": 3, "c": None}), LABELS, solo=True)
    assert same == "You rate yourself 3 of 5 on every statement you rated (2 of 3)."
    # A live room keeps its own sentence.
    assert profile_sentence(one_person({"a": 5, "b": 2, "c": 4}), LABELS).startswith(
        "Across 1 person")


@pytest.fixture
def solo(sqlite_store):
    session, me = solo_session(sqlite_store)
    return View(sqlite_store, session, Viewer("solo", participant_id=me.id))


def answer(view: View, stage: str, item: str, value) -> None:
    s = view.store
    s.submit(view.session.id, view.viewer.participant_id, stage, item, value, uuid.uuid4().hex)


def reveal(view: View, stage: str) -> None:
    s, sid = view.store, view.session.id
    if s.stage(sid, stage).state == "closed":
        s.move_stage(sid, stage, "open", None)
    s.move_stage(sid, stage, "close", None)
    s.move_stage(sid, stage, "reveal", None)
    view.refresh()


def visible_words(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def test_readiness_results_speak_to_one_leader(solo):
    from widgets.html.readiness import results_html

    s = solo.store
    s.move_stage(solo.session.id, "readiness", "open", None)
    for i, q in enumerate(READINESS):
        answer(solo, "readiness", q.id, 1 + i % 5)
    reveal(solo, "readiness")
    html = results_html(solo)
    assert "Your readiness profile" in html and "You rate yourself highest on" in html
    assert "Your ratings, 1 to 5" in html
    assert "furthest apart" not in html and "Across" not in html
    # Outside the chart and its table (which name the statements, some of which mention
    # people and rooms), nothing speaks of a room.
    words = visible_words(re.sub(r"<figure.*</figure>", "", html, flags=re.DOTALL))
    assert not ROOM_WORDS.search(words.replace("with your board", "")), words


def test_focus_results_speak_to_one_leader(solo):
    from widgets.html.focus import results_html, robustness_sentence

    areas, _, _ = focus.shortlist(solo)
    s = solo.store
    s.move_stage(solo.session.id, focus.SCORE, "open", None)
    for i, area in enumerate(areas):
        for c in HUMAN_CRITERIA:
            answer(solo, focus.SCORE, focus.item_key(area, c.key), 1 + i % 5)
    reveal(solo, focus.SCORE)
    s.move_stage(solo.session.id, focus.WEIGHTS, "open", None)
    answer(solo, focus.WEIGHTS, "points",
           {"patients_per_year": 40, "cost_per_year_gbp": 20, "leads": 20, "purpose": 20})
    reveal(solo, focus.WEIGHTS)
    r = focus.results(solo)
    assert r.ready and r.solo
    sentence = robustness_sentence(r)
    assert sentence.startswith("With your own weights, ")
    assert "near yours" in sentence
    html = results_html(r)
    assert "Near your weights" in html and "your own scores" in html
    assert "Where people differ most" not in html and "the group" not in html
    assert "Ask the highest and lowest" not in html


def test_poker_cards_speak_to_one_leader():
    from widgets.ui.cede.poker import decision_html, solo_sentence

    votes = [("today", 2, "You"), ("proposed", 5, "You")]
    assert solo_sentence(votes, "Sepsis", "Budget") == (
        "Budget in Sepsis. You chose 2 Sell for who decides today, and 5 Advise for who "
        "should decide.")
    html = decision_html(votes, "Sepsis", "Budget", solo=True)
    assert "You chose 2 Sell" in html
    assert "everyone" not in html and "median" not in html
    assert "You did not play" in decision_html([], "Sepsis", "Budget", solo=True)
    assert "everyone chose the same card" in decision_html(
        [("today", 2, "A"), ("today", 2, "B")], "Sepsis", "Budget")


def test_commitment_speaks_to_one_leader():
    from widgets.html.prototype import commitment_html, solo_sentence

    found = [Prototype("p1", {"title": "Night rounds", "area": "Falls"}),
             Prototype("p2", {"title": "Discharge lounge", "area": "Flow"}),
             Prototype("p3", {"title": "Sepsis screen", "area": "Sepsis"})]
    made = {"p1": Commitment("p1", {HELP: 1, SUPPORT: 0, NOT_NOW: 0}, ["You"], 0),
            "p2": Commitment("p2", {HELP: 0, SUPPORT: 1, NOT_NOW: 0}, [], 0),
            "p3": Commitment("p3", {HELP: 0, SUPPORT: 0, NOT_NOW: 1}, [], 0)}
    assert solo_sentence(found, made) == "You will help make 1 of 3 prototypes happen, and " \
                                         "support 1."
    html = commitment_html(found, made, need=3, solo=True)
    assert "You will help make 1 of 3 prototypes happen" in html
    assert "Not enough energy yet" not in html  # a threshold counts helpers in a room
    assert "the group" not in html and "people who will help" not in html
    assert "Not enough energy yet" in commitment_html(found, made, need=3)


def test_commitment_with_no_help_yet_reads_sensibly():
    """"You will help make 0 of 2 prototypes happen" read oddly: with no help promised the
    sentence says so."""
    from widgets.html.prototype import solo_sentence

    found = [Prototype("p1", {"title": "Night rounds", "area": "Falls"}),
             Prototype("p2", {"title": "Discharge lounge", "area": "Flow"})]
    none = {"p1": Commitment("p1", {HELP: 0, SUPPORT: 0, NOT_NOW: 1}, [], 0)}
    assert solo_sentence(found, none) == ("You have not said you will help with any of the 2 "
                                          "prototypes yet.")
    backed = {"p2": Commitment("p2", {HELP: 0, SUPPORT: 1, NOT_NOW: 0}, [], 0)}
    assert solo_sentence(found, backed) == ("You have not said you will help with any of the "
                                            "2 prototypes yet; you support 1.")
    assert solo_sentence(found[:1], {}) == ("You have not said you will help with the "
                                            "prototype yet.")
