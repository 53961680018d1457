"""What Help › About shows: the version, where Backroom keeps its files, and
the licences of the libraries it ships with (read from the installed
packages' metadata, so the list stays true when a dependency changes)."""

from __future__ import annotations

import re
import traceback
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from app import __version__
from app.platform.logs import redact
from app.platform.paths import cache_dir, config_dir, data_dir, log_dir

BUNDLED = (
    "PySide6",
    "shiboken6",
    "httpx",
    "httpcore",
    "h11",
    "anyio",
    "idna",
    "certifi",
    "pydantic",
    "pydantic-core",
    "keyring",
    "qasync",
    "tenacity",
    "aiolimiter",
    "Jinja2",
    "MarkupSafe",
    "platformdirs",
    "pypdf",
    "phonenumberslite",
    "QtAwesome",
    "QtPy",
)
"""The distributions a Backroom install or bundle carries (their own dependencies included)."""


@dataclass(frozen=True)
class Location:
    label: str
    path: Path


@dataclass(frozen=True)
class Licence:
    name: str
    version: str
    licence: str


def version() -> str:
    return __version__


def locations() -> list[Location]:
    """Where the data, settings, caches and logs are on this computer."""
    return [
        Location("Orders, invoices and drafts", data_dir()),
        Location("Accounts and settings", config_dir()),
        Location("Disposable caches", cache_dir()),
        Location("Log files", log_dir()),
    ]


def _licence_of(meta: metadata.PackageMetadata) -> str:
    expression = meta.get("License-Expression")
    if expression:
        return expression
    text = (meta.get("License") or "").strip()
    if text and "\n" not in text and len(text) <= 60:
        return text
    classifiers = [
        value.split("::")[-1].strip()
        for value in meta.get_all("Classifier") or []
        if value.startswith("License ::")
    ]
    if classifiers:
        return ", ".join(classifiers)
    return text.splitlines()[0][:60] if text else "see the package"


def licences(names: tuple[str, ...] = BUNDLED) -> list[Licence]:
    """Name, version and licence of each installed distribution in ``names``."""
    found: list[Licence] = []
    for name in names:
        try:
            meta = metadata.metadata(name)
        except metadata.PackageNotFoundError:
            continue
        found.append(Licence(meta["Name"], meta["Version"], _licence_of(meta)))
    return sorted(found, key=lambda item: item.name.lower())


_HOME = re.compile(re.escape(str(Path.home())) + r"(?=[/\\])") if str(Path.home()) != "/" else None


def error_details(error: BaseException) -> str:
    """A report of an unexpected error to copy into a message: version,
    exception and traceback, with secrets redacted and the home folder
    shortened to ``~``."""
    lines = traceback.format_exception(type(error), error, error.__traceback__)
    text = f"Backroom {__version__}\n" + "".join(lines)
    text = redact(text)
    if _HOME is not None:
        text = _HOME.sub("~", text)
    return text
