"""A page's kernel is ipykernel's own, started by the kit's launcher so that no message to
the page is dropped in a burst (widgets/server/kernel_launcher.py): the command is
swapped only for this Python's ipykernel, the launcher still finds what it changes in
ipykernel, and a real kernel started through ``PageKernel`` publishes without ZeroMQ's
limit of 1,000 waiting messages, as the server's side reads without one."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from widgets.server.kernels import (
    LAUNCHER,
    CappedKernelManager,
    PageKernel,
    launched_by_the_kit,
)


def test_only_this_pythons_ipykernel_gets_the_kits_launcher():
    ours = [sys.executable, "-m", "ipykernel_launcher", "-f", "/tmp/k.json"]
    assert launched_by_the_kit(ours) == [sys.executable, "-m", LAUNCHER, "-f", "/tmp/k.json"]
    other = ["/opt/other/bin/python3", "-m", "ipykernel_launcher", "-f", "/tmp/k.json"]
    assert launched_by_the_kit(other) == other  # the kit may not be installed there
    assert launched_by_the_kit(["R", "--slave", "-f", "x"]) == ["R", "--slave", "-f", "x"]


def test_ipykernel_still_has_what_the_launcher_changes():
    """Checked in a process of its own: importing ipykernel's application here would make
    ipykernel's comms this test process's, and later widget tests would send nothing."""
    check = ("from ipykernel.kernelapp import IPKernelApp\n"
             "from widgets.server.kernel_launcher import kernel_app\n"
             "app = kernel_app()\n"
             "assert app is not IPKernelApp and issubclass(app, IPKernelApp)\n"
             "assert app.init_iopub is not IPKernelApp.init_iopub\n"
             "print('ok')")
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True,
                          timeout=120)
    assert done.stdout.strip() == "ok", done.stderr[-2000:]


def test_the_servers_side_reads_without_a_limit():
    import zmq

    manager = CappedKernelManager()
    try:
        assert manager.kernel_manager_class.endswith("PageKernel")
        sub = manager.context.socket(zmq.SUB)
        try:
            assert sub.rcvhwm == 0 and zmq.Context().socket(zmq.SUB).rcvhwm == 1000
        finally:
            sub.close(0)
    finally:
        manager.context.term()


@pytest.mark.timeout(180)
def test_a_page_kernel_publishes_without_a_limit(tmp_path):
    async def run() -> str:
        km = PageKernel(kernel_name="python3", transport="ipc",
                        connection_file=str(tmp_path / "kernel.json"))
        await km.start_kernel()
        client = km.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=120)
            out: list[str] = []
            await client.execute_interactive(
                "import sys; k = get_ipython().kernel\n"
                "print(sys.argv[0].rsplit('/', 2)[-2:], k.iopub_thread.socket.sndhwm)",
                output_hook=lambda m: out.append(m["content"].get("text", "")), timeout=60)
            return "".join(out)
        finally:
            client.stop_channels()
            await km.shutdown_kernel(now=True)

    # In a thread of its own: an earlier test in the same run may leave this thread's event
    # loop running, where asyncio.run() refuses to start.
    with ThreadPoolExecutor(1) as pool:
        shown = pool.submit(asyncio.run, run()).result(timeout=170)
    assert "['server', 'kernel_launcher.py'] 0" in shown, shown


def test_a_kernel_is_known_by_either_launcher():
    """Tests and benchmarks find a server's kernels by their command line (kernels.is_kernel):
    the kit's launcher counts, as ipykernel's own does; the server does not."""
    from widgets.server.kernels import is_kernel

    assert is_kernel([sys.executable, "-m", LAUNCHER, "-f", "k.json"])
    assert is_kernel([sys.executable, "-m", "ipykernel_launcher", "-f", "k.json"])
    assert not is_kernel([sys.executable, "-m", "widgets.server.voila_app", "workshops"])
