/* The room screen's keys and pages, for the facilitator standing at the laptop.

   F: full screen (Escape leaves it). Right arrow or Page Down, Left arrow or Page Up: the
   next or previous page of a long result. ?: shows or hides the list of keys (Escape hides
   it too).

   Why a plain script in the page, linked by the kit's template (index.html.j2), and not a
   widget: the keys must answer at once and keep working when the kernel is busy or lost
   (a projector is no place for a spinner), and full screen may only be asked for inside
   the browser's own handling of a key press, which a round trip to the kernel is not.
   Every page of the kit links this file (one cached request), so it acts only where the
   page holds the room screen (.cd-room), and never while someone types in a text box.

   Why pages are made here: whether a result fits depends on the screen it is shown on
   (its size, the browser's fonts), which only the browser knows. The result column
   (.cd-room-results) is cut into pages between its pieces (headings, charts, paragraphs,
   tables), a heading or a table's caption and header staying with what follows, so each
   page fits below the top of the column; the pieces of the other pages are hidden
   (display: none), not scrolled away. */
(function () {
  "use strict";

  var KEYS = [
    ["F", "Full screen on or off"],
    ["Escape", "Leave full screen, or close this list"],
    ["\u2192 or Page Down", "Next page of a long result"],
    ["\u2190 or Page Up", "Previous page"],
    ["?", "Show or hide this list of keys"]
  ];
  // Boxes the pages look inside; anything else in the column is one piece of a page.
  // A chart's figure too: its drawing, its sentence and its table may go to separate pages.
  // A long table, by its rows (its caption and header stay with its first rows).
  var INSIDE = ".widget-box, .widget-html, .widget-html-content, .cd-flow, figure.cd-chart, " +
    ".cd-scroll, table.cd-table, table.cd-table > tbody, div:not([class]), section:not([class])";
  var LEADS = /^(H[1-6]|CAPTION|THEAD)$/;  // pieces that lead into the piece after them

  var state = {page: 0, count: 1, stage: null, column: null, queued: false};
  var help = null;
  var bar = null;

  function room() { return document.querySelector(".cd-room"); }

  function typing(target) {
    return !!target && (target.isContentEditable ||
      /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function pieces(box, out) {
    for (var i = 0; i < box.children.length; i++) {
      var el = box.children[i];
      if (el.matches("style, script")) { continue; }
      if (el.matches(INSIDE)) {
        pieces(el, out);  // an empty box is no piece: it may fill later, and must not be hidden
      } else {
        out.push(el);
      }
    }
    return out;
  }

  function makeBar() {
    if (bar) { return bar; }
    bar = document.createElement("p");
    bar.className = "cd-room-pager";
    bar.setAttribute("aria-live", "polite");
    bar.hidden = true;
    document.body.appendChild(bar);
    return bar;
  }

  // Which page each piece is on, for pages of at most ``room`` px (all pieces shown).
  function cut(shown, room) {
    showAll(shown);
    var pageOf = [];
    var page = 0;
    var pageStart = 0;
    var start = shown[0].getBoundingClientRect().top;
    for (var i = 0; i < shown.length; i++) {
      if (i > pageStart && shown[i].getBoundingClientRect().bottom - start > room) {
        // A heading, and a table's caption and header row, go with what follows them
        // (unless that is all their page holds): no page ends on a title without its rows.
        var first = i;
        while (first - 1 > pageStart && LEADS.test(shown[first - 1].tagName)) { first -= 1; }
        page += 1;
        for (var j = first; j < i; j++) { pageOf[j] = page; }
        pageStart = first;
        start = shown[first].getBoundingClientRect().top;
      }
      pageOf[i] = page;
    }
    return pageOf;
  }

  function unhideBoxes() {
    if (!state.column) { return; }
    state.column.querySelectorAll(".cd-off-box").forEach(function (box) {
      box.classList.remove("cd-off-page", "cd-off-box");
    });
  }

  function showAll(shown) {
    unhideBoxes();
    shown.forEach(function (el) { el.classList.remove("cd-off-page"); });
  }

  // Show one page's pieces. A box whose pieces are all on other pages goes too: a table
  // whose caption, header and rows are on the next page would still hold its margins and
  // borders here, and push the page past the screen.
  function showPage(shown, pageOf, page) {
    var column = state.column;
    var kept = new Set();
    shown.forEach(function (el, i) {
      el.classList.toggle("cd-off-page", pageOf[i] !== page);
      if (pageOf[i] === page) {
        for (var up = el.parentElement; up && up !== column; up = up.parentElement) {
          kept.add(up);
        }
      }
    });
    unhideBoxes();
    shown.forEach(function (el, i) {
      if (pageOf[i] === page) { return; }
      for (var up = el.parentElement; up && up !== column && !kept.has(up);
           up = up.parentElement) {
        up.classList.add("cd-off-page", "cd-off-box");
      }
    });
  }

  // Cut the result column into pages that fit the screen, and show the current one.
  function layout() {
    state.queued = false;
    var column = document.querySelector(".cd-room .cd-room-results");
    var main = document.querySelector("#rendered_cells");
    var now = document.querySelector(".cd-room [data-stage]");
    var stage = now ? now.getAttribute("data-stage") : "";
    if (stage !== state.stage) { state.stage = stage; state.page = 0; }
    state.column = column;
    makeBar();
    if (column) {  // every piece shown again, including what is no longer a piece
      column.querySelectorAll(".cd-off-page, .cd-off-box").forEach(function (el) {
        el.classList.remove("cd-off-page", "cd-off-box");
      });
    }
    // Pages on a projector only: the room screen side by side with its result. A phone
    // or a narrow window stacks the two, and scrolls.
    var paged = !!column && column.parentElement.classList.contains("cd-room-split") &&
      window.matchMedia("(min-width: 900px)").matches;
    var shown = (paged ? pieces(column, []) : []).filter(function (el) {
      return el.getClientRects().length > 0;
    });
    shown.forEach(function (el) { el.setAttribute("data-cd-block", ""); });
    var pageOf = shown.map(function () { return 0; });
    var count = 1;
    if (main && shown.length) {
      main.scrollTop = 0;
      bar.hidden = false;  // measured while shown: the pages end above it
      bar.textContent = "Page 1 of 2";
      var room = Math.min(window.innerHeight, main.getBoundingClientRect().bottom) -
        shown[0].getBoundingClientRect().top - bar.offsetHeight - 16;
      // Cut for the room measured; where a page still scrolls (margins and boxes below
      // the last piece), cut again for that much less. A page of one piece taller than
      // the screen (a long table) cannot be helped by cutting, and does not count.
      if (room > 200) {
        pageOf = cut(shown, room);
        for (var tries = 0; tries < 3; tries++) {
          var over = 0;
          var last = pageOf[pageOf.length - 1];
          for (var p = 0; p <= last; p++) {
            if (pageOf.indexOf(p) === pageOf.lastIndexOf(p)) { continue; }  // one piece
            showPage(shown, pageOf, p);
            over = Math.max(over, main.scrollHeight - main.clientHeight);
          }
          if (over <= 0 || room - over <= 200) { break; }
          room -= over;
          pageOf = cut(shown, room);
        }
        count = pageOf[pageOf.length - 1] + 1;
      }
    }
    state.count = count;
    state.page = Math.max(0, Math.min(state.page, count - 1));
    showPage(shown, pageOf, state.page);
    if (main) { main.scrollTop = 0; }
    bar.hidden = count < 2;
    bar.textContent = count < 2 ? "" : "Page " + (state.page + 1) + " of " + count +
      (state.page + 1 < count ? " \u00b7 \u2192 next" : "") +
      (state.page > 0 ? " \u00b7 \u2190 back" : "");
  }

  function queue() {
    if (state.queued) { return; }
    state.queued = true;
    window.requestAnimationFrame(layout);
  }

  function turn(by) {
    if (state.count < 2) { return false; }
    var to = Math.max(0, Math.min(state.count - 1, state.page + by));
    if (to !== state.page) { state.page = to; layout(); }
    return true;
  }

  function toggleHelp(show) {
    if (!help) {
      help = document.createElement("div");
      help.className = "cd-room-help";
      help.setAttribute("role", "dialog");
      help.setAttribute("aria-labelledby", "cd-room-help-title");
      var title = document.createElement("h2");
      title.id = "cd-room-help-title";
      title.textContent = "Keys for the room screen";
      var list = document.createElement("ul");
      KEYS.forEach(function (k) {
        var item = document.createElement("li");
        var key = document.createElement("kbd");
        key.textContent = k[0];
        item.appendChild(key);
        item.appendChild(document.createTextNode(" " + k[1]));
        list.appendChild(item);
      });
      var close = document.createElement("p");
      close.textContent = "Press ? or Escape to close this list.";
      help.appendChild(title);
      help.appendChild(list);
      help.appendChild(close);
      help.hidden = true;
      document.body.appendChild(help);
    }
    help.hidden = show === undefined ? !help.hidden : !show;
  }

  // A request for full screen the browser has not answered yet, and whether the person has
  // since said no (Escape, or F again). The browser takes its time to go full screen (on a
  // busy laptop, long enough to press Escape first): without this, full screen came after
  // the Escape and stayed.
  var asking = false;
  var thenLeave = false;

  function leaveFullScreen() {
    if (!document.fullscreenElement || !document.exitFullscreen) { return; }
    var left = document.exitFullscreen();
    if (left && left.catch) { left.catch(function () {}); }
  }

  function fullScreen() {
    if (asking) {
      thenLeave = !thenLeave;  // F again before it came: changed their mind (or back)
    } else if (document.fullscreenElement) {
      leaveFullScreen();
    } else if (document.documentElement.requestFullscreen) {
      var asked = document.documentElement.requestFullscreen();
      if (!asked || !asked.then) { return; }  // an old browser: no answer to wait for
      asking = true;
      thenLeave = false;
      asked.then(function () { if (thenLeave) { leaveFullScreen(); } },
                 function () {})  // refused: nothing to do
        .then(function () { asking = false; thenLeave = false; });
    }
  }

  document.addEventListener("keydown", function (event) {
    if (!room() || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey ||
        typing(event.target)) { return; }
    var key = event.key;
    var used = true;
    if (key === "f" || key === "F") {
      fullScreen();
    } else if (key === "?") {
      toggleHelp();
    } else if (key === "Escape") {
      if (help && !help.hidden) {
        toggleHelp(false);
      } else if (asking) {
        thenLeave = true;
      } else if (document.fullscreenElement && document.exitFullscreen) {
        leaveFullScreen();
      } else {
        used = false;
      }
    } else if (key === "ArrowRight" || key === "PageDown") {
      used = turn(1);  // a result of one page: the keys scroll as usual
    } else if (key === "ArrowLeft" || key === "PageUp") {
      used = turn(-1);
    } else {
      used = false;
    }
    if (used) { event.preventDefault(); }
  });

  // The room screen is drawn by its kernel after the page loads, and redrawn when the room
  // moves on: pages are cut again when its result column changes (not for the countdown's
  // ticks beside it), and when the window changes size.
  new MutationObserver(function (records) {
    var column = document.querySelector(".cd-room .cd-room-results");
    if (!column) { if (state.column) { queue(); } return; }
    if (column !== state.column) { queue(); return; }
    for (var i = 0; i < records.length; i++) {
      var target = records[i].target;
      if (column.contains(target) || target.contains(column) ||
          (target.nodeType === 1 && target.closest && target.closest(".cd-room-head"))) {
        queue();
        return;
      }
    }
  }).observe(document.documentElement, {childList: true, subtree: true, characterData: true});
  window.addEventListener("resize", queue);
})();
