"""Backroom's own JSON files (``accounts.json``, ``views.json``, the drafts):
read, checked and written one way.

Each is a *document*: a JSON object that names its format and version,
``{"format": "backroom-views", "version": 2, "views": [...]}``.

- :func:`load_document` reads one and tells apart what callers treat
  differently: a missing file (``None``), a file that cannot be read
  (:class:`UnreadableDocument`), one that is not such a document — empty,
  not UTF-8, invalid JSON, nested too deeply, no object, another format, no
  version (:class:`DamagedDocument`) — and one written by a newer Backroom
  (:class:`NewerDocument`), which must be left alone. Each message names the
  file and says what is wrong in plain words.
- :func:`write_document` and :func:`write_atomic` write so that the file
  holds either the old or the new content, whatever happens: a temporary
  file in the same folder, fsync, ``os.replace``, then the folder fsynced.

What a caller does about a damaged file (refuse to start, set it aside) is
its own business.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.domain.os_errors import describe_os_error


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document: its ``format`` name, the newest ``version`` this
    Backroom reads, how messages call a file of it (``title``: "a Backroom
    accounts file") and what it holds (``contents``: "Backroom's accounts").
    ``items`` names the list every such document carries, if any;
    ``header_optional`` reads a document without ``format`` or ``version``
    as this kind's current one (files written by hand)."""

    format: str
    version: int
    title: str
    contents: str
    items: str | None = None
    header_optional: bool = False


class DocumentError(Exception):
    """A document that cannot be used; ``str()`` names the file and says why."""


class UnreadableDocument(DocumentError):
    """The file exists but cannot be read; ``os_error`` says why."""

    def __init__(self, path: Path, os_error: OSError) -> None:
        super().__init__(f"Cannot read {path}: {describe_os_error(os_error, reading=True)}.")
        self.os_error = os_error


class DamagedDocument(DocumentError):
    """The file is not a document of this kind (see :func:`parse_document`)."""


class NewerDocument(DocumentError):
    """The file was written by a newer Backroom (format ``version``): read
    nothing from it and never overwrite it."""

    def __init__(self, path: Path, version: int, kind: DocumentKind) -> None:
        super().__init__(
            f"{path} was written by a newer Backroom (format version {version}); "
            f"this version reads up to {kind.version}. Please update Backroom."
        )
        self.version = version


def load_document(path: Path, kind: DocumentKind) -> dict[str, Any] | None:
    """The document in ``path`` (checked by :func:`parse_document`), or
    ``None`` when there is no such file."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise UnreadableDocument(path, error) from None
    return parse_document(path, raw, kind)


def parse_document(path: Path, raw: bytes, kind: DocumentKind) -> dict[str, Any]:
    """The document of ``kind`` in ``raw`` (read from ``path``): a JSON object
    of this format, of a version from 1 up to the kind's, with its ``items``
    list. Raises :class:`DamagedDocument` or :class:`NewerDocument`."""
    if not raw.strip():
        raise DamagedDocument(f"{path} is empty; it should hold {kind.contents}.")
    try:
        document = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise DamagedDocument(f"{path} is not UTF-8 text; it is not a Backroom file.") from None
    except RecursionError:  # e.g. 100,000 nested brackets: json gives up
        raise too_deep(path, kind) from None
    except json.JSONDecodeError as error:
        raise DamagedDocument(
            f"{path} is damaged (invalid JSON at line {error.lineno}, "
            f"column {error.colno}: {error.msg})."
        ) from None
    if not isinstance(document, dict):
        raise DamagedDocument(f"{path} is not {kind.title} (no object at the top).")
    default_format = kind.format if kind.header_optional else None
    if document.get("format", default_format) != kind.format:
        raise DamagedDocument(f"{path} is not {kind.title} (format is not {kind.format!r}).")
    version = document.get("version", kind.version if kind.header_optional else None)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise DamagedDocument(f"{path}: 'version' must be a whole number from 1 up.")
    if version > kind.version:
        raise NewerDocument(path, version, kind)
    if kind.items is not None and not isinstance(document.get(kind.items), list):
        raise DamagedDocument(f"{path} is not {kind.title} (no {kind.items!r} list).")
    return document


def too_deep(path: Path, kind: DocumentKind) -> DamagedDocument:
    """The error for a document nested too deeply to read (by json, or by
    the models its caller builds from it)."""
    return DamagedDocument(f"{path} is damaged: it is nested too deeply to be {kind.title}.")


def write_document(path: Path, document: dict[str, Any], what: str, error: type[Exception]) -> None:
    """Save a JSON ``document`` atomically; raise ``error`` with a plain message
    naming ``what`` (e.g. "the accounts") when the file cannot be written."""
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    try:
        write_atomic(path, text.encode("utf-8"))
    except OSError as exc:
        raise error(
            f"Could not save {what} to {path}: {describe_os_error(exc)}. Nothing was changed."
        ) from None


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that it holds either the old or the new
    content (its folder is created); OSError when it cannot."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; Windows has no folder handles)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    try:
        dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)
