"""Accounts as use cases: connecting a store or an ECDP business unit (the
token checked, then kept in the keyring), removing one, how the store wants
its orders shown (its name, currency and status names, and the scopes its
token lacks), and the built-in demo store (and how many of them the demo
can show at once).

This package is also the door to the two records below it that the window's
dialogs and the command line work with, offered here so that they never
import the floor below: the accounts file (:mod:`app.config`: ``Account``,
``AccountSettings``, ``AccountStore``, ``ConfigError``, the desk's name, a
validation error in words) and the keyring wrapper (:mod:`app.secrets`:
``SecretStore``, ``SecretSaved``, ``SecretStoreError``), with Ecwid's
default API address for the connect dialog. Those modules stay where they
are: they are storage (a TOML file, the OS keyring) that the services use
too, not use cases. They load when first asked for (pydantic, keyring), so
``backroom --version`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.sandbox.identity import DEFAULT_DEMO_ORDERS, MAX_DEMO_STORES

if TYPE_CHECKING:
    from app.config import (
        Account,
        AccountSettings,
        AccountStore,
        ConfigError,
        default_desk_name,
        describe_validation_error,
    )
    from app.ecwid import DEFAULT_BASE_URL as ECWID_API_URL
    from app.secrets import SecretSaved, SecretStore, SecretStoreError

__all__ = [
    "DEFAULT_DEMO_ORDERS",
    "ECWID_API_URL",
    "MAX_DEMO_STORES",
    "Account",
    "AccountSettings",
    "AccountStore",
    "ConfigError",
    "SecretSaved",
    "SecretStore",
    "SecretStoreError",
    "default_desk_name",
    "describe_validation_error",
]

_ACCOUNTS_FILE = frozenset(
    {
        "Account",
        "AccountSettings",
        "AccountStore",
        "ConfigError",
        "default_desk_name",
        "describe_validation_error",
    }
)
_KEYRING = frozenset({"SecretSaved", "SecretStore", "SecretStoreError"})


def __getattr__(name: str) -> Any:
    # plain imports, loaded when a name is first asked for (the layering test reads them)
    if name in _ACCOUNTS_FILE:
        import app.config

        return getattr(app.config, name)
    if name in _KEYRING:
        import app.secrets

        return getattr(app.secrets, name)
    if name == "ECWID_API_URL":
        from app.ecwid import DEFAULT_BASE_URL

        return DEFAULT_BASE_URL
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
