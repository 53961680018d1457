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
