"""``conductor init DIR``: a folder for an organisation's own workshop.

Why a folder of copies: a facilitator preparing for their own board replaces the kit's
fictional care areas with their own and trims the decisions to what their teams take. They
start from the samples (the columns are then right), edit them in a spreadsheet, check them
with ``conductor check-data``, and serve with ``conductor serve --data-folder DIR``, which
checks them again and keeps the store and drawn charts beside them. A copy already in the
folder is their work: it is never overwritten.
"""

from __future__ import annotations

import shlex
import shutil
import sys
from pathlib import Path

from ..paths import KIT_DATA

FILES = ("care_areas.csv", "decision_areas.csv")
README = "README.md"

README_TEXT = """\
# Our Conductor workshop

This folder holds your own workshop's data. Serve from it with:

    conductor serve --data-folder {folder}

## What to change

- `care_areas.csv`: the candidate care areas the room looks at in Focus. The copy here is
  the kit's **fictional** sample: replace its rows with your own areas and figures, one row
  per area, keeping the header row (`area`, `patients_per_year`, `cost_per_year_gbp`,
  `variation_cv`, `outcome_gap_pct`, `harm_risk`, `effort_points`).
- `decision_areas.csv`: the decisions the room plays in Cede (`decision`, `meaning`,
  `relevance` 1 to 5, the most relevant played first). Keep those your teams really take,
  reword them in your own terms, add your own.

Edit them in a spreadsheet and save as CSV (UTF-8). Then check each one; every problem is
named with its row, column and fix:

    conductor check-data {folder}/care_areas.csv
    conductor check-data {folder}/decision_areas.csv

Delete a file to use the kit's sample again. What each column means, with its unit, is in
the kit's data notes: {notes}

## What else appears here

`conductor serve --data-folder` keeps the store (`conductor.sqlite`: sessions, every
answer, the facilitator key's hash) and drawn charts (`.chart-cache/`) in this folder, unless
`CONDUCTOR_DATABASE_URL` names another database. Back the store up with
`sqlite3 conductor.sqlite ".backup backup.sqlite"`; it holds people's answers, so keep this
folder where your organisation keeps personal data.
"""


def make_folder(folder: str | Path) -> tuple[Path, list[str], list[str]]:
    """Make ``folder`` with copies of the samples and a README; never overwrite.

    Returns the folder, the files made and the files already there (kept)."""
    target = Path(folder).expanduser().resolve()
    target.mkdir(parents=True, exist_ok=True)
    made, kept = [], []
    for name in FILES:
        own = target / name
        if own.exists():
            kept.append(name)
        else:
            shutil.copyfile(KIT_DATA / name, own)
            made.append(name)
    readme = target / README
    if readme.exists():
        kept.append(README)
    else:
        readme.write_text(README_TEXT.format(folder=shlex.quote(str(target)),
                                             notes=KIT_DATA / "README.md"), encoding="utf-8")
        made.append(README)
    return target, made, kept


def cmd_init(args) -> int:
    try:
        folder, made, kept = make_folder(args.folder)
    except OSError as err:
        print(f"Cannot make the workshop folder {args.folder}: "
              f"{err.strerror or err}.", file=sys.stderr)
        return 1
    print(f"Your workshop folder: {folder}")
    for name in made:
        print(f"  Made {name}")
    for name in kept:
        print(f"  Kept your own {name} (not replaced)")
    print(f"\nReplace the sample rows with your own (the folder's {README} says how), check "
          f"them with `conductor check-data`, then serve:\n"
          f"  conductor serve --data-folder {shlex.quote(str(folder))}")
    return 0


def add_command(sub) -> None:
    c = sub.add_parser("init", help="make a folder for your organisation's own workshop: its "
                                    "care areas and decisions, copied from the samples")
    c.add_argument("folder", help="the folder to make (copies already there are kept)")
    c.set_defaults(func=cmd_init)
