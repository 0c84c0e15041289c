"""Names for screen readers, as the kernel sets them (the browser test hears them)."""

from __future__ import annotations

import ipywidgets as w

from widgets.ui import aria
from widgets.ui.common import button, choice_buttons, page


def test_a_name_travels_as_one_class_and_comes_back_whole():
    hostile = 'Hide name of <img src=x onerror=alert(1)> "Zoë"\t\u202etxt'
    b = button("Hide name", name=hostile)
    marks = [c for c in b._dom_classes if c.startswith(aria.LABEL)]
    assert len(marks) == 1 and not any(ch.isspace() for ch in marks[0])  # one class token
    assert "<" not in marks[0] and '"' not in marks[0]
    assert aria.accessible_name(b) == " ".join(hostile.split())


def test_renaming_replaces_the_name_and_sends_nothing_when_unchanged():
    b = button("Remove…", name="Remove Asha")
    sent = []
    b.observe(lambda ch: sent.append(ch["new"]), names="_dom_classes")
    aria.name(b, "Remove Asha")
    assert sent == []
    aria.name(b, "Remove Ben")
    assert aria.accessible_name(b) == "Remove Ben" and len(sent) == 1
    aria.name(b, None)  # back to its visible text
    assert aria.accessible_name(b) == "" and not b._dom_classes


def test_other_classes_are_kept():
    box = w.Text(description="Accountable owner (a role)")
    box.add_class("cd-field")
    aria.name(box, "Accountable owner (a role) for Sepsis: Approve a pathway")
    aria.name(box, "Accountable owner (a role) for Sepsis: Stop a test")
    assert box._dom_classes[0] == "cd-field" and len(box._dom_classes) == 2


def test_a_choice_is_named_after_what_is_chosen():
    tb = choice_buttons([("1", 1), ("2", 2)], "Our board talks about services, not projects")
    assert aria.accessible_name(tb) == "Our board talks about services, not projects"


def test_every_page_carries_the_script_once_and_its_empty_frame_none():
    one, two = page(w.HTML("a")), page(w.HTML("b"))
    assert one.children[1] is two.children[1] is aria.helper()
    assert "MutationObserver" in aria.helper()._esm
    assert len(page().children) == 1  # a page's frame, while it is built: the style alone


def test_rows_are_counted_in_words_that_read_as_no_other_label():
    assert [aria.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st",
        "111th"]
