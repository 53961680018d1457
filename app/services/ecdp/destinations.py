"""The ECDP accounts a window can push to, and ECDP's errors in plain words.

An :class:`EcdpDestination` is one ECDP account with what push records call
it (:func:`app.services.ecdp.push.ecdp_target`) and how to open a client for
it. Keys are read from the keyring only when a client is opened, and never
kept here. The demo store brings its own ECDP side (its key is the
sandbox's, never saved), so ``backroom --demo`` can push with no account.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.config import Account, AccountStore
from app.ecdp import (
    EcdpClient,
    EcdpError,
    EcdpNetworkError,
    EcdpNotFoundError,
    EcdpRateLimitedError,
    EcdpServerError,
    EcdpUnauthorizedError,
)
from app.ecdp.errors import describe_field_errors
from app.secrets import SecretStore
from app.services.ecdp.push import ecdp_client, ecdp_key_for, ecdp_target

if TYPE_CHECKING:
    from app.services.accounts.demo_store import DemoStore


@dataclass(frozen=True)
class EcdpDestination:
    """One ECDP account: its name, its push-record target, and its client."""

    account: Account
    target: str
    make_client: Callable[[], EcdpClient] = field(repr=False, compare=False)
    demo: bool = False

    @property
    def name(self) -> str:
        return self.account.name

    def website_id(self, store: Account | None) -> int | None:
        """The website id sent with orders: the store's own setting, else the ECDP account's."""
        if store is not None and store.settings.ecdp_website_id is not None:
            return store.settings.ecdp_website_id
        return self.account.settings.ecdp_website_id


def account_destination(account: Account, secrets: SecretStore) -> EcdpDestination:
    """A saved ECDP account (its key is read from the keyring when a client is opened;
    :class:`~app.services.accounts.account_actions.MissingTokenError` when there is none)."""
    return EcdpDestination(
        account, ecdp_target(account), lambda: ecdp_client(account, ecdp_key_for(secrets, account))
    )


def demo_destination(demo: DemoStore) -> EcdpDestination:
    from app.services.accounts.demo_store import DEMO_ECDP_TARGET

    return EcdpDestination(demo.ecdp_account(), DEMO_ECDP_TARGET, demo.ecdp_client, demo=True)


def ecdp_destinations(
    accounts: AccountStore | None, secrets: SecretStore | None, demo: DemoStore | None = None
) -> list[EcdpDestination]:
    """The user's ECDP accounts in the order they were added, then the demo's
    (when the demo store runs)."""
    found: list[EcdpDestination] = []
    if accounts is not None and secrets is not None:
        found += [
            account_destination(account, secrets)
            for account in accounts.accounts()
            if account.kind == "ecdp"
        ]
    if demo is not None:
        found.append(demo_destination(demo))
    return found


def describe_ecdp_error(error: BaseException) -> str:
    """What went wrong with ECDP, in words: the server's title, detail and
    field errors when it sent them; never a key."""
    if isinstance(error, EcdpNetworkError):
        return "ECDP cannot be reached. Check the internet connection and the API address."
    if isinstance(error, EcdpUnauthorizedError):
        words = _server_words(error)
        return "ECDP refused the API key" + (f": {words}" if words else ".")
    if isinstance(error, EcdpNotFoundError):
        return _server_words(error) or "ECDP has no such order."
    if isinstance(error, EcdpRateLimitedError):
        return "ECDP is limiting requests right now. Try again in a minute."
    if isinstance(error, EcdpServerError):
        return "ECDP had a problem answering. Try again in a few minutes."
    if isinstance(error, EcdpError):
        return _server_words(error) or error.message
    return str(error) or type(error).__name__


def _server_words(error: EcdpError) -> str:
    """Title, detail and per-field errors, as the server gave them."""
    parts = []
    for text in (error.title, error.detail):
        text = (text or "").strip().rstrip(".")
        if text and text not in parts:
            parts.append(text)
    words = ". ".join(parts)
    if error.errors:
        fields = describe_field_errors(error.errors)
        words = f"{words}. {fields}" if words else fields
    return f"{words}." if words and not words.endswith(".") else words
