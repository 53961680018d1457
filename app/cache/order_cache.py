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
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from app.domain.queries import OrderQuery

from . import deleted, filling, short_terms
from .cache_file import CacheFile
from .cache_marks import CacheMarks
from .cache_orders import CacheOrders
from .cache_records import CacheRecords
from .counting import COUNT_CAP, REMEMBERED, Counter, Terms
from .planner import (
    Matched,
    build_where,
    exact_sql,
    exact_term,
    has_short_text,
    page_sql,
    pinned_before_sql,
    position_sql,
    prefer_sort_index,
    short_words,
    sort_value_sql,
    tests_only_ids,
)
from .rows import SELECT_ROW, CachedOrderRow, to_row

WALK_BUDGETS_S = (0.02, 0.15)
"""How long a page is read along the sort index before sorting its matches
is considered: a short try, then (the matches being many) a longer one."""
SORT_CAP = 100_000
"""Matches up to which sorting them beats a long walk along the sort index."""


class OrderCache(CacheOrders, CacheMarks, CacheRecords, CacheFile):
    """The cached orders of one store. Open with :meth:`open` or :meth:`open_or_rebuild`."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        super().__init__(conn, path)
        self._counts: dict[tuple[Any, ...], int] = {}
        self._matched: dict[str, Matched] = {}  # a search's matches, for its pages
        self._resolved: dict[str, short_terms.Resolved] = {}  # (app.cache.short_terms)
        self._pins: dict[str, tuple[int, ...]] = {}  # by the query's JSON
        self._counts_version: tuple[int, int] = (-1, -1)

    # -- queries -------------------------------------------------------------

    def count(self, query: OrderQuery | None = None) -> int:
        """How many cached orders ``query`` selects. A count that reads many
        orders (:meth:`counts_slowly`) runs on a connection of its own, so
        the table's pages are not held up meanwhile."""
        query = query or OrderQuery()
        if query.deleted:
            return self._read("counting deleted orders", lambda conn: deleted.count(conn, query))

        def work(conn: sqlite3.Connection) -> tuple[int | None, Terms, tuple[int, int]]:
            self._fresh(conn)
            terms = self._terms(conn, query)
            found = None
            if not self._scans_text(query, terms):
                found = self._counter(conn).count(query, terms, COUNT_CAP)
            return found, terms, self._counts_version

        found, terms, version = self._read("counting orders", work)
        if found is not None:
            return found
        memo: dict[tuple[Any, ...], int] = {}
        found = self._read_aside(
            "counting orders", lambda side: self._counter(side, memo).count(query, terms)
        )
        assert found is not None
        with self._lock:
            if self._counts_version == version:  # (else the data changed meanwhile)
                self._counts.update(memo)
        return found

    def counts_slowly(self, query: OrderQuery) -> bool:
        """Whether counting ``query``'s matches reads many orders (more than
        :data:`~app.cache.counting.COUNT_CAP`, or every order's text for a
        search word of one or two characters that many orders hold, see
        :mod:`app.cache.short_terms`): show :meth:`first_rows` first, then
        :meth:`count` in the background — the table can say "counting…"
        meanwhile. Otherwise the count is known at once (and remembered).
        A search by words alone, one of them a short word that at least
        ``COUNT_CAP`` orders hold (its index's vocabulary says so), counts
        slowly without counting (with a filter beside it, it is counted: the
        filter may leave few, whose first screen a walk would look long for)."""
        if query.deleted:
            return False

        def work(conn: sqlite3.Connection) -> bool:
            self._fresh(conn)
            terms = self._terms(conn, query)
            if self._scans_text(query, terms):
                return True
            common = any(self._resolved[word].at_least >= COUNT_CAP for word in terms)
            if common and _words_only(query):  # (the cheap test first: a query model is made)
                return True  # (a short word that many orders hold: no need to count them)
            return self._counter(conn).count(query, terms, COUNT_CAP) is None

        return self._read("reading the cache", work)

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
            self._fresh(conn)
            terms = self._terms(conn, query)
            counter = self._counter(conn)
            matching = None
            if not self._scans_text(query, terms):
                matching = counter.count(query, terms, COUNT_CAP)
            if limit == 0 or (matching is not None and offset >= matching):
                return []
            pinned = self._pinned(conn, query, terms)
            head = list(pinned[offset : offset + limit])
            rest_offset, rest_limit = max(0, offset - len(pinned)), limit - len(head)
            rids = head
            if rest_limit <= 0 or (matching is not None and rest_offset >= matching - len(pinned)):
                return _rows(conn, rids)
            page = (query, rest_offset, rest_limit, terms, pinned)
            if matching is None:  # not counted yet (many orders): never count here
                rids += self._walk(conn, counter, *page, budget=True)
            elif self._filling:
                rids += self._page(conn, *page, along=None, lead=None, use_fts=False)
            else:
                total = counter.count(None, terms)
                assert total is not None
                where = build_where(query, use_fts=self._fts_upto is None, terms=terms)
                by_id = tests_only_ids(query, where)
                if prefer_sort_index(matching, total, rest_offset, rest_limit, by_id=by_id):
                    rids += self._walk(conn, counter, *page, budget=True)
                else:
                    rids += self._sorted(conn, counter, *page)
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
            pinned = self._pinned(conn, query, terms)
            rids = list(pinned[:limit])
            if limit > len(rids):
                counter = self._counter(conn)
                walked = self._walked_terms(conn, counter, terms)
                page = (query, 0, limit - len(rids), walked, pinned)
                if self._sorts_known_matches(counter, *page[:4]):  # (few: sort them)
                    rids += self._page(conn, *page, along=False, lead=None, use_fts=True)
                else:
                    rids += self._walk(conn, counter, *page, budget=True)
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
            pinned = self._pinned(conn, query, terms)
            if rid in pinned:
                return pinned.index(rid)
            row = sum(sign * conn.execute(sql, args).fetchone()[0] for sign, sql, args in counts)
            if pinned:  # the pinned rows are on top, not where the sort puts them
                before = conn.execute(*pinned_before_sql(query, pinned, value, rid)).fetchone()[0]
                row += len(pinned) - before
            return row

        return self._read("finding an order's row", work)

    # -- planning ------------------------------------------------------------

    def _fresh(self, conn: sqlite3.Connection) -> None:
        """Forget remembered counts, pins and short words when the data changed."""
        version = (self._writes, conn.execute("PRAGMA data_version").fetchone()[0])
        if version != self._counts_version:
            self._counts.clear()
            self._matched.clear()
            self._resolved.clear()
            self._pins.clear()
            self._counts_version = version
            # another connection (the sync's, when this one is the window's) may
            # have started or finished filling the cache, or indexed more text
            self._filling = filling.is_filling(conn)
            self._fts_upto = filling.coverage(conn)

    def _counter(
        self, conn: sqlite3.Connection, memo: dict[tuple[Any, ...], int] | None = None
    ) -> Counter:
        return Counter(
            conn,
            self._counts if memo is None else memo,
            indexed=not self._filling,
            use_fts=self._fts_upto is None,
            matched=self._matched if memo is None else None,
        )

    def _terms(self, conn: sqlite3.Connection, query: OrderQuery) -> Terms:
        """The FTS5 expressions of ``query``'s rare short words (see
        :mod:`app.cache.short_terms`); none while the search index is incomplete."""
        if self._fts_upto is not None:
            return {}
        found = {}
        for word in short_words(query):
            if word not in self._resolved:
                self._resolved[word] = short_terms.resolve(conn, word)
            found[word] = self._resolved[word].expression
        return found

    def _walked_terms(self, conn: sqlite3.Connection, counter: Counter, terms: Terms) -> Terms:
        """``terms`` for a first screen read along the sort index: the dense
        short words (:func:`app.cache.short_terms.dense`) matched in each
        order's text as the walk meets it, not through the index."""
        if not terms:
            return terms
        total = counter.count(None, terms)
        assert total is not None
        return {
            word: None if short_terms.dense(self._resolved[word], total) else expression
            for word, expression in terms.items()
        }

    def _page(
        self,
        conn: sqlite3.Connection,
        *page: Any,
        along: bool | None,
        lead: str | None,
        use_fts: bool,
    ) -> list[int]:
        """:func:`_page_rids`, reading the matches of searches counted already
        (:class:`~app.cache.planner.Matched`) instead of the search index."""
        return _page_rids(
            conn, *page, along=along, lead=lead, use_fts=use_fts, matched=self._matched
        )

    def _sorts_known_matches(
        self, counter: Counter, query: OrderQuery, offset: int, limit: int, terms: Terms
    ) -> bool:
        """Whether a page of a search by words alone is best read by sorting
        its matches, counted already (their ids kept: see
        :class:`~app.cache.planner.Matched`): when they are few, a walk along
        the sort index would pass many orders for each one it keeps."""
        if self._filling or self._fts_upto is not None:
            return False
        where = build_where(query, use_fts=True, terms=terms)
        if where.fts is None or where.conditions:
            return False
        known = self._matched.get(where.fts)
        matching = known.count if known is not None else counter.known(where)
        if matching is None:
            return False
        total = counter.count(None, terms)
        assert total is not None
        return not prefer_sort_index(matching, total, offset, limit, by_id=True)

    def _pinned(self, conn: sqlite3.Connection, query: OrderQuery, terms: Terms) -> tuple[int, ...]:
        """The ``rid`` of the orders listed first for ``query`` (the searched
        word is their number or id), remembered like the counts."""
        term = exact_term(query)
        if term is None:
            return ()
        self._fresh(conn)
        remembered = query.model_dump_json()
        found = self._pins.get(remembered)
        if found is None:
            sql, args = exact_sql(query, term, use_fts=self._fts_upto is None, terms=terms)
            found = tuple(row[0] for row in conn.execute(sql, args))
            if len(self._pins) >= REMEMBERED:
                self._pins.clear()
            self._pins[remembered] = found
        return found

    def _scans_text(self, query: OrderQuery, terms: Terms) -> bool:
        """Whether ``query``'s matches are found by scanning every order's
        text: a common short word, or any word while the search index is
        incomplete (a first sync filling the cache, an upgrade rebuilding it)."""
        if self._fts_upto is None:
            return has_short_text(query, terms)
        searches = (query.text, query.keywords, query.customer)
        return not query.order_number and any(term is not None for term in searches)

    def _walk(
        self,
        conn: sqlite3.Connection,
        counter: Counter,
        query: OrderQuery,
        offset: int,
        limit: int,
        terms: Terms,
        exclude: tuple[int, ...] = (),
        *,
        budget: bool = False,
    ) -> list[int]:
        """The ``rid`` of a page (``exclude`` left out) read along the sort
        index, which stops at the page. With
        ``budget``, a walk that runs past :data:`WALK_BUDGETS_S` — its
        matches lie far along the index, e.g. cancelled orders, which have no
        tracking number, sorted by tracking number — gives way to finding
        them through the filters' indexes and sorting them, when they are
        fewer than :data:`SORT_CAP` (more cost more to sort than to walk on;
        a text search is always walked: each of its matches would have to be
        looked up to be sorted)."""
        use_fts = self._fts_upto is None
        page = (query, offset, limit, terms, exclude)
        if self._filling:
            return self._page(conn, *page, along=None, lead=None, use_fts=False)
        where = build_where(query, use_fts=use_fts, terms=terms)
        if not budget or where.fts is not None or self._scans_text(query, terms):
            return self._page(conn, *page, along=True, lead=None, use_fts=use_fts)
        for seconds in WALK_BUDGETS_S:
            found = _page_within(conn, seconds, *page, use_fts=use_fts, matched=self._matched)
            if found is not None:
                return found
            if counter.count(query, terms, SORT_CAP) is None:  # too many to sort
                return self._page(conn, *page, along=True, lead=None, use_fts=use_fts)
        return self._sorted(conn, counter, *page)

    def _sorted(
        self,
        conn: sqlite3.Connection,
        counter: Counter,
        query: OrderQuery,
        offset: int,
        limit: int,
        terms: Terms,
        exclude: tuple[int, ...] = (),
    ) -> list[int]:
        """The ``rid`` of a page of the matches (``exclude`` left out) found
        through the filters' indexes, sorted."""
        use_fts = self._fts_upto is None
        lead = counter.lead(build_where(query, use_fts=use_fts, terms=terms))
        page = (query, offset, limit, terms, exclude)
        return self._page(conn, *page, along=False, lead=lead, use_fts=use_fts)


def _words_only(query: OrderQuery) -> bool:
    """Whether ``query`` selects by its search words alone (no filter beside them)."""
    words = OrderQuery(
        text=query.text,
        keywords=query.keywords,
        customer=query.customer,
        include_incomplete=query.include_incomplete,
        sort=query.sort,
        descending=query.descending,
        stores=query.stores,
        by_store=query.by_store,
    )
    return query == words


def _page_within(
    conn: sqlite3.Connection,
    seconds: float,
    query: OrderQuery,
    offset: int,
    limit: int,
    terms: Terms,
    exclude: tuple[int, ...],
    *,
    use_fts: bool,
    matched: Mapping[str, Matched],
) -> list[int] | None:
    """The ``rid`` of a page along the sort index, or ``None`` when reading
    it takes longer than ``seconds``."""
    deadline = time.perf_counter() + seconds
    conn.set_progress_handler(lambda: time.perf_counter() > deadline, 2_000)
    try:
        page = (query, offset, limit, terms, exclude)
        return _page_rids(conn, *page, along=True, lead=None, use_fts=use_fts, matched=matched)
    except sqlite3.OperationalError as exc:
        if "interrupt" not in str(exc):
            raise
        return None
    finally:
        conn.set_progress_handler(None, 0)


def _page_rids(
    conn: sqlite3.Connection,
    query: OrderQuery,
    offset: int,
    limit: int,
    terms: Terms,
    exclude: tuple[int, ...],
    *,
    along: bool | None,
    lead: str | None,
    use_fts: bool,
    matched: Mapping[str, Matched] | None = None,
) -> list[int]:
    """The ``rid`` of rows ``offset`` to ``offset + limit`` of ``query`` (the
    ``exclude`` ones left out), read as planned (``matched``: see
    :class:`~app.cache.planner.Matched`)."""
    sql, args = page_sql(
        query,
        offset,
        limit,
        along_sort_index=along,
        lead=lead,
        terms=terms,
        use_fts=use_fts,
        exclude=exclude,
        matched=matched,
    )
    return [row[0] for row in conn.execute(sql, args)]


def _rows(conn: sqlite3.Connection, rids: list[int]) -> list[CachedOrderRow]:
    """The rows of ``rids``, in that order."""
    if not rids:
        return []
    marks = ",".join("?" * len(rids))
    found = {row[0]: row for row in conn.execute(f"{SELECT_ROW} WHERE rid IN ({marks})", rids)}
    return [to_row(found[rid]) for rid in rids if rid in found]
