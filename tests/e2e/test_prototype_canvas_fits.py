"""The Prototype canvas fills in on a phone, a tablet and a laptop (issue 21, item 2).

Each field of the canvas (its text boxes, a team member's row, a measure's card) must lie
wholly inside the screen, be wide enough to write in, have its label above it, and take
typing, with no sideways scrolling of the page. Before the fix each box sat to the right of
its long label and was cut off at the page's edge: on a phone "Drivers" and "The cause we
are tackling" were entirely off-screen.
"""

from __future__ import annotations

import pytest

from widgets import focus, prototype
from widgets.session import View, Viewer

from .conftest import wait_ready

AREA = "Frailty and falls"
SIZES = {"phone": {"width": 375, "height": 667}, "tablet": {"width": 768, "height": 1024},
         "laptop": {"width": 1280, "height": 800}}
CANVAS_LABELS = [label for _, label, _, _ in prototype.TEXT_FIELDS]

# The field's box; whether the point just inside each end of it is the field itself (not
# covered, not clipped by a box around it); any box around it that is wider than it shows
# (a box that scrolls sideways hides part of the field); and the page's own width.
MEASURE = """el => {
  const r = el.getBoundingClientRect();
  const y = r.top + Math.min(r.height / 2, 12);
  const at = x => { const hit = document.elementFromPoint(x, y);
                    return hit !== null && (hit === el || el.contains(hit)); };
  let sideways = null;
  for (let box = el.parentElement; box; box = box.parentElement) {
    if (box.scrollWidth > box.clientWidth + 1 && getComputedStyle(box).overflowX !== 'visible') {
      sideways = `${box.tagName}.${box.className}`.slice(0, 80); break; }
  }
  return {x: r.left, width: r.width, top: r.top, inner: window.innerWidth,
          left_seen: at(r.left + 3), right_seen: at(r.right - 3), sideways: sideways,
          page_wide: document.scrollingElement.scrollWidth};
}"""


@pytest.fixture
def canvas_link(voila_server, seed_session):
    """A session on the Prototype design step with one started canvas; Asha's link."""
    seeded = seed_session("Canvas on every screen", ["Asha"])
    store, sid, key = seeded.store, seeded.session.id, voila_server.key
    store.save_shared(sid, focus.DECIDE, "decision", {"areas": [AREA], "reason": "", "n": 1},
                      key=key)
    store.set_current_stage(sid, prototype.DESIGN, key)
    asha = store.participants(sid)[0]
    view = View(store, store.session(sid), Viewer("participant", participant_id=asha.id))
    prototype.create(view, AREA, "Night rounding on Ward 7")
    return voila_server.url("03_prototype.ipynb", f"p={seeded.tokens['Asha']}")


@pytest.mark.parametrize("size", list(SIZES))
def test_every_canvas_field_is_visible_and_typeable(size, canvas_link, new_page):
    viewport = SIZES[size]
    page = new_page(viewport)
    page.goto(canvas_link)
    wait_ready(page, "The canvas")
    page.get_by_label(CANVAS_LABELS[0]).wait_for()
    page.get_by_role("button", name="Add a team member").click()
    page.get_by_label("Role 1", exact=True).wait_for()
    page.get_by_role("button", name="Add a measure").click()
    page.get_by_label("Measure 1", exact=True).wait_for()

    editor = page.locator(".cd-canvas")
    fields = editor.locator("textarea, input[type=text], select, input[type=checkbox]")
    count = fields.count()
    # Nine text parts, the name, the timebox, a role and its tick, and a measure's name,
    # kind, direction, target and definition.
    assert count >= 9 + 2 + 2 + 5, f"only {count} fields found in the canvas"
    problems = []
    for i in range(count):
        field = fields.nth(i)
        name = field.evaluate("el => el.labels && el.labels[0] ? el.labels[0].innerText : "
                              "el.getAttribute('aria-label') || el.tagName")
        # Brought into view vertically only: scrolling sideways to reach a field is the fault.
        field.evaluate("el => el.scrollIntoView({block: 'center', inline: 'nearest'})")
        box = field.evaluate(MEASURE)
        if box["sideways"]:
            problems.append(f"{name!r} sits in a box that scrolls sideways ({box['sideways']})")
        if box["x"] < 0 or box["x"] + box["width"] > box["inner"] + 0.5:
            problems.append(f"{name!r} runs off the screen: x {box['x']:.0f}, width "
                            f"{box['width']:.0f}, screen {box['inner']}")
        if not (box["left_seen"] and box["right_seen"]):
            problems.append(f"{name!r} is partly hidden (clipped or covered)")
        kind = field.evaluate("el => el.type")
        if kind != "checkbox" and box["width"] < min(200, box["inner"] - 60):
            problems.append(f"{name!r} is only {box['width']:.0f} px wide")
        if kind in ("text", "textarea"):
            typed = f"typed {i}"
            before = field.input_value()
            field.click()
            page.keyboard.press("End")
            page.keyboard.type(typed)
            if not field.input_value().endswith(typed):
                problems.append(f"{name!r} did not take typing: {field.input_value()!r}")
            if before == "" and field.input_value() != typed:
                problems.append(f"{name!r} holds {field.input_value()!r}")
        after = field.evaluate(MEASURE)
        if after["page_wide"] > after["inner"]:
            problems.append(f"the page scrolls sideways after {name!r}: {after['page_wide']} "
                            f"px wide on a {after['inner']} px screen")
    # Labels above their boxes: the label ends before the box begins.
    for label in CANVAS_LABELS:
        field = page.get_by_label(label, exact=True)
        tied = field.evaluate("el => el.labels.length")
        if not tied:
            problems.append(f"{label!r} is not tied to its box")
            continue
        below = field.evaluate("el => el.labels[0].getBoundingClientRect().bottom <= "
                               "el.getBoundingClientRect().top + 1")
        if not below:
            problems.append(f"the label {label!r} is not above its box")
    assert problems == [], "\n".join(problems)
