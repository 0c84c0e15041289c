"""Tables on a small screen (``common.fit_tables``): each in its own named, focusable box
that scrolls sideways, figures kept whole, and nothing done twice."""

from __future__ import annotations

from widgets.ui.common import esc, fit_tables, html_block, set_html

TABLE = ("<table class='cd-table'><caption>Cost &amp; size</caption><tr>"
         "<th scope='col'>Care area</th><td>61,000</td><td>£23.0m</td><td>3.2 (2–4)</td>"
         "<td>Sepsis and more words</td></tr></table>")


def test_a_table_gets_a_named_focusable_box_and_whole_figures():
    out = fit_tables("<p>Before</p>" + TABLE)
    assert out.startswith('<p>Before</p><div class="cd-scroll" role="region" tabindex="0" '
                          'aria-label="Cost &amp; size">')
    for figure in ("61,000", "£23.0m", "3.2 (2–4)"):
        assert f"<span class='cd-num'>{figure}</span>" in out
    assert "<td>Sepsis and more words</td>" in out and "<th scope='col'>Care area</th>" in out


def test_fitting_twice_changes_nothing_and_other_markup_is_left_alone():
    once = fit_tables(TABLE)
    assert fit_tables(once) == once
    assert fit_tables(f"<div>{once}</div>") == f"<div>{once}</div>"
    assert fit_tables("<p>No table</p>") == "<p>No table</p>"


def test_a_hostile_caption_stays_inert_in_the_box_name():
    hostile = '"><img src=x onerror=alert(1)>'
    out = fit_tables(f"<table class='cd-table'><caption>{esc(hostile)}</caption></table>")
    assert "<img" not in out.split("<table")[0]
    assert f'aria-label="{esc(hostile)}"' in out


def test_screens_show_fitted_tables():
    block = html_block(TABLE)
    assert block.value == fit_tables(TABLE)
    set_html(block, "<p>x</p>" + TABLE)
    assert 'class="cd-scroll"' in block.value
