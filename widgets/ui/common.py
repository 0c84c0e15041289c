"""Pieces every screen shares: escaping, the page style, status lines and labelled choices.

Why escape here: participant text is untrusted. Every string a person typed reaches the
page through :func:`esc` inside an ``HTML`` widget, or through a widget that shows text
as text (Label, button descriptions), never as markup.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from typing import Any

import ipywidgets as w
from ipywidgets.widgets.widget_string import HTMLStyle

from ..html.style import PALETTE as PALETTE  # the screens' and the report's, written once
from ..html.style import STYLE as STYLE
from ..html.style import page_style
from ..markup import esc  # the one escaping; screens import it from here too
from .aria import helper
from .aria import name as aria_name
from .sharing import layout
from .sharing import style as shared_style

# Full width less the 2 px margin ipywidgets puts on each side of a widget: plain 100%
# overflows its box by 4 px, which on a phone makes every box a scrolling region.
FULL = "calc(100% - 4px)"


def page(*children: w.Widget) -> w.VBox:
    """The outer box of a screen. Its first part is the page's style (empty when the kit's
    Voila template links the stylesheet: ``html.style.page_style``; kept as the first part
    either way, since a page still being built is a frame of that part alone), then the
    script that names controls for screen readers (``aria.helper``)."""
    box = w.VBox([w.HTML(page_style()), *((helper(),) if children else ()), *children])
    box.add_class("cd-page")
    return box


def html_block(markup: str = "") -> w.HTML:
    return w.HTML(fit_tables(markup), layout=layout(width=FULL),
                  style=shared_style(HTMLStyle))


def set_html(widget: w.HTML, markup: str) -> None:
    """Assign only when different, so an unchanged screen sends nothing to the page."""
    markup = fit_tables(markup)
    if widget.value != markup:
        widget.value = markup


_TABLE = re.compile(r"(<div class=\"cd-scroll\"[^>]*>)?<table class=['\"]cd-table\b.*?</table>",
                    re.S)
_CAPTION = re.compile(r"<caption>(.*?)</caption>", re.S)
_CELL = re.compile(r"(<t[dh]\b[^>]*>)([^<]+)(</t[dh]>)")
# A figure, perhaps with a sign, unit or range: "61,000", "£23.0m", "-4%", "3.2 (2–4)".
_NUMBER = re.compile(r"[^A-Za-z]*\d[^A-Za-z]*[A-Za-z]{0,2}")


def fit_tables(markup: str) -> str:
    """Make the kit's tables readable on a phone: each scrolls sideways in its own box
    (focusable and named by its caption, so keyboard users can scroll it too) instead of
    squeezing its columns until words and numbers break mid-way ("61,/000"), and a cell
    holding a figure never wraps.

    Why here: every table a screen shows is markup passed to :func:`html_block` or
    :func:`set_html`, so this is the one place that knows how tables fit a small screen.
    """
    if "cd-table" not in markup:
        return markup

    def number(m: re.Match) -> str:
        text = m.group(2)
        if len(text) > 24 or not _NUMBER.fullmatch(text.strip()):
            return m.group(0)
        return f"{m.group(1)}<span class='cd-num'>{text}</span>{m.group(3)}"

    def box(m: re.Match) -> str:
        if m.group(1):  # fitted already
            return m.group(0)
        table = _CELL.sub(number, m.group(0))
        caption = _CAPTION.search(table)
        name = re.sub(r"<[^>]+>", "", caption.group(1)) if caption else ""
        name = esc(html.unescape(name).strip() or "Table")
        return (f'<div class="cd-scroll" role="region" tabindex="0" aria-label="{name}">'
                f"{table}</div>")

    return _TABLE.sub(box, markup)


class Status:
    """A status line read out by screen readers: "Saved at 14:02" or what went wrong."""

    def __init__(self):
        self.widget = html_block("")
        self.widget.add_class("cd-status")
        self.text = ""  # what the line says now, as plain text

    def _show(self, cls: str, text: str, role: str) -> None:
        self.text = text
        set_html(self.widget, f'<div role="{role}" class="{cls}">{esc(text)}</div>')

    def saved(self, what: str = "Saved") -> None:
        self._show("cd-ok", f"{what} at {datetime.now().strftime('%H:%M:%S')}.", "status")

    def info(self, text: str) -> None:
        self._show("cd-ok", text, "status")

    def error(self, text: str) -> None:
        self._show("cd-error", text, "alert")

    def clear(self) -> None:
        self.text = ""
        set_html(self.widget, "")


def choice_buttons(options: list[tuple[str, Any]], label: str,
                   tooltips: list[str] | None = None) -> w.ToggleButtons:
    """Small choices as buttons (never sliders): big enough to tap, reachable by Tab.

    ``label`` names the choice for a screen reader: the statement or the thing being chosen
    for ("Agreed level for Sepsis: Approve a new pathway"), so each option is heard with it
    ("3 Consult, toggle button, pressed"). Name it after what differs between choices on
    the page; see ``aria`` for how."""
    tb = w.ToggleButtons(options=options, value=None, description="", tooltips=tooltips or [],
                         style=shared_style(w.ToggleButtonsStyle, button_width="auto"),
                         layout=layout(width="auto", max_width=FULL), tabbable=True,
                         button_style="")
    return aria_name(tb, label)


def button(text: str, tooltip: str = "", style: str = "", name: str = "") -> w.Button:
    """A button; ``name`` is what a screen reader calls it when ``text`` alone would not say
    what it acts on (one per step or person): "Open for answers: Focus scores". It should
    contain ``text``, so voice control and the page read aloud match what is seen."""
    b = w.Button(description=text, tooltip=tooltip or text, button_style=style,
                 layout=layout(width="auto", min_height="44px"), style=shared_style(w.ButtonStyle))
    if name:
        aria_name(b, name)
    return b


def link(href: str, text: str) -> str:
    return f'<a href="{esc(href)}">{esc(text)}</a>'
