"""Debian's nginx for the deployment tests: one way to find it, fill in a template of
``deploy/nginx/`` and write the rest of an nginx.conf into a test's own folder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest


def nginx_binary(test: str) -> str:
    """The nginx program, or a failure saying how to install it (``test`` names who needs it)."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.access(nginx, os.X_OK):
        pytest.fail(f"The {test} test needs Debian's nginx: run ./dev test (it installs it) "
                    "or sudo apt-get install nginx.")
    return nginx


def fill_in(template: str, values: dict[str, str], names: tuple[str, ...]) -> str:
    """What the nginx image's envsubst does: ``names`` are the ones the template leaves open
    (and the guide or compose.yaml sets), every one of them given in ``values``."""
    assert set(values) == set(names)
    for name, value in values.items():
        template = template.replace(f"${{{name}}}", value)
    assert "${" not in template, "the template names something its users do not set"
    return template


def nginx_main(folder: Path, conf: Path, log_format: str = "") -> str:
    """The rest of an nginx.conf, which the image brings: everything in the test's folder;
    ``log_format`` (nginx variables, | between) changes what the access log records."""
    temp = "\n".join(f"    {kind}_temp_path {folder / kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    user = "user root root;\n" if os.geteuid() == 0 else ""  # workers read the test's folder
    log = (f"    log_format custom '{log_format}';\n    access_log {folder / 'access.log'} "
           "custom;\n" if log_format else f"    access_log {folder / 'access.log'};\n")
    return (f"{user}worker_processes 1;\npid {folder / 'nginx.pid'};\n"
            f"error_log {folder / 'error.log'} notice;\ndaemon off;\n"
            "events { worker_connections 512; }\n"
            f"http {{\n{log}{temp}\n    include {conf};\n}}\n")
