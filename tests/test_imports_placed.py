"""Imports sit at the top of a module, where a reader sees what it depends on; one kept
inside a function says why beside it (a comment on its line or the line above), and the
figure behind each reason is printed by benchmarks/import_cost.py."""

from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path

WIDGETS = Path(__file__).resolve().parents[1] / "widgets"


def _comment_lines(src: str) -> set[int]:
    return {tok.start[0] for tok in tokenize.generate_tokens(io.StringIO(src).readline)
            if tok.type == tokenize.COMMENT}


def unexplained_imports(path: Path, root: Path = WIDGETS.parent) -> list[str]:
    src = path.read_text()
    comments = _comment_lines(src)
    found = {}
    for fn in ast.walk(ast.parse(src)):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(fn):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    lines = set(range(node.lineno - 1, (node.end_lineno or node.lineno) + 1))
                    if not lines & comments:
                        found[node.lineno] = (f"{path.relative_to(root)}:"
                                              f"{node.lineno}: {ast.unparse(node)}")
    return [found[k] for k in sorted(found)]


def test_every_import_inside_a_function_says_why():
    missing = [line for path in sorted(WIDGETS.rglob("*.py")) if "kit" not in path.parts
               for line in unexplained_imports(path)]
    assert not missing, (
        f"{len(missing)} imports inside functions give no reason. Move each to the top of "
        "its module, or write beside it what importing it there would cost (measure with "
        "benchmarks/import_cost.py):\n" + "\n".join(missing))


def test_the_check_sees_a_bare_import_and_accepts_a_reason(tmp_path):
    bare, explained = tmp_path / "bare.py", tmp_path / "explained.py"
    bare.write_text("def f():\n    import json\n    return json\n")
    explained.write_text("def f():\n    # here, not at the top: 1 s on the first screen\n"
                         "    import json\n    return json\n")
    assert len(unexplained_imports(bare, tmp_path)) == 1
    assert unexplained_imports(explained, tmp_path) == []
