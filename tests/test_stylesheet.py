"""One visual language (issue 17, item 4): one stylesheet, linked by the kit's Voila template
and carried inline by the report and by pages outside the template; pages use its classes,
never inline styles; its colours are the ones the charts use."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from widgets.charts.specs import MDC_COLOURS
from widgets.html import style
from widgets.html.spc_chart import ICON_TEXT

ROOT = Path(__file__).resolve().parents[1]
CSS = style.STYLESHEET.read_text(encoding="utf-8")
TEMPLATE = ROOT / "share/jupyter/voila/templates/conductor/index.html.j2"


def tokens() -> dict[str, str]:
    return {k: v.upper() for k, v in re.findall(r"--(cd-[a-z-]+):\s*(#[0-9A-Fa-f]{6})", CSS)}


def test_the_stylesheet_is_the_kits_own_file():
    assert style.STYLESHEET.is_file()
    assert style.STYLESHEET.parent.parent == TEMPLATE.parent  # served as the template's static


def test_the_palette_is_the_one_the_charts_use():
    have = tokens()
    for name, colour in style.PALETTE.items():
        assert have.get(f"cd-{name}") == colour.upper(), name
    mdc = {"Improvement": "improvement", "Concern": "concern", "Neither": "neither",
           "Common cause": "common"}
    for key, colour in MDC_COLOURS.items():
        assert have.get(f"cd-mdc-{mdc[key]}") == colour.upper(), key


def test_every_icon_has_its_class():
    for name, (_, kind, _) in ICON_TEXT.items():
        assert re.search(rf"\.cd-icon-{kind}\b[^{{]*{{[^}}]*background", CSS), name


def test_the_template_links_it_and_the_report_carries_it():
    assert 'include_css("static/kit.css")' in TEMPLATE.read_text()
    assert CSS in style.STYLE


def strings_in(path: Path) -> list[tuple[int, str]]:
    """Every string literal in a module (f-string parts too), with its line."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            out.append((node.lineno, node.value))
    return out


def test_no_page_carries_inline_styles_or_its_own_stylesheet():
    """Markup in the kit's code uses classes: an inline ``style="..."`` or a ``<style>``
    block is a second definition of how something looks."""
    found = []
    for path in sorted((ROOT / "widgets").rglob("*.py")):
        if path == Path(style.__file__):
            continue
        for line, text in strings_in(path):
            if re.search(r"""\sstyle=["']|<style\b""", text):
                found.append(f"{path.relative_to(ROOT)}:{line}: {text.strip()[:60]}")
    assert not found, "inline styles (use a class in kit.css):\n" + "\n".join(found)


def test_the_report_has_one_style_block(store, facilitator_key):
    from widgets.report import build
    from widgets.server.demo import seed_demo
    from widgets.session import View, Viewer

    session = seed_demo(store, facilitator_key)
    page = build(View(store, session, Viewer("facilitator", key=facilitator_key)))
    assert page.count("<style") == 1 and CSS in page
    assert '<body class="cd-report">' in page


@pytest.mark.parametrize("templated", [True, False])
def test_a_page_carries_the_style_only_outside_the_template(monkeypatch, templated):
    from widgets.ui.common import page

    if templated:
        monkeypatch.setenv(style.ENV_TEMPLATE_STYLE, "1")
    else:
        monkeypatch.delenv(style.ENV_TEMPLATE_STYLE, raising=False)
    first = page().children[0]
    assert first.value == ("" if templated else style.STYLE)
