"""Errors of the order cache, and the translation of SQLite's errors into them.

Callers never see a raw :class:`sqlite3.Error`: every failure becomes a
:class:`CacheError` whose message is plain words (what failed and why, e.g. a
full disk or a read-only file); the SQLite error stays chained as its cause
for the log. Both classes derive from the shared bases of
:mod:`app.domain.errors`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from app.domain.errors import LocalDataDamaged, LocalDataError


class CacheError(LocalDataError):
    """The order cache could not do what was asked; the message says why."""


class CacheCorruptError(CacheError, LocalDataDamaged):
    """The cache file is damaged, is not SQLite, or is not a Backroom order cache
    (or one written by a newer Backroom). ``OrderCache.open_or_rebuild`` moves
    such a file aside and starts a fresh cache."""


# Primary result codes (https://sqlite.org/rescode.html)
_PERM, _BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT = 3, 5, 6, 8, 10, 11
_FULL, _CANTOPEN, _AUTH, _NOTADB = 13, 14, 23, 26

_REASONS = {
    _FULL: "the disk is full",
    _READONLY: "the cache file is read-only (check its permissions and the free space)",
    _PERM: "access to the cache file was denied",
    _AUTH: "access to the cache file was denied",
    _BUSY: "the cache is busy in another program or window; try again in a moment",
    _LOCKED: "the cache is busy in another program or window; try again in a moment",
    _IOERR: "the disk reported an error while reading or writing the cache file",
    _CANTOPEN: "the cache file cannot be opened (check that its folder exists and is writable)",
}
_CORRUPT_CODES = {_CORRUPT, _NOTADB}
# SQLITE_IOERR_SHMSIZE: the -shm file beside a WAL cache cannot grow (a full disk)
_EXTENDED_REASONS = {4874: "the disk is full"}


def translate(exc: sqlite3.Error, doing: str) -> CacheError:
    """A :class:`CacheError` in plain words for ``exc``, raised while ``doing``
    (a phrase such as ``"saving orders"``)."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary in _CORRUPT_CODES:
        return CacheCorruptError(
            f"The order cache could not be used while {doing}: the file is damaged "
            "or is not a Backroom order cache."
        )
    extended = _EXTENDED_REASONS.get(code) if isinstance(code, int) else None
    reason = extended or (_REASONS.get(primary) if primary is not None else None)
    if reason is None:
        text = str(exc).strip() or type(exc).__name__
        reason = f"the database reported: {text}"
    return CacheError(f"The order cache failed while {doing}: {reason}.")


@contextmanager
def sqlite_errors(doing: str) -> Iterator[None]:
    """Turn any :class:`sqlite3.Error` raised inside into a :class:`CacheError`."""
    try:
        yield
    except sqlite3.Error as exc:
        raise translate(exc, doing) from exc
