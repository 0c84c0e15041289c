"""Driver diagrams from an outline: parsing, layout and the sentence."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from widgets.analysis.drivers import layout, parse, wrap

OUTLINE = """Patients are supervised at night
- Hourly rounds
-- Intentional rounding chart
-- Bed rails review
- Call bells in reach

Staff know who is at risk
- Falls risk on the board
"""


def test_the_outline_becomes_a_tree():
    o = parse(OUTLINE)
    assert [p.text for p in o.primary] == ["Patients are supervised at night",
                                           "Staff know who is at risk"]
    assert [s.text for s in o.primary[0].children] == ["Hourly rounds", "Call bells in reach"]
    assert [i.text for i in o.primary[0].children[0].children] == [
        "Intentional rounding chart", "Bed rails review"]
    assert (o.count(1), o.count(2), o.count(3)) == (2, 3, 2)
    assert o.orphans == []


def test_lines_that_cannot_be_placed_are_kept_not_lost():
    o = parse("-- an idea first\n- a secondary first\nA primary\n-- idea with no secondary")
    assert o.orphans == ["an idea first", "a secondary first", "idea with no secondary"]
    assert [p.text for p in o.primary] == ["A primary"]


def test_layout_centres_parents_on_children_and_links_left_to_right():
    d = layout("Halve falls by March", parse(OUTLINE), ["Intentional rounding chart",
                                                         "Night-light trial"])
    by_text = {b.text: b for b in d.boxes}
    assert by_text["Hourly rounds"].y == 0.5  # between its two ideas at rows 0 and 1
    assert by_text["Patients are supervised at night"].y == 1.25  # midway from 0.5 to 2
    # the tested idea already in the outline is not repeated; a new one sits unlinked
    assert sum(b.text == "Intentional rounding chart" for b in d.boxes) == 1
    night = by_text["Night-light trial"]
    assert night.column == 3 and all(night.id not in link for link in d.links)
    aim = by_text["Halve falls by March"]
    assert aim.column == 0
    assert {(d.boxes[a].column, d.boxes[b].column) for a, b in d.links} == {(0, 1), (1, 2),
                                                                             (2, 3)}
    assert d.sentence() == ("The aim rests on 2 primary drivers, 3 secondary drivers and 3 "
                            "change ideas.")


def test_an_empty_outline_says_so():
    d = layout("", parse(""))
    assert d.sentence().startswith("No drivers yet")
    assert [b.text for b in d.boxes] == ["(no aim yet)"]


@given(st.text(max_size=300))
def test_wrap_never_exceeds_the_width_or_the_line_count(text):
    lines = wrap(text, width=12, lines=3)
    assert 1 <= len(lines) <= 3
    assert all(len(line) <= 12 for line in lines)


@given(st.lists(st.tuples(st.integers(0, 3), st.text("abc ", min_size=1, max_size=8)),
                max_size=30))
def test_every_written_line_is_placed_or_kept(lines):
    text = "\n".join("-" * d + t for d, t in lines)
    o = parse(text)
    written = sum(1 for d, t in lines if t.strip())
    assert o.count(1) + o.count(2) + o.count(3) + len(o.orphans) == written
