"""What the subcommands share: picking the account, opening its session
(the one door to its orders), and turning errors into a message and an exit
code."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable

from pydantic import ValidationError

from app.cache import CacheCorruptError, CacheError, OrderCache
from app.cache.cache_file import move_aside
from app.commands import EXIT_FAILED, EXIT_OFFLINE, EXIT_UNAUTHORIZED, EXIT_USAGE
from app.config import Account, AccountStore, ConfigError, cache_path, describe_validation_error
from app.domain.references import ReferenceProblem
from app.ecwid import (
    EcwidClient,
    EcwidError,
    EcwidNetworkError,
    EcwidScopeError,
    EcwidUnauthorizedError,
)
from app.secrets import SecretStoreError
from app.services.accounts.account_actions import MissingTokenError, open_cache
from app.services.outbox import OutboxError, OutboxProblem
from app.services.session import StoreSession


class UsageError(Exception):
    """The command line asked for something that cannot be done as asked."""


class CommandFailed(Exception):
    """The command could not do its work; the message says why (exit 1)."""


def pick_account(accounts: AccountStore, name: str | None) -> Account:
    if name:
        return accounts.get(name)
    ecwid = [a for a in accounts.accounts() if a.kind == "ecwid"]
    if len(ecwid) == 1:
        return ecwid[0]
    if not ecwid:
        raise UsageError("No store is connected yet: backroom account add NAME --store-id N")
    names = ", ".join(a.name for a in ecwid)
    raise UsageError(f"Several stores are connected ({names}): name one with --account")


def open_session(
    accounts: AccountStore, account: Account, client: EcwidClient | None
) -> StoreSession:
    """The account's session, with anything found damaged on the way said on stderr."""
    session = StoreSession.open(account, client, desk=accounts.desk_name)
    if session.moved_aside is not None:
        warn(cache_damage_message(session.moved_aside))
    notice = session.outbox.damage_notice()
    if notice:
        warn(notice + " See them with: backroom outbox list")
    return session


def run_in_session[T](
    accounts: AccountStore,
    account: Account,
    client: EcwidClient | None,
    work: Callable[[StoreSession], Awaitable[T]],
) -> T:
    """Open the account's session, run ``work`` in it, close it. A cache
    found damaged on the way is moved aside (the next sync rebuilds it;
    the outbox is apart and untouched) and reported as a failure."""
    session = open_session(accounts, account, client)

    async def main() -> T:
        try:
            return await work(session)
        finally:
            await session.close()

    try:
        return asyncio.run(main())
    except CacheCorruptError:
        moved = move_aside(cache_path(account))
        raise CommandFailed(cache_damage_message(moved)) from None


def read_cache[T](account: Account, work: Callable[[OrderCache], T]) -> T:
    """Run ``work`` on the account's cache alone (commands that only read it:
    no outbox, nothing written, so a read-only folder still answers). A
    damaged cache is moved aside, said on stderr, and is a failure."""
    opened = open_cache(account)
    if opened.moved_aside is not None:
        opened.cache.close()
        raise CommandFailed(cache_damage_message(opened.moved_aside))
    try:
        return work(opened.cache)
    except CacheCorruptError:
        opened.cache.close()
        moved = move_aside(cache_path(account))
        raise CommandFailed(cache_damage_message(moved)) from None
    finally:
        opened.cache.close()


def cache_damage_message(moved: object) -> str:
    return (
        f"The local copy of the orders was damaged; it was moved aside to {moved} and is "
        "rebuilt from the store by the next sync (backroom sync). Edits waiting for the "
        "store are kept apart from it and are not affected."
    )


def warn(message: str) -> None:
    print(f"backroom: {message}", file=sys.stderr)


def run_reporting_errors(command: Callable[[], int]) -> int:
    """Run ``command``; print a plain message for the errors a person can act on."""
    try:
        return command()
    except (UsageError, ReferenceProblem, OutboxProblem) as exc:
        return _fail(str(exc), EXIT_USAGE)
    except ValidationError as exc:
        return _fail(describe_validation_error(exc), EXIT_USAGE)
    except EcwidScopeError as exc:
        return _fail(f"The token may not do this: {exc}", EXIT_UNAUTHORIZED)
    except EcwidUnauthorizedError as exc:
        return _fail(f"The store refused the token: {exc}", EXIT_UNAUTHORIZED)
    except EcwidNetworkError as exc:
        return _fail(f"The store could not be reached: {exc}", EXIT_OFFLINE)
    except (
        CommandFailed,
        EcwidError,
        ConfigError,
        CacheError,
        OutboxError,
        MissingTokenError,
        SecretStoreError,
    ) as exc:
        return _fail(str(exc), EXIT_FAILED)
    except KeyboardInterrupt:
        return _fail("Interrupted.", EXIT_FAILED)


def _fail(message: str, code: int) -> int:
    print(f"backroom: {message}", file=sys.stderr)
    return code
