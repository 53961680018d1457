"""Logging set-up: a rotated log file in the platform log directory, with
secrets redacted from every record before it is written anywhere.

Secrets never reach a log by construction (the token travels only in a
header); the redaction filter is the second line of defence: it masks Ecwid
token shapes, ``Bearer …`` values, ``x-api-key`` values, the value of every
credential parameter in a URL (``?token=``, ``access_key``, ``signature``…,
see :mod:`app.domain.url_credentials`) and any secret registered with
:func:`register_secret`.

When the log cannot be written (a read-only or full disk, a file where its
folder should be) logging falls back to stderr, one line per warning and no
traceback; :func:`log_file_problem` says why, for the message that names
where the details of an unexpected problem went.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from logging.handlers import RotatingFileHandler
from pathlib import Path

from app.domain.os_errors import describe_os_error
from app.domain.url_credentials import MASK, mask_url_credentials
from app.platform.paths import DataFolderError, log_dir
from app.platform.terminal_text import for_terminal

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


class _LogFileHandler(RotatingFileHandler):
    """The rotated log file. When it cannot be written any more (a full disk,
    a folder turned read-only) it stops quietly, remembering why, instead of
    printing logging's own traceback on the terminal: warnings still reach
    stderr through the console handler."""

    problem: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self.problem is None:
            super().emit(record)

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        error = sys.exc_info()[1]
        reason = describe_os_error(error) if isinstance(error, OSError) else str(error)
        self.problem = f"{self.baseFilename} cannot be written: {reason}"


class _ConsoleFormatter(logging.Formatter):
    """One line per record on the terminal: the message, control characters
    shown as escapes, never a traceback (that goes to the log file)."""

    def format(self, record: logging.LogRecord) -> str:
        return f"backroom: {for_terminal(record.getMessage())}"


_state_lock = threading.Lock()
_log_file: _LogFileHandler | None = None
_log_problem: str | None = None


def configure_logging(level: int = logging.INFO, directory: Path | None = None) -> Path | None:
    """Log to a rotated file (and stderr for warnings); returns the file's path.

    When the log folder or file cannot be written (a read-only or full disk,
    a file where the folder should be), logging falls back to stderr alone
    and ``None`` is returned; :func:`log_file_problem` says why."""
    global _log_file, _log_problem
    redacting = RedactingFilter()
    file_handler: _LogFileHandler | None = None
    problem = None
    try:
        directory = directory or log_dir()
        directory.mkdir(parents=True, exist_ok=True)
        file_handler = _LogFileHandler(
            directory / LOG_FILE_NAME, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except DataFolderError as exc:
        problem = f"{exc.folder}: {exc.reason}" if exc.folder else exc.reason
    except OSError as exc:
        where = exc.filename or directory
        problem = f"the log {where} cannot be written: {describe_os_error(exc)}"
    console = logging.StreamHandler()
    console.setLevel(logging.WARNING)
    console.setFormatter(_ConsoleFormatter())
    console.addFilter(redacting)
    handlers: list[logging.Handler] = [console]
    if file_handler is not None:
        file_handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
        )
        file_handler.addFilter(redacting)
        handlers.append(file_handler)
    root = logging.getLogger()
    root.setLevel(level)
    for handler in list(root.handlers):
        if getattr(handler, "_backroom", False):
            root.removeHandler(handler)
            handler.close()
    for handler in handlers:
        handler._backroom = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    logging.getLogger("httpx").setLevel(max(level, logging.WARNING))
    with _state_lock:
        _log_file, _log_problem = file_handler, problem
    return None if file_handler is None else Path(file_handler.baseFilename)


def log_file() -> Path | None:
    """The log file being written, or ``None`` when logging goes to stderr only."""
    with _state_lock:
        handler = _log_file
    if handler is None or handler.problem is not None:
        return None
    return Path(handler.baseFilename)


def log_file_problem() -> str | None:
    """Why there is no log file (``None`` when there is one, or before set-up)."""
    with _state_lock:
        handler, problem = _log_file, _log_problem
    return handler.problem if handler is not None else problem


def log_details(message: str, error: BaseException) -> Path | None:
    """Write ``message`` with ``error``'s traceback (secrets masked) to the log
    file only — never to the terminal. The file's path, or ``None`` when it
    could not be written."""
    with _state_lock:
        handler = _log_file
    if handler is None or handler.problem is not None:
        return None
    exc_info = (type(error), error, error.__traceback__)
    record = logging.getLogger("backroom").makeRecord(
        "backroom", logging.ERROR, __file__, 0, message, (), exc_info
    )
    handler.handle(record)
    try:
        handler.flush()
    except OSError:
        handler.handleError(record)
    return None if handler.problem is not None else Path(handler.baseFilename)
