"""The starter catalogue of decision areas."""

from __future__ import annotations

import pytest

from widgets.decisions import default_played, read_decisions, starter
from widgets.validation import TableInvalid


def test_the_catalogue_has_the_ten_typical_decisions_most_relevant_first():
    rows = starter()
    assert len(rows) == 10
    assert [r["relevance"] for r in rows] == sorted((r["relevance"] for r in rows),
                                                    reverse=True)
    assert default_played(rows) == ["Change the care pathway within the evidence",
                                    "Start a small test of change", "Stop a test of change",
                                    "Set the team's own measures"]


def test_a_bad_catalogue_gets_row_and_column_messages():
    with pytest.raises(TableInvalid) as err:
        read_decisions(b"decision,meaning,relevance\nRotas,Who works when,9\nRotas,x,2\n")
    text = str(err.value)
    assert "Row 2, column 'relevance': 9 is above" in text
    assert "Row 3, column 'decision': 'Rotas' is already used on row 2" in text
