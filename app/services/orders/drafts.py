"""Unsaved order edits kept on disk, so a crash or a restart never loses them.

One JSON file per (account, order key), named by a hash of both so any key
is a safe file name, in a folder per account under ``<data dir>/drafts``.
Each save writes a temporary file in the same folder, fsyncs it and renames
it over the old one (``os.replace``): a process killed at any moment leaves
either the previous draft or the new one, never half of one. A file that
cannot be read (truncated, garbage, wrong shape) is moved aside as
``*.damaged-<time>``, logged, and reads as no draft.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.json_documents import (
    DamagedDocument,
    DocumentKind,
    NewerDocument,
    UnreadableDocument,
    load_document,
    write_atomic,
)
from app.platform.paths import data_dir

log = logging.getLogger(__name__)

FILE_FORMAT = "backroom-draft"
FILE_VERSION = 1
DRAFTS_DIR_NAME = "drafts"
DRAFT_DOCUMENT = DocumentKind(
    format=FILE_FORMAT,
    version=FILE_VERSION,
    title="a Backroom draft",
    contents="an order's unsaved edit",
)


@dataclass(frozen=True)
class Draft:
    """The editor's working copy of one order, as it was when last saved."""

    account: str  # account name
    key: str  # order key, or "new-<uuid>" for an unsaved new order
    base_update_timestamp: int | None  # the order version the edit began from
    edited: dict[str, Any]  # the editor's working copy, raw typed values included
    saved_at: datetime  # aware UTC
    base: dict[str, Any] | None = None  # the order version the edit began from (the
    # conflict check compares it with the store's when the draft is saved; older drafts lack it)


class DamagedDraft(DamagedDocument, ValueError):
    """A draft file whose content is not a draft."""


class DraftStore:
    """Drafts of one user, in ``directory`` (default ``<data dir>/drafts``)."""

    def __init__(self, directory: Path | None = None) -> None:
        self._directory = Path(directory) if directory is not None else data_dir() / DRAFTS_DIR_NAME

    @property
    def directory(self) -> Path:
        return self._directory

    def path_for(self, account: str, key: str) -> Path:
        """The file that holds the draft of ``key`` in ``account``."""
        name = _digest(f"{account}\0{key}")
        return self._account_dir(account) / f"{name}.json"

    def save(self, draft: Draft) -> None:
        """Write ``draft`` atomically (temporary file, fsync, ``os.replace``)."""
        saved_at = draft.saved_at
        if saved_at.tzinfo is None:
            raise ValueError("a draft's saved_at must carry a time zone")
        document = {
            "format": FILE_FORMAT,
            "version": FILE_VERSION,
            "account": draft.account,
            "key": draft.key,
            "baseUpdateTimestamp": draft.base_update_timestamp,
            "savedAt": saved_at.astimezone(UTC).isoformat(),
            "edited": draft.edited,
            "base": draft.base,
        }
        data = json.dumps(document, default=_json_default).encode("utf-8")
        write_atomic(self.path_for(draft.account, draft.key), data)

    def load(self, account: str, key: str) -> Draft | None:
        """The draft of ``key``; ``None`` when there is none or its file is damaged
        (which is then moved aside)."""
        path = self.path_for(account, key)
        draft = self._read(path)
        if draft is not None and (draft.account != account or draft.key != key):
            log.warning("draft file %s belongs to another order; ignored", path.name)
            return None
        return draft

    def discard(self, account: str, key: str) -> None:
        """Forget the draft of ``key`` (nothing happens when there is none)."""
        self.path_for(account, key).unlink(missing_ok=True)

    def drafts(self, account: str) -> list[Draft]:
        """All drafts of ``account``, newest first."""
        folder = self._account_dir(account)
        if not folder.is_dir():
            return []
        found = [self._read(path) for path in sorted(folder.glob("*.json"))]
        mine = [draft for draft in found if draft is not None and draft.account == account]
        return sorted(mine, key=lambda draft: draft.saved_at, reverse=True)

    def _account_dir(self, account: str) -> Path:
        return self._directory / _digest(account)[:24]

    def _read(self, path: Path) -> Draft | None:
        try:
            document = load_document(path, DRAFT_DOCUMENT)
            return None if document is None else _draft(document)
        except UnreadableDocument as exc:
            log.warning("draft file %s cannot be read: %s", path.name, exc.os_error)
            return None
        except NewerDocument:
            log.warning("draft file %s was written by a newer Backroom; left alone", path.name)
            return None
        except DamagedDocument as exc:
            aside = path.with_name(f"{path.name}.damaged-{datetime.now(UTC):%Y%m%dT%H%M%S%f}")
            try:
                os.replace(path, aside)
            except OSError as move_error:
                log.warning("damaged draft %s cannot be moved aside: %s", path.name, move_error)
            else:
                log.warning("damaged draft %s moved aside as %s: %s", path.name, aside.name, exc)
            return None


def _draft(document: dict[str, Any]) -> Draft:
    """The draft a checked document holds; :class:`DamagedDraft` when its
    fields are not a draft's."""
    account, key, edited = document.get("account"), document.get("key"), document.get("edited")
    base = document.get("baseUpdateTimestamp")
    if not isinstance(account, str) or not isinstance(key, str) or not isinstance(edited, dict):
        raise DamagedDraft("account, key or edit missing")
    if base is not None and (not isinstance(base, int) or isinstance(base, bool)):
        raise DamagedDraft("base update timestamp is not a number")
    try:
        saved_at = datetime.fromisoformat(str(document.get("savedAt")))
    except ValueError:
        raise DamagedDraft("no time of saving") from None
    if saved_at.tzinfo is None:
        raise DamagedDraft("time of saving without a time zone")
    started = document.get("base")
    if started is not None and not isinstance(started, dict):
        raise DamagedDraft("the version the edit began from is not an order")
    return Draft(account, key, base, edited, saved_at.astimezone(UTC), started)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _json_default(value: Any) -> Any:
    """Values the editor may hold that JSON has no type for: kept as their text."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)
