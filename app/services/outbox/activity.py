"""The activity log: every write Backroom makes, recorded per order.

One entry per write: when, which desk (a name per installation), what
(fields old → new, file names, an ECDP push) in words and as details, and
the outcome. An edit's entry follows the edit: its outcome changes as the
edit is confirmed, refused, resolved or overwritten. Kept in the outbox
file, so a rebuilt order cache never loses it.

These functions run inside
:class:`~app.services.outbox.database.OutboxDatabase` transactions.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

EDIT = "edit"
DELETE = "delete"
CREATE = "create"
FILE_UPLOAD = "file-upload"
FILE_REMOVAL = "file-removal"
ECDP_PUSH = "ecdp-push"
OVERWRITTEN = "overwritten"


@dataclass(frozen=True, slots=True)
class Activity:
    id: int
    key: str
    number: str
    at: datetime
    desk: str
    kind: str
    summary: str  # in words: "Tracking number: (empty) → 1Z999"
    detail: dict[str, Any]
    outcome: str  # in words: "confirmed", "waiting", "refused: …"
    edit_id: int | None


def record(
    conn: sqlite3.Connection,
    *,
    key: str,
    number: str,
    desk: str,
    kind: str,
    summary: str,
    outcome: str,
    detail: Mapping[str, Any] | None = None,
    edit_id: int | None = None,
    at: float | None = None,
) -> int:
    cursor = conn.execute(
        "INSERT INTO activity (key, number, at, desk, kind, summary, detail, outcome, edit_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            key,
            number,
            time.time() if at is None else at,
            desk,
            kind,
            summary,
            json.dumps(dict(detail or {}), ensure_ascii=False, default=str),
            outcome,
            edit_id,
        ),
    )
    return int(cursor.lastrowid or 0)


def set_outcome(conn: sqlite3.Connection, edit_id: int, outcome: str) -> None:
    """The outcome of the entries of edit ``edit_id`` (not of later events about it)."""
    conn.execute(
        "UPDATE activity SET outcome = ? WHERE edit_id = ? AND kind IN (?, ?)",
        (outcome, edit_id, EDIT, DELETE),
    )


def for_order(conn: sqlite3.Connection, key: str, limit: int = 500) -> list[Activity]:
    """The activity of order ``key``, newest first."""
    rows = conn.execute(
        "SELECT id, key, number, at, desk, kind, summary, detail, outcome, edit_id "
        "FROM activity WHERE key = ? ORDER BY at DESC, id DESC LIMIT ?",
        (key, limit),
    )
    return [
        Activity(
            id=row[0],
            key=row[1],
            number=row[2],
            at=datetime.fromtimestamp(row[3], UTC),
            desk=row[4],
            kind=row[5],
            summary=row[6],
            detail=_detail(row[7]),
            outcome=row[8],
            edit_id=row[9],
        )
        for row in rows
    ]


def _detail(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
