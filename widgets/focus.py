"""The Focus module's state for one session, read through the reveal filter.

Why a layer of its own: the participant's page, the console, the room screen and (later)
the report must all show the same shortlist, the same ranking and the same robustness
figures. They all ask this module, which reads the store only through
:class:`widgets.session.View`, so unrevealed votes cannot leak into any of them.
"""

from __future__ import annotations

import logging
import math
import uuid
from collections import OrderedDict
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any

from .analysis.proposal import equal_weight_scores, highest
from .care_areas import (
    CRITERIA,
    DATA_CRITERIA,
    EFFORT,
    FILE_NAME,
    HUMAN_CRITERIA,
    CareAreas,
    read_care_areas,
)
from .care_areas import fingerprint as _fingerprint
from .markup import esc
from .paths import data_file, is_sample
from .session import View
from .store import Shared, StoreError
from .store.worked_out import inputs_digest
from .validation import FieldError, check_choice, check_number, check_text, check_weights

log = logging.getLogger(__name__)

if TYPE_CHECKING:  # pandas is imported where results are worked out: see score_answers
    import pandas as pd

SHORTLIST, SCORE, WEIGHTS, DECIDE = "focus.shortlist", "focus.score", "focus.weights", \
    "focus.decide"
DATA_KIND = "care_areas"
DEFAULT_SHORTLIST = 10
DEFAULT_CAPACITY = 6
DRAWS = 10_000
CONCENTRATION = 50.0  # Dirichlet concentration around the group's weights (shown on screen)
SCORE_SCALE = {1: "Not at all", 2: "A little", 3: "Somewhat", 4: "Mostly", 5: "Strongly"}
WEIGHTED = [c.key for c in DATA_CRITERIA + HUMAN_CRITERIA]  # what the 100 points split over


def item_key(area: str, criterion: str) -> str:
    return f"{criterion}|{area}"


def split_key(item: str) -> tuple[str, str]:
    criterion, _, area = item.partition("|")
    return area, criterion


@dataclass(frozen=True)
class CareData:
    table: CareAreas  # plain rows; ``table.frame()`` is the DataFrame, made when needed
    name: str
    sha256: str
    sample: bool


_PARSED: dict[str, CareData] = {}  # sha256 -> parsed data: each file is parsed once a kernel


def care_data(view: View) -> CareData:
    """The session's own data file if one was loaded, else the fictional sample."""
    own = view.store.dataset(view.session.id, DATA_KIND)
    if own is not None:
        if own.sha256 not in _PARSED:
            raw = own.content.encode("utf-8")
            _PARSED[own.sha256] = CareData(read_care_areas(raw, own.name), own.name,
                                           own.sha256, False)
        return _PARSED[own.sha256]
    path = data_file(FILE_NAME)
    raw = path.read_bytes()
    sha = _fingerprint(raw)
    if sha not in _PARSED:
        sample = is_sample(path)
        _PARSED[sha] = CareData(read_care_areas(raw, path.name),
                                f"{path.name} (fictional sample)" if sample else path.name,
                                sha, sample)
    return _PARSED[sha]


def data_only_scores(table: CareAreas) -> dict[str, float]:
    """Equal weights over the data criteria: the default proposal for the shortlist."""
    return equal_weight_scores({c.key: table.column(c.key) for c in DATA_CRITERIA},
                               {c.key: c.direction for c in DATA_CRITERIA})


def proposed_shortlist(table: CareAreas, k: int = DEFAULT_SHORTLIST) -> list[str]:
    return highest(data_only_scores(table), k)


def shortlist(view: View, data: CareData | None = None) -> tuple[list[str], int, bool]:
    """(areas, version, proposed): the saved shortlist, or the data-only top ten."""
    data = data or care_data(view)
    saved = view.store.shared(view.session.id, SHORTLIST).get("areas")
    if saved is not None:
        present = [a for a in saved.value if a in data.table]
        return present, saved.version, False
    return proposed_shortlist(data.table), 0, True


def submit_score(view: View, item: str, value: object) -> None:
    """Save one of the viewer's scores: ``value`` on the 1-5 scale, or None for "don't
    know", for a human criterion of a shortlisted area. Anything else is refused with a
    :class:`FieldError` and nothing is stored (a page's buttons are not the check)."""
    areas, _, _ = shortlist(view)
    check_choice(item, [item_key(a, c.key) for a in areas for c in HUMAN_CRITERIA],
                 "That question")
    score = None if value is None else check_number(value, min(SCORE_SCALE),
                                                    max(SCORE_SCALE), "A score")
    view.store.submit(view.session.id, view.voter(), SCORE, item, score, uuid.uuid4().hex)


def submit_weights(view: View, points: object) -> dict[str, int]:
    """Save the viewer's split of 100 points over the criteria, once checked
    (:func:`widgets.validation.check_weights`); a bad split raises :class:`FieldError`."""
    split = check_weights(points, WEIGHTED)
    view.store.submit(view.session.id, view.voter(), WEIGHTS, "points", split,
                      uuid.uuid4().hex)
    return split


def _usable_score(value: object) -> bool:
    return value is None or (not isinstance(value, bool) and value in SCORE_SCALE)


def _usable_split(value: object) -> bool:
    try:
        check_weights(value, WEIGHTED)
    except FieldError:
        return False
    return True


def score_answers(view: View, round: int | None = None) -> pd.DataFrame:
    """Revealed scores as a DataFrame: participant, area, criterion, score (NaN = don't know).
    A score off the scale (stored before the checks, or by another path) is left out."""
    import pandas as pd  # here, not at the top: the Focus page's first screen opens without
    # pandas (a quarter of a second of a participant's page load; see analysis/proposal.py)

    rows = []
    for _, a in view.group_answers(SCORE, round):
        if not _usable_score(a.value):
            continue
        area, criterion = split_key(a.item)
        rows.append((a.participant_id, area, criterion,
                     float("nan") if a.value is None else float(a.value)))
    return pd.DataFrame(rows, columns=["participant", "area", "criterion", "score"])


def weight_answers(view: View, round: int | None = None) -> pd.DataFrame:
    """Revealed splits as a DataFrame: participant, criterion, points. A split that is not
    whole points from 0 to 100 adding up to 100 (huge, infinite, negative: stored before the
    checks, or by another path) is left out whole, so one person cannot stop the ranking."""
    import pandas as pd  # only once results are worked out (see score_answers)

    rows = [(a.participant_id, crit, float(pts)) for _, a in view.group_answers(WEIGHTS, round)
            if _usable_split(a.value) for crit, pts in a.value.items()]
    return pd.DataFrame(rows, columns=["participant", "criterion", "points"])


def capacity(view: View) -> dict[str, Any]:
    """How much the room can take on: ``{"mode": "programmes" or "effort", "limit": n}``."""
    saved = view.store.shared(view.session.id, DECIDE).get("capacity")
    cap: dict[str, Any] = (saved.value if saved
                           else {"mode": "programmes", "limit": DEFAULT_CAPACITY})
    return cap


def decision(view: View) -> dict[str, Any] | None:
    """The room's recorded choice: ``{"areas": [...], "reason": text, "n": n}``, or None."""
    saved = view.store.shared(view.session.id, DECIDE).get("decision")
    made: dict[str, Any] | None = saved.value if saved else None
    return made


def over_capacity(areas: list[str], cap: dict[str, Any], table: CareAreas) -> str | None:
    """A warning when a selection exceeds the capacity, else None."""
    if cap["mode"] == "effort":
        used = sum(table.value(a, EFFORT) for a in areas if a in table)
        if used > cap["limit"]:
            return (f"This selection needs {used:g} effort points; your capacity is "
                    f"{cap['limit']:g}. Drop an area or raise the capacity.")
        return None
    if len(areas) > cap["limit"]:
        return (f"This selection has {len(areas)} areas; your capacity is {cap['limit']} "
                "programmes at a time. Intermountain began with two and chose about six a year.")
    return None


@dataclass(frozen=True)
class RankedArea:
    """One row of the ranking, in plain values: what every screen, the report and the
    exports read. ``rank`` and the scores are None for an area nobody scored (``flag``
    says so), so nothing unscored sits at zero."""

    area: str
    score: float | None
    rank: int | None
    flag: str = ""
    top_uniform: float | None = None  # share of any weightings with it in the top N
    top_centred: float | None = None  # share of weightings near the group's


@dataclass
class Results:
    ready: bool
    reason: str = ""
    ranking: list[RankedArea] | None = None  # ranked areas first, in rank order
    weights: dict[str, float] | None = None  # criterion key to share, adding up to 1
    weights_source: str = ""
    n: int = DEFAULT_CAPACITY
    draws: int = DRAWS
    seed: int = 0
    concentration: float = CONCENTRATION
    disputed: list[str] = field(default_factory=list)
    unscored: list[str] = field(default_factory=list)
    people: int = 0
    pending: bool = False  # revealed, but not worked out yet (``results(compute=False)``)
    solo: bool = False  # one leader's own scores and weights (a self-guided session)

    def ranked(self) -> list[RankedArea]:
        """The areas with a rank, best first."""
        return [row for row in self.ranking or [] if row.rank is not None]

    def plain(self) -> dict[str, Any]:
        """The results as JSON values: kept in the store, so one kernel works them out for
        the whole session (:func:`results`)."""
        return asdict(self)  # the ranking's rows too (None while there is none)

    @classmethod
    def from_plain(cls, value: dict[str, Any]) -> Results:
        ranking = value.get("ranking")
        return cls(**{**value, "ranking": None if ranking is None else
                      [RankedArea(**row) for row in ranking]})


# How the ranking was worked out, in words: on the facilitator's screens and in the report
# alike, so they live here rather than in a screen.


def near(r: Results) -> str:
    """Whose weights the robustness draws centre on: a solo leader's own, or the group's."""
    return "Near your weights" if r.solo else "Near the group's weights"


def scored_by(r: Results) -> str:
    if r.solo:
        return "your own scores"
    return f"the median of {r.people} {'person' if r.people == 1 else 'people'}'s scores"


def method_html(r: Results) -> str:
    """How the ranking and its robustness were worked out, in the method's own terms: on
    the facilitator's screens under the results, in the report's appendix."""
    return (f"<p class='cd-note'>How this was worked out: each criterion scaled 0 to 1 over "
            f"the shortlist in its own direction; human criteria are {scored_by(r)} "
            f"(“don't know” left out); weights are {esc(r.weights_source)}. Robustness "
            f"(SMAA: Lahdelma, "
            f"Hokkanen & Salminen, 1998): {r.draws:,} weightings drawn uniformly (any "
            f"weights) and {r.draws:,} from a Dirichlet distribution centred on those "
            f"weights with concentration {r.concentration:g} ({near(r).lower()}), "
            f"seed {r.seed}.</p>")


def plain_html(r: Results) -> str:
    """The same account in plain words, for a board paper's body."""
    whose = "your" if r.solo else "the room's"
    return (f"<p>How to read this: each area's score out of 100 combines the area's "
            f"figures and {whose} ratings; the criteria with larger weights count for "
            "more. The weights are a judgement, so the ranking was worked out again "
            f"{2 * r.draws:,} times with the weights changed: {r.draws:,} times a little "
            f"around the weights used (“{near(r).lower()}”) and {r.draws:,} times with any "
            f"weights at all. An area that "
            f"stays in the top {r.n} nearly every time is a safe choice; one that often "
            "drops out hangs on a judgement worth discussing. The appendix gives the "
            "method.</p>")


def top_n(ranking: list[RankedArea], cap: dict[str, Any], table: CareAreas) -> int:
    """N for robustness: the capacity in programmes, or as many top areas as fit the effort."""
    if cap["mode"] != "effort":
        return int(cap["limit"])
    used, n = 0.0, 0
    for row in ranking:
        if row.rank is None:
            continue
        used += table.value(row.area, EFFORT)
        if used > cap["limit"]:
            break
        n += 1
    return max(n, 1)


WORKING = "Working out the ranking and how robust it is…"


def results_inputs(view: View) -> tuple[object, ...]:
    """What the results depend on, as one value that changes whenever any of it does: the
    score and weight steps, the shortlist, weights and decision (by version) and the data.
    A screen compares it with the last one to skip work when nothing it shows has moved."""
    shared = {s: sorted((k, x.version) for k, x in view.store.shared(view.session.id, s).items())
              for s in (SHORTLIST, WEIGHTS, DECIDE)}
    data = view.store.dataset(view.session.id, DATA_KIND)
    final = _final_weights(view)
    return (view.stage(SCORE), view.stage(WEIGHTS), repr(shared),
            data.sha256 if data else None, _answers_counted(view, final))


def _final_weights(view: View) -> Shared | None:
    """The facilitator's own weights, or None while the group's are used."""
    final = view.store.shared(view.session.id, WEIGHTS).get("final")
    return final if final is not None and final.value else None


def _answers_counted(view: View, final: Shared | None) -> tuple[tuple[str, int, int], ...]:
    """(step, round, rows) of each revealed round the results are worked out from. A
    revealed round takes no new answer, so its rows change only when a withdrawal removes
    some: every screen then works the results out again, without that person's. The
    weights round counts only while the group's weights are used."""
    sid = view.session.id
    rounds = [(SCORE, _last_revealed(view, SCORE))]
    if final is None:
        rounds.append((WEIGHTS, _last_revealed(view, WEIGHTS)))
    return tuple((stage, n, view.store.count_round(sid, stage, n)) for stage, n in rounds
                 if view.is_revealed(stage, n))


def results(view: View, data: CareData | None = None, compute: bool = True) -> Results:
    """Ranking, robustness and disagreement, once scores and weights are revealed.

    With ``compute=False`` results not worked out yet in this kernel come back ``pending``
    (a page opening shows them a moment later; see :func:`widgets.ui.shell.opening.when_shown`).
    """
    if not view.is_revealed(SCORE, _last_revealed(view, SCORE)):
        return Results(False, "Results appear once the scores are revealed.")
    final = _final_weights(view)  # None also once the facilitator went back to the group's
    if final is None and not view.is_revealed(WEIGHTS, _last_revealed(view, WEIGHTS)):
        return Results(False, "Results appear once the weights are revealed.")
    data = data or care_data(view)
    key = _inputs(view, data, final)
    if key in _RESULTS:
        _RESULTS.move_to_end(key)
        return _RESULTS[key]
    digest = _digest(key)
    made = _kept(view, digest)
    if made is None and not compute:
        return Results(False, WORKING, pending=True)
    if made is None:
        try:
            made = _compute(view, data, final)
        except (ValueError, ArithmeticError) as err:  # e.g. final weights that cannot be used
            made = Results(False, f"The ranking could not be worked out from these weights "
                                  f"({err}). Set the weights again, or use the group's.")
        try:
            # the rows counted before it was worked out (the key's last part): a withdrawal
            # since then changes them, and the store then keeps nothing
            view.store.keep_worked_out(view.session.id, WORKED_OUT, digest, made.plain(),
                                       answers_counted=key[-1])  # type: ignore[arg-type]
        except (StoreError, ValueError):  # the page still shows it; others work it out
            log.warning("Could not keep the Focus ranking for other pages", exc_info=True)
    _RESULTS[key] = made
    while len(_RESULTS) > 8:
        _RESULTS.popitem(last=False)
    return made


#: Under this name the store keeps the ranking, worked out once for the whole session.
WORKED_OUT = "focus.results"
#: The shape of what is kept (:meth:`Results.plain`), part of its key: a copy of the kit
#: that works the ranking out differently, or keeps other fields, never reads another's.
RESULTS_FORMAT = 1


def _digest(inputs: tuple[object, ...]) -> str:
    """The key the ranking is kept under: the same in every kernel on any server of this
    store (not the store's address, ``inputs[0]``), and for this way of working it out."""
    return inputs_digest((RESULTS_FORMAT, DRAWS, CONCENTRATION, *inputs[1:]))


def _kept(view: View, digest: str) -> Results | None:
    """The ranking another kernel kept for these inputs, or None (none kept, or one this
    copy of the kit cannot read: it is then worked out here)."""
    kept = view.store.worked_out(view.session.id, WORKED_OUT, digest)
    if kept is None:
        return None
    try:
        return Results.from_plain(kept)
    except (TypeError, KeyError, ValueError):
        log.warning("A kept Focus ranking could not be read; working it out again")
        return None


#: How long a participant's page in a live session waits for another kernel (the console's
#: or the room screen's, which work the ranking out as it is revealed) before working it out
#: itself: a page alone (no console open) still gets its ranking.
WAIT_FOR_RANKING_SECONDS = 15.0


def works_out_ranking(view: View) -> bool:
    """Whether this page's kernel works the ranking out itself (the facilitator's, the room
    screen's and a self-guided leader's) rather than read what another kernel kept.

    Why participants wait: the ranking needs pandas and numpy, about 40 MB in each kernel
    that imports them, held for as long as the page stays open; a room of 40 phones would
    each pay it for the same rows (``benchmarks/memory.py``)."""
    return view.viewer.role != "participant" or view.session.solo


# Results by everything they depend on. Votes stay hidden until a round is revealed, so a
# vote in an open round changes nothing shown: every screen refreshing after it gets the
# same results back without recomputing 20,000 weightings.
_RESULTS: OrderedDict[tuple[object, ...], Results] = OrderedDict()


def _inputs(view: View, data: CareData, final: Shared | None) -> tuple[object, ...]:
    """Everything the results depend on. Not who has joined: a late joiner has no answers
    in a revealed round, and a withdrawal removes answers, so the counts move."""
    sid = view.session.id
    shortlisted = view.store.shared(sid, SHORTLIST).get("areas")
    cap = view.store.shared(sid, DECIDE).get("capacity")
    return (view.store.url, sid, view.session.seed, data.sha256,
            shortlisted.version if shortlisted else 0, cap.version if cap else 0,
            final.version if final else 0, _answers_counted(view, final))


def _compute(view: View, data: CareData, final: Shared | None) -> Results:
    """Ranking, robustness and disagreement from the revealed rounds."""
    from .analysis.priorities import (  # pandas and numpy: only once results are worked out
        group_weights,
        human_scores,
        most_disputed,
        normalise,
        normalise_weights,
        rank,
        top_n_acceptability,
        weighted_scores,
    )

    solo = view.session.solo
    areas, _, _ = shortlist(view, data)
    answers = score_answers(view, _last_revealed(view, SCORE))
    answers = answers[answers["area"].isin(areas)]
    human = human_scores(answers).reindex(index=areas, columns=[c.key for c in HUMAN_CRITERIA])
    table = data.table.frame().loc[areas, [c.key for c in DATA_CRITERIA]].join(human)
    norm = normalise(table, {k: CRITERIA[k].direction for k in table.columns})
    if final is not None:
        weights, source = normalise_weights(final.value), ("set by you" if solo else
                                                           "set by the facilitator")
    else:
        votes = weight_answers(view, _last_revealed(view, WEIGHTS))
        if votes.empty:
            return Results(False, "Nobody split their 100 points, so there are no weights yet.")
        weights, source = group_weights(votes, list(table.columns)), (
            "your own" if solo else "the group's median")
    ranked = rank(weighted_scores(norm, weights))
    cap = capacity(view)
    seed = view.session.seed
    rows = [RankedArea(str(area), _number(score), None if flag else int(position),
                       str(flag))
            for area, score, position, flag in ranked[["area", "score", "rank", "flag"]]
            .itertuples(index=False)]
    if not any(row.rank is not None for row in rows):
        return Results(False, "No area can be ranked yet: each needs a score on every "
                              "criterion, and every area is missing one (“don't know” "
                              "from everyone). Open a new round of scoring.")
    n = top_n(rows, cap, data.table)
    uniform = top_n_acceptability(norm, n, DRAWS, seed)
    centred = top_n_acceptability(norm, n, DRAWS, seed, centre=weights,
                                  concentration=CONCENTRATION)
    rows = [replace(row, top_uniform=_number(uniform.get(row.area)),
                    top_centred=_number(centred.get(row.area))) for row in rows]
    return Results(True, ranking=rows, weights={str(k): float(v) for k, v in weights.items()},
                   weights_source=source, n=n, seed=seed, disputed=list(most_disputed(answers, 3)),
                   unscored=[row.area for row in rows if row.flag],
                   people=int(answers["participant"].nunique()), solo=solo)


def _number(value: object) -> float | None:
    """A plain float, or None for a missing one (NaN): the results are kept as JSON."""
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]  # numpy and pandas numbers
    return None if math.isnan(number) else number


def _last_revealed(view: View, stage: str) -> int:
    st = view.stage(stage)
    return st.round if st.state == "revealed" else max(st.round - 1, 1)


def load_data(view: View, raw: bytes, name: str) -> CareData:
    """Validate and keep a session's own care-area file (facilitator only). Raises
    :class:`widgets.validation.TableInvalid` with every problem; stores nothing then."""
    table = read_care_areas(raw, name)
    text = raw.decode("utf-8-sig")
    sha = _fingerprint(raw)
    view.store.save_dataset(view.session.id, DATA_KIND, name, sha, text, view.viewer.key)
    return CareData(table, name, sha, False)


def save_shortlist(view: View, areas: object, base_version: int | None = None) -> bool:
    """Keep the facilitator's shortlist: at least two care areas of the session's data, each
    once, in the order given. True when someone else had saved since ``base_version`` (the
    version the screen showed): theirs stays in the history."""
    table = care_data(view).table
    if not isinstance(areas, list | tuple):
        raise FieldError("The shortlist must be a list of care areas. Nothing was saved.")
    chosen = [check_choice(a, table.areas, "A care area on the shortlist") for a in areas]
    if len(set(chosen)) < 2:
        raise FieldError("Tick at least two areas: a ranking needs something to compare.")
    kept = list(dict.fromkeys(chosen))
    saved = view.store.save_shared(view.session.id, SHORTLIST, "areas", kept,
                                   key=view.viewer.key, base_version=base_version,
                                   facilitator_only=True)
    return saved.stale


CAPACITY_MODES = ("programmes", "effort")
MAX_CAPACITY = 1000  # programmes or effort points: far past any board's


def save_capacity(view: View, mode: object, limit: object) -> dict[str, object]:
    """Keep how much the room can take on: programmes at a time or effort points, 1 to
    :data:`MAX_CAPACITY` (facilitator only)."""
    cap: dict[str, object] = {
        "mode": check_choice(mode, CAPACITY_MODES, "The capacity's unit"),
        "limit": check_number(limit, 1, MAX_CAPACITY, "The capacity")}
    view.store.save_shared(view.session.id, DECIDE, "capacity", cap, key=view.viewer.key,
                           facilitator_only=True)
    return cap


def save_final_weights(view: View, points: object) -> dict[str, int] | None:
    """Set the weights the ranking uses, over the group's (facilitator only): 0 to 100 for
    each criterion, at least one above 0; None goes back to the group's weights."""
    final: dict[str, int] | None = None
    if points is not None:
        if not isinstance(points, dict) or any(k not in WEIGHTED for k in points):
            raise FieldError("Weights must give points for the criteria of this step. "
                             "Nothing was saved.")
        final = {k: check_number(points.get(k, 0), 0, 100, "Each weight") for k in WEIGHTED}
        if sum(final.values()) <= 0:
            raise FieldError("Give at least one criterion some weight.")
    view.store.save_shared(view.session.id, WEIGHTS, "final", final, key=view.viewer.key,
                           facilitator_only=True)
    return final


def record_decision(view: View, areas: object, reason: object,
                    r: Results | None = None) -> list[str]:
    """Record the room's focus areas (facilitator only), in ranking order, with the reason.

    ``r`` is the ranking the screen shows (worked out again when not given). A choice that
    departs from its top N needs a written reason, so the room and the board can see why."""
    r = results(view) if r is None else r
    if not r.ready or r.ranking is None:
        raise FieldError("The ranking is still being worked out: try again in a moment."
                         if r.pending else "The ranking is not ready yet: reveal the scores "
                         "and weights first.")
    ranked = [row.area for row in r.ranked()]
    if not isinstance(areas, list | tuple) or not areas:
        raise FieldError("Tick at least one area to focus on.")
    chosen = {check_choice(a, ranked, "A focus area") for a in areas}
    why = check_text(reason, "long", "The reason")
    if chosen != set(ranked[: r.n]) and not why:
        raise FieldError(f"This choice differs from the top {r.n} of the ranking. Write a "
                         "short reason so the room and the board can see why, then record "
                         "it again.")
    kept = [row.area for row in r.ranking if row.area in chosen]
    view.store.save_shared(view.session.id, DECIDE, "decision",
                           {"areas": kept, "reason": why, "n": r.n}, key=view.viewer.key,
                           facilitator_only=True)
    return kept


def scoring_started(view: View) -> bool:
    st = view.stage(SCORE)
    return st.state != "closed" or st.round > 1 or bool(
        view.store.answered(view.session.id, SCORE, st.round))
