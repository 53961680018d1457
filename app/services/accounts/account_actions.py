"""Accounts as use cases: connect a store (verify the token with one request,
then keep the account in the config and the token in the keyring), remove one,
and open what an account needs — its cache and a client.

Connecting needs only what reading orders needs: a token whose app may not
read the store profile (403 ``INSUFFICIENT_APP_SCOPE``) is checked with an
orders request instead, connects, and the result says once what the missing
scope takes away (:attr:`Connected.scope_notice`)."""

from __future__ import annotations

import asyncio
import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from app.cache import CacheError, OrderCache
from app.config import (
    Account,
    AccountStore,
    ConfigError,
    UnknownAccountError,
    account_dir,
    cache_path,
)
from app.ecwid import (
    EcwidError,
    EcwidNetworkError,
    EcwidNotFoundError,
    EcwidPaymentRequiredError,
    EcwidProtocolError,
    EcwidRateLimitedError,
    EcwidScopeError,
    EcwidServerError,
    EcwidUnauthorizedError,
)
from app.platform.environment_secrets import TOKEN_ENV, environment_secret
from app.secrets import SecretSaved, SecretStore, SecretStoreError
from app.services.accounts.store_display import (
    StoreDisplay,
    display_from_profile,
    orders_currency,
    remember_display,
    remembered_display,
)
from app.services.accounts.token_scopes import PROFILE_SCOPE, READ_ORDERS_SCOPE, scope_notice

if TYPE_CHECKING:
    from app.ecwid import EcwidClient

log = logging.getLogger(__name__)

TokenState = Literal["keyring", "session", "environment", "missing"]
StoreConnection = Callable[[], "EcwidClient"]
"""How to open a client for one store: the window and the command line hand
this to the services (:func:`store_connection`, ``DemoStore.client``) and
never hold the client it makes."""
CONNECT_FAILURES = (EcwidError, ConfigError, SecretStoreError, ValueError)


class MissingTokenError(Exception):
    """No token is known for an account (not in the keyring, the session or
    ``BACKROOM_TOKEN``)."""


@dataclass(frozen=True)
class Connected:
    account: Account
    store_name: str
    secret: SecretSaved
    scope_notice: str = ""  # what the token's missing scopes take away ("" when none)


def ecwid_client(account: Account, token: str, **kwargs: Any) -> EcwidClient:
    """A client for ``account``'s store (its module, with httpx and the
    models, is loaded here: by whoever builds the first client)."""
    from app.ecwid.client import DEFAULT_BASE_URL, EcwidClient

    if account.store_id is None:  # (an Ecwid account always has one: see Account)
        raise ValueError(f"{account.name!r} is not an Ecwid store: it has no store id.")
    return EcwidClient(
        account.store_id, token, base_url=account.api_url or DEFAULT_BASE_URL, **kwargs
    )


async def connect_ecwid_store(
    accounts: AccountStore, secrets: SecretStore, account: Account, token: str
) -> Connected:
    """Check the token against the store (one request: the profile; or, when
    the token may not read it, the orders), then save both. Nothing is saved
    when the check fails (the EcwidError says why)."""
    # Building a client loads the system's certificates: kept off the caller's thread.
    # (A closure, not arguments: executors may log their arguments, and this is a token.)
    async with await asyncio.to_thread(lambda: ecwid_client(account, token)) as client:
        try:
            display = display_from_profile(await client.get_profile())
        except EcwidScopeError as error:
            # Reading orders is all Backroom needs: that request is the check.
            code = await orders_currency(client)
            missing = (error.scope or PROFILE_SCOPE,)
            display = StoreDisplay(
                store_name=account.name,
                currency_code=code,
                currency_symbol=code,
                missing_scopes=missing,
            )
    store_name = display.store_name or f"Store {account.store_id}"
    accounts.add(account)
    secret = secrets.set_token(account.kind, account.name, token)
    await asyncio.to_thread(_remember_first_display, account, display)
    return Connected(account, store_name, secret, scope_notice(display.missing_scopes))


def _remember_first_display(account: Account, display: StoreDisplay) -> None:
    """Keep what the check learned in the account's cache, so the window shows
    the store's name at once and does not tell about a missing scope again."""
    try:
        opened = open_cache(account)
    except CacheError as error:  # the window opens it later and says so
        log.warning("the cache of %s could not be opened: %s", account.name, error)
        return
    if opened.moved_aside is not None:
        log.warning("a damaged cache of %s was set aside as %s", account.name, opened.moved_aside)
    with opened.cache as cache:
        before = remembered_display(cache)  # an account connected again: keep its names
        remember_display(
            cache,
            replace(
                before,
                store_name=display.store_name,
                currency_code=display.currency_code,
                currency_symbol=display.currency_symbol,
                missing_scopes=display.missing_scopes,
            ),
        )


async def try_connect_ecwid_store(
    accounts: AccountStore, secrets: SecretStore, account: Account, token: str
) -> Connected | Exception:
    """:func:`connect_ecwid_store` for a background task: the expected failures
    (refused token, unknown store, no network, name taken…) are returned, not
    raised, so the caller words them; anything else still raises."""
    try:
        return await connect_ecwid_store(accounts, secrets, account, token)
    except CONNECT_FAILURES as error:
        return error


def describe_connect_failure(error: Exception, account: Account) -> str:
    """The failure of a connection check in plain words (never a token)."""
    where = account.api_url or "Ecwid"
    if isinstance(error, EcwidScopeError):
        scope = error.scope or READ_ORDERS_SCOPE
        return (
            f"This token cannot read the orders of store {account.store_id}: its app lacks the "
            f"scope {scope}. In the Ecwid admin, give the app the order scopes (read_orders, "
            "update_orders, create_orders) and copy its token again."
        )
    if isinstance(error, EcwidUnauthorizedError):
        return (
            f"Ecwid did not accept this token for store {account.store_id}. Check that you "
            "copied the whole secret_… token of this store and that its app may read orders."
        )
    if isinstance(error, EcwidNotFoundError):
        return (
            f"No store with this id ({account.store_id}) was found at {where}. "
            "Check the store ID in your Ecwid admin."
        )
    if isinstance(error, EcwidNetworkError):
        return (
            f"Cannot reach {where}. Check your internet connection (and the API address "
            "under Advanced), then try again."
        )
    if isinstance(error, EcwidPaymentRequiredError):
        return "Ecwid says this store is suspended, or its plan does not include API access."
    if isinstance(error, EcwidRateLimitedError):
        return "Ecwid is limiting requests for this token right now. Try again in a minute."
    if isinstance(error, EcwidServerError):
        return "Ecwid had a problem answering. Try again in a few minutes."
    if isinstance(error, EcwidProtocolError):
        return f"The server at {where} does not answer like Ecwid. Check the API address."
    if isinstance(error, EcwidError):
        return f"Ecwid refused the check: {error.message}"
    if isinstance(error, (ConfigError, SecretStoreError)):
        return str(error)
    return "This token cannot be used: it is empty or contains spaces."


def name_is_taken(accounts: AccountStore, name: str) -> bool:
    """Whether an account already uses this name (case and width ignored)."""
    try:
        accounts.get(name)
    except UnknownAccountError:
        return False
    return True


def unused_account_name(accounts: AccountStore, base: str = "My store") -> str:
    """``base``, or ``base 2``, ``base 3``… — the first name no account uses."""
    name, number = base, 1
    while name_is_taken(accounts, name):
        number += 1
        name = f"{base} {number}"
    return name


def mask_token(token: str) -> str:
    """A hint that tells tokens apart without revealing one: ``••••abcd``
    (only the bullets for a short token)."""
    token = token.strip()
    return "••••" + (token[-4:] if len(token) >= 16 else "")


@dataclass(frozen=True)
class AccountOverview:
    """One account as a list shows it: where its token is, and a masked hint."""

    account: Account
    token_state: TokenState
    token_hint: str  # "" when there is no token


def account_overviews(accounts: AccountStore, secrets: SecretStore) -> list[AccountOverview]:
    """Every account with where its token comes from (never the token itself).

    ``keyring`` when a secure keyring is in use (a token the keyring refused
    earlier in this session also counts as ``keyring`` here), ``session`` when
    tokens are kept in memory only, ``environment`` when ``BACKROOM_TOKEN``
    overrides them, ``missing`` when none is known."""
    from_env = bool(environment_secret(TOKEN_ENV))
    overviews = []
    for account in accounts.accounts():
        token = secrets.get_token(account.kind, account.name)
        if not token:
            state: TokenState = "missing"
        elif from_env:
            state = "environment"
        else:
            state = "keyring" if secrets.is_persistent else "session"
        overviews.append(AccountOverview(account, state, mask_token(token) if token else ""))
    return overviews


def store_connection(account: Account, secrets: SecretStore) -> StoreConnection:
    """How to open a client for ``account``'s store. The token is read now,
    so a missing one is said before anything opens (:class:`MissingTokenError`);
    the client is built when the connection is used."""
    token = token_for(secrets, account)
    return lambda: ecwid_client(account, token)


def late_store_connection(account: Account, secrets: SecretStore) -> StoreConnection:
    """:func:`store_connection`, the token read only when the client is built
    (the window does that off the GUI thread, behind the store's saved
    orders: the keyring may load its modules, ask over D-Bus or wait to be
    unlocked); a missing one is said then (:class:`MissingTokenError`)."""
    return lambda: ecwid_client(account, token_for(secrets, account))


def token_for(secrets: SecretStore, account: Account) -> str:
    token = secrets.get_token(account.kind, account.name)
    if not token:
        raise MissingTokenError(
            f"No token is known for {account.name!r}: add the account again, "
            "or set BACKROOM_TOKEN for this run."
        )
    return token


def remove_account(
    accounts: AccountStore, secrets: SecretStore, name: str, *, purge: bool = False
) -> Account:
    """Forget an account and its token; with ``purge`` also delete its cache."""
    account = accounts.get(name)
    secrets.delete_token(account.kind, account.name)
    accounts.remove(name)
    if purge:
        shutil.rmtree(account_dir(account), ignore_errors=True)
    return account


@dataclass(frozen=True)
class OpenedCache:
    cache: OrderCache
    moved_aside: Path | None  # a damaged cache file set aside (a full sync rebuilds it)


def open_cache(account: Account) -> OpenedCache:
    cache, moved_aside = OrderCache.open_or_rebuild(cache_path(account))
    return OpenedCache(cache, moved_aside)
