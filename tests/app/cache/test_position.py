"""OrderCache.position: an order's row number in a query's result is where
rows() puts it, for every sort, direction, filter and search, with ties and
NULL sort values."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from app.cache import OrderCache
from app.domain.queries import OrderQuery, SortKey
from tests.app.cache import support as ref
from tests.helpers.sandbox import FIXED_NOW

Order = dict[str, Any]


def undated(orders: list[Order]) -> list[Order]:
    """Copies of some orders without created/updated dates and totals (NULL
    sort values), and twins sharing one created date (ties beyond status)."""
    made = []
    for index, order in enumerate([o for o in orders if o.get("id")][:6]):
        copied = copy.deepcopy(order)
        copied["id"] = f"NULLS-{index:03d}"
        copied["orderNumber"] = 950_000 + index
        copied["vendorOrderNumber"] = f"N{950_000 + index}"
        for field in ("createDate", "createTimestamp", "updateDate", "updateTimestamp"):
            copied.pop(field, None)
        if index % 2:
            copied["total"] = None
        made.append(copied)
    for index in range(4):
        twin = copy.deepcopy(orders[10])
        twin["id"] = f"TWIN-{index:03d}"
        twin["orderNumber"] = 960_000 + index
        twin["vendorOrderNumber"] = f"T{960_000 + index}"
        made.append(twin)
    return made


@pytest.fixture(scope="module", params=["indexed", "filling"])
def positioned(request, tmp_path_factory, orders) -> Iterator[OrderCache]:
    """The test orders plus :func:`undated` ones, interleaved so that the
    NULL rows get rids in the middle; "filling" has no indexes yet."""
    extra = undated(orders)
    everything = orders[:300] + extra + orders[300:]
    path = tmp_path_factory.mktemp("position") / "orders.sqlite3"
    with OrderCache.open(path) as cache:
        for start in range(0, len(everything), 100):
            cache.upsert_orders(everything[start : start + 100], generation=1)
        if request.param == "indexed":
            cache.delete_unseen(1)
        yield cache


def assert_positions(cache: OrderCache, query: OrderQuery) -> list[str]:
    """Every order's position is its index in rows(); others give None."""
    listed = [row.key for row in cache.rows(query, limit=100_000)]
    assert listed, f"the query selects nothing: {query}"
    for index, key in enumerate(listed):
        assert cache.position(query, key) == index, (query, key)
    with cache._raw_connection() as conn:  # noqa: SLF001 - every cached key
        every = [row[0] for row in conn.execute("SELECT key FROM orders")]
    outside = [key for key in every if key not in set(listed)]
    for key in outside[:40]:
        assert cache.position(query, key) is None, (query, key)
    return listed


@pytest.mark.parametrize("sort", list(SortKey))
@pytest.mark.parametrize("descending", [False, True])
def test_every_sort_and_direction_matches_rows(positioned, sort, descending):
    assert_positions(positioned, OrderQuery(sort=sort, descending=descending))


@pytest.mark.parametrize("descending", [False, True])
def test_ties_and_nulls(positioned, descending):
    # nine payment statuses among 600 orders: long runs of equal values
    listed = assert_positions(
        positioned, OrderQuery(sort=SortKey.PAYMENT_STATUS, descending=descending)
    )
    statuses = [row.payment_status for row in positioned.rows(OrderQuery(), limit=100_000)]
    assert len(set(statuses)) < len(listed) / 10
    # orders without a created date: first going up, last going down
    query = OrderQuery(sort=SortKey.CREATED, descending=descending)
    listed = assert_positions(positioned, query)
    nulls = [key for key in listed if key.startswith("NULLS-")]
    assert len(nulls) == 6
    ends = listed[-6:] if descending else listed[:6]
    assert sorted(ends) == sorted(nulls)
    # twins share a created date: ties broken by rid in the query's direction
    twins = [key for key in listed if key.startswith("TWIN-")]
    assert twins == sorted(twins, reverse=descending)
    # totals: a NULL total from the seed's variations plus three made here
    assert_positions(positioned, OrderQuery(sort=SortKey.TOTAL, descending=descending))


@pytest.mark.parametrize(
    "query",
    [
        OrderQuery(payment_status=["PAID"], sort=SortKey.CUSTOMER, descending=False),
        OrderQuery(fulfillment_status=["SHIPPED", "DELIVERED"], sort=SortKey.TOTAL),
        OrderQuery(include_incomplete=True, sort=SortKey.ITEMS),
        OrderQuery(payment_status="INCOMPLETE", sort=SortKey.CREATED, descending=False),
        OrderQuery(total_from=20, total_to=200, sort=SortKey.EMAIL),
        OrderQuery(created_from=FIXED_NOW.replace(year=FIXED_NOW.year - 1), sort=SortKey.UPDATED),
        OrderQuery(text="mail.example", sort=SortKey.NUMBER, descending=False),
        OrderQuery(text="a", sort=SortKey.PAYMENT_STATUS),  # a short term: no trigram
        OrderQuery(text="okafor", include_incomplete=True, sort=SortKey.CREATED),
        OrderQuery(keywords="linen", payment_status=["PAID", "AWAITING_PAYMENT"]),
        OrderQuery(customer="ok co", sort=SortKey.TRACKING_NUMBER),
        OrderQuery(payment_method="credit card", sort=SortKey.FULFILLMENT_STATUS),
    ],
    ids=lambda query: ",".join(
        f"{name}={value}" for name, value in query.model_dump(exclude_defaults=True).items()
    ),
)
def test_filters_and_searches_match_rows(positioned, query):
    assert_positions(positioned, query)


def test_order_number_overrides_other_filters(positioned, orders):
    wanted = [orders[5]["orderNumber"], orders[40]["orderNumber"], 950_001]
    query = OrderQuery(order_number=wanted, text="nothing-matches-this", sort=SortKey.TOTAL)
    assert len(assert_positions(positioned, query)) == 3


def test_unknown_order_and_empty_cache(positioned, cache):
    assert positioned.position(OrderQuery(), "NO-SUCH-ORDER") is None
    assert cache.position(OrderQuery(), "NO-SUCH-ORDER") is None


def test_position_follows_changes(cache, orders):
    cache.upsert_orders(orders[:50], generation=1)
    cache.delete_unseen(1)
    query = OrderQuery(sort=SortKey.CREATED)
    key = cache.rows(query, offset=20, limit=1)[0].key
    assert cache.position(query, key) == 20
    newer = copy.deepcopy(orders[60])
    newer["createTimestamp"] = int(FIXED_NOW.timestamp()) + 3600
    newer.pop("createDate", None)
    cache.upsert_orders([newer])
    assert cache.position(query, key) == 21
    assert cache.position(query, ref.key_of(newer)) == 0
