"""Where Backroom keeps its files: the platform's directories (platformdirs),
or everything under one folder given by ``--data-dir`` / ``BACKROOM_DATA_DIR``
(tests, portable use).

A folder that cannot be used (a file in its place, a read-only disk, a home
folder that does not exist or is not set) raises :class:`DataFolderError`
with the folder and the reason in plain words; a home folder is never
created, and no folder is made relative to the current directory.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from app.domain.os_errors import describe_os_error

APP_NAME = "backroom"
DATA_DIR_ENV = "BACKROOM_DATA_DIR"
_WHAT = {"data": "data", "config": "settings", "cache": "cache", "log": "log"}


class DataFolderError(Exception):
    """One of Backroom's folders cannot be used; ``str()`` says which and why,
    and what to do; ``folder`` and ``reason`` are the two parts on their own."""

    def __init__(self, message: str, folder: Path | None = None, reason: str = "") -> None:
        super().__init__(message)
        self.folder = folder
        self.reason = reason or message


def _override() -> Path | None:
    value = os.environ.get(DATA_DIR_ENV, "").strip()
    return Path(value).expanduser() if value else None


def _platform_dir(kind: str) -> Path:
    path = Path(getattr(platformdirs, f"user_{kind}_dir")(APP_NAME, appauthor=False))
    advice = f"set HOME to your home folder, or choose a folder with --data-dir (or {DATA_DIR_ENV})"
    if not path.is_absolute():  # "~" could not be expanded: no HOME, no user entry
        raise DataFolderError(
            f"Backroom cannot tell where your home folder is (HOME is not set): {advice}."
        )
    home = Path(os.path.expanduser("~"))
    if home.is_absolute() and path.is_relative_to(home) and not home.is_dir():
        raise DataFolderError(
            f"Your home folder {home} does not exist, so Backroom has nowhere to keep "
            f"its files: {advice}."
        )
    return path


def _dir(kind: str) -> Path:
    root = _override()
    path = _platform_dir(kind) if root is None else root / kind
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        advice = (
            f"Check the folder given by --data-dir or {DATA_DIR_ENV}."
            if root is not None
            else f"Choose another place with --data-dir (or {DATA_DIR_ENV})."
        )
        reason = describe_os_error(exc)
        raise DataFolderError(
            f"Backroom cannot use its {_WHAT[kind]} folder {path}: {reason}. {advice}",
            path,
            reason,
        ) from None
    return path


def data_dir() -> Path:
    """Caches of orders and invoices, the outbox, the demo store's database."""
    return _dir("data")


def config_dir() -> Path:
    """Accounts and settings (never a secret)."""
    return _dir("config")


def cache_dir() -> Path:
    """What can be thrown away and rebuilt."""
    return _dir("cache")


def log_dir() -> Path:
    """Rotated log files."""
    return _dir("log")
