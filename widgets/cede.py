"""The Cede module's state for one session, read through the reveal filter.

Why: "move authority to the information" (L. David Marquet; the seed "What good looks
like" says the same of boards). For each chosen focus area the room decides which decisions
move towards the front line, how far, with which guardrails, and who is accountable. The
participant's page, the console and the room screen all ask this module, so they agree.
"""

from __future__ import annotations

import json
import statistics
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from . import focus
from .analysis.delegation import InPlace, cede_gaps, guardrail_gaps
from .analysis.delegation import in_place as count_in_place
from .decisions import default_played, starter
from .delegation_levels import BY_NUMBER
from .session import View
from .store import Shared
from .validation import FieldError, check_choice, check_number, check_text, parse_date

Decision = dict[str, str]  # a catalogue entry: {"decision": name, "meaning": what it covers}
Guardrails = dict[str, str]  # money, risk_scope, report, review_date

SETUP, POKER, BOARD = "cede.setup", "cede.poker", "cede.board"
# The board's guardrails and each area's pushback plan, in the form's order, with the words
# every screen, the report and the exports show (keys: analysis.delegation.GUARDRAIL_FIELDS).
GUARDRAILS = {"money": "Money limit", "risk_scope": "Limits on risk and scope",
              "report": "What must be reported, and to whom", "review_date": "Review date"}
PUSHBACK = {"who": "Who may object (roles, not names)", "cares": "What they care about",
            "talker": "Who will talk with them", "backing": "What backing the sponsor commits"}
KINDS = ("today", "proposed")


def key(*parts: str) -> str:
    """A store item key from names (JSON, so any character in a name is safe)."""
    return json.dumps(list(parts), ensure_ascii=False)


def parts(item: str) -> list[str]:
    names: list[str] = json.loads(item)
    return names


def focus_areas(view: View) -> list[str]:
    """The areas the Focus module chose; Cede starts from them."""
    made = focus.decision(view)
    return list(made["areas"]) if made else []


def catalogue(view: View, setup: dict[str, Shared] | None = None) -> list[Decision]:
    """The session's decision areas: the starter catalogue until the facilitator edits it.

    ``setup`` is the set-up step's shared work, when the caller has already read it.
    """
    setup = _setup(view) if setup is None else setup
    saved = setup.get("catalogue")
    if saved is not None:
        entries: list[Decision] = saved.value
        return entries
    return [{"decision": r["decision"], "meaning": r["meaning"]} for r in starter()]


PLAYED = key("played")  # every area's played decisions, in one item


class Refused(FieldError):
    """A change refused whole: the message says why and that nothing was saved, so the
    facilitator never reads "Saved" over a change that was not kept."""


class AreasChanged(Refused):
    """The focus areas changed since the screen was drawn: it redraws its boxes."""


def played_by_area(view: View) -> dict[str, list[str]]:
    """The decisions the room plays for each focus area (default: the four most relevant),
    from one read of the set-up step.

    One item holds every area's list, so a save keeps all areas or none. Sessions saved
    before that kept one item per area (``key("played", area)``); they are read as a
    fallback for any area the single item does not name.
    """
    setup = _setup(view)
    names = {d["decision"] for d in catalogue(view, setup)}
    saved_lists = setup.get(PLAYED)
    together: dict[str, list[str]] = saved_lists.value if saved_lists is not None else {}
    out = {}
    for area in focus_areas(view):
        if area in together:
            chosen = together[area]
        else:
            saved = setup.get(key("played", area))
            chosen = saved.value if saved is not None else default_played(starter())
        out[area] = [d for d in chosen if d in names]
    return out


def save_played(view: View, chosen: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    """Save the decisions to play in every focus area at once, in the catalogue's order.

    ``chosen`` must name every focus area, each with at least one decision from the
    catalogue; otherwise :class:`Refused` says what is wrong and nothing is saved
    (:class:`AreasChanged` when the areas are not the ones the screen was drawn for). One
    store write for all areas: a screen that saved area by area refreshed between saves and
    lost every area after the first. Facilitator only (the store checks the key).
    """
    areas = focus_areas(view)
    setup = _setup(view)
    order = [d["decision"] for d in catalogue(view, setup)]
    if set(chosen) != set(areas):  # another tab recorded a new Focus decision meanwhile
        raise AreasChanged("Nothing was saved: the focus areas changed since this page was "
                           "drawn. Check the ticks below and save again.")
    picked = {a: set(chosen.get(a, ())) for a in areas}
    for area in areas:
        unknown = sorted(picked[area] - set(order))
        if unknown:
            raise Refused(f"Nothing was saved: “{unknown[0]}” is not in the catalogue "
                               "any more. Reload the page and tick again.")
        if not picked[area]:
            raise Refused(f"Nothing was saved: tick at least one decision for {area}.")
    out = {a: [d for d in order if d in picked[a]] for a in areas}
    _save_played(view, setup, out)
    return out


def _save_played(view: View, setup: dict[str, Shared], lists: dict[str, list[str]]) -> None:
    """Write every area's list as one item, keeping the lists of areas no longer in focus
    (the Focus decision may be changed back)."""
    together = setup.get(PLAYED)
    _save_setup(view, PLAYED, {**(together.value if together is not None else {}), **lists})


def add_decision(view: View, name: str, meaning: str) -> str:
    """Add a decision to the session's catalogue; returns its name as saved."""
    name = check_text(name, "short", "The decision's name", required=True)
    meaning = check_text(meaning, "short", "What it covers")
    cat = catalogue(view)
    if any(d["decision"].casefold() == name.casefold() for d in cat):
        raise Refused(f"“{name}” is already in the catalogue.")
    _save_setup(view, "catalogue", [*cat, {"decision": name, "meaning": meaning}])
    return name


def rename_decision(view: View, old: str, new: str) -> str:
    """Rename a decision, keeping it played wherever it was; returns the new name.

    The catalogue and the played lists change in one store write, so a failure leaves
    both as they were. A decision that already has poker votes or Delegation Board
    entries keeps its name: those are stored under the name, and a rename would leave
    them behind.
    """
    new = check_text(new, "short", "The new name", required=True)
    setup = _setup(view)
    cat = catalogue(view, setup)
    if not any(d["decision"] == old for d in cat):
        raise Refused(f"Nothing was saved: “{old}” is not in the catalogue any more.")
    if any(d["decision"].casefold() == new.casefold() and d["decision"] != old for d in cat):
        raise Refused(f"Nothing was saved: “{new}” is already in the catalogue; choose "
                      "another name.")
    if _has_record(view, old):
        raise Refused(f"Nothing was saved: “{old}” already has votes or entries on the "
                      "Delegation Board under this name, and a new name would leave them "
                      "behind. Add a new decision instead if the wording must change.")
    # Read the played lists before the rename: once the catalogue no longer has the old
    # name, played_by_area() would drop it, and the renamed decision would stop being played.
    was = played_by_area(view)
    together = setup.get(PLAYED)
    lists = {**(together.value if together is not None else {}),
             **{a: [new if d == old else d for d in ds] for a, ds in was.items()}}
    view.store.save_shared_items(view.session.id, SETUP, {
        "catalogue": [{**d, "decision": new} if d["decision"] == old else d for d in cat],
        PLAYED: lists}, key=view.viewer.key)
    return new


def _has_record(view: View, decision: str) -> bool:
    """Whether any poker vote (any round, any area) or board entry names this decision."""
    if any(parts(item)[1] == decision
           for item in view.store.items_answered(view.session.id, POKER)):
        return True

    def filled(value: object) -> bool:
        return any(value.values()) if isinstance(value, dict) else bool(value)

    return any(len(p := parts(item)) == 3 and p[2] == decision and filled(value)
               for item, value in shared_board(view).items())


def remove_decision(view: View, name: str) -> None:
    """Take a decision out of this session's catalogue (its earlier votes stay on record)."""
    _save_setup(view, "catalogue", [d for d in catalogue(view) if d["decision"] != name])


def _save_setup(view: View, item: str, value: object) -> None:
    view.store.save_shared(view.session.id, SETUP, item, value, key=view.viewer.key,
                           facilitator_only=True)


def played(view: View, area: str) -> list[str]:
    """The decisions the room plays for one area."""
    return played_by_area(view).get(area, [])


def _setup(view: View) -> dict[str, Shared]:
    return view.store.shared(view.session.id, SETUP)


def submit_level(view: View, item: str, level: object) -> None:
    """Save one of the viewer's poker cards: a delegation level (1 to 7) for today or the
    proposal, for a decision the room plays. Checked here, not by the cards on screen: a
    script can send any level for any item; a bad one raises :class:`FieldError`."""
    check_choice(item, [key(a, d, kind) for a, ds in played_by_area(view).items()
                        for d in ds for kind in KINDS], "That card")
    checked = check_number(level, min(BY_NUMBER), max(BY_NUMBER), "A delegation level")
    view.store.submit(view.session.id, view.voter(), POKER, item, int(checked),
                      uuid.uuid4().hex)


def record_agreed(view: View, area: str, decision: str, level: object) -> int:
    """Record the room's agreed level for a played decision (facilitator only).

    Checked here, not only by the cards on screen: a forged level (99) would break the
    board for everyone, and a level for a decision nobody played would never show.
    """
    if isinstance(level, bool) or not isinstance(level, int) or level not in BY_NUMBER:
        raise Refused("Nothing was recorded: the level must be a whole number from "
                      f"{min(BY_NUMBER)} to {max(BY_NUMBER)}.")
    if decision not in played_by_area(view).get(area, []):
        raise Refused(f"Nothing was recorded: “{decision}” is not played in {area}.")
    view.store.save_shared(view.session.id, BOARD, key("agreed", area, decision), level,
                           key=view.viewer.key, facilitator_only=True)
    return level


def agreed_levels(view: View) -> dict[tuple[str, str], int]:
    """The agreed level of each decision that has one, by (area, decision)."""
    out: dict[tuple[str, str], int] = {}
    for item, value in shared_board(view).items():
        found = parts(item)
        if len(found) == 3 and found[0] == "agreed" and isinstance(value, int):
            out[(found[1], found[2])] = value
    return out


@dataclass(frozen=True)
class PokerVote:
    """One revealed card: who played it (``name`` only if they agreed to be named), for
    which decision, today's level or the proposed one."""

    participant: int
    name: str | None
    area: str
    decision: str
    kind: str
    level: int


def poker_votes(view: View, round: int | None = None) -> list[PokerVote]:
    """Revealed poker votes, as plain rows (a Cede page shows a dozen decisions of a few
    votes each: no data frame needed). Empty while the round is unrevealed."""
    votes = []
    for name, a in view.group_answers(POKER, round):
        area, decision, kind = parts(a.item)
        if a.value is not None:
            votes.append(PokerVote(a.participant_id, name, area, decision, kind,
                                   int(a.value)))
    return votes


def last_revealed(view: View) -> int | None:
    st = view.stage(POKER)
    if st.state == "revealed":
        return st.round
    return st.round - 1 if st.round > 1 else None


def shared_board(view: View) -> dict[str, Any]:
    return {k: v.value for k, v in view.store.shared(view.session.id, BOARD).items()}


@dataclass
class BoardRow:
    area: str
    decision: str
    today: float | None  # median of the latest revealed "today" votes
    proposed: float | None
    agreed: int | None
    owner: str
    guardrails: Guardrails


def board_versions(view: View) -> list[tuple[str, int]]:
    """Each saved board entry's version: changes whenever an owner, guardrail or pushback is
    saved, so a screen can tell that its board must be drawn again, and says which version
    an edit was made on."""
    return sorted((k, x.version) for k, x in view.store.shared(view.session.id, BOARD).items())


def board(view: View) -> list[BoardRow]:
    """Every played decision with today's level, the proposal, the agreed level and its
    owner and guardrails."""
    rnd = last_revealed(view)
    levels: dict[tuple[str, str, str], list[int]] = {}
    for v in poker_votes(view, rnd) if rnd is not None else []:
        levels.setdefault((v.area, v.decision, v.kind), []).append(v.level)
    saved = shared_board(view)
    out = []
    for area, decisions in played_by_area(view).items():
        for decision in decisions:
            med = {kind: float(statistics.median(levels[(area, decision, kind)]))
                   if levels.get((area, decision, kind)) else None for kind in KINDS}
            out.append(BoardRow(area, decision, med["today"], med["proposed"],
                                saved.get(key("agreed", area, decision)),
                                saved.get(key("owner", area, decision)) or "",
                                saved.get(key("guardrails", area, decision)) or {}))
    return out


def warnings(rows: list[BoardRow]) -> dict[tuple[str, str], list[str]]:
    """What is missing per (area, decision): an owner, and guardrails from Advise up."""
    agreed = {(r.area, r.decision): r.agreed for r in rows if r.agreed is not None}
    owners = {(r.area, r.decision): r.owner for r in rows}
    guards = {(r.area, r.decision): r.guardrails for r in rows}
    return guardrail_gaps(agreed, owners, guards)


def in_place(rows: list[BoardRow]) -> InPlace:
    """Owners and guardrails in place against those due (see ``analysis.delegation``)."""
    keys = [(r.area, r.decision) for r in rows]
    agreed = {(r.area, r.decision): r.agreed for r in rows if r.agreed is not None}
    return count_in_place(keys, agreed, {(r.area, r.decision): r.owner for r in rows},
                 {(r.area, r.decision): r.guardrails for r in rows})


def gaps(rows: list[BoardRow]) -> dict[tuple[str, str], float]:
    """Agreed level minus today's, per (area, decision) with both (the cede gap)."""
    today = {(r.area, r.decision): r.today for r in rows if r.today is not None}
    agreed = {(r.area, r.decision): float(r.agreed) for r in rows if r.agreed is not None}
    return cede_gaps(today, agreed)


def save_owner_and_guardrails(view: View, area: str, decision: str, owner: object,
                              guardrails: object = None,
                              versions: Mapping[str, int] | None = None) -> dict[str, bool]:
    """Save a played decision's accountable owner and, when given, its guardrails (shared
    work: anyone in the room may write them; every save is kept). Both are checked before
    either is saved. ``versions`` are the versions the screen showed, by store item; the
    answer says, per item saved ("owner", "guardrails"), whether someone else had saved it
    since (theirs stays in the history)."""
    if decision not in played_by_area(view).get(area, []):
        raise Refused(f"Nothing was saved: “{decision}” is not played in {area}.")
    who = check_text(owner, "short", "The owner")
    guard: Guardrails = {}
    if guardrails is not None:
        if not isinstance(guardrails, Mapping) or any(f not in GUARDRAILS for f in guardrails):
            raise FieldError("Guardrails are the money limit, the limits on risk and scope, "
                             "what must be reported and the review date. Nothing was saved.")
        guard = {f: check_text(guardrails[f], "short", label)
                 for f, label in GUARDRAILS.items() if f in guardrails}
        if guard.get("review_date"):
            guard["review_date"] = parse_date(guard["review_date"]).isoformat()
    saves: dict[str, object] = {"owner": who}
    if guard:
        saves["guardrails"] = guard
    return {what: _save_board(view, key(what, area, decision), value, versions)
            for what, value in saves.items()}


def save_pushback(view: View, area: str, plan: object,
                  versions: Mapping[str, int] | None = None) -> bool:
    """Save a focus area's pushback plan (shared work). True when someone else had saved
    it since the version the screen showed."""
    check_choice(area, focus_areas(view), "That focus area")
    if not isinstance(plan, Mapping) or any(f not in PUSHBACK for f in plan):
        raise FieldError("A pushback plan says who may object, what they care about, who "
                         "will talk with them and the sponsor's backing. Nothing was saved.")
    checked = {f: check_text(plan[f], "long", label)
               for f, label in PUSHBACK.items() if f in plan}
    return _save_board(view, key("pushback", area), checked, versions)


def _save_board(view: View, item: str, value: object,
                versions: Mapping[str, int] | None) -> bool:
    saved = view.store.save_shared(
        view.session.id, BOARD, item, value, participant_id=view.viewer.participant_id,
        key=view.viewer.key, base_version=(versions or {}).get(item, 0))
    return saved.stale


def pushback(view: View, area: str) -> dict[str, Any]:
    return shared_board(view).get(key("pushback", area)) or {}
