"""What a screen reader hears, page by page: Chromium's accessibility tree through real Voila.

axe checks rules one element at a time; it cannot tell that 84 buttons all called "3" belong
to different statements, or that five "Open for answers" buttons open different steps. This
walks the whole tree a screen reader reads (Chromium's own, over the DevTools protocol) on
every page, in the states people use them, and fails on:

- a choice (a group of toggle buttons, a radio group) without a name saying what is chosen;
- a toggle button without a pressed state, or a radio without a checked state;
- a button, field, box or link with an empty name;
- two controls with the same name that act on different things (a choice's options are
  heard with their group's name, so "3" in two different statements is two names; links
  with one name must go to one place).
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from playwright.sync_api import expect

from widgets import cede, focus, prototype
from widgets.content import READINESS

from .conftest import demo_with_ada, open_console, wait_ready

CONTROLS = {"button", "textbox", "searchbox", "combobox", "checkbox", "radio", "switch",
            "slider", "spinbutton", "listbox", "link", "menuitem", "tab"}
GROUPS = {"group", "radiogroup"}
# Opened again after the demo's reveals, so the forms are being answered.
ANSWERING = ("readiness", focus.SCORE, focus.WEIGHTS, cede.POKER, prototype.COMMIT)


def _dom_nodes(cdp) -> dict[int, dict]:
    """Every DOM node by its backend id, with its attributes as a dict."""
    out: dict[int, dict] = {}
    stack = [cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]]
    while stack:
        node = stack.pop()
        raw = node.get("attributes", [])
        out[node["backendNodeId"]] = dict(zip(raw[::2], raw[1::2], strict=True))
        stack += node.get("children", []) + node.get("shadowRoots", [])
        if "contentDocument" in node:
            stack.append(node["contentDocument"])
    return out


def _prop(node: dict, name: str):
    for p in node.get("properties", []):
        if p["name"] == name:
            return p["value"].get("value")
    return None


def tree_problems(page, heard_names: list[str] | None = None) -> list[str]:
    """What is wrong in the page's accessibility tree as it is now (empty: nothing);
    ``heard_names`` (if given) receives every control as it is heard."""
    cdp = page.context.new_cdp_session(page)
    try:
        dom = _dom_nodes(cdp)
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        cdp.detach()
    by_id = {n["nodeId"]: n for n in nodes}

    def role(n):
        return (n.get("role") or {}).get("value", "")

    def name(n):
        return " ".join(str((n.get("name") or {}).get("value", "")).split())

    def classes(n):
        return dom.get(n.get("backendDOMNodeId"), {}).get("class", "").split()

    def group_of(n):
        """The name of the choice ``n`` is an option of (its nearest named group)."""
        parent = by_id.get(n.get("parentId"))
        while parent is not None:
            if role(parent) in GROUPS and name(parent):
                return name(parent)
            parent = by_id.get(parent.get("parentId"))
        return ""

    problems: list[str] = []
    seen: dict[tuple, set] = defaultdict(set)
    for n in nodes:
        if n.get("ignored"):
            continue
        r, label, cls = role(n), name(n), classes(n)
        if "widget-toggle-buttons" in cls and not (r in GROUPS and label):
            problems.append(f"a choice that is not a named group (role {r!r}, name "
                            f"{label!r}): options "
                            f"{[name(by_id[c]) for c in n.get('childIds', []) if c in by_id]}")
        if r == "radiogroup" and not label:
            problems.append("a radio group without a name")
        option = "widget-toggle-button" in cls or r == "radio"
        if r == "radio" and _prop(n, "checked") is None:
            problems.append(f"a radio without a checked state: {label!r} in {group_of(n)!r}")
        elif "widget-toggle-button" in cls and r != "radio" and _prop(n, "pressed") is None:
            problems.append(f"a toggle button without a pressed state: {label!r} in "
                            f"{group_of(n)!r}")
        if r not in CONTROLS:
            continue
        if not label:
            problems.append(f"a {r} with no name (class {' '.join(cls)!r})")
            continue
        heard = f"{group_of(n)} › {label}" if option else label
        attrs = dom.get(n.get("backendDOMNodeId"), {})
        # What the control acts on: a link's target; any other control is its own action.
        acts_on = attrs.get("href") if r == "link" else n["nodeId"]
        seen[(r, heard)].add(acts_on)
        if heard_names is not None:
            heard_names.append(f"{r}: {heard}")
    for (r, heard), targets in sorted(seen.items()):
        if len(targets) > 1:
            problems.append(f"{len(targets)} controls ({r}) share the name {heard!r}")
    return problems


def check(page, where: str, found: dict[str, list[str]], controls: bool = True) -> None:
    """Walk the tree now; keep what is wrong under ``where`` (all pages are reported).
    A page with ``controls`` must show some (else it has not rendered: nothing to check)."""
    heard: list[str] = []
    problems = tree_problems(page, heard)
    print(f"{where}: {len(heard)} controls", *heard, sep="\n  ")
    assert heard or not controls, f"{where}: no controls found; the page did not render"
    if problems:
        found[where] = problems


@pytest.fixture(scope="module")
def session(voila_server):
    """The demonstration session (several steps, eight people), with its votes open again
    for a new round, and Ada, who has just joined."""
    return demo_with_ada(voila_server, "Screen reader day", new_round=tuple(ANSWERING))


def test_every_page_says_what_each_control_does(session, voila_server, new_page):
    demo, token = session
    found: dict[str, list[str]] = {}

    page = new_page()
    page.goto(voila_server.url("00_start.ipynb"))
    wait_ready(page, "Session code")
    check(page, "start page, before joining", found)
    page.get_by_label("Session code").fill(demo.code)
    page.get_by_label("Your name").fill("Bea")
    page.get_by_role("button", name="Join").click()
    page.get_by_role("link", name="Go to").first.wait_for()
    check(page, "start page, after joining", found)

    # Each page is ready once its last part shows (the notebooks' own text shows sooner).
    for notebook, ready, where in (
            ("00_readiness.ipynb", "Back to the start page", "readiness, while answering"),
            ("01_focus.ipynb", "Save my weights", "focus, scoring and weights"),
            ("02_cede.ipynb", "Save the plan", "cede, poker"),
            ("03_prototype.ipynb", "Not for me now", "prototype, commitment")):
        page = new_page()
        page.goto(voila_server.url(notebook, f"p={token}"))
        page.locator(".cd-page").get_by_text(ready).first.wait_for()
        check(page, where, found)

    page = new_page()
    page.goto(voila_server.url("room.ipynb", f"room={demo.room_token}"))
    wait_ready(page, "Join at")
    check(page, "room screen", found, controls=False)  # a projector: nothing to press

    page = open_console(new_page, voila_server, demo)
    tools = page.get_by_label("Show the tools for")
    for module, shows in (("Board readiness check", "The group's readiness profile"),
                          ("Focus", "Save the shortlist"),
                          ("Cede", "Save the decisions to play"),
                          ("Prototype", "Set the threshold")):
        tools.select_option(label=module)
        page.get_by_text(shows).first.wait_for()
        check(page, f"console, {module} tools", found)

    report = "\n".join(f"{where}:\n  " + "\n  ".join(problems)
                       for where, problems in found.items())
    print(report)
    assert not found, "What a screen reader hears is unclear:\n" + report
    assert new_page.watch.errors == []


def test_the_pressed_state_follows_the_choice(session, voila_server, new_page):
    """What is heard as pressed is what is chosen, as it changes: the privacy question on
    the start page, and a rating, heard with its statement."""
    _, token = session
    page = new_page()
    page.goto(voila_server.url("00_start.ipynb"))
    consent = page.get_by_role("group", name="Show my name beside my answers")
    consent.get_by_role("button", name="No", exact=True, pressed=True).wait_for()
    consent.get_by_role("button", name="Yes", exact=True).click()
    consent.get_by_role("button", name="Yes", exact=True, pressed=True).wait_for()
    expect(consent.get_by_role("button", pressed=False)).to_have_text(["No"])

    page = new_page()
    page.goto(voila_server.url("00_readiness.ipynb", f"p={token}"))
    rating = page.get_by_role("group", name=READINESS[0].text)
    rating.get_by_role("button", name="4", exact=True).click()
    page.get_by_text(f"Saved your rating for “{READINESS[0].short}”").wait_for()
    rating.get_by_role("button", name="4", exact=True, pressed=True).wait_for()
    expect(rating.get_by_role("button", pressed=False)).to_have_count(5)
    rating.get_by_role("button", name="2", exact=True).click()
    rating.get_by_role("button", name="2", exact=True, pressed=True).wait_for()
    expect(rating.get_by_role("button", pressed=True)).to_have_text(["2"])
