"""Secrets handed to Backroom in its environment, taken out of it.

``BACKROOM_TOKEN`` (an Ecwid token for headless runs) and
``BACKROOM_ECDP_KEY`` (an ECDP API key) are read once, first thing at
start-up (:func:`take_environment_secrets`, called by ``backroom`` and again
before any ``QApplication`` is made), kept in this process's memory and
removed from ``os.environ``. Every process Backroom starts inherits its
environment, and some of them handle untrusted content: QtWebEngine's render
processes read the store's invoice HTML (without Chromium's sandbox when run
as root). With the variables gone before any of them starts, no child
process — and no ``/proc/<pid>/environ`` of one — carries a secret.

Code that wants such a value asks :func:`environment_secret`, which reads
the copy in memory (taking any variable set since, so a library caller that
never ran the start-up step gets the same answer and the same clean-up).
"""

from __future__ import annotations

import os

from app.platform.logs import register_secret

TOKEN_ENV = "BACKROOM_TOKEN"
ECDP_KEY_ENV = "BACKROOM_ECDP_KEY"
SECRET_VARIABLES = (TOKEN_ENV, ECDP_KEY_ENV)

_taken: dict[str, str] = {}


def take_environment_secrets() -> None:
    """Move the secret variables from the environment into memory. A variable
    set (again) since the last call replaces the value kept; one set to an
    empty value clears it."""
    for name in SECRET_VARIABLES:
        value = os.environ.pop(name, None)  # also unset in the C environment children inherit
        if value is None:
            continue
        value = value.strip()
        if value:
            register_secret(value)
            _taken[name] = value
        else:
            _taken.pop(name, None)


def environment_secret(name: str) -> str:
    """The value ``name`` had in the environment ("" when it had none)."""
    if name not in SECRET_VARIABLES:
        raise ValueError(f"{name} is not one of Backroom's secret variables")
    take_environment_secrets()
    return _taken.get(name, "")


def forget_environment_secrets() -> None:
    """Drop the values kept (tests; a process that must not use them any more)."""
    _taken.clear()


__all__ = [
    "ECDP_KEY_ENV",
    "SECRET_VARIABLES",
    "TOKEN_ENV",
    "environment_secret",
    "forget_environment_secrets",
    "take_environment_secrets",
]
