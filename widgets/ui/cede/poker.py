"""Delegation Poker: each person privately picks a card for today and for the proposal; after
the reveal the room sees the spread, hears from the highest and lowest, and the facilitator
records the agreed level.

Why privately first: if the chief executive says "Consult" out loud, the room says Consult.
Showing all the cards at once is what makes the highest and lowest visible, and they are
the people with something to explain.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import ipywidgets as w

from ... import cede
from ...analysis.delegation import spread, who_chose
from ...charts.draw import Chart, figure
from ...delegation_levels import BY_NUMBER, LEVELS
from ...session import View
from ...store import StoreError
from ...validation import FieldError
from ..common import Status, choice_buttons, esc, html_block
from ..ratings import Rated, RatingForm
from ..shell.stagecontrols import SHOW_MINE

SCALE = {lv.number: lv.meaning for lv in LEVELS}
NAMES = {lv.number: lv.name for lv in LEVELS}


class PokerForm(RatingForm):
    """Two card rows per played decision: who decides today, and who should."""

    def __init__(self, view: View):
        self._key = self._state(view)
        super().__init__(view, cede.POKER, SCALE, self._sections(view), names=NAMES,
                         dont_know=False, submit=cede.submit_level)

    @staticmethod
    def _state(view: View) -> tuple:
        return tuple((a, tuple(ds)) for a, ds in cede.played_by_area(view).items())

    def _sections(self, view: View):
        return [(f"{area}: {decision}", [
            Rated(cede.key(area, decision, "today"), "Today: who decides?",
                  f"{decision}, today"),
            Rated(cede.key(area, decision, "proposed"), "Proposed: who should decide?",
                  f"{decision}, proposed")]) for area, ds in self._state(view) for decision in ds]

    def refresh(self) -> None:
        state = self._state(self.view)
        if state != self._key:
            self._key = state
            self.rebuild(self._sections(self.view))
            return
        super().refresh()


def distribution_chart(counts: Mapping[tuple[str, int], int], sentence: str) -> Chart:
    """How many chose each level, today and proposed side by side; ``counts`` by
    (kind, level). Drawn by ``charts.specs.poker``."""
    values = [{"level": f"{n} {NAMES[n]}", "kind": kind.capitalize(),
               "count": int(counts.get((kind, n), 0))}
              for kind in cede.KINDS for n in NAMES]
    return Chart("cede.poker", {"values": values,
                                "levels": [f"{n} {NAMES[n]}" for n in NAMES],
                                "sentence": sentence})


def solo_sentence(votes: list[tuple[str, int, str | None]], area: str, decision: str) -> str:
    """One leader's own two cards, such as "Budget in Sepsis. You chose 2 Sell for who
    decides today, and 5 Advise for who should decide"."""
    mine = {k: lv for k, lv, _ in votes}
    said = [f"{mine[k]} {NAMES[mine[k]]} for {SOLO_KINDS[k]}" for k in cede.KINDS if k in mine]
    return f"{decision} in {area}. You chose " + ", and ".join(said) + "."


SOLO_KINDS = {"today": "who decides today", "proposed": "who should decide"}


def decision_html(votes: list[tuple[str, int, str | None]], area: str, decision: str,
                  solo: bool = False) -> str:
    """One decision's cards: ``votes`` are (kind, level, name or None); ``solo``, one
    leader's own, told in a sentence that speaks to them."""

    if not votes:
        return (f"<h4>{esc(area)}: {esc(decision)}</h4><p>"
                f"{'You did not play' if solo else 'Nobody played'} this decision.</p>")
    sentence = (solo_sentence if solo else group_sentence)(votes, area, decision)
    counts = Counter((k, lv) for k, lv, _ in votes)
    return f"<h4>{esc(area)}: {esc(decision)}</h4>" + figure(
        distribution_chart(counts, sentence), sentence)


def group_sentence(votes: list[tuple[str, int, str | None]], area: str, decision: str) -> str:
    """The room's cards: median, who chose the lowest and highest, and how close they are."""

    parts = []
    for kind in cede.KINDS:
        s = spread((lv, name) for k, lv, name in votes if k == kind)
        if s is None:
            continue
        text = (f"lowest {s.lowest} {NAMES[s.lowest]} ({who_chose(s.low_names, s.low_others)}),"
                f" highest {s.highest} {NAMES[s.highest]} "
                f"({who_chose(s.high_names, s.high_others)})"
                if s.lowest != s.highest else "everyone chose the same card")
        parts.append(f"{kind}: median {s.median:g} ({BY_NUMBER[round(s.median)].name}), "
                     f"{text}, {s.consensus:.0%} within one level of the median")
    return f"{decision} in {area}. " + "; ".join(parts) + "."


def votes_by_decision(votes: list[cede.PokerVote]
                      ) -> dict[tuple[str, str], list[tuple[str, int, str | None]]]:
    """The revealed cards grouped once by (area, decision), as (kind, level, name)."""
    out: dict[tuple[str, str], list] = {}
    for v in votes:
        out.setdefault((v.area, v.decision), []).append((v.kind, v.level, v.name))
    return out


class PokerResults:
    """The spread for every played decision once revealed; the facilitator records levels."""

    def __init__(self, view: View, editable: bool):
        self.view = view
        self.editable = editable
        self.status = Status()
        self.body = w.VBox()
        self.agree: dict[tuple[str, str], w.ToggleButtons] = {}
        self._key: tuple | None = None
        self.widget = w.VBox([html_block("<h3>What the cards say</h3>"), self.body,
                              self.status.widget])
        self.refresh()

    def refresh(self) -> None:
        v = self.view
        rnd = cede.last_revealed(v)
        agreed = cede.agreed_levels(v)
        playing = PokerForm._state(v)
        # The cards are part of the state: a name the facilitator hides must go at once.
        cards = tuple(cede.poker_votes(v, rnd)) if rnd is not None else ()
        state = (rnd, playing, repr(agreed), cards)
        if state == self._key:
            return
        self._key = state
        solo = v.session.solo
        if rnd is None:
            self.body.children = [html_block(
                f'<p class="cd-note">Your cards show here once you press “{SHOW_MINE}”.</p>'
                if solo else '<p class="cd-note">The cards appear here once the facilitator '
                "reveals them.</p>")]
            return
        votes = votes_by_decision(list(cards))
        rows: list[w.Widget] = [html_block(
            "<p>Your cards. Record the level you settle on for each decision.</p>" if solo
            else f"<p>Round {rnd}. Ask the highest and the lowest to explain before anyone "
            "else speaks.</p>")]
        self.agree = {}
        for area, decisions in playing:
            for decision in decisions:
                rows.append(html_block(decision_html(votes.get((area, decision), []), area,
                                                        decision, solo=solo)))
                current = agreed.get((area, decision))
                if self.editable:
                    tb = choice_buttons([(f"{n} {NAMES[n]}", n) for n in NAMES],
                                        f"Agreed level for {area}: {decision}",
                                        [lv.meaning for lv in LEVELS])
                    tb.value = current
                    tb.add_class("cd-agree")
                    tb.observe(self._on_agree(area, decision), names="value")
                    self.agree[(area, decision)] = tb
                    rows += [html_block("<p><strong>Agreed level:</strong></p>"), tb]
                elif current:
                    rows.append(html_block(f"<p><strong>Agreed:</strong> {current} "
                                           f"{esc(NAMES[current])}</p>"))
        self.body.children = rows

    def _on_agree(self, area: str, decision: str):
        def handler(change):
            if change["new"] is None:
                return
            try:
                cede.record_agreed(self.view, area, decision, change["new"])
            except FieldError as err:
                self.status.error(str(err))
                return
            except StoreError as err:
                self.status.error(f"Nothing was recorded: {err}")
                return
            self.status.saved(f"Recorded {change['new']} {NAMES[change['new']]} for "
                              f"“{decision}”")
        return handler

