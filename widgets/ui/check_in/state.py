"""What every check-in part reads, once per change: the check-in on show and its portfolio.

Why: the portfolio reads every prototype's measures and works out their icons; the page's
form, its table and its unblock list each need it, and reading it three times per change
would triple the work for the same answer. It is kept against the session's revision (the
one integer the poll reads), so it is worked out again only when something changed.
"""

from __future__ import annotations

from ... import check_in
from ...analysis import portfolio as pf
from ...session import View
from ...store.check_ins import Sitting

_ROWS = "_check_in_rows"  # where a view keeps its last portfolio


def rows(view: View, sitting: Sitting) -> list[pf.Row]:
    """The sitting's portfolio, worked out once per revision of the session."""
    key = (view.store.revision(view.session.id), sitting.id, sitting.state)
    kept = getattr(view, _ROWS, None)
    if kept is not None and kept[0] == key:
        return kept[1]
    found = check_in.portfolio(view, sitting)
    setattr(view, _ROWS, (key, found))
    return found


def on_show(view: View) -> Sitting | None:
    """The open check-in, else the latest, else None."""
    return check_in.current(view)
