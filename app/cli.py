"""The ``backroom`` command: the GUI by default, headless subcommands beside it.

    backroom --demo                     the app on the built-in demo store
    backroom --demo --demo-stores 3     three demo stores, every order in one window
    backroom --demo --smoke out.pdf     check an install: window, demo store, invoice PDF
    backroom sandbox --port 8080        serve the demo store alone (for scripts and tests)
    backroom account add NAME --store-id N     connect a store (token read hidden)
    backroom sync [--account NAME] [--full]    bring the local cache up to date
    backroom orders [--status …] [--search …]  list orders from the cache, offline
    backroom order update REF [--payment-status S] [--tracking N] …   change one order
    backroom order log REF                     what this desk wrote to an order
    backroom outbox list|retry|discard|resolve the edits waiting for the store or for you
    backroom invoice 1042 1043 --pdf out.pdf   invoices as one PDF (offline from the cache)
    backroom account add NAME --kind ecdp      connect an ECDP business unit (key read hidden)
    backroom ecdp push [--status …]            push cached orders to ECDP (resumable)
    backroom ecdp get|status|delete ID         look up, re-status or delete an ECDP order

This module imports no Qt: the GUI is loaded only when it is asked for.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app import __version__
from app.commands import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from app.domain.os_errors import describe_os_error
from app.platform.environment_secrets import take_environment_secrets
from app.platform.logs import configure_logging, log_details
from app.platform.paths import DATA_DIR_ENV, DataFolderError, config_dir, data_dir
from app.platform.problem_report import report_unexpected
from app.platform.runtime import skip_pydantic_plugins, tune_garbage_collector
from app.platform.terminal_text import for_terminal, safe_standard_streams
from app.services.accounts import DEFAULT_DEMO_ORDERS, MAX_DEMO_STORES


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backroom", description="Backroom: a desktop order manager for Ecwid stores."
    )
    parser.add_argument("--version", action="version", version=f"backroom {__version__}")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help=f"keep all data, config and cache under this folder (or set {DATA_DIR_ENV})",
    )
    parser.add_argument(
        "--demo", action="store_true", help="open the built-in demo store (no account needed)"
    )
    parser.add_argument(
        "--demo-orders",
        type=int,
        default=DEFAULT_DEMO_ORDERS,
        metavar="N",
        help=f"orders in the demo store (default {DEFAULT_DEMO_ORDERS})",
    )
    parser.add_argument(
        "--demo-stores",
        type=int,
        default=1,
        metavar="N",
        help="with --demo: this many demo stores (their own names, currencies and "
        "orders), shown together under All stores (default 1)",
    )
    parser.add_argument(
        "--smoke",
        type=Path,
        default=None,
        metavar="PDF",
        help="check this install: open the window on the demo store (with --demo), "
        "print one invoice to PDF and exit (0 when it worked)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sandbox = sub.add_parser(
        "sandbox", help="serve the demo store (an Ecwid-compatible API) on loopback"
    )
    sandbox.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    sandbox.add_argument("--orders", type=int, default=DEFAULT_DEMO_ORDERS, help="orders to seed")
    sandbox.add_argument("--seed", type=int, default=42, help="random seed for the orders")
    sandbox.add_argument(
        "--store-number",
        type=int,
        default=0,
        metavar="N",
        help="serve demo store N of --demo-stores (its store id, name, currency and orders)",
    )
    sandbox.add_argument("--db", type=Path, default=None, help="SQLite file (default: temporary)")
    sandbox.add_argument(
        "--latency-ms", type=float, default=0.0, help="delay added to every answer"
    )
    sandbox.add_argument(
        "--requests-per-minute",
        type=int,
        default=None,
        help="enforce a rate limit like Ecwid's (600) and answer 429 above it",
    )
    _add_account_commands(sub)
    _add_sync_and_orders_commands(sub)
    _add_invoice_command(sub)
    _add_order_command(sub)
    _add_outbox_commands(sub)
    _add_ecdp_commands(sub)
    return parser


def _add_account_commands(sub: Any) -> None:
    account = sub.add_parser("account", help="connect, list or remove stores")
    actions = account.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add",
        help="connect an Ecwid store (token read hidden, or from BACKROOM_TOKEN) or, with "
        "--kind ecdp, an ECDP business unit (API key read hidden, or from BACKROOM_ECDP_KEY)",
    )
    add.add_argument("name", help="a name for this store in Backroom")
    add.add_argument("--kind", choices=("ecwid", "ecdp"), default="ecwid", help="default: ecwid")
    add.add_argument("--store-id", default=None, help="the Ecwid store id (a number; Ecwid only)")
    add.add_argument("--api-url", default=None, help="API base URL (default: the service's)")
    actions.add_parser("list", help="the connected stores")
    remove = actions.add_parser("remove", help="forget a store and its token")
    remove.add_argument("name")
    remove.add_argument("--purge", action="store_true", help="also delete its local cache")


def _add_sync_and_orders_commands(sub: Any) -> None:
    sync = sub.add_parser("sync", help="send staged edits and update the local cache")
    sync.add_argument("--account", default=None, help="which store (default: the only one)")
    sync.add_argument("--full", action="store_true", help="fetch every order again")

    orders = sub.add_parser("orders", help="list orders from the local cache (works offline)")
    orders.add_argument("--account", default=None, help="which store (default: the only one)")
    orders.add_argument("--status", action="append", help="payment status(es), e.g. PAID")
    orders.add_argument("--fulfillment", action="append", help="fulfillment status(es)")
    orders.add_argument("--search", default=None, help="text anywhere: number, name, email, SKU…")
    orders.add_argument("--from", dest="date_from", default=None, help="created on or after")
    orders.add_argument("--to", dest="date_to", default=None, help="created on or before")
    orders.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    orders.add_argument("--format", choices=("table", "csv", "json"), default="table")


def _add_invoice_command(sub: Any) -> None:
    invoice = sub.add_parser(
        "invoice", help="save orders' invoices as one PDF (works offline from the cache)"
    )
    invoice.add_argument("orders", nargs="+", metavar="ORDER", help="order number or id")
    invoice.add_argument("--pdf", required=True, type=Path, metavar="FILE", help="the PDF to write")
    invoice.add_argument(
        "--packing-slip", action="store_true", help="each invoice followed by its packing slip"
    )
    invoice.add_argument("--paper", choices=("A4", "Letter"), default="A4", help="paper size")
    invoice.add_argument(
        "--offline", action="store_true", help="use the local cache only (no network)"
    )
    invoice.add_argument("--account", default=None, help="which store (default: the only one)")


def _add_order_command(sub: Any) -> None:
    order = sub.add_parser("order", help="change one order (through the outbox)")
    actions = order.add_subparsers(dest="action", metavar="ACTION", required=True)
    update = actions.add_parser(
        "update",
        help="update an order's statuses, tracking number or private note",
        description=(
            "Stage the change in the outbox and send it, with the conflict check. Exit status: "
            "0 confirmed by the store; 2 invalid input (nothing queued); 3 conflict: the order "
            "changed in the store meanwhile (nothing overwritten); 4 queued: the store could "
            "not be reached (sent on the next sync); 1 any other failure."
        ),
    )
    update.add_argument(
        "id", metavar="REF", help="the order's id, internal id, number or vendor number"
    )
    update.add_argument("--account", default=None, help="which store (default: the only one)")
    update.add_argument("--payment-status", default=None, metavar="S", help="e.g. PAID")
    update.add_argument("--fulfillment-status", default=None, metavar="S", help="e.g. SHIPPED")
    update.add_argument("--tracking", default=None, metavar="NUMBER", help="tracking number")
    update.add_argument("--note", default=None, metavar="TEXT", help="private admin note")
    log = actions.add_parser("log", help="what was written to an order from this desk")
    log.add_argument(
        "id", metavar="REF", help="the order's id, internal id, number or vendor number"
    )
    log.add_argument("--account", default=None, help="which store (default: the only one)")
    log.add_argument("--format", choices=("table", "json"), default="table")


def _add_outbox_commands(sub: Any) -> None:
    outbox = sub.add_parser("outbox", help="the edits waiting for the store or for you")
    actions = outbox.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="every edit not yet settled, with its state")
    listing.add_argument("--format", choices=("table", "json"), default="table")
    retry = actions.add_parser("retry", help="send edits again (waiting, failed, refused…)")
    retry.add_argument("ids", nargs="+", metavar="ID", help="edit ids from `outbox list`")
    discard = actions.add_parser("discard", help="forget edits unsent (the store's values stay)")
    discard.add_argument("ids", nargs="+", metavar="ID", help="edit ids from `outbox list`")
    resolve = actions.add_parser(
        "resolve", help="settle a conflict or an overwrite: keep yours or take the store's"
    )
    resolve.add_argument("id", metavar="ID", help="an edit id from `outbox list`")
    choice = resolve.add_mutually_exclusive_group(required=True)
    choice.add_argument("--keep-mine", action="store_true", help="send this desk's values again")
    choice.add_argument("--take-store", action="store_true", help="keep the store's values")
    for parser in (listing, retry, discard, resolve):
        parser.add_argument("--account", default=None, help="which store (default: the only one)")


def _add_ecdp_commands(sub: Any) -> None:
    ecdp = sub.add_parser("ecdp", help="push orders to ECDP; look up, re-status or delete them")
    actions = ecdp.add_subparsers(dest="action", metavar="ACTION", required=True)
    push = actions.add_parser(
        "push",
        help="push the cached orders that match to ECDP (AddOrReplace, in batches; run it "
        "again after a failure and it sends only what ECDP has not confirmed)",
    )
    push.add_argument("--account", default=None, help="which store (default: the only one)")
    push.add_argument("--ecdp", default=None, help="which ECDP account (default: the only one)")
    push.add_argument("--status", action="append", help="payment status(es), e.g. PAID")
    push.add_argument("--fulfillment", action="append", help="fulfillment status(es)")
    push.add_argument("--search", default=None, help="text anywhere: number, name, email, SKU…")
    push.add_argument("--from", dest="date_from", default=None, help="created on or after")
    push.add_argument("--to", dest="date_to", default=None, help="created on or before")
    push.add_argument(
        "--changed-only", action="store_true", help="only orders new or changed since last sent"
    )
    push.add_argument("--force", action="store_true", help="send again what ECDP already has")
    for name, helptext in (
        ("get", "show an ECDP order (JSON)"),
        ("status", "set an ECDP order's status: placed, paid, completed or canceled"),
        ("delete", "mark an ECDP order deleted"),
    ):
        action = actions.add_parser(name, help=helptext)
        action.add_argument("id", metavar="ID", help="the ECDP order id (the Ecwid order id)")
        if name == "status":
            action.add_argument("status", metavar="STATUS", help="placed|paid|completed|canceled")
            action.add_argument("--website-id", type=int, default=None, help="its website")
        action.add_argument(
            "--ecdp", default=None, help="which ECDP account (default: the only one)"
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``backroom`` with ``argv`` (default: the command line); the exit status.

    The one top-level guard: whatever goes wrong, the user gets one line in
    words and a documented exit status, never a traceback. A folder or disk
    problem says which and why (exit 1); anything unexpected says so and
    where its details went (the log, secrets masked; exit 1). Everything
    printed goes through :func:`~app.platform.terminal_text.safe_standard_streams`,
    so store text can never drive the terminal."""
    multiprocessing.freeze_support()  # a frozen bundle's sync workers start here
    take_environment_secrets()  # in memory only: no process started from here inherits them
    skip_pydantic_plugins()
    arguments = list(sys.argv[1:] if argv is None else argv)
    with safe_standard_streams():
        try:
            return _main(arguments)
        except SystemExit as exit_request:  # argparse's --help, --version and usage errors
            return _exit_status(exit_request)
        except KeyboardInterrupt:
            return _say("Interrupted.", EXIT_FAILED)
        except BrokenPipeError:  # the reader went away (`backroom orders | head`)
            _silence_stdout()
            return EXIT_FAILED
        except DataFolderError as exc:
            return _say(str(exc), EXIT_FAILED)
        except OSError as exc:  # a disk or folder problem no command turned into words
            log_details("A file could not be used", exc)
            return _say(_os_problem(exc), EXIT_FAILED)
        except BaseException as exc:  # noqa: BLE001 - the last line of defence
            return _say(report_unexpected(exc), EXIT_FAILED)


def _main(argv: list[str]) -> int:
    problem = _unusable_argument(argv)
    if problem is not None:
        return _say(problem, EXIT_USAGE)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.data_dir is not None:
        os.environ[DATA_DIR_ENV] = str(args.data_dir.expanduser().resolve())
    configure_logging()
    tune_garbage_collector()
    if args.command == "sandbox":
        return _run_sandbox(args)
    if args.command in ("account", "sync", "orders"):
        return _run_headless(args)
    if args.command == "invoice":
        return _run_invoice(args)
    if args.command == "order":
        return _run_order(args)
    if args.command == "outbox":
        return _run_outbox(args)
    if args.command == "ecdp":
        return _run_ecdp(args)
    if args.demo_orders < 1:
        parser.error("--demo-orders must be at least 1")
    if not 1 <= args.demo_stores <= MAX_DEMO_STORES:
        parser.error(f"--demo-stores must be from 1 to {MAX_DEMO_STORES}")
    if args.smoke is not None and not args.demo:
        parser.error("--smoke runs on the demo store: add --demo")
    # Before Qt starts: a folder that cannot be used is one line, not a broken window.
    config_dir(), data_dir()
    return _run_gui(
        demo=args.demo, demo_orders=args.demo_orders, demo_stores=args.demo_stores, smoke=args.smoke
    )


def _unusable_argument(argv: list[str]) -> str | None:
    """Why an argument cannot be used as text (bytes that are not UTF-8 come
    in as lone surrogates, which no file, database or request can carry)."""
    for argument in argv:
        if "\0" in argument:
            return f"The argument '{for_terminal(argument)}' contains a NUL character."
        try:
            argument.encode("utf-8")
        except UnicodeEncodeError:
            try:
                shown = argument.encode("utf-8", "surrogateescape").decode(
                    "utf-8", "backslashreplace"
                )
            except UnicodeEncodeError:
                shown = argument
            return (
                f"The argument '{for_terminal(shown)}' holds bytes that are not valid "
                "UTF-8 text; type it again (check the terminal's character set)."
            )
    return None


def _say(message: str, status: int) -> int:
    print(f"backroom: {message}", file=sys.stderr)
    return status


def _exit_status(exit_request: SystemExit) -> int:
    code = exit_request.code
    if code is None or isinstance(code, int):
        return code or EXIT_OK
    return _say(str(code), EXIT_FAILED)


def _os_problem(error: OSError) -> str:
    what = describe_os_error(error)
    if error.filename is None:
        return f"A file or folder could not be used: {what}."
    return f"{error.filename} could not be used: {what}."


def _silence_stdout() -> None:
    """Point stdout at the null device, so exiting does not complain about the pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        if sys.__stdout__ is not None:
            os.dup2(devnull, sys.__stdout__.fileno())
    except (OSError, AttributeError, ValueError):
        pass


def _run_headless(args: argparse.Namespace) -> int:
    from app.commands import account, orders, sync
    from app.commands.common import run_reporting_errors

    if args.command == "account":
        command = {"add": account.add, "list": account.list_accounts, "remove": account.remove}
        return run_reporting_errors(lambda: command[args.action](args))
    if args.command == "sync":
        return run_reporting_errors(lambda: sync.run(args))
    return run_reporting_errors(lambda: orders.run(args))


def _run_invoice(args: argparse.Namespace) -> int:
    from app.commands import invoice
    from app.commands.common import run_reporting_errors

    return run_reporting_errors(lambda: invoice.run(args))


def _run_order(args: argparse.Namespace) -> int:
    from app.commands import order
    from app.commands.common import run_reporting_errors

    return run_reporting_errors(lambda: order.run_reporting(args))


def _run_outbox(args: argparse.Namespace) -> int:
    from app.commands import outbox
    from app.commands.common import run_reporting_errors

    return run_reporting_errors(lambda: outbox.run(args))


def _run_ecdp(args: argparse.Namespace) -> int:
    from app.commands import ecdp

    return ecdp.run(args)


def _run_sandbox(args: argparse.Namespace) -> int:
    from app.services.accounts.demo_store import serve_demo_store

    if args.orders < 0:
        print("--orders must be 0 or more", file=sys.stderr)
        return EXIT_USAGE
    serve_demo_store(
        port=args.port,
        orders=args.orders,
        db_path=args.db,
        seed=args.seed + args.store_number,
        number=args.store_number,
        requests_per_minute=args.requests_per_minute,
        latency=args.latency_ms / 1000,
    )
    return EXIT_OK


def _run_gui(*, demo: bool, demo_orders: int | None, demo_stores: int, smoke: Path | None) -> int:
    # The window is loaded only here, so no headless command starts Qt (the
    # layering test allows this import, and the PDF printer's, and no other).
    from ui.main import run

    return run(demo=demo, demo_orders=demo_orders, demo_stores=demo_stores, smoke=smoke)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
