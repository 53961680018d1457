"""Counting a query's matches, at once when that is cheap, else in the background.

SQLite counts by reading every matching index entry: ~0.3 µs each, so
"PAID" (77 % of a million orders) or a year of orders takes 100–200 ms to
count however good the index, while its first page, read along the sort
index, takes a few. So a count is first tried with a cap
(:data:`COUNT_CAP` entries of the narrowest index that can find them, a
few ms): below it the exact count is known at once; at the cap the query *counts slowly*
(:meth:`~app.cache.order_cache.OrderCache.counts_slowly`): the table shows
its first rows and counts the rest in the background, on a connection of
its own, and can say "counting…" meanwhile. The same holds for a search
word of one or two characters that many orders hold (its matches are found
by scanning every order's text: :mod:`app.cache.short_terms`). Counting
every order (no filter: the table as it opens, the status bar's total) is
always done at once: the total is kept in the file (:mod:`app.cache.order_count`),
and the unfinished orders left out are read from the status index.

:class:`Counter` does the counting for one connection, remembering what it
counted in a dictionary the cache keeps until the data changes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, MutableMapping
from typing import Any

from app.domain.queries import OrderQuery

from . import order_count
from .planner import (
    MATCHED_SQL,
    Driver,
    Matched,
    Where,
    build_where,
    capped_count_sql,
    count_sql,
    split_count,
)

COUNT_CAP = 10_000
"""Index entries a count reads before it is left to the background: counting
its matches may cost a lookup of each (the payment status of an order, to
leave unfinished ones out): ~10 ms at most."""
REMEMBERED = 64
"""Counts remembered until the data changes (the table asks for a count, then for pages)."""
MATCHED_CHARS = 2_000_000
"""The ids of searches' matches kept for their pages (:class:`~app.cache.planner.Matched`,
up to ``COUNT_CAP`` ids each: ~70 KB of JSON), in characters of JSON: 2 MB a
store at most (as many searches as counts are remembered, fewer when they match many)."""
NO_CAP = 1 << 62

Terms = dict[str, str | None]


class Counter:
    """Counts on ``conn`` into ``memo``; ``indexed``: the cache's secondary
    indexes exist (not while it fills); ``use_fts``: the search index is
    complete. A search counted below a cap keeps its matches' ids in
    ``matched``, by its index expression, for its pages."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        memo: MutableMapping[tuple[Any, ...], int],
        *,
        indexed: bool,
        use_fts: bool,
        matched: MutableMapping[str, Matched] | None = None,
    ) -> None:
        self.conn = conn
        self.memo = memo
        self.indexed = indexed
        self.use_fts = use_fts
        self.matched: MutableMapping[str, Matched] = {} if matched is None else matched

    def count(self, query: OrderQuery | None, terms: Terms, cap: int = NO_CAP) -> int | None:
        """How many orders ``query`` selects (``None``: all); ``None`` when
        that reaches ``cap`` (then it is not known yet)."""
        if query is None:  # (every page planned asks; kept in the file: app.cache.order_count)
            return self._remembered(("total",), lambda: order_count.read(self.conn))
        split = split_count(query) if self.indexed else None
        if split is None:
            return self.count_where(build_where(query, use_fts=self.use_fts, terms=terms), cap)
        everything, unfinished = split
        if not everything.conditions and everything.fts is None:
            # no filter (the table as it opens, and the status bar's total):
            # every order — kept in the file — minus the unfinished ones,
            # read from the status index: always known at once
            cap = NO_CAP
        found = self.count_where(everything, cap)
        if found:
            left_out = self.count_where(unfinished, cap)
            if left_out is None:
                return None
            found -= left_out
        return found

    def count_where(self, where: Where, cap: int = NO_CAP) -> int | None:
        if not where.conditions and where.fts is None:
            return self.count(None, {})  # every order: the total, counted once
        key = ("count", *where.key)
        found = self.memo.get(key)
        if found is not None:
            return found
        if cap < NO_CAP and self.indexed and where.drivers:
            # counting reads at least the narrowest candidate's rows: past the cap,
            # the count is left for later whatever it is
            narrowest = min(self._driver_count(driver, cap) for driver in where.drivers)
            if narrowest >= cap:
                return None
            cap = NO_CAP
        if cap < NO_CAP and where.fts is not None and not where.conditions:
            found = self._search_matches(where.fts, cap)
            if found is not None:
                self._remember(key, found)
            return found
        lead = self.lead(where)
        if cap >= NO_CAP:
            sql, args = count_sql(where, index=lead)
        else:
            sql, args = capped_count_sql(where, cap, index=lead)
        found = self.conn.execute(sql, args).fetchone()[0]
        if found >= cap:
            return None
        self._remember(key, found)
        return found

    def _search_matches(self, fts: str, cap: int) -> int | None:
        """How many orders the search index expression ``fts`` matches, or
        ``None`` from ``cap`` on; below it their ids are kept in ``matched``
        (SQLite lists them for little more than counting them)."""
        found, ids = self.conn.execute(MATCHED_SQL, (fts, cap)).fetchone()
        if found >= cap:
            return None
        kept = sum(len(matched.ids) for matched in self.matched.values())
        if len(self.matched) >= REMEMBERED or kept + len(ids) > MATCHED_CHARS:
            self.matched.clear()
        self.matched[fts] = Matched(found, ids)
        return int(found)

    def known(self, where: Where) -> int | None:
        """How many orders ``where`` selects, if counted already (else ``None``)."""
        if not where.conditions and where.fts is None:
            return self.memo.get(("total",))
        return self.memo.get(("count", *where.key))

    def lead(self, where: Where) -> str | None:
        """The index that should lead ``where`` when several could (see
        :class:`~app.cache.planner.Driver`); ``None`` leaves it to SQLite."""
        candidates = [driver for driver in where.drivers if driver.can_lead]
        if not self.indexed or where.fts is not None or len(candidates) < 2:
            return None
        best: tuple[int, str] | None = None
        for driver in sorted(candidates, key=lambda driver: driver.priority):
            # each candidate's count stops past the best so far (or the cap: then
            # the candidates tie and the usually narrower one leads)
            rows = self._driver_count(driver, best[0] + 1 if best else COUNT_CAP)
            if best is None or rows < best[0]:
                best = (rows, driver.index)
        return best[1] if best else None

    def _driver_count(self, driver: Driver, cap: int) -> int:
        """The candidate's rows, counted up to ``cap``."""
        sql, args = driver.count_sql(cap)
        return self._remembered(
            ("driver", driver.index, driver.condition, *driver.args, cap),
            lambda: self.conn.execute(sql, args).fetchone()[0],
        )

    def _remembered(self, key: tuple[Any, ...], compute: Callable[[], int]) -> int:
        found = self.memo.get(key)
        if found is None:
            found = compute()
            self._remember(key, found)
        return found

    def _remember(self, key: tuple[Any, ...], value: int) -> None:
        if len(self.memo) >= REMEMBERED:
            self.memo.clear()
        self.memo[key] = value
