"""Exports of a session: JSON of the whole session and one CSV file per table.

Why through the reveal filter: an export leaves the room, gets emailed and lands in board
papers. It reads the session exactly as the room screen does, so a step that was never
revealed contributes nothing, not even a count; individual answers are included only when
the facilitator asks, and even then a name appears only for people who agreed to be named.
Everyone else is "Participant 1", "Participant 2" and so on, numbered for this export only.

CSV cells that a spreadsheet would run as a formula (starting with =, +, -, @ or a control
character) are written with a leading apostrophe, so participant text stays inert.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from . import agenda, cede, check_in, focus, prototype, tracking
from .analysis import spc
from .analysis.shares import whole_percentages
from .care_areas import CRITERIA
from .content import READINESS
from .readiness import revealed_profile
from .report import build
from .session import View
from .stages import STAGES

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _revealed_rounds(view: View, stage: str) -> list[int]:
    st = view.stage(stage)
    return [r for r in range(1, st.round + 1) if view.is_revealed(stage, r)]


def _readiness(view: View) -> list[dict] | None:
    rounds = _revealed_rounds(view, "readiness")
    found = revealed_profile(view, rounds[-1]) if rounds else None
    if found is None:
        return None
    labels = {q.id: q.text for q in READINESS}  # the words people rated
    profile = found.table
    return [{"round": rounds[-1], "item": r.item, "statement": labels[r.item],
             "answers": int(r.answers), **{k: None if r.answers == 0 else float(getattr(r, k))
                                           for k in ("median", "q1", "q3", "lowest",
                                                     "highest")}}
            for r in profile.itertuples()]


def _focus(view: View) -> dict:
    data = focus.care_data(view)
    areas, _, proposed = focus.shortlist(view, data)
    out = {"data_file": data.name, "data_sha256": data.sha256, "shortlist": areas,
           "shortlist_proposed_by_data": proposed, "decision": focus.decision(view),
           "capacity": focus.capacity(view), "results": None}
    r = focus.results(view, data)
    if r.ready:
        ranking = [{"area": row.area, "rank": None if row.flag else row.rank,
                    "score": None if row.flag or row.score is None else round(row.score, 6),
                    "in_top_n_near_weights": None if row.flag else row.top_centred,
                    "in_top_n_any_weights": None if row.flag else row.top_uniform,
                    "note": row.flag or ""} for row in r.ranking or []]
        out["results"] = {"ranking": ranking,
                          "weights": {k: round(v, 6) for k, v in (r.weights or {}).items()},
                          "weights_source": r.weights_source, "top_n": r.n,
                          "draws": r.draws, "seed": r.seed,
                          "dirichlet_concentration": r.concentration,
                          "most_disputed": r.disputed, "people": r.people}
    return out


def _cede(view: View) -> dict:
    rows = cede.board(view)
    gaps = cede.gaps(rows)
    return {"poker_round_revealed": cede.last_revealed(view),
            "board": [{"area": r.area, "decision": r.decision, "today": r.today,
                       "proposed": r.proposed, "agreed": r.agreed,
                       "gap": gaps.get((r.area, r.decision)), "owner": r.owner,
                       "guardrails": r.guardrails} for r in rows],
            "pushback": {a: cede.pushback(view, a) for a in cede.focus_areas(view)}}


def _prototypes(view: View) -> dict:
    made = prototype.commitments(view)
    track = view.store.shared(view.session.id, prototype.TRACK)
    items = []
    for p in prototype.prototypes(view):
        c = made.get(p.id) if made is not None else None
        measures = []
        for m in p.values.get("measures") or []:
            s = tracking.series(view, p.id, m.get("id", ""), track)
            measures.append({**m, "rule_points": s.rule,
                             "recalculated_from": [d.isoformat() for d in s.breaks],
                             "values": [[d.isoformat(), v] for d, v in s.points],
                             "sentence": spc.spc_sentence(
                                 s.values, s.dates, better=m.get("better") or "neither",
                                 shift_length=s.rule, trend_length=s.rule,
                                 breaks=s.break_indices())})
        items.append({
            "id": p.id, "area": p.area, "title": p.title,
            "canvas": {f: p.values.get(f) for f in prototype.FIELDS
                       if f not in ("measures", "removed")},
            "measures": measures,
            "status": tracking.status(view, p.id, track),
            "commitment": None if made is None else {
                "will_help": c.counts[prototype.HELP] if c else 0,
                "support": c.counts[prototype.SUPPORT] if c else 0,
                "not_now": c.counts[prototype.NOT_NOW] if c else 0,
                "helpers_named": c.helpers if c else [],
                "helpers_not_named": c.unnamed_helpers if c else 0},
            "cycles": [{"cycle": i, **c2.value, "versions": c2.version}
                       for i, c2 in enumerate(tracking.cycles(view, p.id, track), 1)]})
    return {"threshold": prototype.threshold(view),
            "commitment_revealed": made is not None, "prototypes": items}


def _check_ins(view: View) -> dict:
    """The session's check-ins (issue 20): each sitting's portfolio as the board saw it, its
    rounds only where revealed (counts, never who), the board's decisions with their reasons,
    the Delegation Board's level changes and what stopped work taught."""
    sittings = []
    for s in check_in.sittings(view):
        rows = check_in.portfolio(view, s)
        keep = check_in.keep_votes(view, s)
        review = check_in.review_votes(view, s)
        titles = {r.id: r.title for r in rows}
        sittings.append({
            "number": s.number, "held_on": s.held_on.isoformat(), "state": s.state,
            "opened_at": s.opened_at.isoformat(),
            "closed_at": s.closed_at.isoformat() if s.closed_at else None,
            "portfolio": [{
                "place": i, "prototype_id": r.id, "prototype": r.title, "area": r.area,
                "why": r.placed, "reasons": [x.code for x in r.reasons],
                "pdsa_cycles": r.cycles, "latest_act": r.latest_act or None,
                "helpers": r.helpers, "helpers_needed": r.threshold,
                "unblocks": [{"promise": u.text, "status": u.status,
                              "due": u.due.isoformat() if u.due else None}
                             for u in r.unblocks],
                "measures": [{"measure": m.name, "points": m.points,
                              "variation": m.variation, "variation_words": m.variation_words,
                              "assurance": m.assurance, "assurance_words": m.assurance_words,
                              "target": m.target} for m in r.measures]}
                for i, r in enumerate(rows, 1)],
            "keep_round_revealed": keep is not None,
            "keep_round": [{"prototype": titles.get(pid, pid), **t.counts,
                            "answers": t.answers} for pid, t in (keep or {}).items()],
            "review_round_revealed": review is not None,
            "review_round": [{"area": a, "decision": d, "guardrails_held": t.held.counts["yes"],
                              "guardrails_did_not_hold": t.held.counts["no"],
                              **t.move.counts, "answers": t.move.answers}
                             for (a, d), t in (review or {}).items()],
            "decisions": [{"prototype": titles.get(pid, pid), "decision": d.decision,
                           "reason": d.reason, "learned": d.learned or None}
                          for pid, d in check_in.decisions(view, s).items()],
        })
    numbers = {s.id: s.number for s in check_in.sittings(view)}
    return {"sittings": sittings,
            "level_changes": [{"check_in": numbers.get(c.sitting_id), "area": c.area,
                               "decision": c.decision, "from_level": c.from_level,
                               "to_level": c.to_level, "guardrails_held": c.guardrails_held,
                               "changed_on": c.changed_on.isoformat(), "reason": c.reason}
                              for c in check_in.board_history(view)],
            "learned": [{"prototype": x.title, "area": x.area, "check_in": x.sitting,
                         "held_on": x.held_on.isoformat(), "reason": x.reason,
                         "learned": x.learned} for x in check_in.learned(view)]}


def _answers(view: View) -> list[dict]:
    """Every revealed vote (the workshop's and each check-in's), one row each; names only
    where the person agreed."""
    numbers: dict[int, str] = {}
    out = []
    for key, info in STAGES.items():
        if info.kind != "vote":
            continue
        for rnd in _revealed_rounds(view, key):
            for name, a in view.group_answers(key, rnd):
                if name is None:
                    name = numbers.setdefault(a.participant_id,
                                              f"Participant {len(numbers) + 1}")
                value = a.value if not isinstance(a.value, dict) else json.dumps(a.value)
                out.append({"stage": key, "round": rnd, "item": a.item, "value": value,
                            "participant": name})
    for s in check_in.sittings(view):  # and each check-in's rounds, as they were revealed
        for c in check_in.revealed_answers(view, s):
            name = c.name or numbers.setdefault(c.participant_id,
                                                f"Participant {len(numbers) + 1}")
            value = c.value if not isinstance(c.value, dict) else json.dumps(c.value)
            out.append({"stage": f"check_in {s.number}: {check_in.ROUNDS[c.round]}",
                        "round": c.number, "item": c.item, "value": value,
                        "participant": name})
    return out


def session_data(view: View, individual: bool = False) -> dict:
    s = view.session
    stages = view.store.stages(s.id)
    data = {
        "session": {"code": s.code, "title": s.title, "created_at": s.created_at.isoformat(),
                    "participants": view.people_count(),
                    "exported_at": datetime.now(UTC).isoformat(timespec="seconds")},
        "stages": [{"stage": k, "title": STAGES[k].title, "round": st.round,
                    "state": st.state} for k, st in stages.items() if k in STAGES],
        "agenda": agenda.current(view).as_value(),
        "readiness": _readiness(view),
        "focus": _focus(view),
        "cede": _cede(view),
        "prototype": _prototypes(view),
        "check_in": _check_ins(view),
    }
    if individual:
        data["answers"] = _answers(view)
    return data


def to_json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def tables(data: dict) -> dict[str, list[dict]]:
    """The session as flat tables, one per CSV file."""
    out: dict[str, list[dict]] = {}
    if data["readiness"]:
        out["readiness_profile"] = data["readiness"]
    f = data["focus"]
    if f["results"]:
        out["focus_ranking"] = f["results"]["ranking"]
        weights = f["results"]["weights"]
        shown = whole_percentages(weights)  # the figures the screens show, adding up to 100
        out["focus_weights"] = [{"criterion": k, "label": CRITERIA[k].label if k in CRITERIA
                                 else k, "share": v, "percent": shown[k]}
                                for k, v in weights.items()]
    if f["decision"]:
        out["focus_decision"] = [{"order": i, "area": a, "reason": f["decision"].get("reason")}
                                 for i, a in enumerate(f["decision"]["areas"], 1)]
    out["delegation_board"] = [{**{k: v for k, v in r.items() if k != "guardrails"},
                                **{f"guardrail_{k}": v for k, v in r["guardrails"].items()}}
                               for r in data["cede"]["board"]]
    protos = data["prototype"]["prototypes"]
    out["prototypes"] = [{"id": p["id"], "area": p["area"], "title": p["title"],
                          "status": p["status"],
                          **{k: (json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict)
                                 else v) for k, v in p["canvas"].items()
                             if k not in ("area", "title")}} for p in protos]
    if data["prototype"]["commitment_revealed"]:
        out["commitment"] = [{"prototype": p["title"], "area": p["area"],
                              **{k: (", ".join(v) if isinstance(v, list) else v)
                                 for k, v in p["commitment"].items()}} for p in protos]
    out["pdsa_cycles"] = [{"prototype": p["title"], "area": p["area"], **c}
                          for p in protos for c in p["cycles"]]
    out["measure_values"] = [{"prototype": p["title"], "area": p["area"], "measure": m["name"],
                              "date": d, "value": v}
                             for p in protos for m in p["measures"] for d, v in m["values"]]
    c = data.get("check_in") or {"sittings": []}
    if c["sittings"]:
        out["check_in_portfolio"] = [
            {"check_in": s["number"], "held_on": s["held_on"], "place": r["place"],
             "prototype": r["prototype"], "area": r["area"], "why": r["why"],
             "pdsa_cycles": r["pdsa_cycles"], "latest_act": r["latest_act"],
             "helpers": r["helpers"], "helpers_needed": r["helpers_needed"],
             "measures": "; ".join(f"{m['measure']}: {m['variation_words'] or m['variation']}"
                                   f" {m['assurance_words']}" for m in r["measures"]),
             "unblocks": "; ".join(f"{u['promise']} ({u['status']})" for u in r["unblocks"])}
            for s in c["sittings"] for r in s["portfolio"]]
        out["check_in_decisions"] = [{"check_in": s["number"], "held_on": s["held_on"], **d}
                                     for s in c["sittings"] for d in s["decisions"]]
        out["check_in_keep_round"] = [{"check_in": s["number"], **k}
                                      for s in c["sittings"] for k in s["keep_round"]]
        out["check_in_review_round"] = [{"check_in": s["number"], **k}
                                        for s in c["sittings"] for k in s["review_round"]]
        out["delegation_level_changes"] = c["level_changes"]
    if "answers" in data:
        out["answers"] = data["answers"]
    return out


def _safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(rows: list[dict]) -> str:
    columns: list[str] = []
    for r in rows:
        columns += [k for k in r if k not in columns]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: _safe(v) for k, v in r.items()})
    return buf.getvalue()


def csv_zip(data: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, rows in tables(data).items():
            z.writestr(f"{name}.csv", "\ufeff" + to_csv(rows))  # BOM: Excel reads UTF-8
    return buf.getvalue()


FORMATS = ("html", "json", "csv", "board-paper")


def write(view: View, fmt: str, out_dir: Path, individual: bool = False) -> list[Path]:
    """Write the report (html), the session (json), its tables (csv) or the latest
    check-in's board paper (board-paper) into ``out_dir``. A board paper of a session with
    no check-in raises ``ValueError`` saying so, before anything is written."""
    stem = f"conductor-{view.session.code}"
    if fmt == "board-paper":
        # here, not at the top: the check-in's screens are not every export's
        from . import board_paper, check_in

        paper = board_paper.build(view)  # ValueError: no check-in yet
        sitting = check_in.current(view)
        out_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / f"{stem}-board-paper-check-in-{sitting.number if sitting else 0}.html"
        path.write_text(paper, encoding="utf-8")
        return [path]
    out_dir.mkdir(parents=True, exist_ok=True)
    if fmt == "html":
        path = out_dir / f"{stem}-report.html"
        path.write_text(build(view), encoding="utf-8")
        return [path]
    data = session_data(view, individual)
    if fmt == "json":
        path = out_dir / f"{stem}.json"
        path.write_text(to_json(data), encoding="utf-8")
        return [path]
    if fmt == "csv":
        paths = []
        for name, rows in tables(data).items():
            path = out_dir / f"{stem}-{name}.csv"
            path.write_text("\ufeff" + to_csv(rows), encoding="utf-8")
            paths.append(path)
        return paths
    raise ValueError("The format is html, json, csv or board-paper.")
