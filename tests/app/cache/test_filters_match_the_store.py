"""The cache answers every search filter as the store does.

The demo store (the oracle: it answers from each order's JSON, sharing no
code with the client) serves seeded orders over loopback HTTP; the same
orders are synced into a cache, and into a second cache where all of them
are then seen deleted. Random combinations of filters (hypothesis), drawn
from the values the orders really hold, must select the same orders in all
three: through the client's search, the cache's SQL, and the deleted
list's Python filter. One order carries a total written by a float
computation (29.439999999999998), so total bounds of 29.44 are drawn too.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cache import OrderCache
from app.domain.queries import OrderQuery
from app.domain.raw_orders import raw_order_key
from app.domain.statuses import FulfillmentStatus, PaymentStatus
from app.ecwid import OrderFilters
from app.sandbox import SandboxServer
from tests.helpers import order_reference as ref
from tests.helpers.aio import run
from tests.helpers.sandbox import client_for, running_sandbox

ORDERS = 400
ARTEFACT = 29.439999999999998
EVERY_STATUS = OrderFilters(payment_status=list(PaymentStatus))
PROPERTY = settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


class Store:
    """The demo store, its orders as served, and the two caches synced from it."""

    def __init__(self, server: SandboxServer, orders: list[dict[str, Any]]) -> None:
        self.server = server
        self.orders = orders
        self.cache: OrderCache | None = None
        self.gone: OrderCache | None = None

    def search(self, filters: OrderFilters) -> set[str]:
        async def scenario() -> set[str]:
            async with client_for(self.server) as client:
                return {
                    raw_order_key(order)
                    async for page in client.iter_raw_pages(filters)
                    for order in page.items
                }

        return run(scenario())


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("match")
    with running_sandbox(folder / "sandbox.sqlite3", orders=ORDERS) as server:

        async def prepare() -> list[dict[str, Any]]:
            async with client_for(server) as client:
                first = (await client.search_orders_raw(EVERY_STATUS, limit=1)).items[0]
                await client.update_order(raw_order_key(first), {"total": ARTEFACT})
                return [
                    order
                    async for page in client.iter_raw_pages(EVERY_STATUS)
                    for order in page.items
                ]

        orders = run(prepare())
        assert len(orders) == ORDERS and any(o["total"] == ARTEFACT for o in orders)
        found = Store(server, orders)
        with (
            OrderCache.open(folder / "cache.sqlite3") as cache,
            OrderCache.open(folder / "gone.sqlite3") as gone,
        ):
            for target in (cache, gone):
                for start in range(0, ORDERS, 100):
                    target.upsert_orders(orders[start : start + 100], generation=1)
                target.delete_unseen(1)
            gone.record_deleted([raw_order_key(o) for o in orders])
            found.cache, found.gone = cache, gone
            yield found


def _values(orders: list[dict[str, Any]], pick) -> list[Any]:
    found = {value for order in orders if (value := pick(order)) is not None}
    return sorted(found, key=str)


def _either_case(values: list[str]) -> st.SearchStrategy[str]:
    """A value as stored, or with ASCII letters in the other case."""
    return st.sampled_from(values).flatmap(
        lambda v: st.sampled_from([v, v.swapcase()] if v.isascii() else [v])
    )


def _filters(orders: list[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """One to four filters at once, each drawn from what the orders hold (and a miss)."""
    created = sorted(ref.pickup_ts({"pickupTime": o["createDate"]}) for o in orders)
    pickups = _values(orders, ref.pickup_ts)
    totals = [Decimal(repr(o["total"])) for o in orders] + [Decimal("29.44")]
    moments = st.one_of(
        st.sampled_from(created + pickups),
        st.integers(min_value=created[0] - 86400, max_value=created[-1] + 86400 * 5),
    )
    amounts = st.one_of(
        st.sampled_from(totals).map(lambda d: d.quantize(Decimal("0.01"))),
        st.decimals(min_value=0, max_value=400, places=2),
    )
    items = [item for o in orders for item in o.get("items") or []]
    ids = _values(orders, lambda o: o.get("id")) + [str(o["internalId"]) for o in orders]
    strategies: dict[str, st.SearchStrategy[Any]] = {
        "payment_status": st.lists(st.sampled_from(list(PaymentStatus)), min_size=1, max_size=3),
        "fulfillment_status": st.lists(
            st.sampled_from(list(FulfillmentStatus)), min_size=1, max_size=3
        ),
        "total_from": amounts,
        "total_to": amounts,
        "created_from": moments,
        "created_to": moments,
        "updated_from": moments,
        "pickup_time_from": moments,
        "pickup_time_to": moments,
        "email": _either_case(_values(orders, lambda o: o.get("email")) + ["no@where.example"]),
        "coupon_code": _either_case(
            _values(orders, lambda o: (o.get("discountCoupon") or {}).get("code"))
        ),
        "payment_method": _either_case(_values(orders, lambda o: o.get("paymentMethod"))),
        "shipping_method": _either_case(
            _values(orders, lambda o: (o.get("shippingOption") or {}).get("shippingMethodName"))
        ),
        "payment_module": _either_case(_values(orders, lambda o: o.get("paymentModule"))),
        "vendor_order_number": st.lists(
            st.sampled_from(_values(orders, lambda o: o.get("vendorOrderNumber"))),
            min_size=1,
            max_size=3,
        ).map(", ".join),
        "ids": st.lists(st.sampled_from([*ids, "NOPE-1"]), min_size=1, max_size=4),
        "customer_id": st.sampled_from([*_values(orders, lambda o: o.get("customerId")), 1]),
        "product_id": st.lists(
            st.sampled_from([*_values(items, lambda i: i.get("productId")), 99]),
            min_size=1,
            max_size=3,
        ),
        "subscription_id": st.sampled_from([*_values(items, lambda i: i.get("subscriptionId")), 5]),
        "referer_id": st.sampled_from([*_values(orders, lambda o: o.get("refererId")), "99"]),
        "accept_marketing": st.booleans(),
        "contains_preorder_items": st.booleans(),
        "order_number": st.lists(
            st.sampled_from(_values(orders, lambda o: o.get("orderNumber"))),
            min_size=1,
            max_size=3,
        ),
    }
    names = [name for name in strategies if name != "order_number"]
    chosen = st.lists(st.sampled_from(names), min_size=1, max_size=4, unique=True)
    chosen = st.one_of(chosen, chosen.map(lambda names: [*names, "order_number"]))
    return chosen.flatmap(lambda names: st.fixed_dictionaries({n: strategies[n] for n in names}))


def _keys(cache: OrderCache, query: OrderQuery) -> set[str]:
    keys = [row.key for row in cache.rows(query, limit=10_000)]
    assert len(keys) == len(set(keys)) == cache.count(query)
    return set(keys)


def test_random_filter_combinations_select_what_the_store_selects(store):
    @PROPERTY
    @given(fields=_filters(store.orders))
    def check(fields: dict[str, Any]) -> None:
        filters = OrderFilters(**fields)
        expected = store.search(filters)
        query = OrderQuery.from_filters(filters)
        assert _keys(store.cache, query) == expected
        assert _keys(store.gone, query.model_copy(update={"deleted": True})) == expected

    check()


@pytest.mark.parametrize(
    "fields",
    [
        {"total_from": "29.44", "total_to": "29.44"},
        {"customer_id": 50000140},
        {"product_id": [71011]},
        {"pickup_time_from": 0},
        {"payment_module": "paypalstandard"},
        {"accept_marketing": True},
        {"contains_preorder_items": False},
        {"referer_id": "1315"},
    ],
)
def test_each_current_filter_selects_what_the_store_selects(store, fields):
    filters = OrderFilters(**fields)
    expected = store.search(filters)
    assert expected, "the filter should select orders of the seed"
    assert _keys(store.cache, OrderQuery.from_filters(filters)) == expected
    assert _keys(store.gone, OrderQuery.from_filters(filters, deleted=True)) == expected


def test_ids_select_by_id_and_by_internal_id_as_the_store_does(store):
    visible = [o for o in store.orders if o["paymentStatus"] != "INCOMPLETE"]
    legacy = next(o for o in visible if not o.get("id"))
    filters = OrderFilters(ids=[str(legacy["internalId"]), visible[-1]["id"], "NOPE"])
    expected = store.search(filters)
    assert expected == {raw_order_key(legacy), visible[-1]["id"]}
    assert _keys(store.cache, OrderQuery.from_filters(filters)) == expected
    assert _keys(store.gone, OrderQuery.from_filters(filters, deleted=True)) == expected
