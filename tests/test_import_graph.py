"""The direction of travel between the kit's modules, read from the source.

Every import counts, at module top or inside a function alike (an import inside a function
still makes one module depend on another; it only hides it). Imports under
``if TYPE_CHECKING:`` are left out: they never run.

- No cycles: a cycle means neither module can be understood, tested or moved without the
  other. The test prints each cycle it finds.
- Screens never write to the store: every change goes through the module's logic, which
  owns the store keys and checks the value (``widgets/ui`` may read through the reveal
  filter, never call a store method that writes).
- The report, the exports and the HTML layer never reach ``widgets.ui`` or ipywidgets.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "widgets"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _type_checking_only(tree: ast.AST) -> set[int]:
    """ids of import nodes inside ``if TYPE_CHECKING:`` blocks."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in node.body:
                skip.update(id(n) for n in ast.walk(inner))
    return skip


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The kit's modules that ``name`` imports, anywhere in its source."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_only(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in known:
                    found.add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                if sub in known:
                    found.add(sub)  # ``from . import cede``: the submodule
                elif target in known:
                    found.add(target)
    found.discard(name)
    return found


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {name: imports_of(name, path, known) for name, path in mods.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Each strongly connected group of more than one module, as one cycle through it."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    groups: list[set[str]] = []

    def visit(v: str) -> None:  # Tarjan's algorithm (the graph is small: recursion is fine)
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = set()
            while True:
                w = stack.pop()
                on.discard(w)
                group.add(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(group)

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return [_one_cycle(g, edges) for g in groups]


def _one_cycle(group: set[str], edges: dict[str, set[str]]) -> list[str]:
    """A path from the group's first module back to itself, staying inside the group."""
    start = min(group)
    paths = {start: [start]}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(edges[v] & group):
            if w == start:
                return paths[v] + [start]
            if w not in paths:
                paths[w] = paths[v] + [w]
                queue.append(w)
    return sorted(group)


def test_the_graph_sees_imports_inside_functions():
    edges = graph()
    assert "widgets.exports" in edges["widgets.server.cli"] or edges["widgets.server.cli"]
    # report.py imports module logic at its top; the graph must see it.
    assert "widgets.focus" in edges["widgets.report"]
    toy = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(toy) == [["a", "b", "c", "a"]]


def test_no_import_cycles():
    found = cycles(graph())
    assert not found, "Import cycles (each module imports the next, the last the first):\n" + \
        "\n".join(" -> ".join(c) for c in found)


# Store methods that change anything. A screen asks module logic instead.
WRITES = {"submit", "save_shared", "save_shared_items", "save_dataset", "move_stage",
          "set_current_stage", "set_joining", "create_session", "hide_participant_name",
          "withdraw_participant", "add_participant", "delete_session", "set_setting",
          "note_join_attempt"}


def store_writes_in(path: Path) -> list[str]:
    """Calls of a store write method on anything named like a store (``store``,
    ``self.store``, ``view.store``, ``v.store``) in one file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in WRITES:
            owner = ast.unparse(node.func.value)
            if owner.split(".")[-1] in {"store", "_store"}:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: "
                             f"{ast.unparse(node.func)}(...)")
    return found


def test_the_write_scan_finds_a_write():
    toy = ROOT / "tests" / "_toy_screen.py"
    toy.write_text("def f(v):\n    v.store.save_shared(1, 'x', 'y', 2, key=None)\n")
    try:
        assert store_writes_in(toy) == ["tests/_toy_screen.py:2: v.store.save_shared(...)"]
    finally:
        toy.unlink()


def test_screens_never_write_to_the_store():
    found = [hit for p in sorted((PACKAGE / "ui").rglob("*.py")) for hit in store_writes_in(p)]
    assert not found, "Screens writing to the store (move each into module logic):\n" + \
        "\n".join(found)


def store_calls_in(path: Path) -> list[str]:
    """Any call of a method on something named like a store, but for ``revision`` (the poll's
    one integer, read by every screen to know whether to refresh)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node.func)}(...)"
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and ast.unparse(node.func.value).split(".")[-1] in {"store", "_store"}
            and node.func.attr != "revision"]


def test_the_steps_screens_read_through_module_logic():
    """A step's screens render what module logic gives them: no store reads of their own
    (the shell's session lookups, in ui/shell and ui/pages.py, are the session layer's)."""
    steps = ("readiness", "focus", "cede", "prototype")
    found = [hit for step in steps for p in sorted((PACKAGE / "ui" / step).rglob("*.py"))
             for hit in store_calls_in(p)]
    assert not found, "Screens reading the store (ask module logic instead):\n" + \
        "\n".join(found)


def reaches(edges: dict[str, set[str]], start: str) -> set[str]:
    seen = {start}
    todo = [start]
    while todo:
        for w in edges.get(todo.pop(), ()):
            if w not in seen:
                seen.add(w)
                todo.append(w)
    return seen


def test_report_and_exports_never_reach_the_screens():
    edges = graph()
    for start in ("widgets.report", "widgets.exports", "widgets.html"):
        ui = sorted(m for m in reaches(edges, start) if m.startswith("widgets.ui"))
        assert not ui, f"{start} reaches screens: {ui}"


def test_report_and_exports_import_without_ipywidgets():
    code = "import sys, widgets.report, widgets.exports; print('ipywidgets' in sys.modules)"
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.strip() == "False"


def test_report_and_exports_build_without_ipywidgets(tmp_path):
    """In a fresh process: import the report and the exports, build a whole report and the
    export files of the demo session (every step revealed), and find no ipywidgets loaded.

    The drawing itself is stubbed: in a served kit it happens in the chart service's
    process, and altair (which the drawing uses) imports ipywidgets through anywidget."""
    code = f"""
import sys
from pathlib import Path
import widgets.report, widgets.exports
import widgets.charts.draw
widgets.charts.draw._draw = lambda spec: '<svg xmlns="http://www.w3.org/2000/svg"></svg>'
from widgets import keys
from widgets.server.demo import seed_demo
from widgets.session import View, Viewer
from widgets.store import Store
store = Store("sqlite:///{tmp_path / 'store.sqlite'}")
key = keys.new_secret()
store.set_setting("facilitator_key_hash", keys.hash_secret(key))
view = View(store, seed_demo(store, key), Viewer("facilitator", key=key))
html = widgets.report.build(view)
assert "Delegation Board" in html and "<svg" in html, html[:500]
for fmt in ("json", "csv", "html"):
    widgets.exports.write(view, fmt, Path({str(tmp_path)!r}))
loaded = sorted(m for m in sys.modules if m.split(".")[0] == "ipywidgets"
                or m.startswith("widgets.ui.")
                and m not in ("widgets.charts.draw", "widgets.charts.specs"))
print(loaded)
"""
    env = {**os.environ, "CONDUCTOR_CHART_CACHE": str(tmp_path / "drawn"),  # stubs stay here
           "CONDUCTOR_DATA_DIR": str(tmp_path)}
    env.pop("CONDUCTOR_CHART_SERVICE", None)
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, timeout=300, env=env)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.strip().splitlines()[-1] == "[]", run.stdout[-2000:]
