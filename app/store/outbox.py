"""The outbox: every change the user makes, kept until the server confirms it.

An entry holds what it does to its order (``action``: ``update`` with the
changed fields, API field names; or ``delete``), the ``updateTimestamp`` the
edit started from (to detect a colleague's change in between) and the
changed fields' values in that version, its state, the number of failed
attempts, a reason and, for a conflict, the server's version of the order.
Entries are listed oldest first.

While an order has unconfirmed updates, the server's version of it is kept
in ``order_server_bodies`` (the cached body has the changes applied); it
goes when the last of them is confirmed or dropped.

States: PENDING (waiting to be sent) -> SENDING -> CONFIRMED, or FAILED (to
retry; ``attempts`` counts them) or CONFLICT (the server changed meanwhile).
A CONFIRMED entry is deleted: :meth:`OrderCache.outbox` never lists one.
A row of the order table shows the worst state of its entries:
CONFLICT > FAILED > SENDING > PENDING.

The functions here run inside the cache's transactions; the cache owns the
connection and the lock.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from .errors import CacheError

UPDATE = "update"
DELETE = "delete"


class OutboxState(StrEnum):
    PENDING = "PENDING"
    SENDING = "SENDING"
    FAILED = "FAILED"
    CONFLICT = "CONFLICT"
    CONFIRMED = "CONFIRMED"


_SEVERITY = {
    OutboxState.CONFIRMED: 0,
    OutboxState.PENDING: 1,
    OutboxState.SENDING: 2,
    OutboxState.FAILED: 3,
    OutboxState.CONFLICT: 4,
}
_BY_SEVERITY = {severity: state for state, severity in _SEVERITY.items()}


def severity_of(state: OutboxState) -> int:
    """How bad ``state`` is for the table's outbox column (higher is worse)."""
    return _SEVERITY[OutboxState(state)]


def state_of(severity: int | None) -> OutboxState | None:
    """The state of a severity (``None``/0 -> ``None``: nothing unconfirmed)."""
    if not severity:
        return None
    return _BY_SEVERITY[severity]


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    id: int
    key: str
    changes: dict[str, Any]
    base_update_timestamp: int | None
    state: OutboxState
    attempts: int
    reason: str | None
    server_json: dict[str, Any] | None
    created_at: datetime
    updated_at: datetime
    action: str = UPDATE  # UPDATE or DELETE
    base_values: dict[str, Any] | None = None  # the changed fields' values before (if known)


_COLUMNS = (
    "id, key, changes, base_update_ts, state, attempts, reason, server_json, created_at, "
    "updated_at, action, base_json"
)


def _entry(row: tuple[Any, ...]) -> OutboxEntry:
    entry_id, key, changes, base, state, attempts, reason, server, created, updated = row[:10]
    action, base_json = row[10:]
    return OutboxEntry(
        id=entry_id,
        key=key,
        changes=json.loads(changes),
        base_update_timestamp=base,
        state=OutboxState(state),
        attempts=attempts,
        reason=reason,
        server_json=json.loads(server) if server is not None else None,
        created_at=datetime.fromtimestamp(created, UTC),
        updated_at=datetime.fromtimestamp(updated, UTC),
        action=action,
        base_values=json.loads(base_json) if base_json is not None else None,
    )


def dump_changes(changes: dict[str, Any]) -> str:
    if not isinstance(changes, dict):
        raise CacheError(f"Changes must be a JSON object, not {type(changes).__name__}.")
    try:
        return json.dumps(changes, separators=(",", ":"), ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise CacheError(f"The changes cannot be stored: {exc}") from None


def add(
    conn: sqlite3.Connection,
    key: str,
    changes_json: str,
    base_update_timestamp: int | None,
    *,
    action: str = UPDATE,
    base_values: dict[str, Any] | None = None,
) -> int:
    """Insert a PENDING entry; return its id."""
    now = time.time()
    cursor = conn.execute(
        "INSERT INTO outbox (key, changes, base_update_ts, state, severity, attempts, "
        "created_at, updated_at, action, base_json) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?)",
        (
            key,
            changes_json,
            base_update_timestamp,
            OutboxState.PENDING.value,
            severity_of(OutboxState.PENDING),
            now,
            now,
            action,
            _dump(base_values),
        ),
    )
    entry_id = cursor.lastrowid
    assert entry_id is not None
    return entry_id


def _dump(value: dict[str, Any] | None) -> str | None:
    if value is None:
        return None
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def entry(conn: sqlite3.Connection, entry_id: int) -> OutboxEntry | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM outbox WHERE id = ?", (entry_id,)).fetchone()
    return None if row is None else _entry(row)


def entries(
    conn: sqlite3.Connection, states: Iterable[OutboxState] | None = None
) -> list[OutboxEntry]:
    """Entries oldest first, optionally only those in ``states``."""
    if states is None:
        rows = conn.execute(f"SELECT {_COLUMNS} FROM outbox ORDER BY id").fetchall()
    else:
        wanted = sorted({OutboxState(state).value for state in states})
        if not wanted:
            return []
        marks = ",".join("?" * len(wanted))
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM outbox WHERE state IN ({marks}) ORDER BY id", wanted
        ).fetchall()
    return [_entry(row) for row in rows]


def pending_changes(conn: sqlite3.Connection, keys: list[str]) -> dict[str, list[dict[str, Any]]]:
    """The unconfirmed updates of each of ``keys`` that has any, oldest first."""
    found: dict[str, list[dict[str, Any]]] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for key, changes in conn.execute(
            f"SELECT key, changes FROM outbox WHERE key IN ({marks}) AND action = 'update' "
            "ORDER BY id",
            chunk,
        ):
            found.setdefault(key, []).append(json.loads(changes))
    return found


def is_empty(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM outbox LIMIT 1").fetchone() is None


_KEEP = object()


def mark(
    conn: sqlite3.Connection,
    entry_id: int,
    state: OutboxState,
    reason: str | None,
    server_json: dict[str, Any] | None,
    base_update_timestamp: Any = _KEEP,
) -> str:
    """Set an entry's state (CONFIRMED deletes it); return the entry's order key."""
    state = OutboxState(state)
    row = conn.execute("SELECT key FROM outbox WHERE id = ?", (entry_id,)).fetchone()
    if row is None:
        raise CacheError(f"There is no outbox entry {entry_id}.")
    if state is OutboxState.CONFIRMED:
        remove(conn, entry_id, row[0])
        return row[0]
    server_text = None
    if server_json is not None:
        server_text = json.dumps(server_json, separators=(",", ":"), ensure_ascii=False)
    conn.execute(
        "UPDATE outbox SET state = ?, severity = ?, reason = ?, server_json = ?, "
        "attempts = attempts + ?, updated_at = ? WHERE id = ?",
        (
            state.value,
            severity_of(state),
            reason,
            server_text,
            1 if state is OutboxState.FAILED else 0,
            time.time(),
            entry_id,
        ),
    )
    if base_update_timestamp is not _KEEP:
        conn.execute(
            "UPDATE outbox SET base_update_ts = ? WHERE id = ?", (base_update_timestamp, entry_id)
        )
    return row[0]


KEEP = _KEEP
"""Default of ``base_update_timestamp`` in :func:`mark`: leave it as it is."""


def remove(conn: sqlite3.Connection, entry_id: int, key: str) -> None:
    """Delete an entry; the server's version of its order goes with the last update."""
    conn.execute("DELETE FROM outbox WHERE id = ?", (entry_id,))
    if not has_updates(conn, key):
        conn.execute("DELETE FROM order_server_bodies WHERE key = ?", (key,))


def has_updates(conn: sqlite3.Connection, key: str) -> bool:
    """Whether ``key`` has unconfirmed updates."""
    return (
        conn.execute(
            "SELECT 1 FROM outbox WHERE key = ? AND action = 'update' LIMIT 1", (key,)
        ).fetchone()
        is not None
    )


def keep_server_body(conn: sqlite3.Connection, key: str, blob: bytes, *, replace: bool) -> None:
    """Remember ``blob`` (compressed JSON) as the server's version of ``key``;
    without ``replace``, only when none is remembered yet."""
    verb = "INSERT OR REPLACE" if replace else "INSERT OR IGNORE"
    conn.execute(f"{verb} INTO order_server_bodies (key, body) VALUES (?, ?)", (key, blob))


def server_body(conn: sqlite3.Connection, key: str) -> bytes | None:
    """The server's version of ``key`` (compressed JSON) while it has unconfirmed updates."""
    row = conn.execute("SELECT body FROM order_server_bodies WHERE key = ?", (key,)).fetchone()
    return None if row is None else row[0]


def rebase(
    conn: sqlite3.Connection,
    entry_id: int,
    changes_json: str,
    base_update_timestamp: int | None,
    base_values: dict[str, Any] | None,
) -> None:
    """Give an entry new changes made from another version; back to PENDING."""
    conn.execute(
        "UPDATE outbox SET changes = ?, base_update_ts = ?, base_json = ?, state = ?, "
        "severity = ?, reason = NULL, server_json = NULL, updated_at = ? WHERE id = ?",
        (
            changes_json,
            base_update_timestamp,
            _dump(base_values),
            OutboxState.PENDING.value,
            severity_of(OutboxState.PENDING),
            time.time(),
            entry_id,
        ),
    )
