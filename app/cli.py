"""The ``backroom`` command: the GUI by default, headless subcommands beside it.

    backroom --demo                     the app on the built-in demo store
    backroom sandbox --port 8080        serve the demo store alone (for scripts and tests)

This module imports no Qt: the GUI is loaded only when it is asked for.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from app import __version__
from app.logs import configure_logging
from app.runtime import tune_garbage_collector
from app.services.demo_store import DEFAULT_DEMO_ORDERS

EXIT_OK = 0
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backroom", description="Backroom: a desktop order manager for Ecwid stores."
    )
    parser.add_argument("--version", action="version", version=f"backroom {__version__}")
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
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sandbox = sub.add_parser(
        "sandbox", help="serve the demo store (an Ecwid-compatible API) on loopback"
    )
    sandbox.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    sandbox.add_argument("--orders", type=int, default=DEFAULT_DEMO_ORDERS, help="orders to seed")
    sandbox.add_argument("--seed", type=int, default=42, help="random seed for the orders")
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging()
    tune_garbage_collector()
    if args.command == "sandbox":
        return _run_sandbox(args)
    if args.demo_orders < 1:
        parser.error("--demo-orders must be at least 1")
    if args.demo:
        return _run_gui(demo_orders=args.demo_orders)
    print(
        "No store is connected yet. Try the built-in demo store:  backroom --demo\n"
        "(Connecting your own Ecwid store arrives with accounts.)",
        file=sys.stderr,
    )
    return EXIT_USAGE


def _run_sandbox(args: argparse.Namespace) -> int:
    from app.sandbox.cli import run_standalone

    if args.orders < 0:
        print("--orders must be 0 or more", file=sys.stderr)
        return EXIT_USAGE
    run_standalone(
        port=args.port,
        orders=args.orders,
        db_path=args.db,
        seed=args.seed,
        requests_per_minute=args.requests_per_minute,
        latency=args.latency_ms / 1000,
    )
    return EXIT_OK


def _run_gui(**options: object) -> int:
    # Imported by name so that `app` never imports Qt itself.
    gui = importlib.import_module("ui.main")
    return gui.run(**options)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
