"""What each import kept inside a function saves: its marginal import time.

The kit imports at the top of a module unless importing there costs something measurable on
the path that does not need it (a page's first screen, ``conductor --help``). Each import
that stays inside a function says so beside it ("here, not at the top: ..."). This script
measures what it would cost at the top: for every import inside a function in ``widgets/``,
a fresh interpreter imports the module that holds it, then times importing what the
function imports (median of ``--runs``), so the figure is the extra time a caller pays
that would otherwise never load it. Zero means it was already loaded anyway (it belongs at
the top).

    .venv/bin/python benchmarks/import_cost.py [--runs 3] [--json FILE] [PATH ...]

Prints one line per import, most expensive first, and the machine's load. A shared machine
is noisy: compare lines of one run with each other, not with another day's.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

TIMER = r"""
import importlib, importlib.util, sys, time
import {module}
t = time.perf_counter()
for name in {names!r}:
    try:
        if name not in sys.modules and importlib.util.find_spec(name) is not None:
            importlib.import_module(name)
    except (ImportError, ValueError):
        pass  # a name imported from a module, not a module itself
print((time.perf_counter() - t) * 1000)
"""


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_in_functions(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, first line of the statement, modules it may load) for each import inside a
    function, nested ones included, each once."""
    src = path.read_text()
    tree = ast.parse(src)
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: dict[int, tuple[int, str, list[str]]] = {}
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(fn):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")
                    parts = parts[:len(parts) - node.level + 1]
                    base = ".".join(parts + ([node.module] if node.module else []))
                names = [base, *(f"{base}.{a.name}" for a in node.names)]
            else:
                continue
            text = (ast.get_source_segment(src, node) or "").splitlines()[0]
            found[node.lineno] = (node.lineno, text, names)
    return sorted(found.values())


def marginal_ms(module: str, names: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", TIMER.format(module=module, names=names)],
                              capture_output=True, text=True, cwd=ROOT, check=False)
        if done.returncode:
            raise RuntimeError(f"importing {module} failed:\n{done.stderr[-800:]}")
        times.append(float(done.stdout.split()[-1]))
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="*", type=Path, help="files (default: all of widgets/)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", type=Path, help="also write the figures to this file")
    args = ap.parse_args(argv)
    paths = [p.resolve() for p in args.paths] or sorted(
        p for p in (ROOT / "widgets").rglob("*.py") if "kit" not in p.parts)
    rows = []
    for path in paths:
        module = module_name(path)
        for line, text, names in imports_in_functions(path):
            ms = marginal_ms(module, names, args.runs)
            rows.append({"file": str(path.relative_to(ROOT)), "line": line, "import": text,
                         "ms": round(ms, 1)})
    print(f"# {len(rows)} imports inside functions; median of {args.runs} fresh interpreters "
          f"each; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    for r in sorted(rows, key=lambda r: -r["ms"]):
        print(f"{r['ms']:8.1f} ms  {r['file']}:{r['line']}  {r['import'].strip()}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
