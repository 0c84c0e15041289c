"""Mangled uploads always get a clear message (TableInvalid, naming what to fix), never a
traceback: random bytes, truncated and corrupted copies of real files, odd encodings."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from widgets.care_areas import SAMPLE, read_care_areas
from widgets.decisions import CATALOGUE, read_decisions
from widgets.tracking import read_values
from widgets.validation import TableInvalid

VALUES = b"date,value\n2025-03-03,4\n10/03/2025,5.5\n2025-03-17,6\n"
READERS = [(read_care_areas, SAMPLE.read_bytes()), (read_decisions, CATALOGUE.read_bytes()),
           (read_values, VALUES)]


def accepted_or_explained(reader, data: bytes) -> None:
    try:
        reader(data, "file “fuzz.csv”")
    except TableInvalid as err:
        assert err.problems and all(str(p) for p in err.problems)
        assert "Traceback" not in str(err)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from(READERS))
def test_random_bytes(data, reader):
    accepted_or_explained(reader[0], data)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(READERS), st.data())
def test_corrupted_copies_of_real_files(reader, data):
    fn, good = reader
    raw = bytearray(good)
    for _ in range(data.draw(st.integers(1, 6))):
        kind = data.draw(st.sampled_from(["cut", "flip", "insert", "delete"]))
        at = data.draw(st.integers(0, max(0, len(raw) - 1)))
        if kind == "cut":
            raw = raw[:at]
        elif kind == "flip" and raw:
            raw[at] = data.draw(st.sampled_from(list(b',"\n\r\x00\xff;\t=-')))
        elif kind == "insert":
            raw[at:at] = data.draw(st.binary(min_size=1, max_size=20))
        elif raw:
            del raw[at:at + data.draw(st.integers(1, 40))]
    accepted_or_explained(fn, bytes(raw))


def test_other_encodings_and_shapes_are_explained():
    for fn, good in READERS:
        for data in (good.decode("utf-8").encode("utf-16"), b"\xef\xbb\xbf", b"\n\n\n",
                     b'"unclosed,quote\n1,2\n', good.replace(b",", b";"),
                     good.replace(b"\n", b"\r")):
            accepted_or_explained(fn, data)
