"""The kit's style sheet page in Chromium: the one stylesheet is linked by the template and
applied, the page carries no styles of its own, and it passes axe."""

from __future__ import annotations

from .conftest import axe_problems, wait_ready

# The computed look of a few components, as kit.css defines them.
LOOK = """() => {
  const css = [...document.querySelectorAll('link[rel=stylesheet]')].map(l => l.href);
  const note = getComputedStyle(document.querySelector('.cd-note'));
  const blue = getComputedStyle(document.querySelector('.cd-swatch-blue')).backgroundColor;
  const area = getComputedStyle(document.querySelector('.cd-page textarea')).fontFamily;
  const inPage = document.querySelectorAll('#rendered_cells style').length;
  return {css, noteBorder: note.borderLeftWidth, blue, area, inPage};
}"""


def test_the_style_sheet_page_uses_the_one_stylesheet(new_page, voila_server):
    page = new_page()
    page.goto(voila_server.url("kit_style.ipynb"))
    wait_ready(page, "The kit's style sheet")
    page.get_by_role("heading", name="The join QR code").wait_for()
    look = page.evaluate(LOOK)
    assert any("/voila/templates/conductor/static/kit.css" in h for h in look["css"]), look
    assert look["noteBorder"] == "6px"
    assert look["blue"] == "rgb(0, 114, 178)"  # PALETTE["blue"], #0072B2
    assert "mono" not in look["area"].lower(), look["area"]
    assert look["inPage"] == 0, "the page carries a stylesheet of its own"
    assert axe_problems(page) == []
