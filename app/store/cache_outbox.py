"""The user's changes in an :class:`~app.store.cache.OrderCache`
(:class:`CacheOutbox`): staging edits and deletions on the cached orders,
the outbox entries that wait to be sent and their states, and the list of
deleted orders.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from . import deleted, outbox, staging
from . import orders as order_store
from .cache_file import CacheFile
from .outbox import KEEP, OutboxEntry, OutboxState


class CacheOutbox(CacheFile):
    """Staged changes, the outbox and deleted orders of the cache."""

    # -- outbox --------------------------------------------------------------

    def stage_change(
        self, key: str, changes: dict[str, Any], base_update_timestamp: int | None
    ) -> int:
        """Apply the user's ``changes`` (API field names; objects merge, lists
        such as ``items`` are replaced whole) to the cached order and add a
        PENDING outbox entry, in one transaction. Returns the entry id; raises
        :class:`CacheError` if the order is not cached. The server's version
        stays readable (:meth:`server_order`)."""
        return self.stage_changes([(key, changes, base_update_timestamp)])[0]

    def stage_changes(self, changes: Sequence[tuple[str, dict[str, Any], int | None]]) -> list[int]:
        """:meth:`stage_change` for several ``(key, changes, base_update_timestamp)``
        in one transaction (all or none); returns the entry ids in order."""

        def work(conn: sqlite3.Connection) -> list[int]:
            index_text = not self._filling
            return [
                staging.stage_edit(conn, key, edit, base, index_text=index_text)
                for key, edit, base in changes
            ]

        return self._write("saving a change", work)

    def stage_delete(self, key: str) -> int:
        """Stage the deletion of order ``key``: it moves to the deleted list
        (out of every normal query) and a PENDING delete entry is added, in
        one transaction. Returns the entry id."""
        return self._write(
            "deleting an order",
            lambda conn: staging.stage_delete(conn, key, index_text=not self._filling),
        )

    def outbox_entry(self, entry_id: int) -> OutboxEntry | None:
        return self._read("reading the outbox", lambda conn: outbox.entry(conn, entry_id))

    def outbox(self, states: Iterable[OutboxState] | None = None) -> list[OutboxEntry]:
        """Outbox entries, oldest first (all of them, or those in ``states``).
        Confirmed entries are deleted, so they are never listed."""
        wanted = None if states is None else list(states)
        return self._read("reading the outbox", lambda conn: outbox.entries(conn, wanted))

    def mark_outbox(
        self,
        entry_id: int,
        state: OutboxState,
        *,
        reason: str | None = None,
        server_json: dict[str, Any] | None = None,
        base_update_timestamp: int | None | Any = KEEP,
    ) -> None:
        """Set an entry's state. CONFIRMED deletes the entry; FAILED adds one
        to ``attempts`` (and puts the order of a refused deletion back among
        the orders). ``reason`` and ``server_json`` replace the stored ones;
        ``base_update_timestamp``, if given, re-bases the entry."""
        self._write(
            "updating the outbox",
            lambda conn: staging.mark(
                conn,
                entry_id,
                state,
                reason,
                server_json,
                base_update_timestamp,
                index_text=not self._filling,
            ),
        )

    def requeue_outbox(self, entry_ids: Iterable[int]) -> None:
        """Make entries PENDING again to retry them (conflicts are left alone;
        the order of a retried deletion leaves the normal lists again)."""
        wanted = list(entry_ids)
        self._write(
            "updating the outbox",
            lambda conn: staging.requeue(conn, wanted, index_text=not self._filling),
        )

    def confirm_outbox(self, entry: OutboxEntry, fresh: dict[str, Any] | None) -> None:
        """The store confirmed ``entry``: delete it and store ``fresh`` (the
        order as the store now has it; ``None`` when it could not be read)."""
        self._write(
            "confirming a change",
            lambda conn: staging.confirm(conn, entry, fresh, index_text=not self._filling),
        )

    def drop_outbox(self, entry_id: int, server_json: dict[str, Any] | None = None) -> str:
        """Forget an unsent entry: the cached order becomes the server's
        version (``server_json``, else the one kept) with the remaining
        changes applied. Returns the order's key."""
        return self._write(
            "dropping a change",
            lambda conn: staging.drop(conn, entry_id, server_json, index_text=not self._filling),
        )

    def rebase_outbox(
        self, entry_id: int, changes: dict[str, Any], server_json: dict[str, Any]
    ) -> None:
        """Make an entry carry ``changes`` made from the server's version
        ``server_json`` (its ``updateTimestamp`` becomes the base) and send it
        again (PENDING); the cache stores that version with the changes applied."""
        self._write(
            "re-basing a change",
            lambda conn: staging.rebase(
                conn, entry_id, changes, server_json, index_text=not self._filling
            ),
        )

    # -- deleted orders ------------------------------------------------------

    def record_deleted(self, keys: Iterable[str]) -> list[str]:
        """Orders the store has deleted: move them from the orders to the
        deleted list (``OrderQuery(deleted=True)``); return those that were cached."""
        wanted = [keys] if isinstance(keys, str) else list(keys)

        def work(conn: sqlite3.Connection) -> list[str]:
            moved = deleted.set_aside(conn, wanted, deleted.SERVER)
            return order_store.delete(conn, moved, index_text=not self._filling)

        return self._write("setting deleted orders aside", work)

    def purge_deleted(self) -> int:
        """Empty the deleted list (after a full sync), but for orders whose
        deletion is still to be sent; return how many were removed."""
        return self._write("emptying the deleted list", deleted.purge)
