"""Layout measurements run in the page, for the boardroom tests (tests/e2e/test_boardroom.py).

Each constant is a JavaScript function for ``page.evaluate``. They measure; the test decides
what is too small or too wide, so a failure can say what was measured and where.
"""

from __future__ import annotations

# The visible pieces of text under ``root``: each line of each HTML text node (its box as
# laid out, its computed font size, its element) and each SVG <text> (its box and its font
# size as drawn: the font size times the scale the SVG is drawn at). Text a person cannot
# see (display none, visibility hidden, a closed <details>, a 1 px screen-reader-only
# clip) is left out.
_TEXT_PIECES = """
const corners = r => [[r.left, r.top], [r.right, r.top], [r.right, r.bottom],
                      [r.left, r.bottom]];
// How far two convex four-sided shapes overlap: the smallest depth across the axes that
// could separate them (0 when one does).
const overlapDepth = (p, q) => {
  let depth = Infinity;
  for (const shape of [p, q]) {
    for (let i = 0; i < 4; i++) {
      const [x1, y1] = shape[i], [x2, y2] = shape[(i + 1) % 4];
      const len = Math.hypot(x2 - x1, y2 - y1);
      if (len === 0) continue;
      const ax = -(y2 - y1) / len, ay = (x2 - x1) / len;
      const pp = p.map(([x, y]) => x * ax + y * ay), qq = q.map(([x, y]) => x * ax + y * ay);
      const d = Math.min(Math.max(...pp), Math.max(...qq))
                - Math.max(Math.min(...pp), Math.min(...qq));
      if (d <= 0) return 0;
      depth = Math.min(depth, d);
    }
  }
  return depth;
};
const textPieces = (root) => {
  const out = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || !el || el.closest('svg, style, script, select, textarea, noscript')
        || !el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    const style = getComputedStyle(el);
    const size = parseFloat(style.fontSize);
    // A line's text box is as tall as the font's whole ascent and descent; lines set
    // closer than that (line-height 1) are stacked, not overlapping: each piece is measured
    // as its line box, the line's height centred on its text.
    const line = parseFloat(style.lineHeight);  // NaN for "normal": the text box itself
    const heading = !!el.closest('h1, h2, h3, h4, h5, h6, [role=heading]');
    for (const box of range.getClientRects()) {
      const trim = line < box.height ? (box.height - line) / 2 : 0;
      const r = new DOMRect(box.x, box.y + trim, box.width, box.height - 2 * trim);
      if (r.width > 2 && r.height > 2)
        out.push({r, quad: corners(r), el, node: n, svg: false, size, heading,
                  chars: n.textContent.trim().length,
                  text: n.textContent.trim().slice(0, 40), tag: el.tagName.toLowerCase()});
    }
  }
  for (const t of root.querySelectorAll('svg text')) {
    if (!t.textContent.trim() || !t.checkVisibility({visibilityProperty: true,
                                                     opacityProperty: true})) continue;
    const r = t.getBoundingClientRect();
    if (r.width <= 2 || r.height <= 2) continue;
    const m = t.getScreenCTM();
    const scale = m ? Math.sqrt(Math.abs(m.a * m.d - m.b * m.c)) : 1;
    // A turned label's box across the screen is far wider than its letters: its own box,
    // turned as it is drawn, is what may touch another's.
    // Its height as the em box (the font size), as for HTML text's line box.
    const fb = t.getBBox(), em = parseFloat(getComputedStyle(t).fontSize);
    const b = fb.height > em ? {x: fb.x, y: fb.y + (fb.height - em) / 2, width: fb.width,
                                height: em} : fb;
    const quad = m ? [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height],
                      [b.x, b.y + b.height]].map(([x, y]) => [m.a * x + m.c * y + m.e,
                                                              m.b * x + m.d * y + m.f])
                   : corners(r);
    out.push({r, quad, el: t, node: t, svg: true,
              size: parseFloat(getComputedStyle(t).fontSize) * scale,
              heading: false, chars: t.textContent.trim().length,
              text: t.textContent.trim().slice(0, 40), tag: 'svg text'});
  }
  return out;
};
"""

# Pieces of text that overlap another piece of text, or a picture or control that does not
# hold them (an image, a chart, a canvas, a button or box), by more than 2 px each way.
OVERLAPS = "(sel) => {" + _TEXT_PIECES + """
  const root = document.querySelector(sel) || document.body;
  const texts = textPieces(root);
  const solids = [...root.querySelectorAll(
      'img, canvas, svg, input, select, textarea, button, [role=img]')]
    .filter(e => !e.parentElement.closest('svg') && e.type !== 'hidden'
                 && e.checkVisibility({visibilityProperty: true, opacityProperty: true}))
    .map(e => ({el: e, r: e.getBoundingClientRect(),
                text: (e.getAttribute('aria-label') || e.tagName).slice(0, 40)}))
    .filter(s => s.r.width > 2 && s.r.height > 2)
    .map(s => Object.assign(s, {quad: corners(s.r)}));
  // Overlapping by more than 2 px in depth; the boxes first, as a quick sieve.
  const over = (p, q) => {
    if (Math.min(p.r.right, q.r.right) - Math.max(p.r.left, q.r.left) <= 2
        || Math.min(p.r.bottom, q.r.bottom) - Math.max(p.r.top, q.r.top) <= 2) return 0;
    const d = overlapDepth(p.quad, q.quad);
    return d > 2 ? d : 0;
  };
  const at = p => `at (${p.r.left.toFixed(0)}, ${p.r.top.toFixed(0)})`;
  const out = [];
  for (let a = 0; a < texts.length && out.length < 12; a++) {
    for (let b = a + 1; b < texts.length; b++) {
      if (texts[a].node === texts[b].node) continue;  // lines of one text node
      const d = over(texts[a], texts[b]);
      if (d) out.push(`"${texts[a].text}" ${at(texts[a])} and "${texts[b].text}" `
                      + `${at(texts[b])} overlap by ${d.toFixed(0)} px`);
    }
    for (const s of solids) {
      if (s.el.contains(texts[a].el)) continue;
      const d = over(texts[a], s);
      if (d) out.push(`"${texts[a].text}" ${at(texts[a])} and ${s.text} ${at(s)} `
                      + `overlap by ${d.toFixed(0)} px`);
    }
  }
  return out.slice(0, 12);
}"""

# Sideways scrolling of the document and of the kit's main box, in px (0 when none).
SIDEWAYS = """() => {
  const main = document.querySelector('#rendered_cells');
  return {document: document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth,
          main: main ? main.scrollWidth - main.clientWidth : 0};
}"""

# Vertical scrolling a room screen needs to show what is on it: the document's, the main
# box's, and any visible box inside that scrolls by itself (its text and how far, in px).
UPRIGHT = """() => {
  const main = document.querySelector('#rendered_cells');
  const inner = [...(main || document.body).querySelectorAll('*')].filter(e => {
    if (!e.checkVisibility()) return false;
    const y = getComputedStyle(e).overflowY;
    return (y === 'auto' || y === 'scroll') && e.scrollHeight > e.clientHeight + 1;
  }).map(e => `${e.textContent.trim().slice(0, 40)}: ${e.scrollHeight - e.clientHeight} px`);
  return {document: document.scrollingElement.scrollHeight - document.scrollingElement.clientHeight,
          main: main ? main.scrollHeight - main.clientHeight : 0, inner: inner.slice(0, 6)};
}"""

# Text sizes on the page and the share of the screen's width its content uses.
#   pieces: every visible piece of text (HTML and SVG) as [size px, kind, text], where kind
#     is "heading", "text" or "chart" (SVG text);
#   body: the font size that most characters of non-heading HTML text are set in;
#   width_share: the width covered by the content seen on screen (text, pictures, charts,
#     controls: the union of their boxes' spans across the screen) / the screen's width;
#   content_bottom: the lowest edge of any of that content, in px from the top.
TEXT_AND_WIDTH = "(sel) => {" + _TEXT_PIECES + """
  const root = document.querySelector(sel) || document.body;
  const texts = textPieces(root);
  const pieces = texts.map(t => [Math.round(t.size * 10) / 10,
                                 t.svg ? 'chart' : (t.heading ? 'heading' : 'text'), t.text]);
  // The words in form controls (a list's chosen item, a box's text) are not text nodes.
  for (const c of root.querySelectorAll('select, textarea, input')) {
    const words = c.tagName === 'SELECT' ? (c.selectedOptions[0] || {}).textContent
      : (['checkbox', 'radio', 'hidden', 'range', 'color'].includes(c.type) ? ''
         : c.value || c.placeholder);
    if (words && words.trim() && c.checkVisibility({visibilityProperty: true}))
      pieces.push([Math.round(parseFloat(getComputedStyle(c).fontSize) * 10) / 10, 'text',
                   `${c.tagName.toLowerCase()}: ${words.trim().slice(0, 32)}`]);
  }
  const chars = {};
  for (const t of texts) if (!t.svg && !t.heading)
    chars[t.size] = (chars[t.size] || 0) + t.chars;
  const body = Object.keys(chars).length
    ? parseFloat(Object.entries(chars).sort((a, b) => b[1] - a[1])[0][0]) : null;
  const boxes = texts.map(t => t.r).concat([...root.querySelectorAll(
      'img, canvas, svg, input, select, textarea, button, [role=img]')]
    .filter(e => !e.parentElement.closest('svg') && e.checkVisibility())
    .map(e => e.getBoundingClientRect()));
  const seen = boxes.filter(r => r.width > 0 && r.height > 0 && r.bottom > 0
                                 && r.top < innerHeight)
    .map(r => [Math.max(0, r.left), Math.min(innerWidth, r.right)]).filter(s => s[1] > s[0])
    .sort((a, b) => a[0] - b[0]);
  let covered = 0, from = null, to = null;
  for (const [l, r] of seen) {
    if (to === null || l > to) { if (to !== null) covered += to - from; from = l; to = r; }
    else to = Math.max(to, r);
  }
  if (to !== null) covered += to - from;
  const bottom = Math.max(0, ...boxes.filter(r => r.width > 0 && r.height > 0)
                                    .map(r => r.bottom));
  return {pieces, body, width_share: covered / innerWidth, content_bottom: bottom};
}"""

# Tap targets smaller than 44x44 px: [what, width, height]. A checkbox or radio button is
# measured with the label it sits in (the whole label takes the tap).
SMALL_TARGETS = """(min) => {
  const els = [...document.querySelectorAll('#rendered_cells button, #rendered_cells input, '
    + '#rendered_cells select, #rendered_cells textarea, #rendered_cells a[href], '
    + '#rendered_cells [role=button], #rendered_cells summary, '
    + '#rendered_cells .widget-toggle-button')];
  const out = [];
  const seen = new Set();
  for (const e of els) {
    if (e.type === 'hidden' || !e.checkVisibility({visibilityProperty: true})) continue;
    const target = (e.type === 'checkbox' || e.type === 'radio') && e.closest('label')
      ? e.closest('label') : e;
    if (seen.has(target)) continue;
    seen.add(target);
    const r = target.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.width < min - 0.5 || r.height < min - 0.5) {
      const name = (e.getAttribute('aria-label') || target.textContent || e.title
                    || '').trim().slice(0, 40);
      out.push(`${e.tagName.toLowerCase()}${e.type ? '[' + e.type + ']' : ''} "${name}" `
               + `${r.width.toFixed(0)}x${r.height.toFixed(0)} px`);
    }
  }
  return out;
}"""

# Text boxes set in a typewriter (monospace) font: [what, its font-family].
TYPEWRITER = """() => [...document.querySelectorAll(
    "#rendered_cells textarea, #rendered_cells input")]
  .filter(e => ['textarea', 'text', 'search', 'email', 'url', 'tel', 'number', '']
                 .includes(e.type === undefined ? '' : e.type) || e.tagName === 'TEXTAREA')
  .filter(e => e.checkVisibility({visibilityProperty: true}))
  .map(e => [`${e.tagName.toLowerCase()} "${(e.getAttribute('aria-label') || e.placeholder
             || '').slice(0, 40)}"`, getComputedStyle(e).fontFamily])
  .filter(([, f]) => /mono|courier|consolas|menlo|monaco|typewriter/i.test(f))"""

# Scroll every scrolling box (the document, the main box) to its end.
TO_BOTTOM = """() => {
  for (const e of [document.scrollingElement, document.querySelector('#rendered_cells')])
    if (e) e.scrollTop = e.scrollHeight;
}"""

# Whether the current step (its title in a status line: role status, as the step bar is)
# and the countdown (role timer) are on screen, whole: {step: [text, top, bottom] or null,
# timer: [...] or null}, and where each is when it is not. A page's own list of steps that
# happens to name the step is not where the room is.
STEP_AND_TIMER = """(title) => {
  const onScreen = e => {
    const r = e.getBoundingClientRect();
    return e.checkVisibility({visibilityProperty: true}) && r.height > 0 && r.top >= 0
      && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth;
  };
  const where = e => { const r = e.getBoundingClientRect();
    return [e.textContent.trim().slice(0, 60), Math.round(r.top), Math.round(r.bottom)]; };
  const holders = [...document.querySelectorAll('#rendered_cells *')]
    .filter(e => e.children.length === 0 || [...e.childNodes].some(
      n => n.nodeType === 3 && n.textContent.trim()))
    .filter(e => e.textContent.includes(title) && e.closest('[role=status]'));
  const timers = [...document.querySelectorAll('#rendered_cells [role=timer]')]
    .filter(e => e.checkVisibility() && e.textContent.trim());
  return {step: holders.filter(onScreen).map(where)[0] || null,
          step_anywhere: holders.map(where)[0] || null,
          timer: timers.filter(onScreen).map(where)[0] || null,
          timer_anywhere: timers.map(where)[0] || null};
}"""

# The results on screen: visible charts and tables (not the QR code) that reach into the
# screen, each as its caption or first words.
RESULTS_ON_SCREEN = """() => [...document.querySelectorAll(
    '#rendered_cells figure, #rendered_cells table, #rendered_cells svg')]
  .filter(e => !e.closest('[aria-label^="QR code"], .cd-qr') && !e.parentElement.closest('svg')
               && e.checkVisibility({visibilityProperty: true, opacityProperty: true}))
  .filter(e => { const seen = b => { const r = b.getBoundingClientRect();
                   return r.width > 20 && r.height > 20 && r.bottom > 0 && r.top < innerHeight
                          && r.right > 0 && r.left < innerWidth; };
                 // A table is a result once one of its rows is in view: a caption and a
                 // header row alone (a page that ends where the rows begin) is not.
                 if (e.tagName !== 'TABLE') return seen(e);
                 return [...e.querySelectorAll('tbody tr')].some(row =>
                   row.checkVisibility({visibilityProperty: true}) && seen(row)); })
  .map(e => e.textContent.trim().slice(0, 40))"""
