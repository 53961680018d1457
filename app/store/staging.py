"""The user's changes as they go through the outbox, applied to the cached
orders: staging an edit or a deletion, and what confirming, refusing,
dropping or re-basing an entry does to its order.

- An edit is applied to the cached body at once; the server's version is
  kept beside it (``order_server_bodies``) while the order has unconfirmed
  updates, so it can be shown, compared and restored.
- A deletion moves the order to the deleted list (:mod:`app.store.deleted`):
  it leaves every normal query at once. A refusal puts it back.
- Dropping an update (e.g. "take the server's version" after a conflict)
  stores the server's version with the remaining updates applied.

These functions run inside the cache's transactions (``index_text`` as in
:mod:`app.store.orders`).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from . import codec, deleted, outbox
from . import orders as order_store
from .errors import CacheError
from .outbox import DELETE, OutboxEntry, OutboxState


def server_version(conn: sqlite3.Connection, key: str) -> dict[str, Any] | None:
    """The cached server version of ``key``: without unconfirmed updates."""
    blob = outbox.server_body(conn, key)
    if blob is not None:
        return codec.decode(blob)
    found = order_store.body(conn, key)
    return found if found is not None else deleted.body(conn, key)


def stage_edit(
    conn: sqlite3.Connection,
    key: str,
    changes: dict[str, Any],
    base_update_timestamp: int | None,
    *,
    index_text: bool,
) -> int:
    """Apply ``changes`` to the cached order and add a PENDING update entry."""
    changes_json = outbox.dump_changes(changes)
    row = conn.execute(
        "SELECT body FROM order_bodies WHERE rid = (SELECT rid FROM orders WHERE key = ?)", (key,)
    ).fetchone()
    if row is None:
        raise CacheError(f"Order {key} is not in the cache, so it cannot be changed.")
    current = codec.decode(row[0])
    # with no update pending, the cached body is the server's version
    outbox.keep_server_body(conn, key, row[0], replace=not outbox.has_updates(conn, key))
    server = server_version(conn, key) or current
    base_values = None
    if base_update_timestamp is None or server.get("updateTimestamp") == base_update_timestamp:
        base_values = {name: server.get(name) for name in changes}
    merged = codec.merge_changes(current, changes)
    order_store.rewrite(conn, key, merged, index_text=index_text)
    return outbox.add(conn, key, changes_json, base_update_timestamp, base_values=base_values)


def stage_delete(conn: sqlite3.Connection, key: str, *, index_text: bool) -> int:
    """Move the order to the deleted list and add a PENDING delete entry."""
    row = conn.execute("SELECT updated_ts FROM orders WHERE key = ?", (key,)).fetchone()
    if row is None:
        raise CacheError(f"Order {key} is not in the cache, so it cannot be deleted.")
    deleted.set_aside(conn, [key], deleted.LOCAL)
    order_store.delete(conn, [key], index_text=index_text)
    return outbox.add(conn, key, "{}", row[0], action=DELETE)


def put_back(conn: sqlite3.Connection, key: str, *, index_text: bool) -> bool:
    """Move a deleted order back among the orders (its deletion was refused)."""
    body = deleted.take_back(conn, key)
    if body is None:
        return False
    server = server_version(conn, key) or body
    order_store.upsert(conn, [server], None, index_text=index_text)
    return True


def set_aside_again(conn: sqlite3.Connection, key: str, *, index_text: bool) -> None:
    """Hide an order whose refused deletion is being retried."""
    if deleted.set_aside(conn, [key], deleted.LOCAL):
        order_store.delete(conn, [key], index_text=index_text)


def mark(
    conn: sqlite3.Connection,
    entry_id: int,
    state: OutboxState,
    reason: str | None,
    server_json: dict[str, Any] | None,
    base_update_timestamp: Any,
    *,
    index_text: bool,
) -> None:
    """Set an entry's state (see :func:`outbox.mark`); a refused deletion puts its order back."""
    found = outbox.entry(conn, entry_id)
    if found is None:
        raise CacheError(f"There is no outbox entry {entry_id}.")
    outbox.mark(conn, entry_id, state, reason, server_json, base_update_timestamp)
    if found.action == DELETE and OutboxState(state) is OutboxState.FAILED:
        put_back(conn, found.key, index_text=index_text)


def requeue(conn: sqlite3.Connection, entry_ids: list[int], *, index_text: bool) -> None:
    """Make failed (or stuck) entries PENDING again; a retried deletion hides its order again.
    Conflicts are left alone: they wait for the user's choice."""
    for entry_id in entry_ids:
        found = outbox.entry(conn, entry_id)
        if found is None or found.state is OutboxState.CONFLICT:
            continue
        outbox.mark(conn, entry_id, OutboxState.PENDING, None, None)
        if found.action == DELETE:
            set_aside_again(conn, found.key, index_text=index_text)


def confirm(
    conn: sqlite3.Connection,
    entry: OutboxEntry,
    fresh: dict[str, Any] | None,
    *,
    index_text: bool,
) -> None:
    """The store confirmed ``entry``: delete it and store the order as the
    store now has it (``fresh``, when it could be read)."""
    outbox.remove(conn, entry.id, entry.key)
    if fresh is not None and entry.action != DELETE:
        order_store.upsert(conn, [fresh], None, index_text=index_text)


def drop(
    conn: sqlite3.Connection,
    entry_id: int,
    server_json: dict[str, Any] | None,
    *,
    index_text: bool,
) -> str:
    """Forget an entry unsent; the cached order becomes the server's version
    (``server_json``, else the one kept) with the remaining updates applied.
    Returns the entry's order key."""
    found = outbox.entry(conn, entry_id)
    if found is None:
        raise CacheError(f"There is no outbox entry {entry_id}.")
    server = server_json if server_json is not None else server_version(conn, found.key)
    outbox.remove(conn, entry_id, found.key)
    if found.action == DELETE:
        put_back(conn, found.key, index_text=index_text)
    elif server is not None:
        order_store.upsert(conn, [server], None, index_text=index_text)
    return found.key


def rebase(
    conn: sqlite3.Connection,
    entry_id: int,
    changes: dict[str, Any],
    server_json: dict[str, Any],
    *,
    index_text: bool,
) -> None:
    """Make an entry carry ``changes`` made from the server's version
    ``server_json`` (PENDING again), and store that version with the
    unconfirmed updates applied."""
    found = outbox.entry(conn, entry_id)
    if found is None:
        raise CacheError(f"There is no outbox entry {entry_id}.")
    base_values = {name: server_json.get(name) for name in changes}
    outbox.rebase(
        conn,
        entry_id,
        outbox.dump_changes(changes),
        server_json.get("updateTimestamp"),
        base_values,
    )
    order_store.upsert(conn, [server_json], None, index_text=index_text)
