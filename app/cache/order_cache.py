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

from . import deleted, filling, short_terms
from .cache_file import CacheFile
from .cache_marks import CacheMarks
from .cache_orders import CacheOrders
from .cache_records import CacheRecords
from .planner import (
    Where,
    build_where,
    count_sql,
    has_short_text,
    page_sql,
    position_sql,
    prefer_sort_index,
    short_words,
    sort_value_sql,
    split_count,
)
from .query import OrderQuery
from .rows import SELECT_ROW, CachedOrderRow, to_row

COUNT_CACHE_SIZE = 64


class OrderCache(CacheOrders, CacheMarks, CacheRecords, CacheFile):
    """The cached orders of one store. Open with :meth:`open` or :meth:`open_or_rebuild`."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        super().__init__(conn, path)
        self._counts: dict[tuple[Any, ...], int] = {}
        self._resolved: dict[str, str | None] = {}  # short words (app.cache.short_terms)
        self._counts_version: tuple[int, int] = (-1, -1)

    # -- queries -------------------------------------------------------------

    def count(self, query: OrderQuery | None = None) -> int:
        """How many cached orders ``query`` selects. A count that reads every
        order's text (:meth:`counts_slowly`) runs on a connection of its own,
        so the table's pages are not held up meanwhile."""
        query = query or OrderQuery()
        if query.deleted:
            return self._read("counting deleted orders", lambda conn: deleted.count(conn, query))

        def work(conn: sqlite3.Connection) -> tuple[int | None, Any]:
            self._fresh(conn)
            terms = self._terms(conn, query)
            if self._fts_upto is None and has_short_text(query, terms):
                where = build_where(query, terms=terms)
                key = ("count", *where.key)
                return self._counts.get(key), (where, key, self._counts_version)
            return self._count(conn, query, terms), None

        found, slow = self._read("counting orders", work)
        if found is not None or slow is None:
            return found
        where, key, version = slow
        sql, args = count_sql(where)
        found = self._read_aside("counting orders", lambda conn: conn.execute(sql, args).fetchone())
        with self._lock:
            if self._counts_version == version:
                self._counts[key] = found[0]
        return found[0]

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
            self._fresh(conn)
            terms = self._terms(conn, query)
            use_fts = self._fts_upto is None
            if use_fts and has_short_text(query, terms):
                # a common short word: never count here (that reads every order's
                # text); walk the sort index, which meets a match every few rows
                return _page(conn, query, offset, limit, True, None, terms)
            matching = self._count(conn, query, terms)
            if limit == 0 or offset >= matching:
                return []
            along: bool | None = None
            lead = None
            if not self._filling:
                along = prefer_sort_index(matching, self._count(conn, None), offset, limit)
                if not along:
                    lead = self._lead(conn, build_where(query, use_fts=use_fts, terms=terms))
            return _page(conn, query, offset, limit, along, lead, terms, use_fts=use_fts)

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
        """Whether counting ``query``'s matches reads every order's text (a
        search word of one or two characters that many orders hold, see
        :mod:`app.cache.short_terms`; or any short word while the search
        index is incomplete): show :meth:`first_rows` first, then
        :meth:`count` in the background — the table can say "counting…"
        meanwhile. A rare short word is counted from the index at once."""
        if query.deleted or not short_words(query):
            return False

        def work(conn: sqlite3.Connection) -> bool:
            self._fresh(conn)
            return has_short_text(query, self._terms(conn, query))

        return self._read("reading the cache", work)

    def first_rows(self, query: OrderQuery, limit: int = 200) -> list[CachedOrderRow]:
        """The first ``limit`` rows of ``query`` without counting its matches:
        read along the sort index, which stops as soon as the page is full."""
        limit = max(0, int(limit))
        if query.deleted:
            return self.rows(query, 0, limit)

        def work(conn: sqlite3.Connection) -> list[CachedOrderRow]:
            self._fresh(conn)  # (notices another connection's fill)
            if limit == 0:
                return []
            terms = self._terms(conn, query)
            along = None if self._filling else True
            return _page(conn, query, 0, limit, along, None, terms, self._fts_upto is None)

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
            self._fresh(conn)
            target = conn.execute(sort_value_sql(query), (key,)).fetchone()
            if target is None:
                return None
            rid, value = target
            terms = self._terms(conn, query)
            member, counts = position_sql(
                query, value, rid, use_fts=self._fts_upto is None, terms=terms
            )
            if not conn.execute(*member).fetchone()[0]:
                return None
            return sum(sign * conn.execute(sql, args).fetchone()[0] for sign, sql, args in counts)

        return self._read("finding an order's row", work)

    # -- counting ------------------------------------------------------------

    def _fresh(self, conn: sqlite3.Connection) -> None:
        """Forget remembered counts and short words when the data changed."""
        version = (self._writes, conn.execute("PRAGMA data_version").fetchone()[0])
        if version != self._counts_version:
            self._counts.clear()
            self._resolved.clear()
            self._counts_version = version
            # another connection (the sync's, when this one is the window's) may
            # have started or finished filling the cache, or indexed more text
            self._filling = filling.is_filling(conn)
            self._fts_upto = filling.coverage(conn)

    def _terms(self, conn: sqlite3.Connection, query: OrderQuery) -> dict[str, str | None]:
        """The FTS5 expressions of ``query``'s rare short words (see
        :mod:`app.cache.short_terms`); none while the search index is incomplete."""
        if self._fts_upto is not None:
            return {}
        found = {}
        for word in short_words(query):
            if word not in self._resolved:
                self._resolved[word] = short_terms.resolve(conn, word)
            found[word] = self._resolved[word]
        return found

    def _count(
        self,
        conn: sqlite3.Connection,
        query: OrderQuery | None,
        terms: dict[str, str | None] | None = None,
    ) -> int:
        """How many orders ``query`` selects (``None``: all), remembered until
        the data changes: the table asks for the count, then for pages."""
        self._fresh(conn)
        if query is None:
            return conn.execute("SELECT count(*) FROM orders").fetchone()[0]
        split = None if self._filling else split_count(query)
        if split is None:
            where = build_where(query, use_fts=self._fts_upto is None, terms=terms)
            return self._count_where(conn, where)
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
        :class:`~app.cache.planner.Driver`); ``None`` leaves it to SQLite."""
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


def _page(
    conn: sqlite3.Connection,
    query: OrderQuery,
    offset: int,
    limit: int,
    along: bool | None,
    lead: str | None,
    terms: dict[str, str | None] | None = None,
    use_fts: bool = True,
) -> list[CachedOrderRow]:
    """Rows ``offset`` to ``offset + limit`` of ``query``, read as planned."""
    sql, args = page_sql(
        query, offset, limit, along_sort_index=along, lead=lead, terms=terms, use_fts=use_fts
    )
    rids = [row[0] for row in conn.execute(sql, args)]
    if not rids:
        return []
    marks = ",".join("?" * len(rids))
    found = {row[0]: row for row in conn.execute(f"{SELECT_ROW} WHERE rid IN ({marks})", rids)}
    return [to_row(found[rid]) for rid in rids if rid in found]
