"""The seeded demo data: deterministic, realistic, consistent, and fast to make."""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

from app.sandbox import DEMO_STORE_ID, SandboxServer
from app.sandbox import seed as seed_module
from app.sandbox.indexing import index_row
from app.sandbox.seed import OrderSeeder, seed_orders
from app.sandbox.statuses import ALL_FULFILLMENT, ALL_PAYMENT, PAYMENT_STATUSES
from app.sandbox.storage import OrderStore
from tests.app.sandbox.support import NOW


@pytest.fixture(scope="module")
def orders() -> list[dict]:
    return seed_orders(3000, 42, NOW, DEMO_STORE_ID)


def test_same_seed_and_now_give_the_same_orders() -> None:
    assert seed_orders(200, 7, NOW, DEMO_STORE_ID) == seed_orders(200, 7, NOW, DEMO_STORE_ID)
    assert seed_orders(200, 7, NOW, DEMO_STORE_ID) != seed_orders(200, 8, NOW, DEMO_STORE_ID)
    later = NOW + timedelta(days=1)
    assert seed_orders(50, 7, NOW, DEMO_STORE_ID) != seed_orders(50, 7, later, DEMO_STORE_ID)


def test_two_servers_serve_identical_data() -> None:
    pages = []
    for _ in range(2):
        with SandboxServer(orders=120, seed=3, now=NOW) as server:
            response = httpx.get(
                f"{server.url}/{server.store_id}/orders",
                params={"paymentStatus": ",".join(ALL_PAYMENT), "limit": 100, "offset": 20},
                headers={"Authorization": f"Bearer {server.token}"},
            )
            pages.append(response.content)
    assert pages[0] == pages[1]
    assert json.loads(pages[0])["total"] == 120


@pytest.mark.parametrize("count", [0, 1, 17, 1234])
def test_count_as_asked(count: int) -> None:
    assert len(seed_orders(count, 1, NOW, DEMO_STORE_ID)) == count


def test_identity_and_dates(orders: list[dict]) -> None:
    start = (NOW - timedelta(days=730)).timestamp()
    ids = [o["id"] for o in orders if "id" in o]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"DEMO-[A-Z0-9]{5}", i) for i in ids)
    internal = [o["internalId"] for o in orders]
    assert internal == sorted(internal) and len(set(internal)) == len(internal)
    finished = [o["orderNumber"] for o in orders if o["paymentStatus"] != "INCOMPLETE"]
    assert finished == list(range(1001, 1001 + len(finished)))
    for order in orders:
        assert order["vendorOrderNumber"] == str(order["orderNumber"])
        created = datetime.strptime(order["createDate"], "%Y-%m-%d %H:%M:%S %z").timestamp()
        updated = datetime.strptime(order["updateDate"], "%Y-%m-%d %H:%M:%S %z").timestamp()
        assert start <= created <= updated < NOW.timestamp()
        if "id" in order:
            assert order["createDate"].endswith(" +0000")
            assert (order["createTimestamp"], order["updateTimestamp"]) == (created, updated)
        assert order["email"]


def test_legacy_orders(orders: list[dict]) -> None:
    legacy = [o for o in orders if "id" not in o]
    assert len(legacy) == 30  # 1 %, the oldest
    assert legacy == orders[:30]
    for order in legacy:
        assert "createTimestamp" not in order and "updateTimestamp" not in order
        assert order["createDate"].endswith(" -0800")


def test_every_status_occurs(orders: list[dict]) -> None:
    payments = Counter(o["paymentStatus"] for o in orders)
    fulfillments = Counter(o["fulfillmentStatus"] for o in orders)
    assert set(PAYMENT_STATUSES) <= set(payments)
    assert {"CUSTOM_PAYMENT_STATUS_1", "CUSTOM_PAYMENT_STATUS_2"} <= set(payments)
    expected_fulfillment = ALL_FULFILLMENT - {"CUSTOM_FULFILLMENT_STATUS_3"}
    assert expected_fulfillment <= set(fulfillments)
    assert 0.02 <= payments["INCOMPLETE"] / len(orders) <= 0.045
    for order in orders:
        if order["paymentStatus"] in ("REFUNDED", "PARTIALLY_REFUNDED"):
            assert order["refunds"] and order["refunds"][0]["amount"] > 0
        if order["fulfillmentStatus"] in ("SHIPPED", "OUT_FOR_DELIVERY", "DELIVERED"):
            if not (order.get("shippingOption") or {}).get("isPickup", True):
                assert order["trackingNumber"]


def test_money_adds_up(orders: list[dict]) -> None:
    for order in orders:
        items = order["items"]
        assert items
        assert order["subtotal"] == pytest.approx(
            sum(i["price"] * i["quantity"] for i in items), abs=0.011
        )
        assert order["tax"] == pytest.approx(sum(i["tax"] for i in items), abs=0.011)
        shipping = (order.get("shippingOption") or {}).get("shippingRate", 0)
        extra = order["handlingFee"]["value"] + sum(s["total"] for s in order["customSurcharges"])
        tax = 0 if order["pricesIncludeTax"] else order["tax"]
        expected = (
            order["subtotal"] - order["couponDiscount"] - order["discount"] + shipping + extra + tax
        )
        assert order["total"] == pytest.approx(max(expected, 0), abs=0.011)
        assert order["usdTotal"] == order["total"]


def test_realistic_variety(orders: list[dict]) -> None:
    countries = Counter(o["billingPerson"]["countryCode"] for o in orders)
    assert {"US", "CA", "GB", "DE", "FR", "NL", "AU", "JP"} <= set(countries)
    products = {i["sku"].split("-")[1] for o in orders for i in o["items"]}
    assert len(products) >= 25
    options = [opt for o in orders for i in o["items"] for opt in i.get("selectedOptions", [])]
    assert {"CHOICE", "CHOICES", "TEXT", "DATE", "FILES"} <= {opt["type"] for opt in options}
    assert any(opt.get("selections") for opt in options if opt["type"] == "CHOICES")
    attached = [f for opt in options if opt["type"] == "FILES" for f in opt["files"]]
    assert attached and all(set(f) == {"id", "name", "size", "url"} for f in attached)
    assert any(o.get("discountCoupon") and o["couponDiscount"] > 0 for o in orders)
    assert any(o["discountInfo"] for o in orders)
    assert any((o.get("shippingOption") or {}).get("isPickup") for o in orders)
    assert any(o["shippingOption"] is None for o in orders)
    assert any(o["handlingFee"]["value"] for o in orders)
    assert any(o.get("privateAdminNotes") for o in orders)
    assert any(o.get("orderComments") for o in orders)
    assert any(o.get("orderComments", "") is None for o in orders)
    for name in ("orderExtraFields", "utmData", "customSurcharges", "externalOrderData", "refunds"):
        assert any(o.get(name) for o in orders), name
    sample = orders[-1]
    for name in (
        "lang",
        "pricesIncludeTax",
        "subtotalWithoutTax",
        "predictedPackage",
        "predictedPackages",
    ):
        assert name in sample, name
    item = sample["items"][0]
    assert "dimensions" in item and "productDimensions" in item and "taxes" in item
    assert {"firstName", "lastName"} <= set(sample["billingPerson"])


def test_seeded_index_rows_match_the_json() -> None:
    for seeded in OrderSeeder(600, 5, NOW, DEMO_STORE_ID):
        assert index_row(json.loads(seeded.body)) == seeded.row


def test_large_stores_reuse_baskets_but_keep_identities_unique(monkeypatch) -> None:
    monkeypatch.setattr(seed_module, "UNIQUE_BASKETS", 40)  # a "large" store of 400
    seeded = list(OrderSeeder(400, 9, NOW, DEMO_STORE_ID))
    orders = [json.loads(s.body) for s in seeded]
    assert len({o["id"] for o in orders if "id" in o}) == 396
    assert len({o["internalId"] for o in orders}) == 400
    for order in orders:
        assert len({item["id"] for item in order["items"]}) == len(order["items"])
    assert len({item["id"] for o in orders for item in o["items"]}) == sum(
        len(o["items"]) for o in orders
    )
    assert all(index_row(o) == s.row for o, s in zip(orders, seeded, strict=True))


def test_seeding_3000_orders_is_fast(tmp_path: Path) -> None:
    started = time.perf_counter()
    store = OrderStore(tmp_path / "seed.sqlite")
    seeder = OrderSeeder(3000, 42, NOW, DEMO_STORE_ID)
    store.seed(seeder, seeder)
    elapsed = time.perf_counter() - started
    assert store.order_count() == 3000
    store.close()
    assert elapsed < 2.0  # ~0.4 s on a slow CI core
