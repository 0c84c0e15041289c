"""The validation module: field limits, dates, and CSV files with row-and-column messages."""

from __future__ import annotations

from datetime import date

import pytest

from widgets.validation import (
    MAX_UPLOAD_BYTES,
    UPLOAD_LIMIT,
    Column,
    FieldError,
    TableInvalid,
    check_text,
    parse_date,
    read_table,
    show_date,
)

COLS = [Column("area", "text", unique=True), Column("patients", "number", maximum=1e9),
        Column("since", "date", required=False)]


@pytest.mark.parametrize(("kind", "limit"), [("name", 80), ("short", 200), ("long", 5000)])
def test_limits_refuse_with_the_limit_and_never_cut(kind, limit):
    assert check_text("x" * limit, kind, "Field") == "x" * limit
    with pytest.raises(FieldError, match=f"limit is {limit:,}"):
        check_text("x" * (limit + 1), kind, "Field")


def test_hostile_text_is_kept_as_typed():
    hostile = '<img src=x onerror=alert(1)> \u202e javascript:alert(1) \'; DROP TABLE x;-- 🎉'
    assert check_text(hostile, "short", "Note") == hostile.strip()


def test_dates_iso_and_day_first_only():
    assert parse_date("2025-04-03") == date(2025, 4, 3)
    assert parse_date("03/04/2025") == date(2025, 4, 3)
    assert show_date(date(2025, 4, 3)) == "3 Apr 2025"
    for bad in ("04/03/25", "3-4-2025", "April 3", "2025/04/03", ""):
        with pytest.raises(FieldError, match="without guessing"):
            parse_date(bad)
    with pytest.raises(FieldError, match="not a real date"):
        parse_date("31/02/2025")


def test_a_good_file_is_read_with_types():
    rows = read_table(b"area,patients,since\nMaternity,\"1,200\",2025-01-31\nCOPD,40,\n", COLS)
    assert rows == [{"area": "Maternity", "patients": 1200.0, "since": date(2025, 1, 31)},
                    {"area": "COPD", "patients": 40.0, "since": None}]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "is empty"),
        (b"area,patients,since\n", "no data rows"),
        (b"\xff\xfe\x00a", "not UTF-8"),
        (b"area,since\nX,2025-01-01\n", "Row 1, column 'patients': this column is missing"),
        (b"area,patients,since,colour\nX,1,,red\n", "column 'colour': this column is not"),
        (b"area,patients,since\nX,lots,\n", "Row 2, column 'patients': 'lots' is not a number"),
        (b"area,patients,since\nX,-4,\n", "Row 2, column 'patients': -4 is below"),
        (b"area,patients,since\nX,2e9,\n", "Row 2, column 'patients': 2e9 is above the largest"),
        (b"area,patients,since\nX,,\n", "Row 2, column 'patients': this cell is empty"),
        (b"area,patients,since\nX,1,\nx,2,\n", "Row 3, column 'area': 'x' is already used on"),
        (b"area,patients,since\nX,1,01/13/2025\n", "Row 2, column 'since'"),
        (b"area,patients,since\nX,1\n", "Row 2: this row has 2 cells"),
    ],
)
def test_every_problem_names_row_column_and_fix(data, expected):
    with pytest.raises(TableInvalid) as err:
        read_table(data, COLS)
    assert expected in str(err.value)


def test_all_problems_are_reported_together():
    with pytest.raises(TableInvalid) as err:
        read_table(b"area,patients,since\nA,x,\nB,-1,\n,3,\n", COLS)
    assert len(err.value.problems) == 3


def test_files_over_the_upload_limit_are_refused_before_reading():
    with pytest.raises(TableInvalid, match=f"limit is {UPLOAD_LIMIT}"):
        read_table(b"a" * (MAX_UPLOAD_BYTES + 1), COLS)


def test_example_dates_count_from_today():
    """Every form's example date comes from one function, counted from today."""
    from datetime import date

    from widgets.validation import example_date

    today = date(2026, 12, 6)  # a Sunday
    assert example_date(today=today) == "e.g. 2026-12-06"
    assert example_date(days=91, today=today) == "e.g. 2027-03-07"
    assert example_date(months=6, today=today, shown=True) == "30 Jun 2027"
    assert example_date(days=1, today=today, shown=True) == "7 Dec 2026"
    assert example_date() == f"e.g. {date.today().isoformat()}"


# -- control characters and the size of a measure ------------------------------------------
@pytest.mark.parametrize("bad", ["\x00", "\x01", "\x07", "\x08", "\x1b", "\x7f", "\x9b",
                                 "\ufffe"])
def test_control_characters_are_refused_with_a_message(bad):
    with pytest.raises(FieldError, match="control character") as err:
        check_text(f"Hourly rounds{bad} at night", "long", "The drivers")
    assert "nothing was saved" in str(err.value).lower()
    assert bad not in str(err.value)


def test_tabs_new_lines_and_other_scripts_are_not_control_characters():
    text = "Patients supervised\n- Hourly rounds\r\n-- Chart\tweekly \u202e é 🙂"
    assert check_text(text, "long", "The drivers") == text


def test_a_file_cell_with_a_control_character_is_named_by_row_and_column():
    with pytest.raises(TableInvalid) as err:
        read_table(b"area,patients\nWard\x07 7,3\nSepsis,4\n", COLS[:2])
    assert str(err.value.problems[0]).startswith("Row 2, column 'area': ")
    assert "control character" in str(err.value.problems[0])


def test_a_file_past_its_row_limit_is_refused_before_its_cells_are_read():
    rows = b"".join(b"W%d,%d\n" % (i, i) for i in range(600))
    assert len(read_table(b"area,patients\n" + rows[:5000], COLS[:2], max_rows=600)) > 0
    with pytest.raises(TableInvalid) as err:
        read_table(b"area,patients\n" + rows + b"W,not a number\n", COLS[:2], max_rows=600)
    assert len(err.value.problems) == 1
    assert "601 rows" in str(err.value) and "at most 600" in str(err.value)


def test_large_limits_are_written_out_in_full():
    col = Column("value", "number", minimum=-1e12, maximum=1e12)
    with pytest.raises(TableInvalid, match="largest allowed value, 1,000,000,000,000"):
        read_table(b"value\n1e13\n", [col])
