"""What the user is told when something unexpected goes wrong: one line in
words, naming where the details went. The details (version, traceback,
secrets masked) go to the log file; when the log cannot be written, to a file
in the temporary folder; the terminal never gets a traceback."""

from __future__ import annotations

import os
import platform
import tempfile
import traceback
from pathlib import Path

from app import __version__
from app.platform.logs import log_details, log_file_problem, redact

HEADLINE = "Backroom hit an unexpected problem and stopped"


def _details(error: BaseException) -> str:
    lines = [
        f"Backroom {__version__}, Python {platform.python_version()}, {platform.platform()}",
        "".join(traceback.format_exception(error)),
    ]
    return redact("\n".join(lines))


def _save_elsewhere(error: BaseException) -> Path | None:
    """The details in a new file in the temporary folder; ``None`` if that fails too."""
    try:
        handle, name = tempfile.mkstemp(prefix="backroom-problem-", suffix=".txt")
        with os.fdopen(handle, "w", encoding="utf-8", errors="backslashreplace") as stream:
            stream.write(_details(error))
    except OSError:
        return None
    return Path(name)


def report_unexpected(error: BaseException) -> str:
    """Record the details of ``error`` and return the one line to show."""
    logged = log_details(f"{HEADLINE}: {type(error).__name__}", error)
    if logged is not None:
        return f"{HEADLINE}; the details are in the log: {logged}"
    why = log_file_problem() or "there is no log file"
    saved = _save_elsewhere(error)
    if saved is not None:
        return f"{HEADLINE}. The log cannot be written ({why}), so the details are in {saved}"
    return (
        f"{HEADLINE}. The log cannot be written ({why}) and neither can the temporary "
        "folder, so the details could not be saved"
    )
