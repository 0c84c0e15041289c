"""The ``conductor`` command: serve the workshop and look after its store.

Exit codes scripts can rely on: 0 done, 1 the input or the store refused (the message says
why), 2 the command was used wrongly.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import ssl
import sys
from pathlib import Path

from .. import keys
from ..paths import (
    ENV_DATA,
    KIT_DATA,
    SHARE,
    WORKSHOPS,
    data_dir,
    data_file,
    earlier_checkout_store,
)
from ..urls import page_link
from .cli_admin import _session, add_commands, cmd_check_data, facilitator_key
from .workshop_folder import add_command as add_init

ROOT = Path(__file__).resolve().parents[2]  # where the ``widgets`` package is imported from
KEY_SETTING = "facilitator_key_hash"


def _store(args):
    from ..store import Store  # here, not at the top: 382 ms to import (benchmarks/import_cost.py)

    if getattr(args, "database_url", None):
        os.environ["CONDUCTOR_DATABASE_URL"] = args.database_url
    return Store()


def _install_key(store) -> str:
    key = keys.new_secret()
    store.set_setting(KEY_SETTING, keys.hash_secret(key))
    return key


def _address(host: str) -> str:
    """The address people type: this machine's name's IP when serving the room's network."""
    if host in ("127.0.0.1", "localhost", "::1"):
        return "127.0.0.1"
    if host not in ("0.0.0.0", "::", ""):  # noqa: S104 - we only compare
        return host
    try:
        ip = socket.gethostbyname(socket.gethostname())
    except OSError:
        ip = ""
    return ip if ip and not ip.startswith("127.") else socket.gethostname()


# The kit's style sheet (widgets/ui/kit_style.py): a page for maintainers, printed with
# --demo. Never preheated: nobody in a room opens it, so a kernel kept waiting would be wasted.
KIT_STYLE = "kit_style.ipynb"
NOT_PREHEATED = (KIT_STYLE,)

# The pages a whole room opens within seconds of one another: the join code goes up, then
# everyone follows the link to the readiness check. ``conductor serve --expect PEOPLE``
# keeps a kernel waiting on each for every person expected (benchmarks/join_storm.py).
FIRST_PAGES = ("00_start.ipynb", "00_readiness.ipynb")


def expect_needs(expect: int) -> int:
    """The kernel cap a room of ``expect`` people needs with its pools: a pool of that many
    on each first page, that many pages open, and 20 for the console, the room screen and
    people moving between pages."""
    return len(FIRST_PAGES) * expect + expect + 20


def preheat_options(preheat: int, expect: int) -> list[str]:
    """Voila's options for kernels started before their page is asked for, each waiting
    with its page's imports done: ``preheat`` per page, and ``expect`` on each of the first
    pages (a pool topped up again once the room stops arriving: widgets/server/kernels.py,
    ``refill_after_quiet``)."""
    if preheat <= 0 and expect <= 0:
        return []
    options = ["--preheat_kernel=True", f"--pool_size={max(preheat, 0)}",
               # Voila's own setting (a name, or a regular expression, per page).
               f"--VoilaKernelManager.preheat_denylist={list(NOT_PREHEATED)!r}"]
    if expect > 0:
        pools = {page: {"pool_size": max(expect, preheat)} for page in FIRST_PAGES}
        pools["default"] = {"pool_size": max(preheat, 0)}
        options.append(f"--VoilaKernelManager.kernel_pools_config={json.dumps(pools)}")
    return options


def voila_command(port: int, host: str, cull_idle: int, base_url: str = "/",
                  notebooks: Path = WORKSHOPS, max_kernels: int = 80,
                  preheat: int = 0, certfile: str = "", keyfile: str = "",
                  per_address: int = 4, trust_forwarded_for: bool = False,
                  expect: int = 0) -> list[str]:
    """The Voila server Conductor runs (``widgets.server.voila_app``: Voila plus HTTPS when given
    a certificate), with idle-kernel culling.

    A closed page's kernel is shut down when the page unloads; should that request never
    arrive (a phone losing power), kernels with no connection are culled after
    ``cull_idle`` seconds with no activity. An open page keeps its connection and is never
    culled.
    """
    return [
        sys.executable, "-m", "widgets.server.voila_app", str(notebooks), "--no-browser",
        "--template=conductor",
        f"--port={port}", f"--Voila.ip={host}", f"--Voila.base_url={base_url}",
        "--VoilaConfiguration.show_tracebacks=False",
        # Kernels talk to the server over Unix sockets, not TCP ports. jupyter_client picks
        # a kernel's TCP ports by binding and releasing them before the kernel binds, so a
        # kernel starting at the same moment in another process could take one first: the
        # kernel died with "Address already in use", was restarted on the same ports, and
        # its page never came (a 100-page storm lost one page; a CI run of two servers with
        # four pages each hung). Each kernel's sockets are files of its own here.
        "--KernelManager.transport=ipc",
        # The kit's template and theme only: Voila would otherwise switch both from the
        # address (?template=lab, ?theme=dark), serving a page without the kit's parts.
        "--VoilaConfiguration.allow_template_override=NO",
        "--VoilaConfiguration.allow_theme_override=NO",
        # The XSRF check stays on: a closed page's request to shut its kernel down carries
        # the page's token (the conductor template's double-submit cookie, read by Voila's
        # own unload handler). Culling remains the backstop.
        f"--MappingKernelManager.cull_idle_timeout={cull_idle}",
        f"--MappingKernelManager.cull_interval={max(5, min(60, cull_idle // 2))}",
        "--MappingKernelManager.cull_connected=False",
        "--MappingKernelManager.cull_busy=False",
        # A cap on kernels (open pages): past it, a "the room is full" page, not a crash.
        "--VoilaConfiguration.multi_kernel_manager_class=widgets.server.kernels.CappedKernelManager",
        f"--CappedKernelManager.max_kernels={max_kernels}",
        # ...of which one address holds at most a few (widgets/server/kernels.py says why).
        f"--CappedKernelManager.max_kernels_per_address={per_address}",
        *(["--CappedKernelManager.trust_forwarded_for=True"] if trust_forwarded_for else []),
        # Preheated kernels: ``preheat`` per notebook, ``expect`` on the first pages.
        *preheat_options(preheat, expect),
        # HTTPS: answers, votes and the facilitator key cross the room's Wi-Fi encrypted.
        *([f"--ConductorVoila.certfile={certfile}"] if certfile else []),
        *([f"--ConductorVoila.keyfile={keyfile}"] if keyfile else []),
    ]


def jupyter_path() -> str:
    """JUPYTER_PATH with Conductor's own share/ first, where Voila finds its template."""
    return os.pathsep.join(p for p in (str(SHARE), os.environ.get("JUPYTER_PATH", "")) if p)


def _use_data_folder(folder: str | None) -> int:
    """Point the kit at a data folder and check its own files now, not mid-workshop."""

    if not folder:
        return 0
    path = Path(folder).expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        print(f"Cannot use {path} as the data folder: {err.strerror}.", file=sys.stderr)
        return 1
    os.environ[ENV_DATA] = str(path)

    for name, kind in (("care_areas.csv", "care-areas"), ("decision_areas.csv", "decisions")):
        own = data_file(name)
        if own.parent != KIT_DATA:
            check = argparse.Namespace(file=str(own), kind=kind)
            if cmd_check_data(check) != 0:
                print(f"Fix {own} (or remove it to use the sample) and serve again.",
                      file=sys.stderr)
                return 1
    return 0


def _room_link(render: str, session) -> str:
    """The room screen's link for ``session``: it carries the session's read-only room
    token (the join code, which everyone in the room knows, opens no room screen)."""

    return f"{render}/{page_link('room.ipynb', room=session.room_token or '')}"


def _print_room_link(store, render: str) -> None:
    live = store.list_sessions()
    if len(live) == 1:
        print(f"  Room screen (projector): {_room_link(render, live[0])}")
        print(f"    for session {live[0].code}; the console gives each session's room link.")
    else:
        print("  Room screen (projector): the console gives its link for the session you "
              "choose")
        print("    (it opens that session's room screen; the join code does not).")


def _demo(store, args, render: str, key: str | None) -> int:
    """Create the demonstration session once; later serves show the same one."""
    # here, not at the top: 312 ms to import (benchmarks/import_cost.py)
    from ..store import NotFound

    # here, not at the top: 323 ms to import (benchmarks/import_cost.py)
    from .demo import seed_check_in, seed_demo

    known = store.get_setting("demo_session_id")
    if known:
        try:
            s = store.session(int(known))
        except NotFound:
            s = None  # deleted since: make a new one
        if s is not None:
            print(f"  Demonstration session: {s.code} (room screen: {_room_link(render, s)})")
            return 0
    key = key or facilitator_key(args)
    if not store.is_facilitator(key):
        print("The demonstration session needs the facilitator key: pass --key (or set "
              "CONDUCTOR_KEY), or run `conductor rotate-key` first.", file=sys.stderr)
        return 1
    s = seed_demo(store, key)
    seed_check_in(store, key, s)  # one past check-in, so its screens show sample answers
    store.set_setting("demo_session_id", str(s.id))
    print(f"  Demonstration session: {s.code}, filled with sample answers (room screen: "
          f"{_room_link(render, s)})")
    return 0


def _print_data_folder() -> None:

    print(f"  Data folder: {data_dir()}")
    print("    Drawn charts are kept here, and your own care_areas.csv and "
          "decision_areas.csv\n    are read from here (`conductor init DIR` makes such a "
          "folder; --data-folder DIR uses it).")
    old = earlier_checkout_store()
    if old is not None:
        print(f"    An earlier store is at {old}: serve with --data-folder {old.parent} to "
              "keep using it.")


# A page's kernel, measured (benchmarks/memory.py, 7 Dec): 52 to 94 MB of PSS.
PAGE_MB = (55, 90)


def capacity_lines(max_kernels: int, per_address: int) -> list[str]:
    """What ``conductor serve`` says about the room it can hold, and how to change it."""
    people = max(0, max_kernels - 20)
    top_gb = max_kernels * PAGE_MB[1] / 1024
    lines = [f"  Room size: at most {max_kernels} pages open at once (--max-kernels "
             f"{max_kernels}), enough for about {people} people: each has one page open, two "
             "for a moment as they move to the next step, and the console and the room "
             "screen have one each.",
             f"    Each page is a process of {PAGE_MB[0]} to {PAGE_MB[1]} MB, so up to "
             f"{top_gb:.1f} GB of memory. For a bigger room: --max-kernels PEOPLE+20 "
             "(100 people: --max-kernels 120, about 11 GB)."]
    if per_address:
        lines.append(f"    One network address holds at most {per_address} pages "
                     f"(--max-kernels-per-address {per_address}): if the room reaches this "
                     "server through one shared address (a proxy, NAT), set it to 0.")
    try:
        memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):  # not every system says
        memory_gb = 0.0
    if memory_gb and top_gb > 0.8 * memory_gb:
        lines.append(f"    WARNING: this machine has {memory_gb:.1f} GB of memory; "
                     f"{max_kernels} pages could use {top_gb:.1f} GB. Lower --max-kernels "
                     "or use more servers (the guide's \"Many servers\").")
    return lines


def _people(text: str) -> int:
    """``--expect``'s value: a whole number of people, 0 for none."""
    try:
        people = int(text)
    except ValueError:
        people = -1
    if not 0 <= people <= 1000:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of people: give a whole number from 0 (no pools) to "
            "1000, such as --expect 40.")
    return people


def cmd_serve(args) -> int:
    pool = args.preheat * len([p for p in WORKSHOPS.glob("*.ipynb")
                               if p.name not in NOT_PREHEATED])
    if pool and pool >= args.max_kernels:
        print(f"--preheat {args.preheat} keeps {pool} kernels waiting (one set per page), "
              f"which leaves no room for pages under --max-kernels {args.max_kernels}. "
              "Lower --preheat or raise --max-kernels.", file=sys.stderr)
        return 2
    if args.expect and args.max_kernels < expect_needs(args.expect) + pool:
        print(f"--expect {args.expect} keeps {args.expect} kernels waiting on each of the "
              f"{len(FIRST_PAGES)} first pages, beside the {args.expect} pages people then "
              f"have open: add --max-kernels {expect_needs(args.expect) + pool} "
              f"(now {args.max_kernels}), or expect fewer people.", file=sys.stderr)
        return 2
    if _use_data_folder(args.data_folder):
        return 1
    if _check_certificate(args):
        return 1
    store = _store(args)
    os.environ["CONDUCTOR_DATABASE_URL"] = store.url
    where = _address(args.host)
    scheme = "https" if args.certfile else "http"
    base = args.public_url or f"{scheme}://{where}:{args.port}{args.base_url}"
    os.environ["CONDUCTOR_PUBLIC_URL"] = base
    render = f"{base.rstrip('/')}/voila/render"
    print("Conductor is starting.\n")
    key = None
    if store.facilitator_key_hash() is None:
        key = _install_key(store)
        print(f"  Facilitator console: {render}/facilitator.ipynb?key={key}")
        print("    Keep this link private: it is the facilitator key. It is shown only now;")
        print("    `conductor rotate-key` makes a new one if it is lost.")
    else:
        print(f"  Facilitator console: {render}/facilitator.ipynb?key=<your key>")
        print("    Use the link printed when the key was made, or run `conductor rotate-key`.")
    _print_room_link(store, render)
    print(f"  Participants join at:    {base.rstrip('/')}/join  (the room screen shows it, "
          "with a QR code)")
    if args.demo and _demo(store, args, render, key):
        return 1
    if args.demo:
        print(f"  The kit's style sheet, for maintainers: {render}/{KIT_STYLE}")
    print(f"\n  Store: {store._safe_url()}")
    _print_data_folder()
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print("\n  WARNING: the workshop is open to this network. Anyone who can reach "
              f"{where}:{args.port} can join with a session code.")
        print("  Use it on the room's own network, not a public one, and stop the server "
              "(Ctrl+C) when the workshop ends.")
        if not args.certfile:
            print(f"\n  WARNING: {PLAIN_TEXT}")
    if pool:
        print(f"\n  Preheating: {args.preheat} kernel(s) waiting per page ({pool} in all, "
              f"about {pool * PAGE_MB[0]} MB), counted within --max-kernels {args.max_kernels}.")
    if args.expect:
        waiting = len(FIRST_PAGES) * args.expect
        print(f"\n  Ready for a room of {args.expect}: {waiting} kernels waiting on the start "
              f"page and the readiness check (about {waiting * PAGE_MB[0] / 1024:.1f} GB), started "
              "now; give them a minute or two before people join. Each pool fills again "
              "once people stop arriving.")
    print("", *capacity_lines(args.max_kernels, args.max_kernels_per_address), sep="\n")
    print("\nPress Ctrl+C to stop.\n", flush=True)
    store.dispose()
    # here, not at the top: 2.5 s to import (benchmarks/import_cost.py)
    from .kernels import compile_kit

    compile_kit()
    chart_port = _chart_service_port()
    cmd = voila_command(args.port, args.host, args.cull_idle, args.base_url,
                        max_kernels=args.max_kernels, preheat=args.preheat,
                        expect=args.expect,
                        per_address=args.max_kernels_per_address,
                        trust_forwarded_for=args.trust_forwarded_for,
                        certfile=args.certfile or "", keyfile=args.keyfile or "")
    if chart_port:
        cmd.append(f"--ConductorVoila.chart_service_port={chart_port}")
    os.environ["JUPYTER_PATH"] = jupyter_path()
    os.execv(sys.executable, cmd)  # noqa: S606 - replaces this process, Ctrl+C reaches Voila
    return 0  # pragma: no cover


PLAIN_TEXT = (
    "nothing is encrypted (no --certfile). Other people on this network can read\n"
    "  everything sent between the phones and this laptop: answers, private votes and the\n"
    "  facilitator key. Serve with --certfile and --keyfile (the facilitator guide shows how\n"
    "  to make a certificate), or only on a network whose every user you trust.")


def _check_certificate(args) -> int:
    """Load the certificate now, so a wrong file is a message here, not a Voila traceback."""

    if args.keyfile and not args.certfile:
        build_parser().error("--keyfile needs --certfile (the certificate it belongs to)")
    if not args.certfile:
        return 0
    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(
            args.certfile, args.keyfile or None)
    except (OSError, ssl.SSLError) as err:
        print(f"Cannot serve HTTPS with the certificate {args.certfile} and the key "
              f"{args.keyfile or '(in the same file)'}: {getattr(err, 'strerror', None) or err}."
              " Check that both files are PEM files that belong together (the facilitator "
              "guide shows how to make them).", file=sys.stderr)
        return 1
    return 0


def _chart_service_port() -> int:
    """Choose the chart service's port and tell kernels where it is (see
    widgets/charts/service.py). Voila (ConductorVoila) starts the service on that port and
    starts it again should it ever exit; it stops when Voila stops."""
    # here, not at the top: 100 ms to import (benchmarks/import_cost.py)
    from ..charts.service import ENV_SERVICE

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    os.environ[ENV_SERVICE] = f"http://127.0.0.1:{port}/svg"
    return port


def cmd_rotate_key(args) -> int:
    store = _store(args)
    key = _install_key(store)
    print("A new facilitator key is in place; the old one no longer works.")
    base = args.public_url or f"http://127.0.0.1:{args.port}/"
    print(f"Console: {base.rstrip('/')}/voila/render/facilitator.ipynb?key={key}")
    if not args.public_url:
        print("  (On the server itself. A server started with --certfile, on another address "
              "or behind a proxy: use its own address, https:// where it has a certificate, "
              "or run this again with --public-url.)")
    return 0


def cmd_new_session(args) -> int:
    # here, not at the top: 59 ms to import (benchmarks/import_cost.py)
    from ..validation import FieldError, check_text

    store = _store(args)
    key = facilitator_key(args)
    if not store.is_facilitator(key):
        print("That is not the facilitator key (pass --key or set CONDUCTOR_KEY; see "
              "`conductor rotate-key`).", file=sys.stderr)
        return 1
    try:
        title = check_text(args.title, "short", "The title", required=True)
    except FieldError as err:
        print(err, file=sys.stderr)
        return 1
    s = store.create_session(title, key)
    print(f"Created session {s.code}: {title}")
    return 0


def cmd_export(args, store) -> int:
    """Trusted: whoever runs this holds the database. Still read through the reveal filter,
    so an export never holds more than the room was shown."""
    # here, not at the top: 682 ms to import (benchmarks/import_cost.py)
    from ..exports import write

    # here, not at the top: 326 ms to import (benchmarks/import_cost.py)
    from ..session import View, Viewer

    session = _session(store, args.code)
    if session is None:
        return 1
    try:
        paths = write(View(store, session, Viewer("room")), args.format,
                      Path(args.out), individual=args.individual)
    except OSError as err:
        print(f"Could not write to {args.out}: {err.strerror}.", file=sys.stderr)
        return 1
    except ValueError as err:  # a board paper of a session with no check-in yet
        print(f"Nothing was written: {err}", file=sys.stderr)
        return 1
    for p in paths:
        print(f"Wrote {p}")
    return 0


def _base_url(text: str) -> str:
    if not text.startswith("/"):
        raise argparse.ArgumentTypeError("the base URL is a path starting with /, such as "
                                         "/conductor/")
    return text if text.endswith("/") else text + "/"


def _public_url(text: str) -> str:
    if not text.startswith(("http://", "https://")):
        raise argparse.ArgumentTypeError("the public URL starts with https:// (or http://), "
                                         "such as https://example.org/conductor/")
    return text if text.endswith("/") else text + "/"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="conductor", description="Run a Conductor workshop.")
    p.add_argument("--database-url", help="SQLAlchemy URL of the store (default: "
                                          "CONDUCTOR_DATABASE_URL, else conductor.sqlite in "
                                          "the data folder)")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve", help="serve the workshop with Voila and print its links")
    s.add_argument("--port", type=int, default=8866, help="port to listen on (default 8866)")
    s.add_argument("--host", default="127.0.0.1",
                   help="address to listen on; 0.0.0.0 lets phones on the room's network join")
    s.add_argument("--base-url", default="/", type=_base_url,
                   help="path prefix, when behind a proxy (such as /conductor/)")
    s.add_argument("--public-url", type=_public_url,
                   help="the address people use, when behind a proxy (such as "
                        "https://example.org/conductor/); used in the printed and shown links")
    s.add_argument("--certfile", help="serve HTTPS with this certificate (a PEM file), so "
                                      "answers and the facilitator key are encrypted on the "
                                      "room's network")
    s.add_argument("--keyfile", help="the certificate's private key (a PEM file)")
    s.add_argument("--cull-idle", type=int, default=600,
                   help="seconds before a closed page's kernel is shut down (default 600)")
    s.add_argument("--max-kernels", type=int, default=80,
                   help="the most pages open at once (each is a Python process of 55 to 90 "
                        "MB); past it, new pages are asked to try again (default 80: about "
                        "60 people; for a room of P people, P+20)")
    s.add_argument("--max-kernels-per-address", type=int, default=4, metavar="N",
                   help="the most participants' pages one network address holds at once "
                        "(default 4; 0: no limit). Phones on the room's Wi-Fi each have "
                        "their own address; if the room reaches the server through one "
                        "shared address (the server on the internet, the hospital's network "
                        "behind NAT), raise it to the room's size or set 0")
    s.add_argument("--trust-forwarded-for", action="store_true",
                   help="behind your own proxy: take each client's address from the "
                        "X-Forwarded-For header it adds")
    s.add_argument("--preheat", type=int, default=0, choices=range(0, 5), metavar="N",
                   help="keep N kernels per page started and waiting, so pages open about "
                        "0.8 s sooner; each is a Python process of about 55 MB and counts "
                        "towards --max-kernels (0 to 4; default 0: off)")
    s.add_argument("--expect", type=_people, default=0, metavar="PEOPLE",
                   help="start a kernel for every person expected on the pages the whole "
                        "room opens at once (joining, the readiness check), so forty phones "
                        "joining within seconds each get a page at once; about 110 MB per "
                        "person, and --max-kernels must be at least 3 x PEOPLE + 20 "
                        "(default 0: off)")
    s.add_argument("--data-folder", help="folder for the store and your own care_areas.csv "
                                         "and decision_areas.csv, such as one made by "
                                         "`conductor init` (default: your own data folder, "
                                         "printed at start; or set CONDUCTOR_DATA_DIR)")
    s.add_argument("--demo", action="store_true",
                   help="also create a session filled with sample answers, to explore")
    s.add_argument("--key", help="the facilitator key, needed by --demo once a key exists "
                                 "(or set CONDUCTOR_KEY)")
    s.set_defaults(func=cmd_serve)
    r = sub.add_parser("rotate-key", help="replace the facilitator key and print the new link")
    r.add_argument("--port", type=int, default=8866, help="port shown in the printed link")
    r.add_argument("--public-url", type=_public_url,
                   help="the address people use (such as https://example.org/conductor/), "
                        "for the printed link")
    r.set_defaults(func=cmd_rotate_key)
    n = sub.add_parser("new-session", help="create a live session")
    n.add_argument("title", help="the session's title")
    n.add_argument("--key", help="the facilitator key (or set CONDUCTOR_KEY)")
    n.set_defaults(func=cmd_new_session)
    x = sub.add_parser("export", help="write a session's report (html), data (json), tables "
                                      "(csv) or latest board paper, through the reveal filter")
    x.add_argument("code", help="the session's join code")
    x.add_argument("--format", choices=("html", "json", "csv", "board-paper"), default="html",
                   help="html: the workshop report; json: the session; csv: one file per "
                        "table; board-paper: the latest check-in's board paper (default html)")
    x.add_argument("--out", default=".", help="folder to write into (default: here)")
    x.add_argument("--individual", action="store_true",
                   help="include each person's revealed answers (names only where they "
                        "agreed; json and csv)")
    x.set_defaults(func=cmd_export, needs_store=True)
    # here, not at the top: 16 ms to import (benchmarks/import_cost.py)
    from .lab import add_command as add_lab

    add_commands(sub)
    add_lab(sub)
    add_init(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    # here, not at the top: 268 ms to import (benchmarks/import_cost.py)
    from ..store import StoreError

    args = build_parser().parse_args(argv)
    try:
        if getattr(args, "needs_store", False):
            return args.func(args, _store(args))
        return args.func(args)
    except StoreError as err:
        print(err, file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
