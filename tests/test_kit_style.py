"""The kit's style sheet page, for maintainers (issue 17, item 4): built by the kit's own
helpers from sample words, served with the workshop, never preheated."""

from __future__ import annotations

import ipywidgets as w

from widgets.paths import WORKSHOPS
from widgets.server import cli
from widgets.ui.kit_style import kit_style_page


def texts(widget) -> str:
    out = [getattr(widget, "value", "") if isinstance(widget, w.HTML) else "",
           getattr(widget, "description", "") or ""]
    for child in getattr(widget, "children", ()):
        out.append(texts(child))
    return " ".join(o for o in out if isinstance(o, str))


def test_the_page_shows_every_component():
    shown = texts(kit_style_page())
    for part in ("Colours", "Type", "Buttons, fields and status lines", "Notes, warnings",
                 "Tables", "Making Data Count icons", "The join QR code"):
        assert f"<h2>{part}" in shown, part
    for cls in ("cd-note", "cd-warn", "cd-card", "cd-table", "cd-countdown", "cd-stepbar",
                "cd-code", "cd-icon-concern", "cd-swatch-blue", "cd-qr"):
        assert cls in shown, cls
    assert "Save my answers" in shown and "A longer answer" in shown


def test_it_is_served_and_never_preheated():
    assert (WORKSHOPS / cli.KIT_STYLE).is_file()
    command = cli.voila_command(8866, "127.0.0.1", 60, preheat=2)
    assert "--VoilaKernelManager.preheat_denylist=['kit_style.ipynb']" in command
    assert not any("denylist" in a for a in cli.voila_command(8866, "127.0.0.1", 60))
