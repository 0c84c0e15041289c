"""The kit's style sheet as a page, for maintainers: every component side by side.

Why a page, not a document: a change to kit.css shows at once on the parts it touches, as
the kit's own code draws them (the same helpers the screens use), so a maintainer can see
that a button, a warning and a table still belong to one visual language before a room
does. Served with the workshop (``kit_style.ipynb``; never preheated, never linked for
participants). It reads no store: it holds only sample words.
"""

from __future__ import annotations

import ipywidgets as w

from ..html.join_qr import join_qr
from ..html.spc_chart import ICON_TEXT
from ..html.style import PALETTE
from .common import Status, button, choice_buttons, esc, html_block, page
from .prototype.fields import check, field

# What each colour is for (the palette is Okabe-Ito, safe with colour blindness).
COLOUR_USE = {"blue": "links, focus ring, notes, primary buttons", "orange": "warnings",
              "sky": "the step bar", "green": "agreement", "vermillion": "time is up",
              "purple": "a second series", "grey": "lines, common cause", "ink": "text"}


def _section(title: str, *parts: w.Widget) -> w.VBox:
    box = w.VBox([html_block(f"<h2>{esc(title)}</h2>"), *parts])
    box.add_class("cd-kit-section")
    return box


def colours() -> w.Widget:
    cells = "".join(
        f'<li class="cd-swatch"><span class="cd-swatch-chip cd-swatch-{name}" '
        f'aria-hidden="true"></span><strong>{esc(name)}</strong> <code>{esc(hexa)}</code>'
        f"<br>{esc(COLOUR_USE[name])}</li>" for name, hexa in PALETTE.items())
    return html_block(f'<ul class="cd-swatches">{cells}</ul>')


def type_scale() -> w.Widget:
    return html_block(
        "<h1>Heading 1: the page</h1><h2>Heading 2: a part of it</h2>"
        "<h3>Heading 3: a group of questions</h3>"
        "<p>Body text: plain words for a busy board member, in the kit's own font.</p>"
        '<p class="cd-big">Big text: what the room screen says across a room.</p>'
        '<p class="cd-small">Small text: when something was saved.</p>'
        '<div class="cd-code" aria-label="Join code A B C D">ABCD</div>')


def controls() -> w.Widget:
    status = Status()
    status.saved()
    wrong = Status()
    wrong.error("Type a number from 1 to 5, for example 3.")
    return w.VBox([
        w.HBox([button("Save my answers", style="primary"), button("Another way"),
                button("Remove", style="danger")]),
        choice_buttons([("1 Tell", 1), ("2 Sell", 2), ("3 Consult", 3), ("4 Agree", 4)],
                       "Delegation level, for the sample decision"),
        field(w.Text(description="A short answer", placeholder="e.g. Falls a month")),
        field(w.Textarea(description="A longer answer",
                         placeholder="Prose, in the page's font", rows=3)),
        field(w.Dropdown(description="A choice from a list",
                         options=["Sepsis", "Frailty", "Falls"])),
        check(w.Checkbox(description="A tick box whose words wrap on a narrow screen, as "
                         "long statements do", value=True, indent=False)),
        status.widget, wrong.widget])


def notes_and_cards() -> w.Widget:
    return html_block(
        '<p class="cd-note">A note: what to do next, or why a result looks as it does.</p>'
        '<p class="cd-warn" role="note">A warning: something needs the reader before they '
        "go on.</p>"
        '<div class="cd-card"><h3>A card</h3><p>One prototype, decision or person.</p></div>'
        '<div class="cd-stepbar"><strong>Step bar</strong>: open: answer now</div>'
        '<div class="cd-countdown"><span>Countdown: </span><strong>4:59 left</strong></div>'
        '<div class="cd-countdown cd-countdown-done"><span>Countdown: </span>'
        "<strong>time is up</strong></div>")


def table() -> w.Widget:
    return html_block(
        '<div class="cd-scroll"><table class="cd-table"><caption>A table, with its caption'
        "</caption><thead><tr><th>Care area</th><th>Patients a year</th><th>Cost a year (£)"
        "</th></tr></thead><tbody><tr><td>Sepsis</td><td>1,240</td><td>£3.1m</td></tr>"
        "<tr><td>Frailty</td><td>6,800</td><td>£12.4m</td></tr></tbody></table></div>")


def icons() -> w.Widget:
    items = "".join(f'<li><span class="cd-icon cd-icon-{kind}" aria-hidden="true">{mark}'
                    f"</span> {esc(text)}</li>" for text, kind, mark in ICON_TEXT.values())
    return html_block(f'<ul class="cd-icons">{items}</ul>')


def kit_style_page() -> w.VBox:
    return page(
        html_block("<h1>The kit's style sheet</h1><p>Every component of Conductor's pages, "
                   "drawn by the kit's own code with its one stylesheet "
                   "(<code>kit.css</code>). For maintainers: change the stylesheet, reload "
                   "this page, and check that everything still looks like one kit.</p>"),
        _section("Colours", colours()),
        _section("Type", type_scale()),
        _section("Buttons, fields and status lines", controls()),
        _section("Notes, warnings, cards, step bar and countdown", notes_and_cards()),
        _section("Tables", table()),
        _section("Making Data Count icons", icons()),
        _section("The join QR code", html_block(join_qr("https://conductor.example/join/ABCD"))),
    )
