"""Debian's nginx for the deployment tests: one way to find it, fill in a template of
``deploy/nginx/`` and write the rest of an nginx.conf into a test's own folder."""

from __future__ import annotations

import os
import shutil
import ssl
import subprocess
import time
import urllib.request
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


def start_nginx(nginx: str, folder: Path, main: Path, public: str, cert: Path):
    """Check ``main`` (nginx -t), start nginx on it and wait until ``public`` answers over
    HTTPS, trusting ``cert``. Returns the process and that TLS context."""
    argv = [nginx, "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(main)]
    checked = subprocess.run([*argv, "-t"], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
    proxy = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    tls = ssl.create_default_context(cafile=str(cert))  # the certificate is checked here
    deadline = time.time() + 30
    while True:
        try:
            urllib.request.urlopen(public, timeout=5, context=tls)  # noqa: S310 - our nginx
            return proxy, tls
        except OSError:
            log = (folder / "error.log").read_text()
            assert proxy.poll() is None, log
            assert time.time() < deadline, "nginx did not answer:\n" + log
            time.sleep(0.2)
