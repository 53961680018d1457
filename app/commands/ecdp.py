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
from collections.abc import Callable
from datetime import timedelta
from typing import TextIO

from app.cache import OrderCache
from app.commands import EXIT_FAILED, EXIT_OFFLINE, EXIT_OK, EXIT_UNAUTHORIZED, EXIT_USAGE
from app.commands.common import UsageError, pick_account, run_reporting_errors
from app.commands.sync import ProgressPrinter
from app.config import Account, AccountStore, account_dir
from app.domain.dates import parse_ecwid_datetime
from app.domain.queries import OrderQuery
from app.domain.references import clean_reference
from app.ecdp import (
    DEFAULT_BASE_URL,
    EcdpError,
    EcdpNetworkError,
    EcdpUnauthorizedError,
    EcdpValidationError,
)
from app.ecdp.transport import check_api_key
from app.ecwid import EcwidError
from app.environment_secrets import ECDP_KEY_ENV, environment_secret
from app.secrets import SecretStore
from app.services.accounts.account_actions import (
    MissingTokenError,
    ecwid_client,
    open_cache,
    token_for,
)
from app.services.accounts.store_display import remember_display, remembered_display, store_display
from app.services.ecdp.push import (
    EcdpPusher,
    EcdpPushReport,
    PushProgress,
    connect_ecdp_account,
    ecdp_client,
    ecdp_key_for,
    ecdp_target,
)
from app.services.outbox import Outbox
from app.services.sync.engine import SyncProgress
from app.terminal_text import for_terminal, json_for_terminal

SHOWN_FAILURES = 20


def run(args: Namespace) -> int:
    command = {"push": push, "get": get, "status": set_status, "delete": delete}[args.action]
    return run_reporting_ecdp_errors(lambda: command(args))


def run_reporting_ecdp_errors(command: Callable[[], int]) -> int:
    """:func:`~app.commands.common.run_reporting_errors`, plus ECDP's errors."""

    def guarded() -> int:
        try:
            return command()
        except EcdpValidationError as exc:
            return _fail(str(exc), EXIT_USAGE)
        except EcdpUnauthorizedError as exc:
            return _fail(f"ECDP refused the API key: {exc}", EXIT_UNAUTHORIZED)
        except EcdpNetworkError as exc:
            return _fail(f"ECDP could not be reached: {exc}", EXIT_OFFLINE)
        except EcdpError as exc:
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
        check_api_key(key)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    saved = asyncio.run(connect_ecdp_account(accounts, SecretStore(), account, key))
    where = account.api_url or DEFAULT_BASE_URL
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


def _store_currency(account: Account, cache: OrderCache) -> str | None:
    """The store's currency: as remembered, else read from the store (and remembered)."""
    remembered = remembered_display(cache).currency_code
    if remembered:
        return remembered

    async def read() -> str:
        async with ecwid_client(account, token_for(SecretStore(), account)) as client:
            display = await store_display(client, account_name=account.name)
        remember_display(cache, display)
        return display.currency_code

    try:
        return asyncio.run(read()) or None
    except (EcwidError, MissingTokenError) as exc:
        print(
            f"backroom: the store's currency is not known ({exc}); orders are sent without one.",
            file=sys.stderr,
        )
        return None


def push(args: Namespace) -> int:
    accounts = AccountStore.load()
    store = _ecwid_account(accounts, args.account)
    target = pick_ecdp_account(accounts, args.ecdp)
    key = ecdp_key_for(SecretStore(), target)
    query = _query(args)
    opened = open_cache(store)
    try:
        outbox, _ = Outbox.open(account_dir(store), opened.cache, None, desk=accounts.desk_name)
    except BaseException:
        opened.cache.close()
        raise
    printer = ProgressPrinter()

    def progress(state: PushProgress) -> None:
        printer(SyncProgress("ECDP push", state.done, state.total))

    async def work(currency: str | None) -> EcdpPushReport:
        async with ecdp_client(target, key) as client:
            pusher = EcdpPusher(
                opened.cache,
                client,
                target=ecdp_target(target),
                # the store's own setting, else the ECDP account's (as in the window)
                website_id=store.settings.ecdp_website_id or target.settings.ecdp_website_id,
                currency=currency,
                on_sent=outbox.ecdp_logger(target.name),
            )
            return await pusher.push(
                query, only_changed=args.changed_only, force=args.force, progress=progress
            )

    try:
        report = asyncio.run(work(_store_currency(store, opened.cache)))
    finally:
        printer.finish()
        outbox.close()
        opened.cache.close()
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
        if isinstance(error, EcdpUnauthorizedError):
            return EXIT_UNAUTHORIZED
        return EXIT_OFFLINE if isinstance(error, EcdpNetworkError) else EXIT_FAILED
    return EXIT_FAILED if report.failed else EXIT_OK


def _print_reasons(reasons: dict[str, str], stream: TextIO) -> None:
    for key, reason in list(reasons.items())[:SHOWN_FAILURES]:
        print(f"  {for_terminal(key)}: {for_terminal(reason)}", file=stream)
    if len(reasons) > SHOWN_FAILURES:
        print(f"  … and {len(reasons) - SHOWN_FAILURES} more", file=stream)


# -- one order -----------------------------------------------------------------


def _one_order(args: Namespace, call: Callable) -> object:
    args.id = clean_reference(args.id)  # a blank id names no order: refused before a request
    target = pick_ecdp_account(AccountStore.load(), args.ecdp)
    key = ecdp_key_for(SecretStore(), target)

    async def work() -> object:
        async with ecdp_client(target, key) as client:
            return await call(client)

    return asyncio.run(work())


def get(args: Namespace) -> int:
    order = _one_order(args, lambda client: client.get_order(args.id))
    print(json_for_terminal(order.model_dump(mode="json", by_alias=True, exclude_none=True)))
    return EXIT_OK


def set_status(args: Namespace) -> int:
    _one_order(args, lambda client: client.set_status(args.id, args.status, args.website_id))
    status = for_terminal(args.status.strip().lower())
    print(f"ECDP order {for_terminal(args.id)} is now {status}.")
    return EXIT_OK


def delete(args: Namespace) -> int:
    order = _one_order(args, lambda client: client.delete_order(args.id))
    state = "marked deleted" if order.deleted else "deleted (ECDP did not say it is marked)"
    print(f"ECDP order {for_terminal(args.id)} is {state}.")
    return EXIT_OK
