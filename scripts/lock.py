"""Write requirements.lock: the exact versions of every package the kit needs (with its test
and postgres extras), as installed in the environment that runs this script.

Why from an installed environment rather than a resolver (pip-compile, uv pip compile): the
lock must hold the versions the tests ran on, and the environment they ran in is where
those are; it needs no tool beyond Python and ``packaging`` (which the kit's dependencies
bring). It follows each requirement's dependencies through the installed packages' metadata,
with markers evaluated for this machine (Linux, this Python), so it lists what the kit
needs and nothing else that happens to be installed.

    ./dev lock                      # from .venv (the locked versions): rewrites the same file
    CONDUCTOR_UNLOCKED=1 ./dev lock # from .venv-newest, after CONDUCTOR_UNLOCKED=1 ./dev test
"""

from __future__ import annotations

import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

EXTRAS = ("test", "postgres")
ROOT = Path(__file__).resolve().parent.parent


def _wanted(req: Requirement, extras: set[str]) -> bool:
    if req.marker is None:
        return True
    return any(req.marker.evaluate({"extra": e}) for e in (extras or {""}))


def closure() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    texts = [*project["dependencies"]]
    for extra in EXTRAS:
        texts += project["optional-dependencies"][extra]
    todo = [r for r in map(Requirement, texts) if _wanted(r, set())]
    pinned: dict[str, str] = {}
    seen: set[tuple[str, frozenset]] = set()
    while todo:
        req = todo.pop()  # its marker was evaluated with the extras that asked for it
        name = canonicalize_name(req.name)
        key = (name, frozenset(req.extras))
        if key in seen:
            continue
        seen.add(key)
        dist = metadata.distribution(req.name)
        version = dist.version
        if not req.specifier.contains(version, prereleases=True):
            sys.exit(f"{req.name} {version} is installed but the kit asks for {req}: "
                     "install again (./dev test) before locking.")
        pinned[name] = version
        for text in dist.requires or ():
            sub = Requirement(text)
            if _wanted(sub, set(req.extras)):
                todo.append(sub)
    return pinned


def main() -> None:
    pinned = closure()
    lines = ["# Exact versions the tests ran on (Linux, Python "
             f"{sys.version_info.major}.{sys.version_info.minor}). Written by scripts/lock.py;",
             "# ./dev installs them. Refresh: README, \"Versions\".",
             *(f"{name}=={version}" for name, version in sorted(pinned.items()))]
    (ROOT / "requirements.lock").write_text("\n".join(lines) + "\n")
    print(f"requirements.lock: {len(pinned)} packages")


if __name__ == "__main__":
    main()
