"""The ``conductor`` commands that look after data: check a file, delete a session, withdraw
one person. Exit codes: 0 done, 1 refused (the message says why), 2 used wrongly.

Why on the command line: data-protection requests ("delete our session", "remove my
answers") arrive after the workshop, by email, to whoever runs the server. They need a
command that says exactly what it will remove, asks before it does, and can be scripted.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..keys import normalise_code
from ..paths import forget_drawings

KINDS = {"care-areas": "care-area file", "decisions": "decision-area file",
         "values": "measure's values file"}


def _err(text: str) -> int:
    print(text, file=sys.stderr)
    return 1


def facilitator_key(args) -> str | None:
    """``--key``, else ``CONDUCTOR_KEY`` (which keeps the key out of the shell's history)."""
    return getattr(args, "key", None) or os.environ.get("CONDUCTOR_KEY") or None


def detect_kind(data: bytes) -> str | None:
    head = data[:4096].decode("utf-8-sig", errors="replace").splitlines()
    header = {h.strip() for h in head[0].split(",")} if head else set()
    if "area" in header:
        return "care-areas"
    if "decision" in header:
        return "decisions"
    if {"date", "value"} <= header:
        return "values"
    return None


def cmd_check_data(args) -> int:
    """Check a file before the day, with the same rules as the upload in the page."""
    # here, not at the top: 26 ms to import (benchmarks/import_cost.py)
    from ..validation import MAX_UPLOAD_BYTES, TableInvalid, too_large

    path = Path(args.file)
    if not path.is_file():
        return _err(f"There is no file at {path}.")
    if path.stat().st_size > MAX_UPLOAD_BYTES:
        return _err(too_large(path.name, path.stat().st_size))
    data = path.read_bytes()
    kind = args.kind or detect_kind(data)
    if kind is None:
        return _err(f"{path.name}: cannot tell what kind of file this is from its header row. "
                    "Say which with --kind care-areas, --kind decisions or --kind values.")
    try:
        if kind == "care-areas":
            # here, not at the top: 51 ms to import (benchmarks/import_cost.py)
            from ..care_areas import read_care_areas

            found = f"{len(read_care_areas(data, f'file {path.name}'))} care areas"
        elif kind == "decisions":
            # here, not at the top: 26 ms to import (benchmarks/import_cost.py)
            from ..decisions import read_decisions

            found = f"{len(read_decisions(data, f'file {path.name}'))} decision areas"
        else:
            # here, not at the top: 306 ms to import (benchmarks/import_cost.py)
            from ..tracking import read_values

            found = f"{len(read_values(data, f'file {path.name}'))} values"
    except TableInvalid as err:
        print(f"{path.name} ({KINDS[kind]}):", file=sys.stderr)
        return _err(str(err))
    print(f"{path.name} is valid: {found}, ready to load.")
    return 0


def _session(store, code: str):

    session = store.session_by_code(normalise_code(code))
    if session is None:
        print(f"There is no session with the code {code}. `conductor serve` lists the "
              "console, which shows every session's code.", file=sys.stderr)
    return session


def _confirm(args, what: str, code: str) -> bool:
    """Ask before removing anything; ``--yes`` answers for scripts."""
    if args.yes:
        return True
    if not sys.stdin.isatty():
        print(f"This would remove {what}. Add --yes to confirm from a script.",
              file=sys.stderr)
        return False
    reply = input(f"This removes {what}, for good. Type the session code to confirm: ")
    return reply.strip().upper() == code.upper()


def cmd_delete_session(args, store) -> int:
    session = _session(store, args.code)
    if session is None:
        return 1
    if not store.is_facilitator(facilitator_key(args)):
        return _err("That is not the facilitator key (pass --key or set CONDUCTOR_KEY; "
                    "`conductor rotate-key` makes a new one).")
    people = len(store.participants(session.id))
    answers = store.count_submissions(session.id)
    what = (f"session {session.code} “{session.title}” with {people} "
            f"{'person' if people == 1 else 'people'} and {answers} "
            f"answer{'s' if answers != 1 else ''}")
    if not _confirm(args, what, session.code):
        return _err("Nothing was deleted.")
    store.delete_session(session.id, facilitator_key(args))

    forget_drawings()  # drawn charts may show the session's names and answers
    print(f"Deleted {what}.")
    return 0


def cmd_withdraw(args, store) -> int:
    session = _session(store, args.code)
    if session is None:
        return 1
    if not store.is_facilitator(facilitator_key(args)):
        return _err("That is not the facilitator key (pass --key or set CONDUCTOR_KEY).")
    people = store.participants(session.id)
    if args.id is not None:
        found = [p for p in people if p.id == args.id]
    else:
        found = [p for p in people
                 if (p.display_name or "").casefold() == args.name.strip().casefold()]
    if not found:
        names = ", ".join(sorted({p.display_name for p in people if p.display_name})) or \
            "nobody with a name"
        return _err(f"Nobody called “{args.name}” is in session {session.code}. Names in it: "
                    f"{names}. Anonymous people cannot be found by name: they withdraw by "
                    "asking the facilitator to delete the session.")
    if len(found) > 1:
        # here, not at the top: 34 ms to import (benchmarks/import_cost.py)
        from ..validation import show_time

        rows = "; ".join(f"--id {p.id} (joined {show_time(p.joined_at)})" for p in found)
        return _err(f"{len(found)} people in session {session.code} are called "
                    f"“{args.name}”. Choose one with: {rows}.")
    # here, not at the top: 364 ms to import (benchmarks/import_cost.py)
    from ..session import plan_withdrawal, withdraw

    plan = plan_withdrawal(store, session, found[0].id)
    if not _confirm(args, plan.what, session.code):
        return _err("Nothing was removed.")
    print(withdraw(store, plan, facilitator_key(args)))
    return 0


def add_commands(sub) -> None:
    c = sub.add_parser("check-data", help="check a CSV file before loading it: every problem "
                                          "with its row and column")
    c.add_argument("file", help="the CSV file to check")
    c.add_argument("--kind", choices=sorted(KINDS), help="what the file holds (default: "
                                                          "worked out from its header row)")
    c.set_defaults(func=cmd_check_data, needs_store=False)
    d = sub.add_parser("delete-session", help="delete a session and everything in it (for "
                                              "data-protection requests)")
    d.add_argument("code", help="the session's join code")
    d.add_argument("--key", help="the facilitator key (or set CONDUCTOR_KEY)")
    d.add_argument("--yes", action="store_true", help="do not ask before deleting")
    d.set_defaults(func=cmd_delete_session, needs_store=True)
    w = sub.add_parser("withdraw", help="remove one person's answers and name from a session")
    w.add_argument("code", help="the session's join code")
    w.add_argument("name", help="the name they joined with")
    w.add_argument("--id", type=int, help="their number, when two people share a name")
    w.add_argument("--key", help="the facilitator key (or set CONDUCTOR_KEY)")
    w.add_argument("--yes", action="store_true", help="do not ask before removing")
    w.set_defaults(func=cmd_withdraw, needs_store=True)
