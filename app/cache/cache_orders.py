"""The cached orders themselves in an :class:`~app.cache.order_cache.OrderCache`
(:class:`CacheOrders`): storing a sync's pages, removing orders, and
reading single orders by key. Listing and counting them is
:mod:`app.cache.order_cache`'s job.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from . import deleted, filling, order_count
from . import orders as order_store
from .cache_compaction import CacheCompaction
from .cache_records import put_state
from .errors import CacheCorruptError, sqlite_errors
from .prepared import PreparedOrder
from .rows import UpsertResult


class CacheOrders(CacheCompaction):
    """Upserts, deletions and single-order reads of the cache."""

    # -- orders --------------------------------------------------------------

    def upsert_orders(
        self,
        orders: Sequence[dict[str, Any] | PreparedOrder],
        generation: int | None = None,
        *,
        state: Mapping[str, str | None] | None = None,
    ) -> UpsertResult:
        """Store orders (raw Ecwid JSON, or prepared by
        :func:`~app.cache.prepared.prepare_page`) in one transaction: new ones
        are added, changed ones rewritten, byte-identical ones left alone (in
        neither list). ``generation`` is stored on every row given (unchanged
        ones too); without it, existing rows keep theirs and new rows get 0.
        ``state`` values (see :meth:`set_state`) are saved in the same
        transaction, e.g. a sync's checkpoint. The first full sync into an
        empty cache fills it fast (see :mod:`app.cache.filling`)."""

        def work(conn: sqlite3.Connection) -> tuple[UpsertResult, bool]:
            self._bodies.load(conn)  # (another connection may have trained a dictionary)
            fill = self._filling
            if not fill and generation is not None and orders and filling.is_empty(conn):
                filling.start(conn)  # a first full sync: build the indexes at its end
                fill = True
                self._fts_upto = 0
            result = order_store.upsert(
                conn, self._bodies, orders, generation, fts_upto=self._fts_upto
            )
            for name, value in (state or {}).items():
                put_state(conn, name, value)
            return result, fill

        with self._lock:
            result, self._filling = self._write("saving orders", work)
            if result.new:
                with sqlite_errors("updating the cache statistics"):
                    self._refresh_statistics()
                self._train_when_due()
        return result

    def insertion_mark(self) -> int:
        """A mark for :meth:`keys_inserted_after`: orders added later come after it."""
        return self._read(
            "reading the cache",
            lambda conn: conn.execute("SELECT coalesce(max(rid), 0) FROM orders").fetchone()[0],
        )

    def keys_inserted_after(self, mark: int) -> list[str]:
        """The keys of the cached orders added after :meth:`insertion_mark` gave ``mark``."""
        return self._read(
            "reading the cache",
            lambda conn: [
                row[0]
                for row in conn.execute(
                    "SELECT key FROM orders WHERE rid > ? ORDER BY rid", (mark,)
                )
            ],
        )

    def delete_orders(self, keys: Iterable[str]) -> list[str]:
        """Delete orders (with their bodies, search text and invoices); return
        the keys that were cached. Outbox entries of deleted orders stay."""
        wanted = [keys] if isinstance(keys, str) else list(keys)
        return self._write(
            "deleting orders",
            lambda conn: order_store.delete(conn, wanted, fts_upto=self._fts_upto),
        )

    def unseen_keys(self, generation: int) -> list[str]:
        """The orders :meth:`delete_unseen` would delete now."""
        return self._read(
            "reading the orders a sync did not see",
            lambda conn: order_store.unseen_keys(conn, generation),
        )

    def delete_unseen(self, generation: int) -> list[str]:
        """After a full sync that stamped ``generation`` on every order it saw:
        delete the orders with an older generation, except those with
        open edits in the outbox; return their keys. When the sync filled an
        empty cache, this also builds its indexes (a few seconds for 100,000
        orders; see :mod:`app.cache.filling`)."""

        def work(conn: sqlite3.Connection) -> list[str]:
            deleted = order_store.delete_unseen(conn, generation, fts_upto=self._fts_upto)
            if self._filling:
                filling.finish(conn)
            # the kept total against a real count, once a sync (after a fill, from its new
            # indexes: without them SQLite would count from the whole table)
            order_count.verify(conn)
            return deleted

        with self._lock:
            was_filling = self._filling
            deleted = self._write("removing orders deleted on the server", work)
            if was_filling:
                self._filling = False
                self._fts_upto = None
                self.analyze()
        return deleted

    def order_json(self, key: str) -> dict[str, Any] | None:
        """The full cached order as the store has it; a deleted one as it was
        when deleted."""

        def work(conn: sqlite3.Connection) -> dict[str, Any] | None:
            found = order_store.body(conn, self._bodies, key)
            return found if found is not None else deleted.body(conn, self._bodies, key)

        try:
            return self._read("reading an order", work)
        except CacheCorruptError as exc:
            raise CacheCorruptError(f"The cached order {key} is damaged: {exc}") from exc

    def order_numbers(self, keys: Iterable[str]) -> dict[str, str]:
        """``key -> the number the order is shown by``, for the cached (or
        deleted) orders among ``keys``."""
        wanted = list(dict.fromkeys(keys))

        def work(conn: sqlite3.Connection) -> dict[str, str]:
            found = deleted.numbers(conn, wanted) if not deleted.is_empty(conn) else {}
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                found.update(
                    conn.execute(f"SELECT key, number FROM orders WHERE key IN ({marks})", chunk)
                )
            return found

        return self._read("reading order numbers", work)

    def update_timestamps(self, keys: Iterable[str]) -> dict[str, int | None]:
        """``key -> the stored update timestamp`` of the cached orders among
        ``keys`` (None: the order carries none); orders not cached are left out.
        An incremental sync compares them with the store's."""
        wanted = list(dict.fromkeys(keys))

        def work(conn: sqlite3.Connection) -> dict[str, int | None]:
            found: dict[str, int | None] = {}
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                sql = f"SELECT key, updated_ts FROM orders WHERE key IN ({marks})"
                found.update(conn.execute(sql, chunk))
            return found

        return self._read("reading when orders last changed", work)

    def has_order(self, key: str) -> bool:
        return self._read(
            "reading an order",
            lambda conn: (
                conn.execute("SELECT 1 FROM orders WHERE key = ?", (key,)).fetchone() is not None
            ),
        )

    def find_by_reference(self, reference: str) -> list[tuple[str, str, str, bool]]:
        """The cached orders ``reference`` names exactly — by key, id, vendor
        number, or (digits) order number or internal id: ``(key, number as
        shown, customer, deleted)`` each, live orders first. Never a
        "closest" match: an unknown reference gives ``[]``."""
        ref = reference.strip()
        if not ref:
            return []
        digits = ref.isascii() and ref.isdigit() and len(ref) < 19
        number = int(ref) if digits else None

        def work(conn: sqlite3.Connection) -> list[tuple[str, str, str, bool]]:
            found: dict[str, tuple[str, str, str, bool]] = {}
            rows = conn.execute(
                # (order_id <> key: the id's index is partial, see exact_sql)
                "SELECT key, number, customer FROM orders WHERE key = ?1 "
                "OR (order_id = ?1 AND order_id IS NOT NULL AND order_id <> key) "
                "OR vendor_order_number = ?1 OR order_number = ?2 OR internal_id = ?2",
                (ref, number),
            )
            for key, shown, customer in rows:
                found[key] = (key, shown, customer, False)
            for key, shown, customer in deleted.find_by_reference(conn, ref, number):
                found.setdefault(key, (key, shown, customer, True))
            return list(found.values())

        return self._read("looking up an order", work)
