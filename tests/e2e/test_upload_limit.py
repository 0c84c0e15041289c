"""One upload limit, below what Voila's websocket carries, checked in the browser first.

Voila (tornado) closes a page's websocket on any message over 10 MiB, so a file between
that and a larger kit limit used to vanish with the page's connection. A 12 MB file is now
refused in the browser with a message naming the limit, and the page carries on; a file of
exactly the limit still reaches the kernel (its message, measured, fits under 10 MiB).
"""

from __future__ import annotations

from widgets.ui.shell.console import session_label
from widgets.validation import MAX_UPLOAD_BYTES, UPLOAD_LIMIT

from .conftest import wait_ready

VOILA_WEBSOCKET_LIMIT = 10 * 1024 * 1024  # tornado's websocket_max_message_size default


def test_a_file_over_the_limit_gets_a_message_and_the_page_works_on(voila_server, new_page,
                                                                     seed_session, tmp_path):
    seeded = seed_session("Upload limit", [])
    sent: list[int] = []  # the size of every message the page sends its kernel
    fac = new_page()
    fac.on("websocket", lambda ws: ws.on(
        "framesent", lambda payload: sent.append(len(payload))))
    fac.goto(voila_server.url("facilitator.ipynb", f"key={voila_server.key}"))
    wait_ready(fac, "Your sessions")
    fac.get_by_label("Session", exact=True).select_option(label=session_label(seeded.session))
    fac.get_by_role("heading", name=seeded.session.title).wait_for()
    fac.get_by_label("Show the tools for").select_option(label="Focus")
    picker = fac.get_by_label("Load your own care-area file")
    picker.wait_for()

    big = tmp_path / "twelve.csv"
    big.write_bytes(b"a" * 12_000_000)
    picker.set_input_files(str(big))
    fac.get_by_text(f"“twelve.csv” is 12.0 MB; the limit is {UPLOAD_LIMIT}.").wait_for()
    assert sent and max(sent) < 1_000_000  # the page spoke to its kernel, but not the file

    # The page still works: a file of exactly the limit reaches the kernel and is checked.
    full = tmp_path / "full.csv"
    full.write_bytes(b"\xff" * MAX_UPLOAD_BYTES)
    picker.set_input_files(str(full))
    fac.get_by_text("is not UTF-8 text").wait_for()
    frame = max(sent)
    assert MAX_UPLOAD_BYTES < frame < VOILA_WEBSOCKET_LIMIT, frame
    print(f"\nA {MAX_UPLOAD_BYTES:,}-byte file travels as a {frame:,}-byte websocket message "
          f"({frame - MAX_UPLOAD_BYTES:,} bytes around it; Voila's limit "
          f"{VOILA_WEBSOCKET_LIMIT:,}).")

    small = tmp_path / "small.csv"
    small.write_text("area,patients_per_year\nSepsis,lots\n")
    picker.set_input_files(str(small))
    fac.get_by_text("“small.csv” was not used").wait_for()
