"""The prototype canvas check: constructive prompts for what is missing or weak.

Why prompts, not rules: a canvas is a draft the team improves together. The check never
blocks saving; it points at the gaps that most often sink a test of change (no balancing
measure, an aim nobody can tell they have reached, no rule for stopping, a test too big to
learn from quickly, nobody from the front line on the team).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .drivers import parse

MAX_WEEKS = 12
# The three kinds of measure a test of change needs, and the question each answers.
MEASURE_KINDS = {"outcome": "how will patients know it is better?",
                 "process": "is the change happening as planned?",
                 "balancing": "could it cause harm somewhere else?"}

_MONTH = (r"(?:january|february|march|april|may|june|july|august|september|october|"
          r"november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\b\.?")
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}\b(?![-/])"
_DATE = r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b"  # 2026-09-30, 30/9/26
# Numbers that say where or when, not how much: dates, years, and a place's number.
_NOT_AMOUNTS = re.compile(
    rf"{_DATE}|"
    rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?|"
    rf"\b{_MONTH}\s+(?:{_DAY}\b,?\s*)?(?:{_YEAR})?|"
    rf"\b(?:by|in|before|until|since|of)\s+{_YEAR}|"
    r"\b(?:ward|bay|room|unit|floor|level|block|building|site|clinic|theatre|team|gp|"
    r"practice|pod|bed)\s+[a-z]?\d+[a-z]?\b", re.IGNORECASE)
_AMOUNT = re.compile(r"\d|\b(?:halve|halving|half|double|doubling|triple|zero)\b",
                     re.IGNORECASE)
# "By when": a date, a month or year said as a time ("by March", "in 2027"), a span ("within
# 12 weeks", "over the next six months") or an end ("by the end of the quarter"). Not any
# word that starts like a month ("decrease", "may"), nor "by 50%" or "a month", which are
# amounts and rates.
_COUNT = r"(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a\s+few)"
_SPAN = r"(?:days?|weeks?|months?|quarters?|years?)\b"
_SEASON = r"spring|summer|autumn|fall|winter|christmas|easter"
_BY = r"\b(?:by|before|until|till)\s+(?:the\s+)?"
_WHEN = re.compile(
    rf"{_DATE}|"
    rf"\b(?:by|in|before|until|till|from|during|of|{_DAY})\s+{_MONTH}|"
    rf"\b{_MONTH}\s+(?:{_DAY}\b|{_YEAR})|"
    rf"\b(?:by|in|before|until|till|during)\s+(?:{_YEAR}|20\d{{2}}/\d{{2}}\b|q[1-4]\b)|"
    rf"\b(?:within|in|over|after|for)\s+(?:the\s+)?(?:next\s+|first\s+)?{_COUNT}\s+{_SPAN}|"
    r"\b\d+-(?:day|week|month)\b|"
    rf"{_BY}(?:(?:end|close|start)\s+of\b|(?:year|month|quarter)[-\s]end\b|"
    rf"(?:{_SEASON})\b)|\b(?:next|this)\s+(?:week|month|quarter|year|{_SEASON})\b",
    re.IGNORECASE)


@dataclass(frozen=True)
class Prompt:
    field: str
    text: str


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _blank(value: object) -> bool:
    return not str(value or "").strip()


def check(canvas: dict[str, Any], max_weeks: int = MAX_WEEKS) -> list[Prompt]:
    """Prompts for a canvas dict, most useful first.

    The aim checks are deliberately simple. "How much" is a number that is not a date, a
    year or a place's number ("Ward 7"), or a word such as "halve", "double" or "zero"; "by
    when" is a date, a month, "by ..." or a number of weeks. They prompt; they do not judge.
    """
    out: list[Prompt] = []
    aim = str(canvas.get("aim") or "")
    if _blank(aim):
        out.append(Prompt("aim", "What are we trying to accomplish? Write the aim: what, how "
                                 "much, by when."))
    else:
        if not _AMOUNT.search(_NOT_AMOUNTS.sub(" ", aim)):
            out.append(Prompt("aim", "How much? Put a number in the aim, such as “from 12 to "
                                     "6 falls a month”."))
        if not _WHEN.search(aim):
            out.append(Prompt("aim", "By when? Give the aim a date or a number of weeks."))
    measures = canvas.get("measures") or []
    kinds = {str(m.get("kind")) for m in measures}
    for kind, why in MEASURE_KINDS.items():
        if kind not in kinds:
            article = "an" if kind[0] in "aeiou" else "a"
            out.append(Prompt("measures", f"Add {article} {kind} measure: {why}"))
    for m in measures:
        name = str(m.get("name") or "a measure")
        if m.get("better") not in ("higher", "lower", "neither"):
            out.append(Prompt("measures", f"For “{name}”, say whether higher or lower is "
                                          "better, so the chart can tell improvement from "
                                          "concern."))
        if _blank(m.get("definition")):
            out.append(Prompt("measures", f"Define “{name}” exactly: what is counted, from "
                                          "where, how often."))
    if _blank(canvas.get("stop_criteria")):
        out.append(Prompt("stop_criteria", "When will you stop? Agree now what result, or "
                                           "what harm, ends the test."))
    weeks = canvas.get("timebox_weeks")
    n_weeks = _number(weeks)
    if weeks in (None, ""):
        out.append(Prompt("timebox_weeks", "Set a timebox in weeks."))
    elif n_weeks is None:
        out.append(Prompt("timebox_weeks", "Give the timebox as a number of weeks, such as 8."))
    elif n_weeks > max_weeks:
        out.append(Prompt("timebox_weeks", f"{n_weeks:g} weeks is long for a first test; "
                                           f"could a smaller test learn in {max_weeks} or "
                                           "fewer?"))
    team = canvas.get("team") or []
    if not any(m.get("frontline") for m in team):
        out.append(Prompt("team", "Who on the team works on the front line? Add them: they "
                                  "hold the information."))
    if _blank(canvas.get("prediction")):
        out.append(Prompt("prediction", "What do you predict will happen? Writing it down "
                                        "first is what makes the Study step honest."))
    outline = parse(str(canvas.get("drivers") or ""))
    n_primary = len(outline.primary)
    if n_primary == 0:
        out.append(Prompt("drivers", "What most drives the aim? Add 2 to 5 primary drivers, "
                                     "one per line (a dash before a line makes it a secondary "
                                     "driver)."))
    elif n_primary > 5:
        out.append(Prompt("drivers", f"{n_primary} primary drivers is a lot: which 2 to 5 "
                                     "matter most?"))
    if outline.orphans:
        out.append(Prompt("drivers", f"“{outline.orphans[0]}” starts with dashes but has no "
                                     "driver above it to sit under. Add one, or remove the "
                                     "dashes."))
    if _blank(canvas.get("change_idea")):
        out.append(Prompt("change_idea", "What change will you test? Write the change idea."))
    if _blank(canvas.get("smallest_test")):
        out.append(Prompt("smallest_test", "What is the smallest useful test: who, where and "
                                           "when? One ward, one shift, next week."))
    if _blank(canvas.get("need")):
        out.append(Prompt("need", "Whose need does this meet? Name the patients, families or "
                                  "staff."))
    if _blank(canvas.get("cause")):
        out.append(Prompt("cause", "Which cause does the change tackle (not the symptom), "
                                   "and what is the evidence for it?"))
    return out
