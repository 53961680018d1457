"""Watching confirmed edits for being overwritten.

Ecwid has no conditional write: a colleague's desk can write the same field
a moment after this desk did, and the content check cannot see a write that
has not happened yet. So for a while after an edit is confirmed (the
account's ``overwrite_watch_minutes``, 10 by default), every sync compares
the fields this desk wrote with the store's values it just brought; a field
changed again by someone else makes the edit OVERWRITTEN, with the store's
version kept, so the user is told and can put this desk's value back. A
field this desk wrote again later is the later edit's to watch.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from typing import Any

from app.domain.outbox import OutboxState
from app.domain.words import field_label, value_words

from . import activity
from . import edits as edit_rows
from .checks import not_held
from .database import OutboxDatabase
from .edits import Edit


def find_overwrites(
    outbox: OutboxDatabase,
    store_order: Callable[[str], dict[str, Any] | None],
    status_names: Mapping[str, str] | None = None,
    *,
    desk: str,
    now: float | None = None,
) -> list[Edit]:
    """Mark the watched edits whose fields the store no longer holds as
    OVERWRITTEN (``store_order(key)`` is the store's order as the last sync
    brought it, ``None`` when it is not known); return them. Confirmed edits
    whose watch has ended are forgotten (the activity log keeps them)."""
    moment = time.time() if now is None else now
    watched = outbox.read("reading the outbox", lambda conn: edit_rows.watched(conn, moment))
    later_fields = _written_later(outbox)
    found: list[tuple[Edit, list[str], dict[str, Any]]] = []
    for edit in watched:
        if edit.is_delete:
            continue
        order = store_order(edit.key)
        if order is None:
            continue
        fields = {
            name: value
            for name, value in edit.changes.items()
            if name not in later_fields.get((edit.key, edit.id), set())
        }
        changed = not_held(fields, order)
        if changed:
            found.append((edit, changed, order))

    def work(conn: Any) -> list[Edit]:
        marked = []
        for edit, changed, order in found:
            reason = overwrite_reason(edit, changed, order, status_names)
            edit_rows.set_state(
                conn, edit.id, OutboxState.OVERWRITTEN, reason=reason, store_json=order
            )
            activity.record(
                conn,
                key=edit.key,
                number=edit.number,
                desk=desk,
                kind=activity.OVERWRITTEN,
                summary=reason,
                outcome="overwritten by someone else",
                detail={
                    "fields": [
                        {"name": n, "mine": edit.changes.get(n), "theirs": order.get(n)}
                        for n in changed
                    ]
                },
                edit_id=edit.id,
            )
            activity.set_outcome(conn, edit.id, "confirmed, then overwritten by someone else")
            marked.append(edit_rows.one(conn, edit.id))
        edit_rows.forget_expired(conn, moment)
        return [edit for edit in marked if edit is not None]

    return outbox.write("noting overwritten edits", work)


def overwrite_reason(
    edit: Edit,
    fields: list[str],
    order: Mapping[str, Any],
    status_names: Mapping[str, str] | None = None,
) -> str:
    parts = [
        f"{field_label(name)} is now {value_words(name, order.get(name), status_names)} "
        f"(this desk wrote {value_words(name, edit.changes.get(name), status_names)})"
        for name in fields
    ]
    return (
        "Changed again in the store by someone else after this desk saved it: "
        + "; ".join(parts)
        + "."
    )


def _written_later(outbox: OutboxDatabase) -> dict[tuple[str, int], set[str]]:
    """``(key, edit id) -> fields a later edit of this desk wrote (or will write)``."""

    def work(conn: Any) -> dict[tuple[str, int], set[str]]:
        rows = conn.execute(
            "SELECT id, key, changes FROM edits WHERE action = 'update' AND state NOT IN (?, ?) "
            "ORDER BY key, id",
            (OutboxState.REFUSED.value, OutboxState.RECOVERED.value),
        ).fetchall()
        by_key: dict[str, list[tuple[int, set[str]]]] = {}
        for edit_id, key, changes in rows:
            by_key.setdefault(key, []).append((edit_id, set(json.loads(changes))))
        later: dict[tuple[str, int], set[str]] = {}
        for key, entries in by_key.items():
            seen: set[str] = set()
            for edit_id, fields in reversed(entries):
                later[(key, edit_id)] = set(seen)
                seen |= fields
        return later

    return outbox.read("reading the outbox", work)
