"""Creating, updating and deleting orders, the deleted-orders list and the invoice."""

from __future__ import annotations

import copy
import re
import time

import httpx
import pytest


def first_order(client: httpx.Client, **params) -> dict:
    return client.get("/orders", params={"limit": 100, **params}).json()["items"][-1]


def put(client: httpx.Client, ref, body) -> httpx.Response:
    return client.put(f"/orders/{ref}", json=body)


# -- PUT ------------------------------------------------------------------------


def test_put_is_a_partial_update(client: httpx.Client) -> None:
    before = first_order(client)
    ref = before["id"]
    response = put(
        client,
        ref,
        {
            "trackingNumber": "1Z999AA10123456784",
            "fulfillmentStatus": "OUT_FOR_DELIVERY",
            "shippingPerson": {"phone": "+1 555 0100"},
            "myExtraField": {"kept": True},
            "orderComments": None,
        },
    )
    assert response.status_code == 200
    assert response.json() == {"updateCount": 1}
    after = client.get(f"/orders/{ref}").json()
    assert after["trackingNumber"] == "1Z999AA10123456784"
    assert after["fulfillmentStatus"] == "OUT_FOR_DELIVERY"
    assert after["shippingPerson"]["phone"] == "+1 555 0100"
    assert after["shippingPerson"]["name"] == before["shippingPerson"]["name"]  # merged
    assert after["myExtraField"] == {"kept": True}  # unknown fields are kept
    assert after["orderComments"] is None
    untouched = {
        k: v
        for k, v in before.items()
        if k
        not in {
            "trackingNumber",
            "fulfillmentStatus",
            "shippingPerson",
            "orderComments",
            "updateDate",
            "updateTimestamp",
        }
    }
    assert {k: after[k] for k in untouched} == untouched
    assert after["updateTimestamp"] > before["updateTimestamp"]
    stamp = time.strftime("%Y-%m-%d %H:%M:%S +0000", time.gmtime(after["updateTimestamp"]))
    assert after["updateDate"] == stamp


def test_server_owned_fields_are_ignored(client: httpx.Client) -> None:
    before = first_order(client)
    put(client, before["id"], {"id": "X", "internalId": 1, "orderNumber": 2, "updateTimestamp": 3})
    after = client.get(f"/orders/{before['id']}").json()
    assert (after["id"], after["internalId"], after["orderNumber"]) == (
        before["id"],
        before["internalId"],
        before["orderNumber"],
    )


def test_update_timestamp_strictly_increases_within_one_second(client: httpx.Client) -> None:
    ref = first_order(client)["id"]
    stamps = []
    for n in range(4):
        put(client, ref, {"privateAdminNotes": f"note {n}"})
        stamps.append(client.get(f"/orders/{ref}").json()["updateTimestamp"])
    assert stamps == sorted(set(stamps))


def test_put_updates_the_search_index(client: httpx.Client) -> None:
    ref = first_order(client)["id"]
    put(
        client,
        ref,
        {"email": "New.Address@Example.org", "paymentStatus": "CUSTOM_PAYMENT_STATUS_3"},
    )
    found = client.get(
        "/orders",
        params={"email": "new.address@example.org", "paymentStatus": "CUSTOM_PAYMENT_STATUS_3"},
    )
    assert [o["id"] for o in found.json()["items"]] == [ref]
    since = client.get(f"/orders/{ref}").json()["updateTimestamp"]
    assert ref in [
        o["id"] for o in client.get("/orders", params={"updatedFrom": since}).json()["items"]
    ]


def test_items_array_replaces_all_items(client: httpx.Client) -> None:
    orders = client.get("/orders", params={"limit": 100}).json()["items"]
    order = next(o for o in orders if len(o["items"]) >= 2 and "id" in o)
    kept = copy.deepcopy(order["items"][0])
    kept["quantity"] = 7
    new_item = {"name": "Walnut spoon", "price": 12.5, "quantity": 2, "sku": "WL-SP"}
    assert put(client, order["id"], {"items": [kept, new_item]}).status_code == 200
    after = client.get(f"/orders/{order['id']}").json()
    assert [item["id"] for item in after["items"]][0] == kept["id"]
    assert after["items"][0]["quantity"] == 7
    assert after["items"][1]["name"] == "Walnut spoon"
    assert isinstance(after["items"][1]["id"], int)
    assert after["items"][1]["id"] not in {item["id"] for item in order["items"]}
    assert len(after["items"]) == 2


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"paymentStatus": "QUEUED"}, "Status QUEUED is deprecated, use AWAITING_PAYMENT instead"),
        ({"fulfillmentStatus": "LOST"}, None),
        ({"total": "12.50"}, "Field Order.total is not a number"),
        ({"items": [{"name": "x", "quantity": "two"}]}, "Field OrderItem.quantity is not a number"),
        ({"items": [{"name": "x"}]}, "Field OrderItem.quantity is absent"),
        ({"billingPerson": "Ada"}, None),
        ({"items": {"name": "x"}}, None),
        ([{"total": 1}], None),
        ("just a string", None),
    ],
)
def test_put_validation_errors_are_400(client: httpx.Client, body, message) -> None:
    ref = first_order(client)["id"]
    response = put(client, ref, body)
    assert response.status_code == 400, response.text
    if message:
        assert response.json()["errorMessage"] == message


def test_put_accepts_new_and_custom_statuses(client: httpx.Client) -> None:
    ref = first_order(client)["id"]
    for payment, fulfillment in [
        ("CUSTOM_PAYMENT_STATUS_1", "OUT_FOR_DELIVERY"),
        ("PAID", "CUSTOM_FULFILLMENT_STATUS_3"),
    ]:
        assert (
            put(
                client, ref, {"paymentStatus": payment, "fulfillmentStatus": fulfillment}
            ).status_code
            == 200
        )


def test_put_content_type_and_json_errors(client: httpx.Client) -> None:
    ref = first_order(client)["id"]
    plain = client.put(
        f"/orders/{ref}", content=b'{"trackingNumber":"A"}', headers={"Content-Type": "text/plain"}
    )
    assert plain.status_code == 415
    assert plain.json()["errorCode"]
    text_json = client.put(
        f"/orders/{ref}", content=b'{"trackingNumber":"B"}', headers={"Content-Type": "text/json"}
    )
    assert text_json.status_code == 200
    broken = client.put(
        f"/orders/{ref}",
        content=b'{"trackingNumber":',
        headers={"Content-Type": "application/json"},
    )
    assert broken.status_code == 400
    assert put(client, "DEMO-NONE0", {"trackingNumber": "A"}).status_code == 404


# -- POST -------------------------------------------------------------------------


def test_create_then_get(client: httpx.Client) -> None:
    body = {
        "email": "phone.order@example.com",
        "paymentMethod": "Phone order",
        "paymentStatus": "PAID",
        "createDate": "2025-05-30 10:00:00 -0500",
        "items": [{"name": "Walnut board", "price": 15, "quantity": 2, "sku": "WL-CB"}],
        "billingPerson": {"name": "Eugene K", "countryCode": "US"},
        "shippingOption": {"shippingMethodName": "Fast Delivery", "shippingRate": 10},
        "anythingElse": [1, 2],
    }
    last_before = client.get("/orders", params={"limit": 1}).json()["total"]
    response = client.post("/orders", json=body)
    assert response.status_code == 200, response.text
    created = response.json()
    assert set(created) == {"id", "orderid"}
    assert isinstance(created["id"], int)
    assert re.fullmatch(r"DEMO-[A-Z0-9]{5}", created["orderid"])
    order = client.get(f"/orders/{created['orderid']}").json()
    assert client.get(f"/orders/{created['id']}").json() == order
    assert order["orderNumber"] == created["id"]
    assert order["vendorOrderNumber"] == str(created["id"])
    assert order["createDate"] == "2025-05-30 15:00:00 +0000"
    assert order["createTimestamp"] == 1748617200
    assert order["updateTimestamp"] >= time.time() - 60
    assert isinstance(order["items"][0]["id"], int)
    assert order["anythingElse"] == [1, 2]
    assert (order["subtotal"], order["total"], order["fulfillmentStatus"]) == (
        30,
        40,
        "AWAITING_PROCESSING",
    )
    listing = client.get("/orders", params={"offset": last_before - 1}).json()
    assert listing["items"][-1]["id"] == created["orderid"]  # ascending internalId: last
    assert listing["total"] == last_before + 1


def test_create_numbers_follow_on(client: httpx.Client) -> None:
    first = client.post("/orders", json={"items": [{"name": "a", "quantity": 1}]}).json()
    second = client.post("/orders", json={"items": [{"name": "b", "quantity": 1}]}).json()
    assert second["id"] == first["id"] + 1
    assert second["orderid"] != first["orderid"]


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"items": [{"name": "x", "price": 2}]}, 400, "Field OrderItem.quantity is absent"),
        ({"email": "a@b.c"}, 400, None),
        ({"items": []}, 400, None),
        ({"items": [{"name": "x", "quantity": 1}], "paymentStatus": "NEW"}, 400, None),
    ],
)
def test_create_validation(client: httpx.Client, body, status, message) -> None:
    response = client.post("/orders", json=body)
    assert response.status_code == status
    if message:
        assert response.json()["errorMessage"] == message


def test_create_requires_json_content_type(client: httpx.Client) -> None:
    response = client.post(
        "/orders", content=b'{"items":[]}', headers={"Content-Type": "application/xml"}
    )
    assert response.status_code == 415


# -- DELETE and the deleted list ---------------------------------------------------


def test_delete_and_deleted_orders(client: httpx.Client) -> None:
    orders = client.get("/orders", params={"limit": 100}).json()["items"]
    legacy = next(o for o in orders if "id" not in o)
    modern = [o for o in orders if "id" in o][:3]
    started = int(time.time())
    for order in [legacy, *modern]:
        ref = order.get("id") or order["orderNumber"]
        response = client.delete(f"/orders/{ref}")
        assert response.json() == {"deleteCount": 1}
        assert client.get(f"/orders/{ref}").status_code == 404
        assert client.delete(f"/orders/{ref}").status_code == 404
    listing = client.get(
        "/orders/deleted", params={"from_date": started - 5, "to_date": started + 60}
    ).json()
    assert (listing["total"], listing["count"], listing["offset"]) == (4, 4, 0)
    items = listing["items"]
    assert [item["id"] for item in items] == [o["internalId"] for o in [legacy, *modern]]
    assert items[0]["orderId"] is None
    assert [item["orderId"] for item in items[1:]] == [o["id"] for o in modern]
    for item in items:
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000", item["date"])
    page = client.get("/orders/deleted", params={"offset": 1, "limit": 2}).json()
    assert (page["total"], page["count"], page["limit"]) == (4, 2, 2)
    assert [item["id"] for item in page["items"]] == [o["internalId"] for o in modern[:2]]
    assert client.get("/orders/deleted", params={"from_date": started + 3600}).json()["total"] == 0
    assert client.get("/orders/deleted", params={"to_date": "soon"}).status_code == 400
    remaining = client.get("/orders").json()["total"]
    assert all(
        o["internalId"] not in {i["id"] for i in items}
        for o in client.get("/orders").json()["items"]
    )
    assert remaining > 0


# -- invoice ------------------------------------------------------------------------


def test_invoice_html(client: httpx.Client) -> None:
    order = next(
        o
        for o in client.get("/orders", params={"limit": 100}).json()["items"]
        if any(i.get("selectedOptions") for i in o["items"])
    )
    response = client.get(f"/orders/{order['orderNumber']}/invoice")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    html = response.text
    assert '<body onload="window.print()">' in html
    assert "document.body.innerHTML = 'SCRIPT RAN'" in html
    assert f"Order #{order['vendorOrderNumber']}" in html
    assert order["billingPerson"]["name"].replace("'", "&#39;") in html
    option = next(
        opt for i in order["items"] for opt in i.get("selectedOptions", []) if opt.get("value")
    )
    assert option["name"] in html
    assert f"${order['total']:,.2f}" in html
    assert "Walnut &amp; Linen (demo)" in html


def test_invoice_escapes_html(client: httpx.Client) -> None:
    created = client.post(
        "/orders",
        json={
            "paymentStatus": "PAID",
            "items": [{"name": "<img src=x onerror=alert(1)>", "price": 1, "quantity": 1}],
            "billingPerson": {"name": "<script>alert('x')</script>"},
        },
    ).json()
    html = client.get(f"/orders/{created['orderid']}/invoice").text
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>alert" not in html


def test_invoice_of_unfinished_order_is_422(client: httpx.Client) -> None:
    incomplete = client.get("/orders", params={"paymentStatus": "INCOMPLETE", "limit": 1}).json()[
        "items"
    ][0]
    response = client.get(f"/orders/{incomplete['internalId']}/invoice")
    assert response.status_code == 422
    assert response.json()["errorMessage"] == "Cannot generate an invoice for unfinished order"
    assert response.json()["errorCode"] == "INVOICE_FOR_UNFINISHED_ORDER"
    assert client.get("/orders/DEMO-NONE0/invoice").status_code == 404


def test_paging_follows_writes_made_between_pages(client: httpx.Client) -> None:
    def page(offset: int, **params) -> dict:
        response = client.get("/orders", params={"offset": offset, "limit": 10, **params})
        assert response.status_code == 200, response.text
        return response.json()

    def ref(order: dict) -> str:
        return order.get("id") or str(order["orderNumber"])

    first = page(0)
    second = page(10)
    gone = ref(first["items"][0])
    assert client.delete(f"/orders/{gone}").status_code == 200
    after = page(0)
    assert after["total"] == first["total"] - 1
    assert gone not in [ref(order) for order in after["items"]]
    assert after["items"][9] == second["items"][0]  # everything moved up by one

    paid = page(0, paymentStatus="PAID")
    target = ref(paid["items"][0])
    assert client.put(f"/orders/{target}", json={"paymentStatus": "REFUNDED"}).status_code == 200
    assert page(0, paymentStatus="PAID")["total"] == paid["total"] - 1
    refunded = page(0, paymentStatus="REFUNDED", limit=100)["items"]
    assert target in [ref(order) for order in refunded]
