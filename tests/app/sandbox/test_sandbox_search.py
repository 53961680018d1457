"""``GET /orders`` filters and paging, and ``GET /orders/{id}``, against the seeded data.

Expected results are computed in Python from the seeded orders, independently
of the server's SQL.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import httpx
import pytest

from app.sandbox import DEMO_STORE_ID
from app.sandbox.seed import seed_orders
from tests.app.sandbox.support import NOW


@pytest.fixture(scope="module")
def orders(shared_server) -> list[dict]:
    seeded = seed_orders(300, 42, NOW, DEMO_STORE_ID)
    assert len(seeded) == 300
    return seeded


def created_at(order: dict) -> int:
    return int(datetime.strptime(order["createDate"], "%Y-%m-%d %H:%M:%S %z").timestamp())


def fetch_all(client: httpx.Client, **params) -> list[dict]:
    found: list[dict] = []
    offset = 0
    while True:
        page = client.get("/orders", params={**params, "offset": offset, "limit": 100})
        assert page.status_code == 200, page.text
        body = page.json()
        found += body["items"]
        offset += body["count"]
        if body["count"] == 0 or offset >= body["total"]:
            assert len(found) == body["total"]
            return found


def ids(orders: list[dict]) -> list[int]:
    return [order["internalId"] for order in orders]


def visible(orders: list[dict]) -> list[dict]:
    return [order for order in orders if order["paymentStatus"] != "INCOMPLETE"]


def test_plain_search_hides_incomplete_and_sorts_by_internal_id(reader, orders) -> None:
    found = fetch_all(reader)
    assert ids(found) == ids(visible(orders))
    assert ids(found) == sorted(ids(found))
    assert found == visible(orders)  # full orders, exactly as seeded
    assert any(order["paymentStatus"] == "INCOMPLETE" for order in orders)


def test_default_limit_clamp_and_paging(reader, orders) -> None:
    first = reader.get("/orders").json()
    assert (first["limit"], first["count"], first["offset"]) == (100, 100, 0)
    assert first["total"] == len(visible(orders))
    clamped = reader.get("/orders", params={"limit": 500}).json()
    assert (clamped["limit"], clamped["count"]) == (100, 100)
    small = reader.get("/orders", params={"limit": 7, "offset": 10}).json()
    assert ids(small["items"]) == ids(visible(orders))[10:17]
    past = reader.get("/orders", params={"offset": 10_000}).json()
    assert (past["count"], past["items"], past["total"]) == (0, [], first["total"])


@pytest.mark.parametrize(
    "params", [{"limit": "x"}, {"offset": "-1"}, {"limit": "-5"}, {"offset": "1.5"}]
)
def test_bad_paging_is_400(reader, params) -> None:
    response = reader.get("/orders", params=params)
    assert response.status_code == 400
    assert response.json()["errorCode"]


def test_status_filters(reader, orders) -> None:
    found = fetch_all(reader, paymentStatus="PAID,AWAITING_PAYMENT")
    assert ids(found) == ids(
        [o for o in orders if o["paymentStatus"] in ("PAID", "AWAITING_PAYMENT")]
    )
    found = fetch_all(reader, fulfillmentStatus="OUT_FOR_DELIVERY,CUSTOM_FULFILLMENT_STATUS_1")
    expected = [
        o
        for o in visible(orders)
        if o["fulfillmentStatus"] in ("OUT_FOR_DELIVERY", "CUSTOM_FULFILLMENT_STATUS_1")
    ]
    assert expected and ids(found) == ids(expected)


def test_incomplete_only_with_explicit_payment_status(reader, orders) -> None:
    found = fetch_all(reader, paymentStatus="INCOMPLETE")
    assert found and ids(found) == ids([o for o in orders if o["paymentStatus"] == "INCOMPLETE"])
    assert all(o["orderNumber"] == o["internalId"] for o in found)


@pytest.mark.parametrize(
    ("name", "value"),
    [("paymentStatus", "BOGUS"), ("fulfillmentStatus", "PAID"), ("paymentStatus", "QUEUED")],
)
def test_unknown_status_in_filter_is_400(reader, name, value) -> None:
    response = reader.get("/orders", params={name: value})
    assert response.status_code == 400
    if value == "QUEUED":
        assert (
            response.json()["errorMessage"]
            == "Status QUEUED is deprecated, use AWAITING_PAYMENT instead"
        )


def test_total_range(reader, orders) -> None:
    found = fetch_all(reader, totalFrom=50, totalTo=120.5)
    expected = [o for o in visible(orders) if 50 <= o["total"] <= 120.5]
    assert expected and ids(found) == ids(expected)
    assert reader.get("/orders", params={"totalFrom": "cheap"}).status_code == 400


def test_created_range_in_every_date_format(reader, orders) -> None:
    start = datetime(2024, 3, 1, tzinfo=UTC)
    end = datetime(2024, 6, 1, tzinfo=UTC)
    expected = ids(
        [o for o in visible(orders) if start.timestamp() <= created_at(o) <= end.timestamp()]
    )
    assert expected
    berlin = timezone(timedelta(hours=2))
    forms = [
        (str(int(start.timestamp())), str(int(end.timestamp()))),
        ("2024-03-01", "2024-06-01"),
        ("2024-03-01 00:00:00", "2024-06-01 00:00:00"),
        (
            start.astimezone(berlin).strftime("%Y-%m-%d %H:%M:%S %z"),
            end.astimezone(berlin).strftime("%Y-%m-%d %H:%M:%S %z"),
        ),
        ("2024-02-29 16:00:00 -0800", "2024-05-31 17:00:00 -0700"),
    ]
    for created_from, created_to in forms:
        found = fetch_all(reader, createdFrom=created_from, createdTo=created_to)
        assert ids(found) == expected, (created_from, created_to)
    # "+0000" sent without encoding arrives as " 0000": still understood
    url = "/orders?createdFrom=2024-03-01 00:00:00 +0000&createdTo=2024-06-01&limit=100"
    assert reader.get(url).json()["total"] == len(expected)


@pytest.mark.parametrize("bad", ["yesterday", "2024-13-45", "2024/03/01", "1.2.2024"])
def test_unparseable_date_is_400(reader, bad) -> None:
    for name in ("createdFrom", "createdTo", "updatedFrom", "updatedTo"):
        response = reader.get("/orders", params={name: bad})
        assert response.status_code == 400, (name, bad)


def test_updated_range_finds_legacy_orders_too(reader, orders) -> None:
    def updated(o: dict) -> int:
        return int(datetime.strptime(o["updateDate"], "%Y-%m-%d %H:%M:%S %z").timestamp())

    cutoff = updated(visible(orders)[150])
    found = fetch_all(reader, updatedFrom=cutoff)
    assert ids(found) == ids([o for o in visible(orders) if updated(o) >= cutoff])
    legacy = [o for o in visible(orders) if "id" not in o]
    assert legacy
    found = fetch_all(reader, updatedTo=max(updated(o) for o in legacy))
    assert set(ids(legacy)) <= set(ids(found))


def test_order_number_overrides_all_other_filters(reader, orders) -> None:
    incomplete = next(o for o in orders if o["paymentStatus"] == "INCOMPLETE")
    paid = next(o for o in orders if o["paymentStatus"] == "PAID")
    numbers = f"{incomplete['orderNumber']},{paid['orderNumber']}"
    found = reader.get(
        "/orders",
        params={
            "orderNumber": numbers,
            "paymentStatus": "CANCELLED",
            "keywords": "zzzz",
            "totalFrom": 1e9,
        },
    ).json()["items"]
    assert ids(found) == sorted([incomplete["internalId"], paid["internalId"]])
    assert reader.get("/orders", params={"orderNumber": "12,abc"}).status_code == 400


def test_keywords(reader, orders) -> None:
    sample = next(o for o in visible(orders) if "id" in o and o["items"][0].get("sku"))
    person = sample["billingPerson"]
    for term in (
        str(sample["orderNumber"]),
        sample["id"].lower(),
        sample["items"][0]["sku"],
        person["lastName"].upper(),
        sample["email"],
    ):
        found = fetch_all(reader, keywords=term)
        assert sample["internalId"] in ids(found), term
    board = fetch_all(reader, keywords="Walnut BOARD")  # every word must match, any case
    boards = [
        o for o in visible(orders) if any(i["name"] == "Walnut cutting board" for i in o["items"])
    ]
    assert boards and set(ids(boards)) <= set(ids(board))
    for order in board:
        text = " ".join(i["name"] for i in order["items"]).lower()
        assert "walnut" in text and "board" in text
    assert fetch_all(reader, keywords="no-such-thing-anywhere") == []


def test_customer_matches_name_email_phone_not_customer_id(reader, orders) -> None:
    sample = next(
        o for o in visible(orders) if o["billingPerson"].get("phone") and o.get("customerId")
    )
    for term in (
        sample["billingPerson"]["name"],
        sample["email"].upper(),
        sample["billingPerson"]["phone"],
    ):
        assert sample["internalId"] in ids(fetch_all(reader, customer=term)), term
    assert fetch_all(reader, customer=str(sample["customerId"])) == []


def test_exact_value_filters(reader, orders) -> None:
    sample = next(o for o in visible(orders) if o.get("discountCoupon") and o.get("shippingOption"))
    cases = {
        "email": (sample["email"], lambda o: o["email"] == sample["email"]),
        "couponCode": (
            sample["discountCoupon"]["code"].lower(),
            lambda o: (
                (o.get("discountCoupon") or {}).get("code") == sample["discountCoupon"]["code"]
            ),
        ),
        "paymentMethod": (
            sample["paymentMethod"],
            lambda o: o["paymentMethod"] == sample["paymentMethod"],
        ),
        "shippingMethod": (
            sample["shippingOption"]["shippingMethodName"],
            lambda o: (
                (o.get("shippingOption") or {}).get("shippingMethodName")
                == sample["shippingOption"]["shippingMethodName"]
            ),
        ),
        "vendorOrderNumber": (
            sample["vendorOrderNumber"],
            lambda o: o["vendorOrderNumber"] == sample["vendorOrderNumber"],
        ),
    }
    for name, (value, matches) in cases.items():
        found = fetch_all(reader, **{name: value})
        assert ids(found) == ids([o for o in visible(orders) if matches(o)]), name


def test_ids_filter_and_combined_filters(reader, orders) -> None:
    chosen = [o for o in visible(orders) if "id" in o][5:9]
    found = fetch_all(reader, ids=",".join(o["id"] for o in chosen))
    assert ids(found) == ids(chosen)
    paid_cheap = fetch_all(reader, paymentStatus="PAID", totalTo=60)
    assert ids(paid_cheap) == ids(
        [o for o in orders if o["paymentStatus"] == "PAID" and o["total"] <= 60]
    )


def test_get_order_by_string_id_number_or_internal_id(reader, orders) -> None:
    sample = next(o for o in visible(orders) if "id" in o)
    for ref in (sample["id"], sample["orderNumber"], sample["internalId"]):
        response = reader.get(f"/orders/{ref}")
        assert response.status_code == 200
        assert response.json() == sample
    legacy = next(o for o in orders if "id" not in o)
    assert reader.get(f"/orders/{legacy['orderNumber']}").json() == legacy
    missing = reader.get("/orders/DEMO-NOPE0")
    assert missing.status_code == 404
    assert missing.json()["errorCode"] == "ORDER_NOT_FOUND"
    assert reader.get("/orders/99999999").status_code == 404
