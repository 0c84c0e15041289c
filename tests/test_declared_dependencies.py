"""Every package the kit's code imports is declared in pyproject.toml.

Why: a package that arrives only as another's dependency (ipykernel through voila, tornado
through jupyter_server) can go at that package's next release, or arrive at a version the
kit never ran on; and a trust's IT team pins what pyproject names. So each third-party
import in ``widgets/`` (every ``import`` and ``from ... import``, inside functions too) is
mapped to the distribution that provides it and looked up in the dependencies.
"""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
OWN = {"widgets"}
# Imported only where the feature is used, and declared in that extra.
OPTIONAL = {"psycopg": "postgres"}


def imported_modules(folder: Path) -> dict[str, set[str]]:
    """Top-level module name -> the files importing it (absolute imports only)."""
    found: dict[str, set[str]] = {}
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], set()).add(
                    str(path.relative_to(ROOT)))
    return found


def undeclared(pyproject: dict, modules: dict[str, set[str]]) -> list[str]:
    """Each third-party import whose distribution pyproject does not declare, in words."""
    project = pyproject["project"]
    declared = {canonicalize_name(Requirement(r).name) for r in project["dependencies"]}
    extras = {extra: {canonicalize_name(Requirement(r).name) for r in reqs}
              for extra, reqs in project.get("optional-dependencies", {}).items()}
    providers = packages_distributions()
    problems = []
    for module, files in sorted(modules.items()):
        if module in OWN or module in sys.stdlib_module_names:
            continue
        dists = {canonicalize_name(d) for d in providers.get(module, ())}
        where = ", ".join(sorted(files))
        if not dists:
            problems.append(f"{module} (imported in {where}) is not installed at all")
            continue
        allowed = declared | extras.get(OPTIONAL.get(module, ""), set())
        if not dists & allowed:
            problems.append(f"{module} (imported in {where}) comes from "
                            f"{'/'.join(sorted(dists))}, which pyproject.toml does not declare")
    return problems


def test_every_imported_package_is_declared():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert undeclared(pyproject, imported_modules(ROOT / "widgets")) == []


def test_an_import_left_out_of_the_dependencies_is_named():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    pyproject["project"]["dependencies"] = [
        r for r in pyproject["project"]["dependencies"] if not r.startswith("ipykernel")]
    problems = undeclared(pyproject, imported_modules(ROOT / "widgets"))
    assert len(problems) == 1 and problems[0].startswith("ipykernel (imported in widgets/")
    assert undeclared(pyproject, {"no_such_module_here": {"widgets/x.py"}}) == [
        "no_such_module_here (imported in widgets/x.py) is not installed at all"]
