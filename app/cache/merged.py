"""Several stores' caches read as one list of orders: :class:`MergedCaches`.

The view across stores (*All stores*) shows every store's orders in one
table, sorted and filtered as one. Each store keeps its own cache file; this
module reads them together without copying anything:

* **A page** merges each store's part: the planner's SQL for that store
  (planned with that store's own counts, so each store walks the index that
  suits it), selecting the sort value, the ``rid`` and the store's number.
  The first rows of a search counted later (:meth:`MergedCaches.first_rows`,
  each store's first :data:`APART_UPTO` rows at the most) are read at once,
  each part on its store's own connection in a worker thread (SQLite lets
  go of the interpreter while it reads), and merged here: over three stores
  they then cost about twice one store's on two cores, where one statement
  cost four to five times. Otherwise the parts are one SQL statement on a
  read-only connection that ATTACHes the stores' cache files, joined by
  ``UNION ALL`` under one ``ORDER BY value, rid, store LIMIT ? OFFSET ?``,
  so that SQLite skips the offset itself. The tie-break is the sort value,
  then ``rid``, then the store — not the store before ``rid``, which would
  make SQLite sort each group of equal values (every PAID order) before
  handing out the first.
  A page past the middle of the list is read from the other end (the
  reversed order, then reversed back), so the last page costs what the first
  does.
* **Counts** are the sum of the stores' counts, each from the store's own
  cache (which remembers them until its data changes).
* **The position** of an order is the sum, over the stores, of the orders
  that come before it in each: in its own store the cache's position; in a
  store before it (the tie-break) those up to and including its sort value
  and ``rid``, in a store after it those strictly before.

SQLite attaches at most 10 databases to one connection (the compile-time
limit, which a connection cannot raise). More stores are read in groups of
10, each group merged by SQLite as above and the groups merged here
(``heapq.merge`` over the groups' first ``offset + limit`` rows), so every
store is still in the list; a page deep in the list then costs about one
group's page per group.

The SQL of each store's part is the planner's page SQL with its table names
qualified by the store's schema (:func:`qualify`): the planner names tables
only after ``FROM`` and ``JOIN`` and refers to columns as ``orders.x``,
which SQLite resolves within each part.

With ``concatenate`` the stores are listed one after another (in the order
given), each in the query's order: the Store column's sort, and the deleted
orders (a short list kept until the next full sync, which each store's
cache reads with the planner's SQL under its own WITH clause,
:mod:`app.cache.deleted`).
"""

from __future__ import annotations

import heapq
import re
import sqlite3
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from app.domain.queries import OrderQuery, SortKey

from .counting import COUNT_CAP
from .errors import sqlite_errors
from .order_cache import OrderCache
from .planner import (
    SORT_COLUMNS,
    build_where,
    page_sql,
    position_sql,
    prefer_sort_index,
    tests_only_ids,
)
from .rows import SELECT_ROW, CachedOrderRow, to_row

MAX_ATTACHED = 10  # SQLITE_MAX_ATTACHED: what one connection can attach
APART_UPTO = 1_000  # rows of each store a page needs, up to which the parts are read apart
_PARTS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="merged-parts")
MERGED_CACHE_KIB = 8 * 1024  # page cache per attached store (the stores' own connections hold more)
_INT64_MAX = 2**63 - 1

# (json_each: SQLite's own table-valued function, in no attached schema)
_TABLE = re.compile(
    r"\b(FROM|JOIN)\s+(?!json_each\b)([A-Za-z_][A-Za-z0-9_]*)\b(?!\s*\.)", re.IGNORECASE
)
_SELECT_RIDS = "SELECT orders.rid FROM "
_PAGING = " LIMIT ? OFFSET ?"


def qualify(sql: str, schema: str) -> str:
    """``sql`` with every table it names after ``FROM`` or ``JOIN`` taken from
    the attached database ``schema`` (already qualified names are left alone)."""
    return _TABLE.sub(lambda match: f"{match.group(1)} {schema}.{match.group(2)}", sql)


@dataclass(frozen=True)
class MergedRow:
    """One order of the merged list: the store it comes from (its index in
    the readers given to :class:`MergedCaches`) and its row."""

    store: int
    row: CachedOrderRow


@dataclass(frozen=True)
class _Part:
    """One store's part of a page: SQL giving ``(value, rid, store)``, in
    the merged statement (``sql``: its schema's tables, no order or limit of
    its own) and on the store's own connection (``own_sql``: ordered, its
    first ``wanted`` rows)."""

    sql: str
    args: list[Any]
    own_sql: str
    own_args: list[Any]


def sqlite_order(value: Any) -> tuple[int, Any]:
    """A key that orders Python values the way SQLite orders them (NULL,
    then numbers, then text, then blobs; text by its bytes, as BINARY does)."""
    if value is None:
        return (0, 0)
    if isinstance(value, int | float):
        return (1, value)
    if isinstance(value, str):
        return (2, value)  # code point order is UTF-8 byte order
    return (3, bytes(value))


class MergedCaches:
    """The orders of several caches as one list. ``readers`` give each
    store's current read connection (a damaged cache set aside is replaced
    by a new one: the attachments follow). Thread-safe; every method reads
    SQLite, so call them off the GUI thread where the table has not
    measured them to be cheap."""

    def __init__(self, readers: Sequence[Callable[[], OrderCache]]) -> None:
        self._readers = list(readers)
        self._lock = threading.RLock()
        self._groups: list[sqlite3.Connection] = []
        self._attached: list[OrderCache] = []

    @property
    def caches(self) -> list[OrderCache]:
        return [reader() for reader in self._readers]

    def close(self) -> None:
        with self._lock:
            for conn in self._groups:
                conn.close()
            self._groups, self._attached = [], []

    # -- what the table asks ------------------------------------------------------

    def counts(self, query: OrderQuery, stores: Sequence[int]) -> list[int]:
        """How many orders ``query`` selects in each of ``stores``."""
        caches = self.caches
        return [caches[store].count(query) for store in stores]

    def rows(
        self,
        query: OrderQuery,
        offset: int,
        limit: int,
        stores: Sequence[int],
        *,
        concatenate: bool = False,
    ) -> list[MergedRow]:
        """Rows ``offset`` to ``offset + limit`` of the merged list of ``stores``."""
        offset, limit = max(0, int(offset)), max(0, int(limit))
        if limit == 0 or not stores:
            return []
        if concatenate or query.deleted:
            return self._concatenated(query, offset, limit, stores)
        counts = self.counts(query, stores)
        total = sum(counts)
        if offset >= total:
            return []
        limit = min(limit, total - offset)
        if offset > (total - offset - limit):  # nearer the end: read it from there
            flipped = query.model_copy(update={"descending": not query.descending})
            found = self._merged(flipped, total - offset - limit, limit, stores, counts)
            return found[::-1]
        return self._merged(query, offset, limit, stores, counts)

    def first_rows(
        self, query: OrderQuery, limit: int, stores: Sequence[int], *, concatenate: bool = False
    ) -> list[MergedRow]:
        """The first ``limit`` rows without counting every store's matches
        (for a search whose count reads every order): each store's part walks
        its sort index and stops when the page is full."""
        limit = max(0, int(limit))
        if limit == 0 or not stores:
            return []
        if concatenate or query.deleted:
            found: list[MergedRow] = []
            caches = self.caches
            for store in stores:
                rows = caches[store].first_rows(query, limit - len(found))
                found += [MergedRow(store, row) for row in rows]
                if len(found) >= limit:
                    break
            return found
        return self._merged(query, 0, limit, stores, None)

    def position(
        self,
        query: OrderQuery,
        store: int,
        key: str,
        stores: Sequence[int],
        *,
        concatenate: bool = False,
    ) -> int | None:
        """The 0-based row of order ``key`` of ``store`` in :meth:`rows` (same
        stores, same order), or ``None`` when the list leaves it out."""
        if store not in stores:
            return None
        caches = self.caches
        own = caches[store].position(query, key)
        if own is None:
            return None
        if concatenate or query.deleted:
            before = stores[: list(stores).index(store)]
            return sum(caches[other].count(query) for other in before) + own
        target = caches[store]._read(  # noqa: SLF001 - the cache package's own part
            "finding an order's row",
            lambda conn: conn.execute(_sort_value_sql(query), (key,)).fetchone(),
        )
        if target is None:
            return None
        rid, value = target
        row = own
        for other in stores:
            if other == store:
                continue
            comes_first = other < store if not query.descending else other > store
            # orders of a store listed first at the same value and rid come before it
            bound = rid + (1 if not query.descending else -1) if comes_first else rid
            row += _count_before(caches[other], query, value, bound)
        return row

    # -- merging ------------------------------------------------------------------

    def _merged(
        self,
        query: OrderQuery,
        offset: int,
        limit: int,
        stores: Sequence[int],
        counts: list[int] | None,
    ) -> list[MergedRow]:
        column = SORT_COLUMNS[SortKey(query.sort)][0]
        direction = "DESC" if query.descending else "ASC"
        wanted = offset + limit
        caches = self.caches
        parts: dict[int, _Part] = {}
        for position, store in enumerate(stores):
            if counts is not None and counts[position] == 0:
                continue
            part = _part(caches[store], query, wanted, column, store, first=counts is None)
            if part is not None:
                parts[store] = part
        if not parts:
            return []
        if counts is None and len(parts) > 1 and wanted <= APART_UPTO:  # (first rows)
            return self._merged_apart(caches, parts, offset, limit, query.descending)
        with self._lock:
            groups = self._connections(caches)
            chosen: list[list[tuple[Any, int, int]]] = []
            grouped: dict[int, list[int]] = {}
            for store in parts:
                grouped.setdefault(store // MAX_ATTACHED, []).append(store)
            single = len(grouped) == 1
            for number, members in sorted(grouped.items()):
                sql = " UNION ALL ".join(parts[store].sql for store in members)
                args = [arg for store in members for arg in parts[store].args]
                sql += f" ORDER BY 1 {direction}, 2 {direction}, 3 {direction}"
                sql += _PAGING
                args += [limit, offset] if single else [wanted, 0]
                with sqlite_errors("listing the orders of every store"):
                    chosen.append(groups[number].execute(sql, args).fetchall())
            if single:
                triples = chosen[0]
            else:
                merged = heapq.merge(
                    *chosen,
                    key=lambda t: (sqlite_order(t[0]), t[1], t[2]),
                    reverse=query.descending,
                )
                triples = list(merged)[offset : offset + limit]
            return self._rows_of(groups, triples)

    def _merged_apart(
        self,
        caches: list[OrderCache],
        parts: dict[int, _Part],
        offset: int,
        limit: int,
        descending: bool,
    ) -> list[MergedRow]:
        """A page near the top of the list: each store's part read on its own
        connection, all at once (SQLite lets go of the interpreter while it
        reads), and merged here. In one statement SQLite read the parts one
        after the other, and a search's part read its whole match first: the
        first page of three stores cost four to five times one store's."""
        reads = [_PARTS.submit(_read_part, caches[store], part) for store, part in parts.items()]
        chosen = [read.result() for read in reads]
        merged = heapq.merge(
            *chosen, key=lambda t: (sqlite_order(t[0]), t[1], t[2]), reverse=descending
        )
        triples = list(merged)[offset : offset + limit]
        with self._lock:
            return self._rows_of(self._connections(caches), triples)

    def _rows_of(
        self, groups: list[sqlite3.Connection], triples: list[tuple[Any, int, int]]
    ) -> list[MergedRow]:
        """The rows of ``(value, rid, store)`` triples, in their order."""
        wanted: dict[int, list[int]] = {}
        for _value, rid, store in triples:
            wanted.setdefault(store, []).append(rid)
        found: dict[tuple[int, int], CachedOrderRow] = {}
        for store, rids in wanted.items():
            marks = ",".join("?" * len(rids))
            sql = qualify(f"{SELECT_ROW} WHERE rid IN ({marks})", _schema(store))
            with sqlite_errors("listing the orders of every store"):
                for values in groups[store // MAX_ATTACHED].execute(sql, rids):
                    found[(store, values[0])] = to_row(values)
        return [
            MergedRow(store, found[(store, rid)])
            for _value, rid, store in triples
            if (store, rid) in found
        ]

    def _concatenated(
        self, query: OrderQuery, offset: int, limit: int, stores: Sequence[int]
    ) -> list[MergedRow]:
        found: list[MergedRow] = []
        caches = self.caches
        start = 0
        for store in stores:
            cache = caches[store]
            count = cache.count(query)
            end = start + count
            if end > offset and len(found) < limit:
                first = max(0, offset - start)
                rows = cache.rows(query, first, limit - len(found))
                found += [MergedRow(store, row) for row in rows]
            start = end
            if len(found) >= limit:
                break
        return found

    def _connections(self, caches: list[OrderCache]) -> list[sqlite3.Connection]:
        """One read-only connection per group of :data:`MAX_ATTACHED` stores,
        made again when a store's cache was replaced."""
        if self._attached != caches or not self._groups:
            for conn in self._groups:
                conn.close()
            self._groups = []
            for start in range(0, len(caches), MAX_ATTACHED):
                self._groups.append(_attach(caches, range(start, start + MAX_ATTACHED)))
            self._attached = list(caches)
        return self._groups


def _schema(store: int) -> str:
    return f"s{store}"


def _attach(caches: list[OrderCache], numbers: range) -> sqlite3.Connection:
    with sqlite_errors("opening every store's orders"):
        conn = sqlite3.connect(
            "file::memory:", uri=True, isolation_level=None, check_same_thread=False
        )
        try:
            conn.execute("PRAGMA query_only = 1")
            for store in numbers:
                if store >= len(caches):
                    break
                uri = f"{caches[store].path.resolve().as_uri()}?mode=ro"
                conn.execute("ATTACH DATABASE ? AS ?", (uri, _schema(store)))
                conn.execute(f"PRAGMA {_schema(store)}.cache_size = -{MERGED_CACHE_KIB:d}")
        except BaseException:
            conn.close()
            raise
    return conn


def _part(
    cache: OrderCache, query: OrderQuery, wanted: int, column: str, store: int, *, first: bool
) -> _Part | None:
    """The store's part of a merged page: its first ``wanted`` rows as the
    store's own cache would plan them (``first``: along the sort index
    without counting, as :meth:`OrderCache.first_rows` reads)."""

    def work(conn: sqlite3.Connection) -> tuple[str, list[Any]] | None:
        cache._fresh(conn)  # noqa: SLF001 - (notices another connection's fill)
        terms = cache._terms(conn, query)  # noqa: SLF001 - the short words found rare
        use_fts = cache._fts_upto is None  # noqa: SLF001
        if cache._filling:  # noqa: SLF001
            return page_sql(query, 0, wanted, along_sort_index=None, use_fts=False)
        counter = cache._counter(conn)  # noqa: SLF001 - remembered per query
        if first:  # (dense short words matched in the text as the walk meets them)
            terms = cache._walked_terms(conn, counter, terms)  # noqa: SLF001
        matching = None  # (not counted: many, or a common short word — walk)
        if not first and not cache._scans_text(query, terms):  # noqa: SLF001
            matching = counter.count(query, terms, COUNT_CAP)
            if matching == 0:
                return None
        along, lead = True, None
        if first and cache._sorts_known_matches(counter, query, 0, wanted, terms):  # noqa: SLF001
            along = False  # (a search counted already: its few matches, sorted)
        elif matching is not None:
            total = counter.count(None, terms)
            assert total is not None
            where = build_where(query, use_fts=use_fts, terms=terms)
            by_id = tests_only_ids(query, where)
            along = prefer_sort_index(matching, total, 0, min(wanted, matching), by_id=by_id)
            if not along:
                lead = counter.lead(where)
        return page_sql(
            query,
            0,
            wanted,
            along_sort_index=along,
            lead=lead,
            terms=terms,
            use_fts=use_fts,
            matched=cache._matched,  # noqa: SLF001 - a search's matches, known from its count
        )

    planned = cache._read("planning a page of every store", work)  # noqa: SLF001
    if planned is None:
        return None
    sql, args = planned
    if not sql.startswith(_SELECT_RIDS) or not sql.endswith(_PAGING):
        raise AssertionError(f"a page the merge cannot read: {sql[:80]}")
    cut = sql.rindex(" ORDER BY ")
    # "+" keeps a part led by a filter's index off the sort index (as the planner does)
    value = f"+orders.{column}" if sql[cut:].startswith(" ORDER BY +") else f"orders.{column}"
    body = f"SELECT {value}, orders.rid, {store:d} FROM {sql[len(_SELECT_RIDS) : cut]}"
    own = f"SELECT {value}, orders.rid, {store:d} FROM {sql[len(_SELECT_RIDS) :]}"
    return _Part(qualify(body, _schema(store)), list(args[:-2]), own, list(args))


def _read_part(cache: OrderCache, part: _Part) -> list[tuple[Any, int, int]]:
    """The part's rows, read on its store's own connection."""
    return cache._read(  # noqa: SLF001 - the store's own connection and lock
        "listing the orders of every store",
        lambda conn: conn.execute(part.own_sql, part.own_args).fetchall(),
    )


def _sort_value_sql(query: OrderQuery) -> str:
    column = SORT_COLUMNS[SortKey(query.sort)][0]
    return f"SELECT rid, {column} FROM orders WHERE key = ?"


def _count_before(cache: OrderCache, query: OrderQuery, value: Any, rid: int) -> int:
    """How many orders of ``cache`` that ``query`` selects come before the
    sort value ``value`` and ``rid`` (``rid`` of another store: a bound)."""
    rid = max(-_INT64_MAX, min(_INT64_MAX, rid))

    def work(conn: sqlite3.Connection) -> int:
        cache._fresh(conn)  # noqa: SLF001 - (notices another connection's fill)
        _member, counts = position_sql(
            query,
            value,
            rid,
            use_fts=cache._fts_upto is None,  # noqa: SLF001
            terms=cache._terms(conn, query),  # noqa: SLF001
        )
        return sum(sign * conn.execute(sql, args).fetchone()[0] for sign, sql, args in counts)

    return cache._read("finding an order's row", work)  # noqa: SLF001
