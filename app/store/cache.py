"""The local order cache: :class:`OrderCache`.

One SQLite file per store (WAL, ``synchronous=NORMAL``, foreign keys on).
The table reads from it, the sync engine writes into it, and every change
the user makes goes through its outbox. One connection, guarded by a lock,
serves every thread, so any method may be called from a worker thread
(``asyncio.to_thread``). Every method that writes runs in one transaction.
Errors are :class:`CacheError` with a plain message; a damaged or foreign
file raises :class:`CacheCorruptError` (``open_or_rebuild`` moves it aside).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar

from . import codec, deleted, ecdp_pushes, filling, invoice_prints, outbox, schema, staging
from . import orders as order_store
from .ecdp_pushes import EcdpPushRecord
from .errors import CacheCorruptError, CacheError, sqlite_errors
from .outbox import KEEP, OutboxEntry, OutboxState
from .planner import (
    Where,
    build_where,
    count_sql,
    has_short_text,
    page_sql,
    position_sql,
    prefer_sort_index,
    sort_value_sql,
    split_count,
)
from .prepared import PreparedOrder
from .query import OrderQuery
from .rows import SELECT_ROW, CachedOrderRow, UpsertResult, to_row

T = TypeVar("T")

CACHE_SIZE_KIB = 32 * 1024
BUSY_TIMEOUT_S = 10.0
COUNT_CACHE_SIZE = 64
_NO_INVOICE_VERSION = -1  # stands for update_timestamp=None


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]


class OrderCache:
    """The cached orders of one store. Open with :meth:`open` or :meth:`open_or_rebuild`."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn: sqlite3.Connection | None = conn
        self._lock = threading.RLock()
        self.path = path
        self._writes = 0  # own commits (PRAGMA data_version counts the others')
        with sqlite_errors("opening the cache"):
            self._filling = filling.is_filling(conn)
        self._counts: dict[tuple[Any, ...], int] = {}
        self._counts_version: tuple[int, int] = (-1, -1)
        self._analyzed_rows = self._stat_rows()

    # -- opening and closing -------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> OrderCache:
        """Open the cache at ``path``, creating or migrating it. Raises
        :class:`CacheCorruptError` for a damaged, non-SQLite or foreign file."""
        file = Path(path)
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CacheError(
                f"The order cache folder {file.parent} cannot be created: {exc.strerror}."
            ) from exc
        with sqlite_errors("opening the cache"):
            conn = sqlite3.connect(
                file, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
            )
        try:
            with sqlite_errors("opening the cache"):
                schema.check_file(conn)  # before anything writes to a file that may not be ours
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if str(mode).lower() != "wal":
                    conn.execute("PRAGMA journal_mode = TRUNCATE")
                for pragma in (
                    "synchronous = NORMAL",
                    "foreign_keys = ON",
                    "temp_store = MEMORY",
                    f"cache_size = -{CACHE_SIZE_KIB:d}",
                    "journal_size_limit = 67108864",
                    "wal_autocheckpoint = 8192",
                ):
                    conn.execute(f"PRAGMA {pragma}")
                if schema.pragma_int(conn, "user_version") < schema.SCHEMA_VERSION:
                    schema.migrate(conn)
                schema.check_tables(conn)
            return cls(conn, file)
        except BaseException:
            conn.close()
            raise

    @classmethod
    def open_or_rebuild(cls, path: str | os.PathLike[str]) -> tuple[OrderCache, Path | None]:
        """Open the cache; if the file is damaged or foreign, rename it (and its
        ``-wal``/``-shm``) to ``<name>.corrupt-<timestamp>`` and start a fresh
        one. Returns the cache and the moved file's new path (or ``None``)."""
        file = Path(path)
        try:
            return cls.open(file), None
        except CacheCorruptError:
            pass
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = file.with_name(f"{file.name}.corrupt-{stamp}")
        counter = 1
        while target.exists():
            counter += 1
            target = file.with_name(f"{file.name}.corrupt-{stamp}-{counter}")
        try:
            file.replace(target)
            for sidecar, moved in zip(_sidecars(file), _sidecars(target), strict=True):
                if sidecar.exists():
                    sidecar.replace(moved)
        except OSError as exc:
            raise CacheError(
                f"The order cache {file} is damaged and could not be moved aside: {exc.strerror}"
            ) from exc
        return cls.open(file), target

    def close(self) -> None:
        """Close the file (a no-op when closed already)."""
        with self._lock:
            conn, self._conn = self._conn, None
            if conn is None:
                return
            with contextlib.suppress(sqlite3.Error):
                conn.execute("PRAGMA optimize")
            conn.close()

    @property
    def closed(self) -> bool:
        return self._conn is None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- plumbing ------------------------------------------------------------

    def _live(self) -> sqlite3.Connection:
        if self._conn is None:
            raise CacheError("The order cache is closed.")
        return self._conn

    def _read(self, doing: str, work: Callable[[sqlite3.Connection], T]) -> T:
        with self._lock, sqlite_errors(doing):
            return work(self._live())

    def _write(self, doing: str, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` in one write transaction (rolled back on any error)."""
        with self._lock, sqlite_errors(doing):
            conn = self._live()
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = work(conn)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                raise
            finally:
                self._writes += 1
            return result

    def _count(self, conn: sqlite3.Connection, query: OrderQuery | None) -> int:
        """How many orders ``query`` selects (``None``: all), remembered until
        the data changes: the table asks for the count, then for pages."""
        version = (self._writes, conn.execute("PRAGMA data_version").fetchone()[0])
        if version != self._counts_version:
            self._counts.clear()
            self._counts_version = version
            # another connection (the sync's, when this one is the window's) may
            # have started or finished filling the cache meanwhile
            self._filling = filling.is_filling(conn)
        if query is None:
            return conn.execute("SELECT count(*) FROM orders").fetchone()[0]
        split = None if self._filling else split_count(query)
        if split is None:
            return self._count_where(conn, build_where(query, use_fts=not self._filling))
        everything, unfinished = split
        found = self._count_where(conn, everything)
        if found:
            found -= self._count_where(conn, unfinished)
        return found

    def _remember(self, key: tuple[Any, ...], compute: Callable[[], int]) -> int:
        found = self._counts.get(key)
        if found is None:
            found = compute()
            if len(self._counts) >= COUNT_CACHE_SIZE:
                self._counts.clear()
            self._counts[key] = found
        return found

    def _lead(self, conn: sqlite3.Connection, where: Where) -> str | None:
        """The index that should lead ``where`` when several could (see
        :class:`~app.store.planner.Driver`); ``None`` leaves it to SQLite."""
        if self._filling or where.fts is not None or len(where.drivers) < 2:
            return None
        best: tuple[int, str] | None = None
        for driver in sorted(where.drivers, key=lambda driver: driver.priority):
            cap = best[0] + 1 if best else 1 << 62
            sql, args = driver.count_sql(cap)
            rows = self._remember(
                ("lead", driver.index, driver.condition, *driver.args, cap),
                lambda sql=sql, args=args: conn.execute(sql, args).fetchone()[0],
            )
            if best is None or rows < best[0]:
                best = (rows, driver.index)
        return best[1] if best else None

    def _count_where(self, conn: sqlite3.Connection, where: Where) -> int:
        lead = self._lead(conn, where)

        def compute() -> int:
            sql, args = count_sql(where, index=lead)
            return conn.execute(sql, args).fetchone()[0]

        return self._remember(("count", *where.key), compute)

    def _stat_rows(self) -> int:
        """Rows of ``orders`` when the planner's statistics were last gathered."""
        with self._lock, sqlite_errors("reading the cache statistics"):
            conn = self._live()
            has_stats = conn.execute(
                "SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat1'"
            ).fetchone()
            if not has_stats:
                return 0
            row = conn.execute(
                "SELECT stat FROM sqlite_stat1 WHERE tbl = 'orders' AND idx IS NULL"
            ).fetchone()
            if row is None:
                row = conn.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'orders'").fetchone()
            return int(str(row[0]).split()[0]) if row else 0

    def _refresh_statistics(self) -> None:
        """Re-gather the query planner's statistics when the table has doubled
        since they were taken (``ANALYZE orders`` reads only the indexes:
        about 0.1 s for 100,000 orders)."""
        conn = self._live()
        rows = conn.execute("SELECT max(rid) FROM orders").fetchone()[0] or 0
        if self._filling or rows < 1000 or rows < 2 * self._analyzed_rows:
            return
        conn.execute("ANALYZE orders")
        self._analyzed_rows = rows

    # -- orders --------------------------------------------------------------

    def upsert_orders(
        self,
        orders: Sequence[dict[str, Any] | PreparedOrder],
        generation: int | None = None,
        *,
        state: Mapping[str, str | None] | None = None,
    ) -> UpsertResult:
        """Store orders (raw Ecwid JSON, or prepared by
        :func:`~app.store.prepared.prepare_page`) in one transaction: new ones
        are added, changed ones rewritten, byte-identical ones left alone (in
        neither list). ``generation`` is stored on every row given (unchanged
        ones too); without it, existing rows keep theirs and new rows get 0.
        Unconfirmed outbox changes are applied again on top of each order
        stored. ``state`` values (see :meth:`set_state`) are saved in the same
        transaction, e.g. a sync's checkpoint. The first full sync into an
        empty cache fills it fast (see :mod:`app.store.filling`)."""

        def work(conn: sqlite3.Connection) -> tuple[UpsertResult, bool]:
            fill = self._filling
            if not fill and generation is not None and orders and filling.is_empty(conn):
                filling.start(conn)  # a first full sync: build the indexes at its end
                fill = True
            result = order_store.upsert(conn, orders, generation, index_text=not fill)
            for name, value in (state or {}).items():
                _put_state(conn, name, value)
            return result, fill

        with self._lock:
            result, self._filling = self._write("saving orders", work)
            if result.new:
                with sqlite_errors("updating the cache statistics"):
                    self._refresh_statistics()
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
            lambda conn: order_store.delete(conn, wanted, index_text=not self._filling),
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
        unconfirmed outbox entries; return their keys. When the sync filled an
        empty cache, this also builds its indexes (a few seconds for 100,000
        orders; see :mod:`app.store.filling`)."""

        def work(conn: sqlite3.Connection) -> list[str]:
            deleted = order_store.delete_unseen(conn, generation, index_text=not self._filling)
            if self._filling:
                filling.finish(conn)
            return deleted

        with self._lock:
            was_filling = self._filling
            deleted = self._write("removing orders deleted on the server", work)
            if was_filling:
                self._filling = False
                self.analyze()
        return deleted

    def order_json(self, key: str) -> dict[str, Any] | None:
        """The full cached order (with any unconfirmed local changes applied);
        a deleted one as it was when deleted."""

        def work(conn: sqlite3.Connection) -> dict[str, Any] | None:
            found = order_store.body(conn, key)
            return found if found is not None else deleted.body(conn, key)

        try:
            return self._read("reading an order", work)
        except (zlib.error, ValueError) as exc:
            raise CacheCorruptError(f"The cached order {key} is damaged: {exc}") from exc

    def server_order(self, key: str) -> dict[str, Any] | None:
        """The cached server version of ``key``: as the last sync or send
        brought it, without unconfirmed local changes."""
        try:
            return self._read("reading an order", lambda conn: staging.server_version(conn, key))
        except (zlib.error, ValueError) as exc:
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

    def has_order(self, key: str) -> bool:
        return self._read(
            "reading an order",
            lambda conn: (
                conn.execute("SELECT 1 FROM orders WHERE key = ?", (key,)).fetchone() is not None
            ),
        )

    # -- queries -------------------------------------------------------------

    def count(self, query: OrderQuery | None = None) -> int:
        """How many cached orders ``query`` selects."""
        query = query or OrderQuery()
        if query.deleted:
            return self._read("counting deleted orders", lambda conn: deleted.count(conn, query))
        return self._read("counting orders", lambda conn: self._count(conn, query))

    def rows(
        self, query: OrderQuery | None = None, offset: int = 0, limit: int = 200
    ) -> list[CachedOrderRow]:
        """One page of the table: rows ``offset`` to ``offset + limit`` in
        ``query``'s order (ties broken by the internal id, so paging is stable).
        Only indexed columns are read, never the stored JSON."""
        query = query or OrderQuery()
        offset, limit = max(0, int(offset)), max(0, int(limit))
        if query.deleted:
            return self._read(
                "listing deleted orders", lambda conn: deleted.rows(conn, query, offset, limit)
            )

        def work(conn: sqlite3.Connection) -> list[CachedOrderRow]:
            matching = self._count(conn, query)
            if limit == 0 or offset >= matching:
                return []
            along: bool | None = None
            lead = None
            if not self._filling:
                along = prefer_sort_index(matching, self._count(conn, None), offset, limit)
                if not along:
                    lead = self._lead(conn, build_where(query))
            return _page(conn, query, offset, limit, along, lead)

        return self._read("listing orders", work)

    def counts_slowly(self, query: OrderQuery) -> bool:
        """Whether counting ``query``'s matches reads every order (a search
        word of one or two characters): show :meth:`first_rows` first, then count."""
        return not query.deleted and has_short_text(query)

    def first_rows(self, query: OrderQuery, limit: int = 200) -> list[CachedOrderRow]:
        """The first ``limit`` rows of ``query`` without counting its matches:
        read along the sort index, which stops as soon as the page is full."""
        limit = max(0, int(limit))
        if query.deleted:
            return self.rows(query, 0, limit)

        def work(conn: sqlite3.Connection) -> list[CachedOrderRow]:
            self._count(conn, None)  # (notices another connection's fill)
            if limit == 0:
                return []
            return _page(conn, query, 0, limit, None if self._filling else True, None)

        return self._read("listing orders", work)

    def position(self, query: OrderQuery, key: str) -> int | None:
        """The 0-based row of order ``key`` in :meth:`rows` of ``query`` (same
        filters, same order, same ties), or ``None`` when ``query`` does not
        select it. Counted by SQLite from the indexes, never by reading rows."""
        if query.deleted:
            return self._read(
                "finding a deleted order's row", lambda conn: deleted.position(conn, query, key)
            )

        def work(conn: sqlite3.Connection) -> int | None:
            target = conn.execute(sort_value_sql(query), (key,)).fetchone()
            if target is None:
                return None
            rid, value = target
            member, counts = position_sql(query, value, rid, use_fts=not self._filling)
            if not conn.execute(*member).fetchone()[0]:
                return None
            return sum(sign * conn.execute(sql, args).fetchone()[0] for sign, sql, args in counts)

        return self._read("finding an order's row", work)

    # -- sync state ----------------------------------------------------------

    def get_state(self, name: str, default: str | None = None) -> str | None:
        row = self._read(
            "reading the sync state",
            lambda conn: conn.execute(
                "SELECT value FROM sync_state WHERE name = ?", (name,)
            ).fetchone(),
        )
        return default if row is None else row[0]

    def set_state(self, name: str, value: str | None) -> None:
        """Store a named value (``None`` deletes it)."""

        self._write("saving the sync state", lambda conn: _put_state(conn, name, value))

    # -- invoices ------------------------------------------------------------

    def put_invoice(self, key: str, update_timestamp: int | None, html: str) -> None:
        """Store an order's invoice for the order version ``update_timestamp``.
        Only the newest version of each order's invoice is kept."""
        version = _NO_INVOICE_VERSION if update_timestamp is None else int(update_timestamp)
        blob = zlib.compress(html.encode("utf-8"), codec.COMPRESSION_LEVEL)

        def work(conn: sqlite3.Connection) -> None:
            conn.execute(
                "INSERT OR REPLACE INTO invoices (key, version, html, stored_at) "
                "VALUES (?, ?, ?, ?)",
                (key, version, blob, time.time()),
            )
            conn.execute(
                "DELETE FROM invoices WHERE key = ? AND version < "
                "(SELECT max(version) FROM invoices WHERE key = ?)",
                (key, key),
            )

        self._write("saving an invoice", work)

    def invoice(self, key: str) -> tuple[int | None, str] | None:
        """``(update_timestamp, html)`` of the newest stored invoice of ``key``."""
        row = self._read(
            "reading an invoice",
            lambda conn: conn.execute(
                "SELECT version, html FROM invoices WHERE key = ? ORDER BY version DESC LIMIT 1",
                (key,),
            ).fetchone(),
        )
        if row is None:
            return None
        version, blob = row
        try:
            html = zlib.decompress(blob).decode("utf-8")
        except (zlib.error, UnicodeDecodeError) as exc:
            raise CacheCorruptError(f"The cached invoice of order {key} is damaged.") from exc
        return (None if version == _NO_INVOICE_VERSION else version), html

    def record_printed(self, keys: Iterable[str], when: datetime) -> None:
        """Remember that the invoices of ``keys`` were printed (or saved as PDF)
        at ``when`` (aware); it replaces the time recorded before."""
        wanted = [keys] if isinstance(keys, str) else list(keys)
        stamp = when.timestamp()
        self._write(
            "recording printed invoices",
            lambda conn: invoice_prints.record(conn, wanted, stamp),
        )

    def printed_at(self, key: str) -> datetime | None:
        """When the invoice of ``key`` was last printed here (aware, UTC), or ``None``."""
        stamp = self._read(
            "reading when an invoice was printed",
            lambda conn: invoice_prints.printed_at(conn, key),
        )
        return None if stamp is None else datetime.fromtimestamp(stamp, UTC)

    # -- ECDP pushes ---------------------------------------------------------

    def orders_with_digests(self, keys: Iterable[str]) -> dict[str, tuple[bytes, dict[str, Any]]]:
        """``key -> (digest, order)`` of the cached orders among ``keys``, read
        together: the digest names the version a push was made from."""
        wanted = list(keys)
        try:
            return self._read(
                "reading orders", lambda conn: ecdp_pushes.bodies_with_digests(conn, wanted)
            )
        except (zlib.error, ValueError) as exc:
            raise CacheCorruptError(f"A cached order is damaged: {exc}") from exc

    def ecdp_pushes(
        self, keys: Iterable[str], target: str | None = None
    ) -> dict[str, EcdpPushRecord]:
        """The last push to ECDP of each of ``keys`` that has one (to ``target``,
        or each order's latest to any target)."""
        wanted = list(keys)
        return self._read(
            "reading ECDP pushes", lambda conn: ecdp_pushes.records(conn, wanted, target)
        )

    def ecdp_unconfirmed(self, keys: Iterable[str], target: str) -> list[str]:
        """Those of ``keys`` whose cached version ``target`` has not confirmed:
        never sent, changed since, or the last attempt failed."""
        wanted = list(keys)
        return self._read(
            "reading ECDP pushes", lambda conn: ecdp_pushes.unconfirmed_keys(conn, wanted, target)
        )

    def record_ecdp_pushes(self, pushes: Iterable[EcdpPushRecord]) -> None:
        """Save push attempts (confirmed or failed) in one transaction."""
        wanted = list(pushes)
        self._write("recording ECDP pushes", lambda conn: ecdp_pushes.record(conn, wanted))

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

    # -- maintenance ---------------------------------------------------------

    @property
    def filling(self) -> bool:
        """True while a first full sync fills the cache without indexes."""
        return self._filling

    def analyze(self) -> None:
        """Gather the query planner's statistics now (also done automatically)."""
        with self._lock, sqlite_errors("updating the cache statistics"):
            conn = self._live()
            if self._filling:
                return
            conn.execute("ANALYZE orders")
            self._analyzed_rows = conn.execute("SELECT count(*) FROM orders").fetchone()[0]

    @contextlib.contextmanager
    def _raw_connection(self) -> Iterator[sqlite3.Connection]:
        """The connection, locked (for tests and benchmarks)."""
        with self._lock:
            yield self._live()

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<OrderCache {self.path} ({state})>"


def _put_state(conn: sqlite3.Connection, name: str, value: str | None) -> None:
    if value is None:
        conn.execute("DELETE FROM sync_state WHERE name = ?", (name,))
    else:
        conn.execute(
            "INSERT INTO sync_state (name, value) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (name, str(value)),
        )


def _page(
    conn: sqlite3.Connection,
    query: OrderQuery,
    offset: int,
    limit: int,
    along: bool | None,
    lead: str | None,
) -> list[CachedOrderRow]:
    """Rows ``offset`` to ``offset + limit`` of ``query``, read as planned."""
    sql, args = page_sql(query, offset, limit, along_sort_index=along, lead=lead)
    rids = [row[0] for row in conn.execute(sql, args)]
    if not rids:
        return []
    marks = ",".join("?" * len(rids))
    found = {row[0]: row for row in conn.execute(f"{SELECT_ROW} WHERE rid IN ({marks})", rids)}
    return [to_row(found[rid]) for rid in rids if rid in found]
