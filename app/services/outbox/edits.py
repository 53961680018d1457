"""The edits in the outbox file: what each asks of which order, where it
stands, and the SQL that moves it from state to state.

An edit holds its order's key and shown number, what it does (``update``
with the changed fields, API names; or ``delete``), the values those fields
had in the version the edit began from (``base``: the conflict check
compares them with the store's current values), its state and the reason,
the store's version at a conflict or an overwrite, the desk that made it,
and for a confirmed edit until when it is watched for being overwritten.

These functions run inside :class:`~app.services.outbox.database.OutboxDatabase`
transactions.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from app.domain.outbox import DELETE, OPEN, UPDATE, OutboxState, severity_of

RECOVERED_REASON = "Read back from a damaged outbox file: check it, then send it or discard it."
CLAIM_STALE_S = 300.0
"""A claim on an edit by a process that may be gone is ignored after this long."""


@dataclass(frozen=True, slots=True)
class Edit:
    id: int
    key: str
    number: str
    action: str  # UPDATE or DELETE
    changes: dict[str, Any]
    base: dict[str, Any] | None  # the changed fields' values when the edit began
    base_update_ts: int | None
    state: OutboxState
    reason: str | None
    store_json: dict[str, Any] | None  # the store's version at a conflict or an overwrite
    attempts: int
    desk: str
    created_at: datetime
    updated_at: datetime
    confirmed_at: datetime | None = None
    watch_until: datetime | None = None

    @property
    def is_delete(self) -> bool:
        return self.action == DELETE


_COLUMNS = (
    "id, key, number, action, changes, base, base_update_ts, state, reason, store_json, "
    "attempts, desk, created_at, updated_at, confirmed_at, watch_until"
)


def _when(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def _loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _dump(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _edit(row: tuple[Any, ...]) -> Edit:
    (edit_id, key, number, action, changes, base, base_ts, state, reason, store_json) = row[:10]
    attempts, desk, created, updated, confirmed, watch_until = row[10:]
    return Edit(
        id=edit_id,
        key=key,
        number=number,
        action=action,
        changes=json.loads(changes),
        base=_loads(base),
        base_update_ts=base_ts,
        state=OutboxState(state),
        reason=reason,
        store_json=_loads(store_json),
        attempts=attempts,
        desk=desk,
        created_at=_when(created) or datetime.now(UTC),
        updated_at=_when(updated) or datetime.now(UTC),
        confirmed_at=_when(confirmed),
        watch_until=_when(watch_until),
    )


# -- reading -------------------------------------------------------------------------


def one(conn: sqlite3.Connection, edit_id: int) -> Edit | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM edits WHERE id = ?", (edit_id,)).fetchone()
    return None if row is None else _edit(row)


def listed(
    conn: sqlite3.Connection,
    states: Iterable[OutboxState] | None = None,
    key: str | None = None,
) -> list[Edit]:
    """Edits oldest first: those in ``states`` (default: every open one), of ``key`` if given."""
    wanted = sorted(OPEN if states is None else {OutboxState(s) for s in states})
    sql = f"SELECT {_COLUMNS} FROM edits WHERE state IN ({','.join('?' * len(wanted))})"
    args: list[Any] = [state.value for state in wanted]
    if key is not None:
        sql += " AND key = ?"
        args.append(key)
    return [_edit(row) for row in conn.execute(sql + " ORDER BY id", args)]


def marks(
    conn: sqlite3.Connection, keys: Iterable[str] | None = None
) -> dict[str, tuple[int, bool]]:
    """``key -> (severity of its worst open edit, whether a deletion waits)`` for
    the orders with open edits (among ``keys`` if given; the others map to
    ``(0, False)``)."""
    found: dict[str, tuple[int, bool]] = {}
    if keys is not None:
        found = {key: (0, False) for key in keys}
    open_states = [state.value for state in OPEN]
    sql = (
        f"SELECT key, state, action FROM edits WHERE state IN ({','.join('?' * len(open_states))})"
    )
    for key, state, action in conn.execute(sql, open_states):
        if keys is not None and key not in found:
            continue
        severity, deleting = found.get(key, (0, False))
        waiting_delete = action == DELETE and state in ("WAITING", "SENDING", "FAILED")
        found[key] = (max(severity, severity_of(state)), deleting or waiting_delete)
    return found


# -- adding --------------------------------------------------------------------------


def add(
    conn: sqlite3.Connection,
    *,
    key: str,
    number: str,
    action: str,
    changes: Mapping[str, Any],
    base: Mapping[str, Any] | None,
    base_update_ts: int | None,
    desk: str,
    state: OutboxState = OutboxState.WAITING,
    reason: str | None = None,
) -> int:
    now = time.time()
    cursor = conn.execute(
        "INSERT INTO edits (key, number, action, changes, base, base_update_ts, state, reason, "
        "desk, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            key,
            number,
            action,
            _dump(dict(changes)) or "{}",
            _dump(dict(base)) if base is not None else None,
            base_update_ts,
            OutboxState(state).value,
            reason,
            desk,
            now,
            now,
        ),
    )
    return int(cursor.lastrowid or 0)


def put_back_recovered(rows: list[dict[str, Any]]) -> Callable[[sqlite3.Connection], int]:
    """A transaction putting edits read from a damaged outbox back, as recovered."""

    def work(conn: sqlite3.Connection) -> int:
        count = 0
        for row in rows:
            try:
                changes = json.loads(row["changes"])
                base = _loads(row.get("base"))
            except (ValueError, TypeError):
                continue
            add(
                conn,
                key=str(row.get("key") or ""),
                number=str(row.get("number") or row.get("key") or ""),
                action=DELETE if row.get("action") == DELETE else UPDATE,
                changes=changes if isinstance(changes, dict) else {},
                base=base if isinstance(base, dict) else None,
                base_update_ts=row.get("base_update_ts")
                if isinstance(row.get("base_update_ts"), int)
                else None,
                desk=str(row.get("desk") or ""),
                state=OutboxState.RECOVERED,
                reason=RECOVERED_REASON,
            )
            count += 1
        return count

    return work


# -- moving between states ---------------------------------------------------------------


def set_state(
    conn: sqlite3.Connection,
    edit_id: int,
    state: OutboxState,
    *,
    reason: str | None = None,
    store_json: Mapping[str, Any] | None = None,
    attempt: bool = False,
) -> None:
    conn.execute(
        "UPDATE edits SET state = ?, reason = ?, store_json = ?, attempts = attempts + ?, "
        "updated_at = ?, claimed_by = NULL, claimed_at = NULL WHERE id = ?",
        (
            OutboxState(state).value,
            reason,
            _dump(dict(store_json)) if store_json is not None else None,
            1 if attempt else 0,
            time.time(),
            edit_id,
        ),
    )


def claim(conn: sqlite3.Connection, edit_id: int, sendable: Iterable[OutboxState]) -> Edit | None:
    """Mark the edit SENDING for this process, if it is in one of the
    ``sendable`` states and no other live process is sending it; return it
    (as it was before the claim), else ``None``."""
    found = one(conn, edit_id)
    if found is None:
        return None
    allowed = {OutboxState(s) for s in sendable}
    if found.state is OutboxState.SENDING:
        row = conn.execute(
            "SELECT claimed_by, claimed_at FROM edits WHERE id = ?", (edit_id,)
        ).fetchone()
        if row is not None and _claim_is_live(row[0], row[1]):
            return None
    elif found.state not in allowed:
        return None
    conn.execute(
        "UPDATE edits SET state = ?, claimed_by = ?, claimed_at = ?, updated_at = ? WHERE id = ?",
        (OutboxState.SENDING.value, str(os.getpid()), time.time(), time.time(), edit_id),
    )
    return found


def _claim_is_live(claimed_by: str | None, claimed_at: float | None) -> bool:
    """Whether another process that claimed an edit may still be sending it."""
    if not claimed_by or claimed_at is None:
        return False
    if time.time() - claimed_at > CLAIM_STALE_S:
        return False
    try:
        pid = int(claimed_by)
    except ValueError:
        return False
    if pid == os.getpid():
        return False  # this process: its own earlier send ended (or crashed) without settling
    if sys.platform == "win32":
        return True  # no cheap liveness check: trust the claim until it goes stale
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def confirm(conn: sqlite3.Connection, edit_id: int, watch_until: float | None) -> None:
    """The store holds the edit's values: CONFIRMED, watched until ``watch_until``."""
    now = time.time()
    conn.execute(
        "UPDATE edits SET state = ?, reason = NULL, store_json = NULL, confirmed_at = ?, "
        "watch_until = ?, updated_at = ?, claimed_by = NULL, claimed_at = NULL WHERE id = ?",
        (OutboxState.CONFIRMED.value, now, watch_until, now, edit_id),
    )


def rebase(
    conn: sqlite3.Connection,
    edit_id: int,
    changes: Mapping[str, Any],
    base: Mapping[str, Any],
    base_update_ts: int | None,
) -> None:
    """Give an edit new changes measured from another version; WAITING again."""
    conn.execute(
        "UPDATE edits SET changes = ?, base = ?, base_update_ts = ?, state = ?, reason = NULL, "
        "store_json = NULL, updated_at = ?, claimed_by = NULL, claimed_at = NULL WHERE id = ?",
        (
            _dump(dict(changes)) or "{}",
            _dump(dict(base)),
            base_update_ts,
            OutboxState.WAITING.value,
            time.time(),
            edit_id,
        ),
    )


def move_base(
    conn: sqlite3.Connection, key: str, after_id: int, written: Mapping[str, Any]
) -> None:
    """This desk's edit ``after_id`` of ``key`` wrote ``written``: later open
    edits of the same order that change those fields now start from the
    values written (so they do not conflict with their own desk)."""
    rows = conn.execute(
        "SELECT id, base FROM edits WHERE key = ? AND id > ? AND action = ? AND state IN (?, ?, ?)",
        (key, after_id, UPDATE, "WAITING", "SENDING", "FAILED"),
    ).fetchall()
    for later_id, base_text in rows:
        base = _loads(base_text) or {}
        moved = {name: written[name] if name in written else value for name, value in base.items()}
        if moved != base:
            conn.execute("UPDATE edits SET base = ? WHERE id = ?", (_dump(moved), later_id))


def remove(conn: sqlite3.Connection, edit_ids: Iterable[int]) -> None:
    conn.executemany("DELETE FROM edits WHERE id = ?", [(edit_id,) for edit_id in edit_ids])


def watched(conn: sqlite3.Connection, now: float) -> list[Edit]:
    """Confirmed edits still inside their watch window, oldest first."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM edits WHERE state = ? AND watch_until >= ? ORDER BY id",
        (OutboxState.CONFIRMED.value, now),
    )
    return [_edit(row) for row in rows]


def forget_expired(conn: sqlite3.Connection, now: float) -> int:
    """Drop confirmed edits whose watch ended (the activity log keeps them)."""
    cursor = conn.execute(
        "DELETE FROM edits WHERE state = ? AND (watch_until IS NULL OR watch_until < ?)",
        (OutboxState.CONFIRMED.value, now),
    )
    return cursor.rowcount
