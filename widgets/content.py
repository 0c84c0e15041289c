"""The workshop's words: questions, prompts and "why this works" notes.

Written for busy board members and clinicians: short, plain, no jargon. Sources are credited
by title; the wording is Conductor's own.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    id: str
    group: str
    short: str  # a label for charts and tables
    text: str  # the statement people rate
    prompt: str  # a discussion prompt when the room disagrees


READINESS_SCALE = {
    1: "Not at all like us",
    2: "A little like us",
    3: "Partly like us",
    4: "Mostly like us",
    5: "Very like us",
}

BOARD = "Eight questions for boards"
GOOD = "What good looks like"

READINESS: tuple[Question, ...] = (
    Question("services", BOARD, "Services, not projects",
             "We talk about services that keep improving, not IT projects that end at launch.",
             "Name one thing we call a project that is really a service. Who looks after it "
             "after go-live?"),
    Question("design", BOARD, "Who designs services",
             "Our services are designed by mixed teams of clinicians, staff, designers and "
             "technologists, with the people who use them.",
             "Who designed the last service we launched, and did its users have a say?"),
    Question("expertise", BOARD, "Digital expertise at the top",
             "People with real digital expertise are in the room when we make big technology "
             "decisions.",
             "Think of our last big technology decision: who in the room had built one before?"),
    Question("hiring", BOARD, "Hiring new skills",
             "We recruit in new places and new ways to bring in skills we have not had before.",
             "Where did our last three digital hires come from?"),
    Question("diversity", BOARD, "Teams like those we serve",
             "Our teams look like the communities we are trying to reach.",
             "Which of the people we serve are least visible in our teams?"),
    Question("problems", BOARD, "Teams bring problems",
             "Teams bring us problems to solve with them, not papers to approve.",
             "What was the last problem a team brought to this board, openly?"),
    Question("authority", BOARD, "Authority to information",
             "We move decisions to the people who hold the information, rather than "
             "moving information up to us.",
             "Which decision do we take that someone closer to the work could take better?"),
    Question("working", BOARD, "Show our working",
             "We show our working in public: we share what we are trying, and what we "
             "learn, openly.",
             "When did we last publish something we learned, including what did not work?"),
    Question("mission", GOOD, "A clear mission",
             "Everyone here could say our mission in a sentence; it is not a long shopping list.",
             "Ask three people to say the mission now. Do they say the same thing?"),
    Question("users", GOOD, "Users' needs first",
             "We keep coming back to what patients, clinicians and staff actually need.",
             "What did we last change because a patient or a clinician told us it was not "
             "working?"),
    Question("teams", GOOD, "Skilled teams",
             "We invest in skilled, lasting teams that pair digital people with clinical and "
             "operational staff.",
             "Which of our teams would still exist if its project budget ended tomorrow?"),
    Question("technology", GOOD, "Modern technology, no lock-in",
             "We use modern, flexible technology and avoid long contracts that lock us in.",
             "Which contract would we leave tomorrow if we could? What stops us?"),
    Question("agile", GOOD, "Small steps, light governance",
             "We deliver in small steps, learn as we go, and keep governance in proportion.",
             "How long does it take us to approve a small test of change?"),
    Question("leadership", GOOD, "Servant leadership",
             "As a board we take shared ownership of change and clear the way for our teams.",
             "What is one thing this board could unblock for a team this month?"),
)

READINESS_BY_ID = {q.id: q for q in READINESS}
