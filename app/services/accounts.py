"""Accounts as use cases: connect a store (verify the token with one request,
then keep the account in the config and the token in the keyring), remove one,
and open what an account needs — its cache and a client."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.config import Account, AccountStore, account_dir, cache_path
from app.ecwid import DEFAULT_BASE_URL, EcwidClient
from app.secrets import SecretSaved, SecretStore
from app.store import OrderCache


class MissingTokenError(Exception):
    """No token is known for an account (not in the keyring, the session or
    ``BACKROOM_TOKEN``)."""


@dataclass(frozen=True)
class Connected:
    account: Account
    store_name: str
    secret: SecretSaved


def ecwid_client(account: Account, token: str, **kwargs: Any) -> EcwidClient:
    return EcwidClient(
        account.store_id, token, base_url=account.api_url or DEFAULT_BASE_URL, **kwargs
    )


async def connect_ecwid_store(
    accounts: AccountStore, secrets: SecretStore, account: Account, token: str
) -> Connected:
    """Check the token against the store (one request), then save both.
    Nothing is saved when the check fails (the EcwidError says why)."""
    async with ecwid_client(account, token) as client:
        profile = await client.get_profile()
    settings = profile.get("settings") or {}
    store_name = str(settings.get("storeName") or f"Store {account.store_id}")
    accounts.add(account)
    secret = secrets.set_token(account.kind, account.name, token)
    return Connected(account, store_name, secret)


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
