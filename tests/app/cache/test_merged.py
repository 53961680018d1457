"""MergedCaches: several stores' caches read as one list. For random queries
(filters, searches of every length, every sort key and direction, pages
anywhere in the list) the merged page, count and position of an order are
those of a naive merge of each store's own rows — with ties and NULL sort
values, order numbers that every store shares, caches still being filled by
a first sync, more stores than SQLite attaches to one connection, and a
store whose damaged cache was replaced."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cache import OrderCache
from app.cache import merged as merged_module
from app.cache.merged import MAX_ATTACHED, MergedCaches, qualify, sqlite_order
from app.cache.planner import SORT_COLUMNS
from app.domain.queries import OrderQuery, SortKey
from app.domain.statuses import FulfillmentStatus, PaymentStatus
from app.sandbox.seed import OrderSeeder
from tests.helpers.sandbox import FIXED_NOW

PROPERTY = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
STORE_ID = 4870020


def _orders(count: int, number: int) -> list[dict[str, Any]]:
    """A store's orders: its own seed (every store numbers its orders from
    1001), plus orders without dates or totals (NULL sort values) and twins
    sharing one created date."""
    seeded = [
        json.loads(o.body) for o in OrderSeeder(count, 7 + number, FIXED_NOW, STORE_ID + number)
    ]
    made = []
    for index, order in enumerate([o for o in seeded if o.get("id")][:3]):
        copied = copy.deepcopy(order)
        copied["id"] = f"NULLS-{number}-{index}"
        copied["orderNumber"] = 950_000 + index
        for field in ("createDate", "createTimestamp", "updateDate", "updateTimestamp"):
            copied.pop(field, None)
        copied["total"] = None
        made.append(copied)
    for index in range(3):
        twin = copy.deepcopy(seeded[5])
        twin["id"] = f"TWIN-{number}-{index}"
        twin["orderNumber"] = 960_000 + index
        made.append(twin)
    half = len(seeded) // 2
    return seeded[:half] + made + seeded[half:]


def _fill(path: Path, orders: list[dict[str, Any]], *, indexed: bool) -> OrderCache:
    cache = OrderCache.open(path)
    for start in range(0, len(orders), 100):
        cache.upsert_orders(orders[start : start + 100], generation=1)
    if indexed:
        cache.delete_unseen(1)
    return cache


@dataclass
class Stores:
    caches: list[OrderCache]
    merged: MergedCaches
    orders: list[list[dict[str, Any]]]

    @property
    def numbers(self) -> list[int]:
        return list(range(len(self.caches)))


@pytest.fixture(scope="module", params=["indexed", "filling"])
def stores(request, tmp_path_factory) -> Iterator[Stores]:
    folder = tmp_path_factory.mktemp("merged")
    orders = [_orders(count, n) for n, count in enumerate((160, 90, 130))]
    caches = [
        _fill(folder / f"store-{n}.sqlite3", found, indexed=request.param == "indexed")
        for n, found in enumerate(orders)
    ]
    merged = MergedCaches([lambda cache=cache: cache for cache in caches])
    yield Stores(caches, merged, orders)
    merged.close()
    for cache in caches:
        cache.close()


def naive(caches: list[OrderCache], query: OrderQuery, numbers: list[int]) -> list[tuple[int, str]]:
    """Each store's own rows, merged by (sort value, rid, store) in Python."""
    column = SORT_COLUMNS[SortKey(query.sort)][0]
    listed = []
    for number in numbers:
        cache = caches[number]
        rows = cache.rows(query, 0, 100_000)
        with cache._raw_connection() as conn:  # noqa: SLF001 - the sort values, as stored
            values = {
                key: (value, rid)
                for key, value, rid in conn.execute(f"SELECT key, {column}, rid FROM orders")
            }
        for row in rows:
            value, rid = values[row.key]
            listed.append(((sqlite_order(value), rid, number), row.key))
    listed.sort(key=lambda item: item[0], reverse=query.descending)
    return [(number, key) for (_, _, number), key in listed]


def _queries(orders: list[dict[str, Any]]) -> st.SearchStrategy[OrderQuery]:
    names = sorted(
        {
            word
            for order in orders
            for person in (order.get("billingPerson") or {},)
            for word in str(person.get("name") or "").split()
        }
    )
    words = st.sampled_from(names).flatmap(
        lambda word: st.sampled_from([word, word[:1], word[:2], word[1:4].lower()])
    )
    filters = st.one_of(
        st.just({}),
        st.fixed_dictionaries(
            {"payment_status": st.lists(st.sampled_from(list(PaymentStatus)), min_size=1)}
        ),
        st.fixed_dictionaries(
            {"fulfillment_status": st.lists(st.sampled_from(list(FulfillmentStatus)), min_size=1)}
        ),
        st.fixed_dictionaries({"text": words}),
        st.fixed_dictionaries(
            {"total_from": st.integers(0, 150), "total_to": st.integers(100, 400)}
        ),
        st.fixed_dictionaries({"include_incomplete": st.just(True)}),
        st.fixed_dictionaries({"order_number": st.lists(st.integers(1000, 1100), min_size=1)}),
        st.fixed_dictionaries({"coupon_code": st.sampled_from(["WELCOME10", "SPRING-10"])}),
    )
    return st.builds(
        lambda fields, sort, descending: OrderQuery(**fields, sort=sort, descending=descending),
        filters,
        st.sampled_from(list(SortKey)),
        st.booleans(),
    )


@pytest.mark.parametrize(
    "apart_upto",
    [merged_module.APART_UPTO, 0],
    ids=["first pages read apart", "every page in one statement"],
)
def test_pages_counts_and_positions_are_a_merge_of_each_stores_own(stores, apart_upto, monkeypatch):
    monkeypatch.setattr(merged_module, "APART_UPTO", apart_upto)
    everything = [order for found in stores.orders for order in found]

    @PROPERTY
    @given(
        query=_queries(everything),
        offset=st.integers(0, 400),
        limit=st.integers(1, 250),
        picks=st.randoms(use_true_random=False),
    )
    def check(query: OrderQuery, offset: int, limit: int, picks) -> None:
        expected = naive(stores.caches, query, stores.numbers)
        found = stores.merged.rows(query, offset, limit, stores.numbers)
        assert [(item.store, item.row.key) for item in found] == expected[offset : offset + limit]
        assert sum(stores.merged.counts(query, stores.numbers)) == len(expected)
        for index in picks.sample(range(len(expected)), min(6, len(expected))):
            number, key = expected[index]
            assert stores.merged.position(query, number, key, stores.numbers) == index
        first = stores.merged.first_rows(query, limit, stores.numbers)
        assert [(item.store, item.row.key) for item in first] == expected[:limit]

    check()


def test_every_store_shares_order_numbers_and_each_row_stays_its_stores(stores):
    query = OrderQuery(order_number=[1001], include_incomplete=True)
    found = stores.merged.rows(query, 0, 10, stores.numbers)
    assert sorted(item.store for item in found) == [0, 1, 2]
    for item in found:
        assert item.row.number.endswith("1001") or item.row.number == "1001"
        assert stores.caches[item.store].order_json(item.row.key) is not None


def test_a_subset_of_stores_and_stores_one_after_another(stores):
    query = OrderQuery(sort=SortKey.TOTAL, descending=False)
    only = [2, 0]
    expected = naive(stores.caches, query, sorted(only))
    found = stores.merged.rows(query, 0, 1000, only)
    assert [(item.store, item.row.key) for item in found] == expected
    assert stores.merged.position(query, 1, stores.caches[1].rows(query, 0, 1)[0].key, only) is None

    # one store after another, each in the query's order
    listed = [
        (number, row.key) for number in only for row in stores.caches[number].rows(query, 0, 10_000)
    ]
    found = stores.merged.rows(query, 0, 10_000, only, concatenate=True)
    assert [(item.store, item.row.key) for item in found] == listed
    for index in (0, 5, len(listed) // 2, len(listed) - 1):
        number, key = listed[index]
        assert stores.merged.position(query, number, key, only, concatenate=True) == index
    page = stores.merged.rows(query, 150, 40, only, concatenate=True)
    assert [(item.store, item.row.key) for item in page] == listed[150:190]


def test_a_page_at_the_end_reads_the_end(stores):
    query = OrderQuery(sort=SortKey.CUSTOMER)
    expected = naive(stores.caches, query, stores.numbers)
    found = stores.merged.rows(query, len(expected) - 7, 200, stores.numbers)
    assert [(item.store, item.row.key) for item in found] == expected[-7:]
    assert stores.merged.rows(query, len(expected), 10, stores.numbers) == []


def test_more_stores_than_one_connection_attaches(tmp_path):
    count = MAX_ATTACHED + 2
    orders = [_orders(20, number) for number in range(count)]
    caches = [
        _fill(tmp_path / f"store-{n}.sqlite3", found, indexed=True)
        for n, found in enumerate(orders)
    ]
    merged = MergedCaches([lambda cache=cache: cache for cache in caches])
    try:
        numbers = list(range(count))
        for query in (
            OrderQuery(),
            OrderQuery(sort=SortKey.PAYMENT_STATUS, descending=False),
            OrderQuery(text="an", sort=SortKey.NUMBER),
        ):
            expected = naive(caches, query, numbers)
            assert len({number for number, _ in expected}) == count
            for offset in (0, 37, len(expected) - 30):
                found = merged.rows(query, offset, 60, numbers)
                assert [(i.store, i.row.key) for i in found] == expected[offset : offset + 60]
            number, key = expected[len(expected) // 2]
            assert merged.position(query, number, key, numbers) == len(expected) // 2
    finally:
        merged.close()
        for cache in caches:
            cache.close()


def test_a_replaced_cache_is_attached_again(tmp_path):
    first = _fill(tmp_path / "a.sqlite3", _orders(30, 0), indexed=True)
    second = _fill(tmp_path / "b.sqlite3", _orders(30, 1), indexed=True)
    current = {"b": second}
    merged = MergedCaches([lambda: first, lambda: current["b"]])
    try:
        assert merged.counts(OrderQuery(), [0, 1]) == [
            first.count(OrderQuery()),
            second.count(OrderQuery()),
        ]
        before = merged.rows(OrderQuery(), 0, 500, [0, 1])
        assert {item.store for item in before} == {0, 1}
        # the second store's cache was found damaged: a new, empty one took its place
        second.close()
        current["b"] = OrderCache.open(tmp_path / "b-new.sqlite3")
        after = merged.rows(OrderQuery(), 0, 500, [0, 1])
        assert {item.store for item in after} == {0}
    finally:
        merged.close()
        first.close()
        current["b"].close()


def test_qualify_takes_every_table_from_the_store():
    sql = (
        "SELECT orders.rid FROM orders INDEXED BY orders_created WHERE "
        "EXISTS (SELECT 1 FROM order_text AS t WHERE t.rid = orders.rid) AND "
        "key IN (SELECT key FROM order_marks) ORDER BY orders.created_ts"
    )
    assert qualify(sql, "s3") == (
        "SELECT orders.rid FROM s3.orders INDEXED BY orders_created WHERE "
        "EXISTS (SELECT 1 FROM s3.order_text AS t WHERE t.rid = orders.rid) AND "
        "key IN (SELECT key FROM s3.order_marks) ORDER BY orders.created_ts"
    )
    joined = "SELECT 1 FROM orders_fts JOIN orders ON orders.rid = orders_fts.rowid"
    assert qualify(joined, "s0") == (
        "SELECT 1 FROM s0.orders_fts JOIN s0.orders ON orders.rid = orders_fts.rowid"
    )
    assert qualify("SELECT 1 FROM s1.orders", "s2") == "SELECT 1 FROM s1.orders"
    assert qualify("SELECT count(*) FROM (SELECT 1 FROM orders)", "s1") == (
        "SELECT count(*) FROM (SELECT 1 FROM s1.orders)"
    )
    # SQLite's own table-valued function belongs to no attached database
    known = "orders.rid IN (SELECT value FROM json_each(?))"
    assert qualify(f"SELECT 1 FROM orders WHERE {known}", "s1") == (
        f"SELECT 1 FROM s1.orders WHERE {known}"
    )
