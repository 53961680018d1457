"""The search filters of Ecwid's current documentation, as the demo store
answers them: ``ids`` (ids and internal ids), ``customerId``, ``productId``,
``pickupTimeFrom/To``, ``paymentModule``, ``acceptMarketing``,
``containsPreorderItems``, ``subscriptionId``, ``refererId``; and totals
compared in whole cents.

Expected results are computed in Python from the seeded orders
(:mod:`tests.helpers.order_reference`), independently of the server's SQL.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest

from app.sandbox import DEMO_STORE_ID
from app.sandbox.seed import seed_orders
from tests.app.sandbox.support import NOW
from tests.app.sandbox.test_sandbox_search import fetch_all, ids, visible
from tests.helpers import order_reference as ref


@pytest.fixture(scope="module")
def orders(shared_server) -> list[dict]:
    return seed_orders(300, 42, NOW, DEMO_STORE_ID)


def _most_common(values) -> object:
    (value, count), *_ = Counter(v for v in values if v is not None).most_common(1)
    assert count >= 2, "the seed should repeat it"
    return value


def test_customer_id(reader, orders) -> None:
    customer = _most_common(o.get("customerId") for o in visible(orders))
    found = fetch_all(reader, customerId=customer)
    assert ids(found) == ids([o for o in visible(orders) if o.get("customerId") == customer])
    assert fetch_all(reader, customerId=1) == []


def test_product_ids(reader, orders) -> None:
    found = fetch_all(reader, productId="71011, 71020")
    expected = [o for o in visible(orders) if ref.item_ids(o, "productId") & {71011, 71020}]
    assert expected and ids(found) == ids(expected)
    single = fetch_all(reader, productId=71020)
    assert ids(single) == ids([o for o in visible(orders) if 71020 in ref.item_ids(o, "productId")])


def test_subscription_id(reader, orders) -> None:
    subscription = _most_common(
        i.get("subscriptionId") for o in visible(orders) for i in o["items"]
    )
    found = fetch_all(reader, subscriptionId=subscription)
    expected = [o for o in visible(orders) if subscription in ref.item_ids(o, "subscriptionId")]
    assert len(expected) >= 2 and ids(found) == ids(expected)


def test_pickup_time_range_in_any_date_form(reader, orders) -> None:
    pickups = sorted(ref.pickup_ts(o) for o in visible(orders) if ref.pickup_ts(o) is not None)
    assert len(pickups) > 4
    low, high = pickups[1], pickups[-2]
    expected = ids([o for o in visible(orders) if low <= (ref.pickup_ts(o) or -1) <= high])
    as_text = [datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%d %H:%M:%S") for t in (low, high)]
    for bounds in ((low, high), as_text, [f"{text} +0000" for text in as_text]):
        found = fetch_all(reader, pickupTimeFrom=bounds[0], pickupTimeTo=bounds[1])
        assert ids(found) == expected, bounds
    everything_picked_up = fetch_all(reader, pickupTimeFrom=0)
    assert ids(everything_picked_up) == ids([o for o in visible(orders) if "pickupTime" in o])


def test_payment_module_ignores_case(reader, orders) -> None:
    found = fetch_all(reader, paymentModule="paypalstandard")
    expected = [o for o in visible(orders) if o.get("paymentModule") == "PayPalStandard"]
    assert expected and ids(found) == ids(expected)


@pytest.mark.parametrize("wanted", [True, False])
def test_accept_marketing(reader, orders, wanted) -> None:
    found = fetch_all(reader, acceptMarketing=str(wanted).lower())
    expected = [o for o in visible(orders) if o.get("acceptMarketing") is wanted]
    assert expected and ids(found) == ids(expected)


@pytest.mark.parametrize("wanted", [True, False])
def test_contains_preorder_items(reader, orders, wanted) -> None:
    found = fetch_all(reader, containsPreorderItems="TRUE" if wanted else "false")
    expected = [o for o in visible(orders) if ref.has_preorder(o) is wanted]
    assert expected and ids(found) == ids(expected)


def test_referer_id(reader, orders) -> None:
    found = fetch_all(reader, refererId="1207")
    expected = [o for o in visible(orders) if o.get("refererId") == "1207"]
    assert expected and ids(found) == ids(expected)
    assert fetch_all(reader, refererId="120") == []  # the whole id, not a part


def test_ids_by_order_id_or_internal_id(reader, orders) -> None:
    with_id = [o for o in visible(orders) if "id" in o][3]
    legacy = next(o for o in visible(orders) if "id" not in o)
    wanted = f"{with_id['id']},{legacy['internalId']},{with_id['internalId']},NOPE"
    assert ids(fetch_all(reader, ids=wanted)) == sorted(
        [with_id["internalId"], legacy["internalId"]]
    )


def test_filters_combine_with_the_older_ones(reader, orders) -> None:
    found = fetch_all(
        reader, paymentStatus="PAID", paymentModule="Stripe", acceptMarketing="true", totalFrom=40
    )
    expected = [
        o
        for o in orders
        if o["paymentStatus"] == "PAID"
        and o.get("paymentModule") == "Stripe"
        and o.get("acceptMarketing") is True
        and o["total"] >= 40
    ]
    assert expected and ids(found) == ids(expected)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("customerId", "abc"),
        ("customerId", "0"),
        ("productId", "71011,x"),
        ("subscriptionId", "-3"),
        ("acceptMarketing", "yes"),
        ("containsPreorderItems", "1"),
        ("pickupTimeFrom", "next week"),
        ("pickupTimeTo", "2024-13-01"),
        ("totalFrom", "NaN"),
    ],
)
def test_a_bad_value_is_400(reader, name, value) -> None:
    response = reader.get("/orders", params={name: value})
    assert response.status_code == 400, response.text
    assert name in response.json()["errorMessage"]


def test_a_total_stored_with_a_float_artefact_is_found_by_its_cents(client, server) -> None:
    """Issue 15: totalFrom=29.44&totalTo=29.44 finds a total of 29.439999999999998."""
    order = client.get("/orders", params={"limit": 1}).json()["items"][0]
    assert client.put(
        f"/orders/{order['internalId']}", json={"total": 29.439999999999998}
    ).is_success
    assert client.get(f"/orders/{order['internalId']}").json()["total"] == 29.439999999999998
    found = fetch_all(client, totalFrom="29.44", totalTo="29.44")
    assert order["internalId"] in ids(found)
    assert order["internalId"] not in ids(fetch_all(client, totalFrom="29.45"))
    assert order["internalId"] not in ids(fetch_all(client, totalTo="29.43"))
