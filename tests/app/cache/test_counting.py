"""A query whose count reads many orders is answered page first, counted in
the background (on a connection of its own), with the same rows and the
same count; a page whose matches lie far along the sort index is found
through the filters' indexes instead, with the same rows."""

from __future__ import annotations

import pytest

from app.cache import counting
from app.cache import order_cache as cache_module
from app.domain.queries import OrderQuery, SortKey

QUERIES = [
    OrderQuery(),
    OrderQuery(payment_status=["PAID"], sort=SortKey.CUSTOMER),
    OrderQuery(fulfillment_status=["SHIPPED"], sort=SortKey.TOTAL, descending=False),
    OrderQuery(payment_status=["CANCELLED"], sort=SortKey.TRACKING_NUMBER),
    OrderQuery(total_from=20, sort=SortKey.NUMBER),
    OrderQuery(text="mug", sort=SortKey.EMAIL),
    OrderQuery(text="a", payment_status=["PAID", "REFUNDED"], sort=SortKey.UPDATED),
    OrderQuery(product_id=[71011], sort=SortKey.ITEMS, descending=False),
    OrderQuery(include_incomplete=True, sort=SortKey.FULFILLMENT_STATUS),
]


def _unfiltered(query):
    """Every order (or every finished one), in some order: always counted at once."""
    same = {"include_incomplete": query.include_incomplete, "sort": query.sort}
    return query == OrderQuery(**same, descending=query.descending)


def _everything(cache, query):
    return cache.rows(query, 0, 100_000)


@pytest.fixture(scope="module")
def expected(filled):
    filled._counts.clear()
    return [(query, _everything(filled, query), filled.count(query)) for query in QUERIES]


def test_big_counts_come_after_the_first_rows_with_the_same_answers(filled, expected, monkeypatch):
    monkeypatch.setattr(cache_module, "COUNT_CAP", 25)  # (in the app: 10,000)
    filled._counts.clear()
    for query, rows, count in expected:
        filled._counts.clear()
        if count >= 25:
            at_once = _unfiltered(query) and not (filled.filling and query == OrderQuery())
            assert filled.counts_slowly(query) != at_once, query
        assert filled.first_rows(query, 30) == rows[:30], query
        assert filled.rows(query, 30, 40) == rows[30:70], query
        assert filled.count(query) == count, query  # counted aside, then remembered
        assert filled.rows(query, 0, 100_000) == rows, query
    filled._counts.clear()


def test_a_walk_along_the_sort_index_that_takes_too_long_sorts_the_few_matches(
    filled, expected, monkeypatch
):
    monkeypatch.setattr(cache_module, "WALK_BUDGETS_S", (0.0, 0.0))  # every walk gives up
    for query, rows, _count in expected:
        filled._counts.clear()
        assert filled.first_rows(query, 30) == rows[:30], query
        assert filled.rows(query, 30, 40) == rows[30:70], query
    filled._counts.clear()


def test_every_order_is_counted_at_once_however_many(filled, monkeypatch):
    """The table as it opens and the status bar's total never wait for the
    background: SQLite counts a table from its smallest index's pages (while
    the first sync fills the cache, without the status index, the finished
    orders are counted later)."""
    monkeypatch.setattr(cache_module, "COUNT_CAP", 5)
    everything = OrderQuery(include_incomplete=True)
    finished = filled.rows(OrderQuery(), 0, 100_000)
    all_orders = filled.rows(everything, 0, 100_000)
    assert len(all_orders) > len(finished) > 5
    filled._counts.clear()
    assert filled.counts_slowly(OrderQuery()) == filled.filling
    assert not filled.counts_slowly(everything)
    assert filled.count(OrderQuery()) == len(finished)
    assert filled.count(everything) == len(all_orders)
    assert filled.counts_slowly(OrderQuery(payment_status=["PAID"]))
    filled._counts.clear()


def test_the_cap_is_a_count_of_index_entries(filled):
    assert counting.COUNT_CAP == cache_module.COUNT_CAP == 10_000


def test_planning_a_page_counts_every_order_once_until_the_data_changes(cache, orders):
    """Each page of a search is planned with the number of orders (along the
    sort index or led by the search index): it is remembered with the counts
    (each keystroke across three stores of 300,000 read it again), and read
    again once the data changed. (The file keeps it: app.cache.order_count.)"""
    cache.upsert_orders(orders[:150], generation=1)
    cache.delete_unseen(1)  # (the first sync's end: the indexes are built)
    conn = cache._live()
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        query = OrderQuery(text="mug")

        def totals() -> int:
            return sum(1 for s in statements if s.strip() == "SELECT orders FROM order_count")

        first = cache.rows(query, 0, 5)
        assert first and cache.rows(query, 0, 5) == first
        assert cache.rows(query, 5, 5) == cache.rows(query, 0, 10)[5:]
        assert totals() == 1
        cache.upsert_orders(orders[150:200])
        assert cache.rows(query, 0, 200) == cache.rows(query, 0, 200)
        assert totals() == 2
    finally:
        conn.set_trace_callback(None)


def _traced(conn, work):
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        return work(), statements
    finally:
        conn.set_trace_callback(None)


def test_a_search_s_pages_read_the_matches_its_count_found(cache, orders):
    """A search counted below the cap keeps its matches' ids: its pages read
    them, not the search index again (a search word of a dozen letters reads
    a dozen trigrams' lists each time), and few matches are sorted rather
    than looked for along the sort index. The same rows as before; a write
    forgets them (a new order that matches is listed)."""
    cache.upsert_orders(orders[:300], generation=1)
    cache.delete_unseen(1)  # (the first sync's end: the indexes are built)
    conn = cache._live()
    query = OrderQuery(text="mug")
    expected = [row.key for row in cache.rows(query, 0, 500)]
    assert 0 < len(expected) < counting.COUNT_CAP
    cache._counts.clear()  # (as a new search: not counted yet)
    cache._matched.clear()

    slowly, counted = _traced(conn, lambda: cache.counts_slowly(query))
    assert not slowly and any("orders_fts MATCH" in s for s in counted)
    for read in (lambda: cache.first_rows(query, 64), lambda: cache.rows(query, 0, 500)):
        rows, statements = _traced(conn, read)
        assert [row.key for row in rows] == expected[: len(rows)]
        assert not [s for s in statements if "MATCH" in s], statements
        assert any("json_each" in s for s in statements), statements

    new = dict(orders[300], items=[dict(orders[300]["items"][0], name="Mug of the new order")])
    cache.upsert_orders([new])
    assert cache.counts_slowly(query) is False
    keys = [row.key for row in cache.rows(query, 0, 500)]
    assert len(keys) == len(expected) + 1 and set(expected) < set(keys)


def test_every_store_s_page_of_a_search_reads_the_matches_their_counts_found(tmp_path, orders):
    """All stores: each store's part of a counted search's page reads its
    matches' ids (SQLite's ``json_each``, in no attached database), as one
    statement over the attached stores and as parts read apart."""
    from app.cache import OrderCache
    from app.cache.merged import MergedCaches

    caches = []
    for number, part in enumerate((orders[:200], orders[200:400])):
        cache = OrderCache.open(tmp_path / f"store-{number}.sqlite3")
        cache.upsert_orders(part, generation=1)
        cache.delete_unseen(1)
        caches.append(cache)
    merged = MergedCaches([lambda cache=cache: cache for cache in caches])
    try:
        query = OrderQuery(text="mug")
        expected = [(r.store, r.row.key) for r in merged.rows(query, 0, 500, [0, 1])]
        assert expected
        for cache in caches:
            cache._counts.clear()
            cache._matched.clear()
            assert cache.counts_slowly(query) is False  # (the window asks first)
            assert cache._matched
        (attached,) = merged._connections(caches)
        counted, statements = _traced(attached, lambda: merged.rows(query, 0, 500, [0, 1]))
        assert [(r.store, r.row.key) for r in counted] == expected
        (union,) = [s for s in statements if "UNION ALL" in s]
        assert "MATCH" not in union and union.count("json_each") == 2, union
        for cache in caches:  # (the first rows: each store's part read apart, on its own)
            cache._live().set_trace_callback(statements.append)
        statements.clear()
        try:
            first = merged.first_rows(query, 64, [0, 1])
        finally:
            for cache in caches:
                cache._live().set_trace_callback(None)
        assert [(r.store, r.row.key) for r in first] == expected[:64]
        assert not [s for s in statements if "MATCH" in s], statements
    finally:
        merged.close()
        for cache in caches:
            cache.close()
