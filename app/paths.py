"""Where Backroom keeps its files: the platform's directories (platformdirs),
or everything under one folder given by ``--data-dir`` / ``BACKROOM_DATA_DIR``
(tests, portable use)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "backroom"
DATA_DIR_ENV = "BACKROOM_DATA_DIR"


def _override() -> Path | None:
    value = os.environ.get(DATA_DIR_ENV, "").strip()
    return Path(value).expanduser() if value else None


def _dir(kind: str) -> Path:
    root = _override()
    if root is not None:
        path = root / kind
    else:
        path = Path(getattr(platformdirs, f"user_{kind}_dir")(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
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
