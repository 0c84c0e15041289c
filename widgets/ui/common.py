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

from ..markup import esc  # the one escaping; screens import it from here too
from .aria import helper
from .aria import name as aria_name
from .sharing import layout
from .sharing import style as shared_style

# Okabe-Ito: distinguishable with the common kinds of colour blindness.
PALETTE = {"blue": "#0072B2", "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73",
           "vermillion": "#D55E00", "purple": "#CC79A7", "grey": "#6B6B6B", "ink": "#1A1A1A"}

STYLE = """
<style>
.cd-page { max-width: 60rem; font-size: 1rem; line-height: 1.45; color: #1a1a1a; }
.cd-page * { box-sizing: border-box; }
.cd-page .widget-button, .cd-page .widget-toggle-button, .cd-page button {
  min-height: 44px; min-width: 44px; font-size: 1rem; }
.cd-page .widget-button:not(.mod-primary):not(.mod-danger):not(.mod-warning) {
  background: #fff; border: 1px solid #6b6b6b; color: #1a1a1a; }
.cd-page .widget-text input, .cd-page .widget-dropdown select { min-height: 44px;
  font-size: 1rem; }
.cd-page .widget-dropdown { height: auto; }
.cd-page .widget-textarea { height: auto !important; }
.cd-page .widget-textarea textarea { min-height: 4rem; }
.cd-page .widget-label, .cd-page label { font-size: 1rem; }
.cd-page :focus-visible { outline: 3px solid #0072B2 !important; outline-offset: 2px; }
.cd-page .widget-inline-hbox, .cd-page .widget-hbox { flex-wrap: wrap; gap: 4px; }
.cd-page .widget-inline-hbox .widget-label { white-space: normal; max-width: 100%;
  height: auto; line-height: 1.3; overflow: visible; text-align: left; }
.cd-page .widget-toggle-buttons .widget-toggle-button { width: auto; padding: 0 0.8rem; }
.cd-page .widget-toggle-buttons { flex-wrap: wrap; display: flex; gap: 4px; }
.cd-page .jupyter-widgets.widget-html { overflow-wrap: anywhere; }
.cd-hidden { display: none !important; }
.cd-status { min-height: 1.6rem; font-weight: 600; }
.cd-status .cd-ok { color: #005A8C; }
.cd-status .cd-error { color: #A33B00; }
.cd-warn { border-left: 6px solid #E69F00; background: #FFF6E0; padding: 0.6rem 0.8rem; }
.cd-note { border-left: 6px solid #0072B2; background: #EEF6FB; padding: 0.6rem 0.8rem; }
.cd-question { margin-top: 1rem; font-weight: 600; }
.cd-code { font-size: clamp(3rem, 14vw, 9rem); font-weight: 800; letter-spacing: 0.12em;
  line-height: 1.2; font-family: "DejaVu Sans Mono", Menlo, monospace; color: #1a1a1a; }
.cd-big { font-size: clamp(1.4rem, 4vw, 2.4rem); line-height: 1.25; }
.cd-page h1, .cd-page h2, .cd-countdown-big { line-height: 1.25; }
.cd-room-head h2 { margin-bottom: 0; }
.cd-under-way .cd-join { display: flex; flex-wrap: wrap; align-items: baseline;
  column-gap: 1.2rem; }
.cd-under-way .cd-join > * { margin: 0.2rem 0; }
.cd-under-way .cd-code { font-size: clamp(2rem, 5vw, 3.4rem); }
.cd-under-way .cd-big { font-size: clamp(1.2rem, 2.6vw, 1.8rem); }
@media (min-width: 1600px) {
  .cd-page:has(.cd-room-split) { max-width: none; }
  .cd-page .cd-room-split { flex-direction: row; align-items: flex-start; gap: 2rem; }
  .cd-room-split > :first-child { flex: 0 0 34rem; }
  .cd-room-split > :last-child { flex: 1 1 0; min-width: 0; }
  .cd-room-split .cd-big { font-size: 1.6rem; } }
.cd-table { border-collapse: collapse; margin: 0.5rem 0; }
.cd-table th, .cd-table td { border: 1px solid #999; padding: 0.3rem 0.6rem; text-align: left; }
.cd-table th { background: #f0f0f0; }
.cd-table th, .cd-table td { overflow-wrap: normal; }
.cd-num { white-space: nowrap; }
.cd-scroll { overflow-x: auto; max-width: 100%; }
.cd-scroll caption { text-align: left; }
.cd-chart svg { max-width: 100%; height: auto; }
.cd-stepbar { font-size: 1.1rem; padding: 0.6rem 0.8rem; background: #f4f4f4;
  border-left: 6px solid #56B4E9; }
.cd-page .cd-stack { flex-direction: column; align-items: stretch; }
.cd-page .cd-stack > .widget-label { width: auto !important; max-width: 100%; }
.cd-page .cd-stack textarea, .cd-page .cd-stack input,
.cd-page .cd-stack select { width: 100%; }
.cd-countdown { font-size: 1.2rem; padding: 0.4rem 0.8rem; border-left: 6px solid #0072B2;
  background: #EEF6FB; margin: 0.3rem 0; }
.cd-countdown-big { font-size: clamp(1.8rem, 6vw, 4rem); }
.cd-countdown-done { border-left-color: #D55E00; background: #FFF6E0; }
.cd-agenda .cd-now th, .cd-agenda .cd-now td { background: #FFF6E0; font-weight: 700; }
.cd-icons { list-style: none; padding-left: 0; }
.cd-icon { display: inline-block; min-width: 1.8rem; height: 1.8rem; line-height: 1.8rem;
  border-radius: 50%; text-align: center; font-weight: 700; margin-right: 0.3rem; }
.cd-card { border: 1px solid #999; border-radius: 4px; padding: 0.5rem 0.8rem;
  margin: 0.4rem 0; }
@media (max-width: 480px) { .cd-page { font-size: 1.05rem; } }
</style>
"""


# Full width less the 2 px margin ipywidgets puts on each side of a widget: plain 100%
# overflows its box by 4 px, which on a phone makes every box a scrolling region.
FULL = "calc(100% - 4px)"


def page(*children: w.Widget) -> w.VBox:
    """The outer box of a screen, carrying the shared style and the script that names
    controls for screen readers (``aria.helper``; not in the empty frame of a page still
    being built, whose first child must be the style alone)."""
    box = w.VBox([w.HTML(STYLE), *((helper(),) if children else ()), *children])
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
