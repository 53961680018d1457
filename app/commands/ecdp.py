"""``backroom ecdp push|get|status|delete`` and ``backroom account add NAME --kind ecdp``.

``push`` sends the cached orders of an Ecwid store that match the filters
(the ``orders`` command's) to an ECDP account, in batches, and says what was
sent, what ECDP already had, what failed, and on a line of its own which
orders cannot be matched to a customer (no email, phone or customer id:
they are not sent, and not tried again until the order changes); run again
after a failure, it sends only what ECDP has not confirmed. The API key is
read hidden from the terminal or taken from ``BACKROOM_ECDP_KEY``, never
from the command line.

Exit codes as for the other commands: 0 done (also when some orders cannot
be matched: nothing failed, they wait for the customer's details); 1 failed
(ECDP refused an order, or another failure); 2 bad usage; 3 ECDP could not
be reached; 4 the API key was refused.
"""

from __future__ import annotations

import asyncio
import getpass
import sys
from argparse import Namespace
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any, TextIO

from app.commands import EXIT_FAILED, EXIT_OFFLINE, EXIT_OK, EXIT_UNAUTHORIZED, EXIT_USAGE
from app.commands.common import UsageError, pick_account, run_in_session, run_reporting_errors
from app.commands.sync import ProgressPrinter
from app.domain.dates import parse_ecwid_datetime
from app.domain.errors import (
    InvalidRequest,
    StoreServiceError,
    TokenRefused,
    Unreachable,
)
from app.domain.queries import OrderQuery
from app.domain.references import clean_reference
from app.platform.environment_secrets import ECDP_KEY_ENV, environment_secret
from app.platform.terminal_text import for_terminal, json_for_terminal
from app.services.accounts import Account, AccountStore, SecretStore, SecretStoreError
from app.services.accounts.account_actions import (
    MissingTokenError,
    StoreConnection,
    store_connection,
)
from app.services.ecdp import ECDP_API_URL, check_ecdp_key
from app.services.ecdp.destinations import EcdpDestination, account_destination
from app.services.ecdp.orders import (
    look_up_ecdp_order,
    mark_ecdp_order_deleted,
    set_ecdp_status,
)
from app.services.ecdp.push import EcdpPushReport, PushProgress, connect_ecdp_account, ecdp_key_for
from app.services.session import StoreSession
from app.services.sync.engine import SyncProgress

SHOWN_FAILURES = 20


def run(args: Namespace) -> int:
    command = {"push": push, "get": get, "status": set_status, "delete": delete}[args.action]
    return run_reporting_ecdp_errors(lambda: command(args))


def run_reporting_ecdp_errors(command: Callable[[], int]) -> int:
    """:func:`~app.commands.common.run_reporting_errors`, plus ECDP's errors."""

    def guarded() -> int:
        # (every service these commands reach but for the store's currency, which
        # is looked up on its own below, is ECDP)
        try:
            return command()
        except InvalidRequest as exc:
            return _fail(str(exc), EXIT_USAGE)
        except TokenRefused as exc:
            return _fail(f"ECDP refused the API key: {exc}", EXIT_UNAUTHORIZED)
        except Unreachable as exc:
            return _fail(f"ECDP could not be reached: {exc}", EXIT_OFFLINE)
        except StoreServiceError as exc:
            return _fail(str(exc), EXIT_FAILED)

    return run_reporting_errors(guarded)


def _fail(message: str, code: int) -> int:
    print(f"backroom: {message}", file=sys.stderr)
    return code


# -- accounts ------------------------------------------------------------------


def add_account(args: Namespace) -> int:
    """``backroom account add NAME --kind ecdp [--api-url URL]``."""
    return run_reporting_ecdp_errors(lambda: _add_account(args))


def _add_account(args: Namespace) -> int:
    if getattr(args, "store_id", None):
        raise UsageError("--store-id is for Ecwid stores; an ECDP account has none.")
    accounts = AccountStore.load()
    account = Account(name=args.name, kind="ecdp", api_url=args.api_url)
    key = environment_secret(ECDP_KEY_ENV)
    if not key:
        if not sys.stdin.isatty():
            raise UsageError(
                f"Give the ECDP API key on a terminal (it is read hidden) or in {ECDP_KEY_ENV}."
            )
        key = getpass.getpass("ECDP API key (hidden): ").strip()
    if not key:
        raise UsageError("No API key was given.")
    try:
        check_ecdp_key(key)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    saved = asyncio.run(connect_ecdp_account(accounts, SecretStore(), account, key))
    where = account.api_url or ECDP_API_URL
    print(f"Connected the ECDP account {account.name!r} ({where}): the key was accepted.")
    print(saved.message)
    return EXIT_OK


def pick_ecdp_account(accounts: AccountStore, name: str | None) -> Account:
    if name:
        account = accounts.get(name)
        if account.kind != "ecdp":
            raise UsageError(f"{account.name!r} is an Ecwid store, not an ECDP account.")
        return account
    found = [a for a in accounts.accounts() if a.kind == "ecdp"]
    if len(found) == 1:
        return found[0]
    if not found:
        raise UsageError("No ECDP account is connected yet: backroom account add NAME --kind ecdp")
    names = ", ".join(a.name for a in found)
    raise UsageError(f"Several ECDP accounts are connected ({names}): name one with --ecdp")


def _ecwid_account(accounts: AccountStore, name: str | None) -> Account:
    account = pick_account(accounts, name)
    if account.kind != "ecwid":
        raise UsageError(f"{account.name!r} is an ECDP account; --account names an Ecwid store.")
    return account


# -- push ----------------------------------------------------------------------


def _query(args: Namespace) -> OrderQuery:
    """The ``orders`` command's filters as a query."""
    dates = {}
    for option, name, text in (
        ("--from", "created_from", args.date_from),
        ("--to", "created_to", args.date_to),
    ):
        if not text:
            continue
        try:
            moment = parse_ecwid_datetime(text)
        except ValueError:
            raise UsageError(f"{option}: not a date (use YYYY-MM-DD): {text!r}") from None
        if name == "created_to" and len(text.strip()) == len("YYYY-MM-DD"):
            moment += timedelta(days=1, seconds=-1)  # the whole of that day
        dates[name] = moment
    return OrderQuery(
        payment_status=",".join(args.status or []) or None,
        fulfillment_status=",".join(args.fulfillment or []) or None,
        text=args.search or None,
        **dates,
    )


async def _learn_currency(session: StoreSession, no_token: Exception | None) -> None:
    """Make sure the store's currency is known: as remembered, else read from
    the store (and remembered); when it cannot be, say so (orders are then
    sent without one). ``no_token``: why the store cannot be asked."""
    if session.display.currency_code:
        return
    problem: Exception | None = no_token
    if problem is None:
        try:
            await session.refresh_display()
            return
        except StoreServiceError as exc:
            problem = exc
    print(
        f"backroom: the store's currency is not known ({problem}); orders are sent without one.",
        file=sys.stderr,
    )


def push(args: Namespace) -> int:
    accounts = AccountStore.load()
    store = _ecwid_account(accounts, args.account)
    target = pick_ecdp_account(accounts, args.ecdp)
    secrets = SecretStore()
    ecdp_key_for(secrets, target)  # no key: said before anything is opened
    destination = account_destination(target, secrets)
    query = _query(args)
    # the store is asked only for its currency, when not remembered: no token is fine
    connection: StoreConnection | None = None
    no_token: Exception | None = None
    try:
        connection = store_connection(store, secrets)
    except (MissingTokenError, SecretStoreError) as exc:
        no_token = exc
    printer = ProgressPrinter()

    def progress(state: PushProgress) -> None:
        printer(SyncProgress("ECDP push", state.done, state.total))

    async def work(session: StoreSession) -> EcdpPushReport:
        await _learn_currency(session, no_token)
        try:
            # the store's own website id, else the ECDP account's (as in the window)
            return await session.push_to_ecdp(
                destination,
                query=query,
                only_changed=args.changed_only,
                force=args.force,
                progress=progress,
            )
        finally:
            printer.finish()

    report = run_in_session(accounts, store, work, online=False, connection=connection)
    return _print_report(report, target)


def _print_report(report: EcdpPushReport, target: Account) -> int:
    print(
        f"Pushed to ECDP {target.name!r}: {len(report.sent)} sent, "
        f"{len(report.skipped)} already there, {len(report.failed)} failed "
        f"(of {report.total} orders)."
    )
    if report.unmatched:
        print(
            f"{len(report.unmatched)} cannot be matched to a customer (no email, phone or "
            "customer id): not sent, and tried again only when the order changes."
        )
        _print_reasons(report.unmatched, sys.stdout)
    _print_reasons(report.failed, sys.stderr)
    error = report.interrupted
    if error is not None:
        print(
            f"backroom: stopped: {for_terminal(error)}. Run the same command again to send "
            "the rest.",
            file=sys.stderr,
        )
        if isinstance(error, TokenRefused):
            return EXIT_UNAUTHORIZED
        return EXIT_OFFLINE if isinstance(error, Unreachable) else EXIT_FAILED
    return EXIT_FAILED if report.failed else EXIT_OK


def _print_reasons(reasons: dict[str, str], stream: TextIO) -> None:
    for key, reason in list(reasons.items())[:SHOWN_FAILURES]:
        print(f"  {for_terminal(key)}: {for_terminal(reason)}", file=stream)
    if len(reasons) > SHOWN_FAILURES:
        print(f"  … and {len(reasons) - SHOWN_FAILURES} more", file=stream)


# -- one order -----------------------------------------------------------------


def _one_order[T](args: Namespace, call: Callable[[EcdpDestination], Coroutine[Any, Any, T]]) -> T:
    args.id = clean_reference(args.id)  # a blank id names no order: refused before a request
    target = pick_ecdp_account(AccountStore.load(), args.ecdp)
    secrets = SecretStore()
    ecdp_key_for(secrets, target)  # no key: said before anything is asked
    return asyncio.run(call(account_destination(target, secrets)))


def get(args: Namespace) -> int:
    order = _one_order(args, lambda ecdp: look_up_ecdp_order(ecdp, args.id))
    print(json_for_terminal(order.model_dump(mode="json", by_alias=True, exclude_none=True)))
    return EXIT_OK


def set_status(args: Namespace) -> int:
    _one_order(
        args, lambda ecdp: set_ecdp_status(ecdp, args.id, args.status, website_id=args.website_id)
    )
    status = for_terminal(args.status.strip().lower())
    print(f"ECDP order {for_terminal(args.id)} is now {status}.")
    return EXIT_OK


def delete(args: Namespace) -> int:
    order = _one_order(args, lambda ecdp: mark_ecdp_order_deleted(ecdp, args.id))
    state = "marked deleted" if order.deleted else "deleted (ECDP did not say it is marked)"
    print(f"ECDP order {for_terminal(args.id)} is {state}.")
    return EXIT_OK
