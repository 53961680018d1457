"""What the outbox says about cached orders, in an
:class:`~app.cache.order_cache.OrderCache` (:class:`CacheMarks`): each order's
mark (the worst state of its open edits, and whether a deletion of it waits)
and the deleted list.

The outbox itself lives in a file of its own; the marks here are its
projection, so the table can show and filter by them in SQL. The outbox
service writes them after every change of an edit and rewrites them all
when it opens (:meth:`replace_marks`), so a cache rebuilt from nothing, or a
crash between the two files, never leaves a wrong mark for long.

An order whose deletion waits is moved to the deleted list at once
(:meth:`set_aside`): it leaves every normal query. A refused or discarded
deletion puts it back (:meth:`put_back`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

from . import deleted
from . import orders as order_store
from .cache_file import CacheFile

Mark = tuple[int, bool]
"""``(severity of the worst open edit, whether a deletion waits)``."""


class CacheMarks(CacheFile):
    """The outbox's marks on the cached orders, and the deleted list."""

    def set_marks(self, marks: Mapping[str, Mark]) -> None:
        """Set the marks of these orders (``(0, False)``: no mark)."""
        rows = list(marks.items())
        self._write("marking orders", lambda conn: _set(conn, rows))

    def replace_marks(self, marks: Mapping[str, Mark]) -> None:
        """Make the marks exactly ``marks`` (every other order unmarked)."""
        rows = list(marks.items())

        def work(conn: sqlite3.Connection) -> None:
            conn.execute("DELETE FROM order_marks")
            _set(conn, rows)

        self._write("marking orders", work)

    def marks(self) -> dict[str, Mark]:
        return self._read(
            "reading marks",
            lambda conn: {
                key: (severity, bool(deleting))
                for key, severity, deleting in conn.execute(
                    "SELECT key, severity, deleting FROM order_marks"
                )
            },
        )

    # -- deleted orders ------------------------------------------------------

    def set_aside(self, keys: Iterable[str]) -> list[str]:
        """Orders whose deletion waits to be sent: move them to the deleted
        list (out of every normal query); return those that were cached."""
        wanted = [keys] if isinstance(keys, str) else list(keys)

        def work(conn: sqlite3.Connection) -> list[str]:
            moved = deleted.set_aside(conn, self._bodies, wanted, deleted.LOCAL)
            return order_store.delete(conn, moved, fts_upto=self._fts_upto)

        return self._write("setting deleted orders aside", work)

    def put_back(self, keys: Iterable[str]) -> list[str]:
        """Orders set aside here whose deletion was refused or discarded: back
        among the orders; return those put back."""
        wanted = [keys] if isinstance(keys, str) else list(keys)

        def work(conn: sqlite3.Connection) -> list[str]:
            back = []
            for key in wanted:
                body = deleted.take_back(conn, self._bodies, key)
                if body is not None:
                    order_store.upsert(conn, self._bodies, [body], None, fts_upto=self._fts_upto)
                    back.append(key)
            return back

        return self._write("putting an order back", work)

    def record_deleted(self, keys: Iterable[str]) -> list[str]:
        """Orders the store has deleted: move them from the orders to the
        deleted list (``OrderQuery(deleted=True)``); return those that were cached."""
        wanted = [keys] if isinstance(keys, str) else list(keys)

        def work(conn: sqlite3.Connection) -> list[str]:
            moved = deleted.set_aside(conn, self._bodies, wanted, deleted.SERVER)
            return order_store.delete(conn, moved, fts_upto=self._fts_upto)

        return self._write("setting deleted orders aside", work)

    def purge_deleted(self) -> int:
        """Empty the deleted list (after a full sync), but for orders whose
        deletion is still to be sent; return how many were removed."""
        return self._write("emptying the deleted list", deleted.purge)

    # -- edits of older versions ------------------------------------------------

    def legacy_outbox(self) -> list[dict[str, Any]]:
        """The edits an older Backroom kept inside this cache (to carry over
        to the outbox file), oldest first; ``[]`` when there are none."""

        def work(conn: sqlite3.Connection) -> list[dict[str, Any]]:
            exists = conn.execute(
                "SELECT 1 FROM sqlite_schema WHERE name = 'legacy_outbox'"
            ).fetchone()
            if not exists:
                return []
            conn.row_factory = sqlite3.Row
            try:
                return [
                    dict(row) for row in conn.execute("SELECT * FROM legacy_outbox ORDER BY id")
                ]
            finally:
                conn.row_factory = None

        return self._read("reading edits of an older version", work)

    def drop_legacy_outbox(self) -> None:
        """The legacy edits were carried over: put the store's versions of
        their orders back in place and drop the old tables."""

        def work(conn: sqlite3.Connection) -> None:
            exists = conn.execute(
                "SELECT 1 FROM sqlite_schema WHERE name = 'legacy_outbox'"
            ).fetchone()
            if not exists:
                return
            for _key, blob in conn.execute("SELECT key, body FROM legacy_server_bodies").fetchall():
                order = self._bodies.decode(conn, blob)
                order_store.upsert(conn, self._bodies, [order], None, fts_upto=self._fts_upto)
            conn.execute("DROP TABLE legacy_outbox")
            conn.execute("DROP TABLE legacy_server_bodies")

        self._write("carrying edits over", work)


def _set(conn: sqlite3.Connection, rows: list[tuple[str, Mark]]) -> None:
    for key, (severity, deleting) in rows:
        if severity or deleting:
            conn.execute(
                "INSERT OR REPLACE INTO order_marks (key, severity, deleting) VALUES (?, ?, ?)",
                (key, severity, 1 if deleting else 0),
            )
        else:
            conn.execute("DELETE FROM order_marks WHERE key = ?", (key,))
