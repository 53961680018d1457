"""The local order cache: :class:`OrderCache`.

One SQLite file per store (WAL, ``synchronous=NORMAL``, foreign keys on).
The table reads from it and the sync engine writes into it; it holds the
store's versions only (the user's edits wait in the outbox, a file of its
own, and show here as marks). One connection, guarded by a lock,
serves every thread, so any method may be called from a worker thread
(``asyncio.to_thread``). Every method that writes runs in one transaction.
Errors are :class:`CacheError` with a plain message; a damaged or foreign
file raises :class:`CacheCorruptError` (``open_or_rebuild`` moves it aside).

The class is composed of parts with one job each: the open file, its
lock and transactions (:mod:`~app.cache.cache_file`), storing and
reading single orders (:mod:`~app.cache.cache_orders`), the outbox's
marks and deleted orders (:mod:`~app.cache.cache_marks`), and sync
state, invoices and ECDP pushes (:mod:`~app.cache.cache_records`). This
module adds the table's queries: counting, paging and finding a row.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.domain.queries import OrderQuery

from . import deleted, filling
from .cache_file import CacheFile
from .cache_marks import CacheMarks
from .cache_orders import CacheOrders
from .cache_records import CacheRecords
from .planner import (
    Where,
    build_where,
    count_sql,
    exact_sql,
    exact_term,
    has_short_text,
    page_sql,
    pinned_before_sql,
    position_sql,
    prefer_sort_index,
    sort_value_sql,
    split_count,
)
from .rows import SELECT_ROW, CachedOrderRow, to_row

COUNT_CACHE_SIZE = 64


class OrderCache(CacheOrders, CacheMarks, CacheRecords, CacheFile):
    """The cached orders of one store. Open with :meth:`open` or :meth:`open_or_rebuild`."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        super().__init__(conn, path)
        self._counts: dict[tuple[Any, ...], int] = {}
        self._pins: dict[str, tuple[int, ...]] = {}  # by the query's JSON
        self._counts_version: tuple[int, int] = (-1, -1)

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
        ``query``'s order (ties broken by the internal id, so paging is stable),
        an order whose number or id is the searched word first (see
        :func:`~app.cache.planner.exact_sql`). Only indexed columns are read,
        never the stored JSON."""
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
            pinned = self._pinned(conn, query)
            head = list(pinned[offset : offset + limit])
            rest_offset, rest_limit = max(0, offset - len(pinned)), limit - len(head)
            rids = head
            if rest_limit > 0 and rest_offset < matching - len(pinned):
                along: bool | None = None
                lead = None
                if not self._filling:
                    along = prefer_sort_index(
                        matching, self._count(conn, None), rest_offset, rest_limit
                    )
                    if not along:
                        lead = self._lead(conn, build_where(query))
                rids += _page_rids(conn, query, rest_offset, rest_limit, along, lead, pinned)
            return _rows(conn, rids)

        return self._read("listing orders", work)

    def rows_of(self, keys: list[str]) -> list[CachedOrderRow]:
        """The rows of the cached orders ``keys`` (those cached; any order)."""
        wanted = list(dict.fromkeys(keys))

        def work(conn: sqlite3.Connection) -> list[CachedOrderRow]:
            found: list[CachedOrderRow] = []
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                found += [
                    to_row(values)
                    for values in conn.execute(f"{SELECT_ROW} WHERE key IN ({marks})", chunk)
                ]
            return found

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
            pinned = self._pinned(conn, query)
            along = None if self._filling else True
            rids = list(pinned[:limit])
            if limit > len(rids):
                rids += _page_rids(conn, query, 0, limit - len(rids), along, None, pinned)
            return _rows(conn, rids)

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
            pinned = self._pinned(conn, query)
            if rid in pinned:
                return pinned.index(rid)
            row = sum(sign * conn.execute(sql, args).fetchone()[0] for sign, sql, args in counts)
            if pinned:  # the pinned rows are on top, not where the sort puts them
                before = conn.execute(*pinned_before_sql(query, pinned, value, rid)).fetchone()[0]
                row += len(pinned) - before
            return row

        return self._read("finding an order's row", work)

    # -- counting ------------------------------------------------------------

    def _count(self, conn: sqlite3.Connection, query: OrderQuery | None) -> int:
        """How many orders ``query`` selects (``None``: all), remembered until
        the data changes: the table asks for the count, then for pages."""
        self._forget_if_changed(conn)
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

    def _forget_if_changed(self, conn: sqlite3.Connection) -> None:
        """Forget the counts and pins remembered when the data has changed since."""
        version = (self._writes, conn.execute("PRAGMA data_version").fetchone()[0])
        if version != self._counts_version:
            self._counts.clear()
            self._pins.clear()
            self._counts_version = version
            # another connection (the sync's, when this one is the window's) may
            # have started or finished filling the cache meanwhile
            self._filling = filling.is_filling(conn)

    def _pinned(self, conn: sqlite3.Connection, query: OrderQuery) -> tuple[int, ...]:
        """The ``rid`` of the orders listed first for ``query`` (the searched
        word is their number or id), remembered like the counts."""
        term = exact_term(query)
        if term is None:
            return ()
        self._forget_if_changed(conn)
        remembered = query.model_dump_json()
        found = self._pins.get(remembered)
        if found is None:
            sql, args = exact_sql(query, term, use_fts=not self._filling)
            found = tuple(row[0] for row in conn.execute(sql, args))
            if len(self._pins) >= COUNT_CACHE_SIZE:
                self._pins.clear()
            self._pins[remembered] = found
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
        :class:`~app.cache.planner.Driver`); ``None`` leaves it to SQLite."""
        if self._filling or where.fts is not None or len(where.drivers) < 2:
            return None
        best: tuple[int, str] | None = None
        for driver in sorted(where.drivers, key=lambda driver: driver.priority):
            cap = best[0] + 1 if best else 1 << 62
            sql, args = driver.count_sql(cap)

            def count(sql: str = sql, args: list[Any] = args) -> int:
                return int(conn.execute(sql, args).fetchone()[0])

            key = ("lead", driver.index, driver.condition, *driver.args, cap)
            rows = self._remember(key, count)
            if best is None or rows < best[0]:
                best = (rows, driver.index)
        return best[1] if best else None

    def _count_where(self, conn: sqlite3.Connection, where: Where) -> int:
        lead = self._lead(conn, where)

        def compute() -> int:
            sql, args = count_sql(where, index=lead)
            return conn.execute(sql, args).fetchone()[0]

        return self._remember(("count", *where.key), compute)


def _page_rids(
    conn: sqlite3.Connection,
    query: OrderQuery,
    offset: int,
    limit: int,
    along: bool | None,
    lead: str | None,
    exclude: tuple[int, ...] = (),
) -> list[int]:
    """The ``rid`` of rows ``offset`` to ``offset + limit`` of ``query`` (the
    ``exclude`` ones left out), read as planned."""
    sql, args = page_sql(query, offset, limit, along_sort_index=along, lead=lead, exclude=exclude)
    return [row[0] for row in conn.execute(sql, args)]


def _rows(conn: sqlite3.Connection, rids: list[int]) -> list[CachedOrderRow]:
    """The rows of ``rids``, in that order."""
    if not rids:
        return []
    marks = ",".join("?" * len(rids))
    found = {row[0]: row for row in conn.execute(f"{SELECT_ROW} WHERE rid IN ({marks})", rids)}
    return [to_row(found[rid]) for rid in rids if rid in found]
