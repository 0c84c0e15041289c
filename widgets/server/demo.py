"""A demonstration session with sample answers in every step (``conductor serve --demo``).

Why: a facilitator preparing a workshop wants to see every screen with realistic content
before the day, and the tests, the report and the benchmarks want a full session without
clicking through three modules. Everything here goes through the same store calls a real
room makes, so the demo is a real session, revealed step by step. The people are fictional.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

from .. import cede, check_in, focus, prototype, tracking
from ..care_areas import CRITERIA, HUMAN_CRITERIA
from ..content import READINESS
from ..decisions import default_played, starter
from ..session import View, Viewer, join
from ..store import SessionRow, Store

PEOPLE = [("Amara Okafor", True), ("Ben Hughes", False), ("Chen Wei", True),
          ("Dafydd Morgan", True), ("Esther Cohen", True), ("", False),
          ("Farah Siddiqui", True), ("Gareth Lloyd", False)]
N_AREAS = 3


def _reveal(store: Store, sid: int, stage: str, key: str) -> None:
    store.move_stage(sid, stage, "close", key)
    store.move_stage(sid, stage, "reveal", key)


def _answer(store: Store, sid: int, pid: int, stage: str, item: str, value) -> None:
    store.submit(sid, pid, stage, item, value, uuid.uuid4().hex)


def seed_demo(store: Store, key: str, title: str = "Demonstration board day",
              seed: int = 7) -> SessionRow:
    """Create and fill a session; returns it. Deterministic for a given ``seed``."""
    rng = random.Random(seed)
    session = store.create_session(title, key)
    sid = session.id
    people = [join(store, session.code, name, anonymous=not name, named_ok=ok)[0]
              for name, ok in PEOPLE]
    fac = View(store, session, Viewer("facilitator", key=key))

    # Readiness: a board that is stronger on mission than on how it works.
    store.move_stage(sid, "readiness", "open", key)
    for i, q in enumerate(READINESS):
        centre = 2 + (i % 3)
        for p in people:
            value = None if rng.random() < 0.06 else max(1, min(5, centre + rng.choice(
                (-1, 0, 0, 1))))
            _answer(store, sid, p.id, "readiness", q.id, value)
    _reveal(store, sid, "readiness", key)

    # Focus: the data's proposal as the shortlist, scores and weights, then the decision.
    areas = focus.proposed_shortlist(focus.care_data(fac).table)
    store.save_shared(sid, focus.SHORTLIST, "areas", areas, key=key)
    store.move_stage(sid, focus.SCORE, "open", key)
    appetite = {a: rng.uniform(2, 4.6) for a in areas}
    for p in people:
        for a in areas:
            for c in HUMAN_CRITERIA:
                value = None if rng.random() < 0.05 else max(1, min(5, round(
                    appetite[a] + rng.uniform(-1.2, 1.2))))
                _answer(store, sid, p.id, focus.SCORE, focus.item_key(a, c.key), value)
    _reveal(store, sid, focus.SCORE, key)
    store.move_stage(sid, focus.WEIGHTS, "open", key)

    for p in people:
        raw = {c: rng.uniform(5, 20) for c in CRITERIA}
        total = sum(raw.values())
        points = {c: round(v * 100 / total) for c, v in raw.items()}
        first = next(iter(points))
        points[first] += 100 - sum(points.values())
        _answer(store, sid, p.id, focus.WEIGHTS, "points", points)
    _reveal(store, sid, focus.WEIGHTS, key)
    fac.refresh()
    ranked = [row.area for row in focus.results(fac).ranked()]
    chosen = ranked[:N_AREAS]
    store.save_shared(sid, focus.DECIDE, "decision",
                      {"areas": chosen, "reason": "Highest on data and on the room's energy; "
                                                  "three fit this year's capacity.",
                       "n": len(chosen)}, key=key)

    # Cede: poker on the default decisions, agreed levels, owners and guardrails.
    played = default_played(starter())
    store.move_stage(sid, cede.POKER, "open", key)
    for p in people:
        for a in chosen:
            for d in played:
                today = rng.choice((1, 2, 2, 3))
                _answer(store, sid, p.id, cede.POKER, cede.key(a, d, "today"), today)
                _answer(store, sid, p.id, cede.POKER, cede.key(a, d, "proposed"),
                        min(7, today + rng.choice((1, 2, 3, 3))))
    _reveal(store, sid, cede.POKER, key)
    fac.refresh()
    for row in cede.board(fac):
        level = round(row.proposed) if row.proposed is not None else 3
        store.save_shared(sid, cede.BOARD, cede.key("agreed", row.area, row.decision), level,
                          key=key)
        store.save_shared(sid, cede.BOARD, cede.key("owner", row.area, row.decision),
                          f"{row.area} clinical lead", key=key)
        if level >= 5:
            store.save_shared(sid, cede.BOARD, cede.key("guardrails", row.area, row.decision),
                              {"money": "Up to £10,000 a quarter",
                               "risk_scope": "Within NICE guidance and the trust's policies",
                               "report": "Monthly to the quality committee",
                               "review_date": (date.today() + timedelta(days=90)).isoformat()},
                              key=key)

    # Prototype: one canvas per area, commitment, a cycle each, twenty weeks of values.
    author = View(store, session, Viewer("participant", participant_id=people[0].id))
    made = []
    for n, area in enumerate(chosen):
        p = prototype.create(author, area, f"First test for {area.lower()}")
        measures = [
            {"id": "out", "name": "Patients seen within the standard", "kind": "outcome",
             "better": "higher", "definition": "Share of patients seen within the standard, "
                                               "weekly, from the ward system", "target": 80.0},
            {"id": "pro", "name": "Huddles held", "kind": "process", "better": "higher",
             "definition": "Daily huddles held in the week, from the huddle board",
             "target": 5.0},
            {"id": "bal", "name": "Staff overtime hours", "kind": "balancing",
             "better": "lower", "definition": "Overtime hours in the week, from the rota",
             "target": None}]
        prototype.save_fields(author, p.id, {
            "aim": f"Raise the share of {area.lower()} patients seen within the standard "
                   "from 62% to 80% by the end of the quarter",
            "drivers": "Teams see their own data weekly\n- A daily huddle\n-- Huddle board "
                       "with the week's measures\nPatients know what to expect\n- Clear "
                       "information at the first visit",
            "cause": "Delays cluster on days without a senior decision-maker: audit of 60 "
                     "patient journeys",
            "need": "Patients and families waiting for a decision",
            "change_idea": "Huddle board with the week's measures",
            "prediction": "The share seen within the standard rises within six weeks",
            "smallest_test": "One team, one site, weekdays for two weeks",
            "stop_criteria": "Stop if overtime rises by more than 10% or any patient is "
                             "harmed",
            "unblock": "Protected 15 minutes a day for the huddle",
            "timebox_weeks": 8 + 2 * n,
            "team": [{"role": "Ward sister", "frontline": True},
                     {"role": "Consultant", "frontline": True},
                     {"role": "Service manager", "frontline": False}],
            "measures": measures,
            "decisions": [d for d in played][:2]}, {})
        made.append(p.id)
    store.move_stage(sid, prototype.COMMIT, "open", key)
    for p in people:
        for i, pid in enumerate(made):
            answer = rng.choice((prototype.HELP, prototype.SUPPORT, prototype.NOT_NOW)) \
                if i < 2 else rng.choice((prototype.SUPPORT, prototype.NOT_NOW))
            _answer(store, sid, p.id, prototype.COMMIT, prototype.key("p", pid), answer)
    _reveal(store, sid, prototype.COMMIT, key)
    start = date.today() - timedelta(weeks=20)
    for i, pid in enumerate(made):
        tracking.save_cycle(author, pid, {
            "date": (start + timedelta(weeks=13)).isoformat(),
            "plan": "One team runs the daily huddle for two weeks",
            "prediction": "More patients seen within the standard", "do": "Held 9 of 10 days",
            "study": "The share rose, as predicted; overtime did not change",
            "act": "adapt" if i else "adopt", "next": "Spread to a second team"})
        base = [60 + rng.uniform(-4, 4) for _ in range(13)]
        after = [72 + rng.uniform(-3, 3) for _ in range(7)]
        weeks = [start + timedelta(weeks=w) for w in range(20)]
        tracking.add_points(author, pid, "out", list(zip(weeks, [round(v, 1) for v in
                                                                 base + after], strict=True)))
        tracking.add_points(author, pid, "bal", [(d, float(round(30 + rng.uniform(-5, 5))))
                                                 for d in weeks])
    store.set_current_stage(sid, prototype.TRACK, key)
    return store.session(sid)


def seed_check_in(store: Store, key: str, session: SessionRow, seed: int = 7) -> None:
    """One past check-in on a demonstration session (``conductor serve --demo``), so every
    check-in screen shows sample answers: teams' updates, a revealed keep, change or stop
    round with the board's decisions (a stop kept for what it taught), a revealed
    delegation review and the level change it agreed. Closed, as a sitting a month ago
    would be; starting the next check-in from the console shows the open screens."""
    rng = random.Random(seed)
    sid = session.id
    fac = View(store, store.session(sid), Viewer("facilitator", key=key))
    people = [View(store, store.session(sid), Viewer("participant", participant_id=p.id))
              for p in store.participants(sid)]
    today = date.today()
    # One delegated decision was given a short first review, so it comes up at this sitting.
    row = next(r for r in cede.board(fac) if r.guardrails.get("money"))
    store.save_shared(sid, cede.BOARD, cede.key("guardrails", row.area, row.decision),
                      {**row.guardrails, "review_date": today.isoformat()}, key=key)
    sitting = check_in.start(fac, today)
    made = [p.id for p in prototype.prototypes(fac)]
    check_in.save_unblock(people[0], made[0], "done")
    check_in.save_unblock(people[2], made[1], "in hand", today + timedelta(days=14))
    check_in.move_round(fac, sitting, check_in.KEEP, "open")
    leaning = ("keep", "change", "stop")
    for person in people:
        for i, pid in enumerate(made):
            answer = leaning[i % 3] if rng.random() < 0.7 else rng.choice(leaning)
            check_in.submit_keep(person, sitting, pid, answer)
    check_in.move_round(fac, sitting, check_in.KEEP, "reveal")
    reasons = {"keep": ("Keep going", "The share seen within the standard rose and held; "
                        "overtime did not change.", ""),
               "change": ("Change course", "The huddle works on weekdays only: try it with "
                          "the weekend team before spreading.", ""),
               "stop": ("Stop and learn", "Overtime rose by more than the stop criterion.",
                        "A daily huddle needs protected cover for the ward; without it the "
                        "time comes out of overtime.")}
    for i, pid in enumerate(made):
        choice = leaning[i % 3]
        _, reason, learned = reasons[choice]
        check_in.record_decision(fac, sitting, pid, choice, reason, learned)
    check_in.move_round(fac, sitting, check_in.REVIEW, "open")
    for person in people:
        check_in.submit_review(person, sitting, row.area, row.decision, rng.random() < 0.85,
                               "front" if rng.random() < 0.7 else "stay")
    check_in.move_round(fac, sitting, check_in.REVIEW, "reveal")
    level = row.agreed if row.agreed is not None else 5
    check_in.record_level_change(fac, sitting, row.area, row.decision, min(7, level + 1),
                                 "The guardrails held all quarter and the team reported "
                                 "monthly as agreed.", guardrails_held=True)
    check_in.close(fac, sitting)
