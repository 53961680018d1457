"""Logging set-up: a rotated log file in the platform log directory, with
secrets redacted from every record before it is written anywhere.

Secrets never reach a log by construction (the token travels only in a
header); the redaction filter is the second line of defence: it masks Ecwid
token shapes, ``Bearer …`` values, ``x-api-key`` values, the value of every
credential parameter in a URL (``?token=``, ``access_key``, ``signature``…,
see :mod:`app.url_credentials`) and any secret registered with
:func:`register_secret`.
"""

from __future__ import annotations

import logging
import re
import threading
from logging.handlers import RotatingFileHandler
from pathlib import Path

from app.paths import log_dir
from app.url_credentials import MASK, mask_url_credentials

LOG_FILE_NAME = "backroom.log"
MAX_BYTES = 2 * 1024 * 1024
BACKUPS = 5

_PATTERNS = [
    re.compile(r"\b(?:secret|public)_[A-Za-z0-9]{6,}"),
    re.compile(r"(?i)(bearer\s+)[^\s'\",]+"),
    re.compile(r"(?i)(x-api-key['\"]?\s*[:=]\s*['\"]?)[^\s'\",]+"),
]
_secrets: set[str] = set()
_lock = threading.Lock()


def register_secret(value: str) -> None:
    """Mask this exact value in every later log record (tokens, API keys)."""
    if value and len(value) >= 4:
        with _lock:
            _secrets.add(value)


def redact(text: str) -> str:
    with _lock:
        known = sorted(_secrets, key=len, reverse=True)
    for secret in known:
        text = text.replace(secret, MASK)
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: (m.group(1) if m.groups() else "") + MASK, text)
    return mask_url_credentials(text)


class RedactingFilter(logging.Filter):
    """Rewrites each record's message (and traceback text) with secrets masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def configure_logging(level: int = logging.INFO, directory: Path | None = None) -> Path:
    """Log to a rotated file (and stderr for warnings); returns the file's path."""
    directory = directory or log_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / LOG_FILE_NAME
    redacting = RedactingFilter()
    file_handler = RotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
    )
    file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    file_handler.addFilter(redacting)
    console = logging.StreamHandler()
    console.setLevel(logging.WARNING)
    console.addFilter(redacting)
    root = logging.getLogger()
    root.setLevel(level)
    for handler in list(root.handlers):
        if getattr(handler, "_backroom", False):
            root.removeHandler(handler)
            handler.close()
    for handler in (file_handler, console):
        handler._backroom = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    logging.getLogger("httpx").setLevel(max(level, logging.WARNING))
    return path
