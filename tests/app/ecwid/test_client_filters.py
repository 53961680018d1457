"""The client sends each search filter of Ecwid's current documentation as
the documentation names it, and the demo store (the oracle, over real
loopback HTTP) answers with exactly the orders the filter means.

Expected orders are computed in Python from the seeded orders; a filter the
client sent under a wrong name would be ignored by the server and the whole
store would come back."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from app.ecwid import OrderFilters
from app.sandbox import DEMO_STORE_ID, SandboxServer
from app.sandbox.seed import seed_orders
from tests.helpers import order_reference as ref
from tests.helpers.aio import run
from tests.helpers.sandbox import FIXED_NOW, client_for, running_sandbox

ORDERS = 250
Order = dict[str, Any]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[SandboxServer]:
    """A demo store for reading only (never change its data)."""
    folder = tmp_path_factory.mktemp("client-filters")
    with running_sandbox(folder / "sandbox.sqlite3", orders=ORDERS) as server:
        yield server


@pytest.fixture(scope="module")
def orders(server) -> list[Order]:
    return seed_orders(ORDERS, 42, FIXED_NOW, DEMO_STORE_ID)


def _common(values) -> Any:
    return Counter(v for v in values if v is not None).most_common(1)[0][0]


def _cases(orders: list[Order]) -> dict[str, tuple[dict[str, Any], str, Callable[[Order], bool]]]:
    """name -> (OrderFilters fields, the parameter Ecwid documents, what it selects)."""
    customer = _common(o.get("customerId") for o in orders)
    subscription = _common(i.get("subscriptionId") for o in orders for i in o["items"])
    pickups = sorted(t for o in orders if (t := ref.pickup_ts(o)) is not None)
    with_id = [o for o in orders if o.get("id") and o["paymentStatus"] != "INCOMPLETE"]
    legacy = next(o for o in orders if not o.get("id") and o["paymentStatus"] != "INCOMPLETE")
    return {
        "ids": (
            {"ids": [with_id[4]["id"], str(legacy["internalId"])]},
            "ids",
            lambda o: o is with_id[4] or o is legacy,
        ),
        "customer id": (
            {"customer_id": customer},
            "customerId",
            lambda o: o.get("customerId") == customer,
        ),
        "product ids": (
            {"product_id": [71011, 71020]},
            "productId",
            lambda o: bool(ref.item_ids(o, "productId") & {71011, 71020}),
        ),
        "pickup time": (
            {"pickup_time_from": pickups[1], "pickup_time_to": pickups[-2]},
            "pickupTimeFrom",
            lambda o: pickups[1] <= (ref.pickup_ts(o) or -1) <= pickups[-2],
        ),
        "payment module": (
            {"payment_module": "stripe"},
            "paymentModule",
            lambda o: o.get("paymentModule") == "Stripe",
        ),
        "accepts marketing": (
            {"accept_marketing": True},
            "acceptMarketing",
            lambda o: o.get("acceptMarketing") is True,
        ),
        "does not accept marketing": (
            {"accept_marketing": False},
            "acceptMarketing",
            lambda o: o.get("acceptMarketing") is False,
        ),
        "pre-order items": (
            {"contains_preorder_items": True},
            "containsPreorderItems",
            ref.has_preorder,
        ),
        "no pre-order items": (
            {"contains_preorder_items": False},
            "containsPreorderItems",
            lambda o: not ref.has_preorder(o),
        ),
        "subscription id": (
            {"subscription_id": subscription},
            "subscriptionId",
            lambda o: subscription in ref.item_ids(o, "subscriptionId"),
        ),
        "referrer id": ({"referer_id": 1315}, "refererId", lambda o: o.get("refererId") == "1315"),
        "total in cents": (
            {"total_from": Decimal("20"), "total_to": Decimal("60.5")},
            "totalFrom",
            lambda o: 2000 <= ref.cents(o["total"]) <= 6050,
        ),
        "the older ones: customer, vendor number": (
            {
                "customer": orders[60]["email"],
                "vendor_order_number": orders[60]["vendorOrderNumber"],
            },
            "vendorOrderNumber",
            lambda o: o is orders[60],
        ),
    }


CASE_NAMES = [
    "ids",
    "customer id",
    "product ids",
    "pickup time",
    "payment module",
    "accepts marketing",
    "does not accept marketing",
    "pre-order items",
    "no pre-order items",
    "subscription id",
    "referrer id",
    "total in cents",
    "the older ones: customer, vendor number",
]


def _search(server: SandboxServer, filters: OrderFilters) -> list[int]:
    async def scenario() -> list[int]:
        async with client_for(server) as client:
            return [order.internal_id async for order in client.iter_orders(filters)]

    return run(scenario())


@pytest.mark.parametrize("name", CASE_NAMES)
def test_each_filter_is_sent_as_documented_and_the_store_answers_it(server, orders, name):
    fields, param, selects = _cases(orders)[name]
    filters = OrderFilters(**fields)
    visible = [o for o in orders if o["paymentStatus"] != "INCOMPLETE"]
    expected = [o["internalId"] for o in visible if selects(o)]
    assert expected, "the seed should hold such orders"
    assert len(expected) < len(visible), "the filter should leave orders out"
    before = len(server.request_log)
    assert _search(server, filters) == expected
    sent = [urlsplit(target) for _, target, _ in server.request_log[before:]]
    queries = [parse_qs(part.query) for part in sent if part.path.endswith("/orders")]
    assert queries and all(param in query for query in queries)


def test_the_order_number_still_overrides_the_new_filters(server, orders):
    paid = next(o for o in orders if o["paymentStatus"] == "PAID")
    filters = OrderFilters(
        order_number=[paid["orderNumber"]], customer_id=1, contains_preorder_items=True
    )
    assert _search(server, filters) == [paid["internalId"]]
