"""What the subcommands share: picking the account, opening its session
(the one door to its orders) or its cache to read, and turning errors into a
message and an exit code. Like every command, this imports only the services,
the shared vocabulary and the process-wide plumbing: errors are caught by the
shared bases of :mod:`app.domain.errors`."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable

from pydantic import ValidationError

from app.commands import EXIT_FAILED, EXIT_OFFLINE, EXIT_UNAUTHORIZED, EXIT_USAGE
from app.domain.errors import (
    LocalDataError,
    ScopeMissing,
    StoreServiceError,
    TokenRefused,
    Unreachable,
)
from app.domain.references import ReferenceProblem
from app.services.accounts import (
    Account,
    AccountStore,
    ConfigError,
    SecretStore,
    SecretStoreError,
    describe_validation_error,
)
from app.services.accounts.account_actions import (
    MissingTokenError,
    StoreConnection,
    store_connection,
)
from app.services.cached_store import CachedStore
from app.services.outbox import OutboxProblem
from app.services.session import (
    StoreSession,
    is_damaged_cache,
    open_session,
    set_cache_aside,
)


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


def run_in_session[T](
    accounts: AccountStore,
    account: Account,
    work: Callable[[StoreSession], Awaitable[T]],
    *,
    online: bool = True,
    connection: StoreConnection | None = None,
) -> T:
    """Open the account's session (``online``: with a client for its store,
    its token read first: :class:`MissingTokenError` when there is none;
    ``connection``: with this one), run ``work`` in it, close it; anything
    found damaged on the way is said on stderr. A cache found damaged while
    working is moved aside (the next sync rebuilds it; the outbox is apart
    and untouched) and reported as a failure."""
    connect = connection
    if connect is None and online:
        connect = store_connection(account, SecretStore())

    async def main() -> T:
        session = await open_session(account, connect, desk=accounts.desk_name)
        if session.moved_aside is not None:
            warn(cache_damage_message(session.moved_aside))
        notice = session.damage_notice()
        if notice:
            warn(notice + " See them with: backroom outbox list")
        try:
            return await work(session)
        finally:
            await session.close()

    try:
        return asyncio.run(main())
    except LocalDataError as error:
        if not is_damaged_cache(error):
            raise
        raise CommandFailed(cache_damage_message(set_cache_aside(account))) from None


def read_cache[T](account: Account, work: Callable[[CachedStore], T]) -> T:
    """Run ``work`` on the account's cached orders alone (commands that only
    read them: no outbox, nothing written, so a read-only folder still
    answers). A damaged cache is moved aside, said on stderr, and is a failure."""
    store = CachedStore.open(account)
    if store.moved_aside is not None:
        store.close()
        raise CommandFailed(cache_damage_message(store.moved_aside))
    try:
        return work(store)
    except LocalDataError as error:
        if not is_damaged_cache(error):
            raise
        store.close()
        raise CommandFailed(cache_damage_message(set_cache_aside(account))) from None
    finally:
        store.close()


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
    except ScopeMissing as exc:
        return _fail(f"The token may not do this: {exc}", EXIT_UNAUTHORIZED)
    except TokenRefused as exc:
        return _fail(f"The store refused the token: {exc}", EXIT_UNAUTHORIZED)
    except Unreachable as exc:
        return _fail(f"The store could not be reached: {exc}", EXIT_OFFLINE)
    except (
        CommandFailed,
        StoreServiceError,
        ConfigError,
        LocalDataError,
        MissingTokenError,
        SecretStoreError,
    ) as exc:
        return _fail(str(exc), EXIT_FAILED)
    except KeyboardInterrupt:
        return _fail("Interrupted.", EXIT_FAILED)


def _fail(message: str, code: int) -> int:
    print(f"backroom: {message}", file=sys.stderr)
    return code
