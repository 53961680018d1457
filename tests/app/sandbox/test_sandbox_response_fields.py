"""``responseFields`` on the demo store's order search and single orders, held
to the answers Ecwid documents.

Where the examples come from: Ecwid's REST API reference (docs.ecwid.com,
"API Reference › REST API"), whose pages each carry an "Example of using
``responseFields`` param" with the request and Ecwid's answer; found through
the project's library search in the GitHub copy of those pages,
``artem-kudriashov/REST_API_docs`` (``rest-api/orders/search-orders.md``,
``rest-api/customers/search-customers.md``, and the pages of the store
profile, staff accounts and customer groups). Beside them, api-docs.ecwid.com's "Search orders"
(``?responseFields=items(id,total)``) and "Get order"
(``?responseFields=id,email,items(price,sku,name)``). What they show:

- ``GET /orders?responseFields=total,items(id,email,total)`` answers
  ``{"total": 3, "items": [{"id": "K8XTQ", "email": "…", "total": 10}, …]}``:
  the top level holds only ``total`` and ``items`` (no ``count``, ``offset``,
  ``limit``), each item only the three fields, in the order asked for
  (``email`` before ``total``, the reverse of a whole order), and the
  ``total`` inside an item is the order's own;
- ``/customers?responseFields=total,items(id,name,email)`` and
  ``/customer_groups?responseFields=total,items(name)``: the same shape;
- ``/profile?responseFields=generalInfo(storeId,storeUrl)`` answers
  ``{"generalInfo": {"storeId": 1003, "storeUrl": "…"}}``: a selection
  inside an object;
- ``/staff?responseFields=staffList(name,email,inviteAccepted)``: a selection
  applied to each object of a list; ``/staff/{id}?responseFields=staffScopes``
  keeps a list of texts whole;
- the order-invoices page: "If specified, all missing fields will be removed
  from the response body".
"""

from __future__ import annotations

import httpx
import pytest

from app.sandbox.errors import ApiError
from app.sandbox.response_fields import parse_selection

FIELDS = "responseFields"


def _search(client: httpx.Client, **params) -> dict:
    response = client.get("/orders", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_the_documented_search_example_has_exactly_the_fields_asked_for(reader) -> None:
    whole = _search(reader, limit=100)
    answer = _search(reader, limit=100, **{FIELDS: "total,items(id,email,total)"})
    assert list(answer) == ["total", "items"]
    assert answer["total"] == whole["total"]
    assert len(answer["items"]) == len(whole["items"]) == 100
    for item, order in zip(answer["items"], whole["items"], strict=True):
        asked = [name for name in ("id", "email", "total") if name in order]
        assert list(item) == asked  # in the order asked for; absent when the order has none
        assert item == {name: order[name] for name in asked}
    # the seeded legacy orders have no id: their items simply lack it
    assert any("id" not in item for item in answer["items"])
    assert all(list(item) == ["id", "email", "total"] for item in answer["items"] if "id" in item)


def test_paging_fields_come_only_when_asked_for(reader) -> None:
    whole = _search(reader, offset=20, limit=7)
    asked = "total,count,offset,limit,items(id,updateTimestamp)"
    answer = _search(reader, offset=20, limit=7, **{FIELDS: asked})
    assert list(answer) == ["total", "count", "offset", "limit", "items"]
    assert [answer[n] for n in ("total", "count", "offset", "limit")] == [
        whole[n] for n in ("total", "count", "offset", "limit")
    ]
    assert answer["items"] == [
        {n: order[n] for n in ("id", "updateTimestamp") if n in order} for order in whole["items"]
    ]
    # only the total: no orders at all
    assert _search(reader, **{FIELDS: "total"}) == {"total": whole["total"]}
    # a count without items still counts the page's orders
    assert _search(reader, offset=20, limit=7, **{FIELDS: "count"}) == {"count": 7}


def test_items_without_a_selection_are_whole_orders(reader) -> None:
    whole = _search(reader, limit=5)
    assert _search(reader, limit=5, **{FIELDS: "items"}) == {"items": whole["items"]}


def test_selections_inside_objects_and_lists_of_objects_at_any_depth(reader) -> None:
    whole = _search(reader, limit=30)
    asked = "items(billingPerson(name,countryCode),items(sku,name,selectedOptions(name)))"
    answer = _search(reader, limit=30, **{FIELDS: asked})
    assert list(answer) == ["items"]
    checked_options = 0
    for item, order in zip(answer["items"], whole["items"], strict=True):
        assert list(item) == ["billingPerson", "items"]
        person = order["billingPerson"]
        if isinstance(person, dict):
            expected = {n: person[n] for n in ("name", "countryCode") if n in person}
            assert item["billingPerson"] == expected
        for line, full in zip(item["items"], order["items"], strict=True):
            assert list(line) == [n for n in ("sku", "name", "selectedOptions") if n in full]
            for option, full_option in zip(
                line.get("selectedOptions") or [], full.get("selectedOptions") or [], strict=True
            ):
                assert option == {"name": full_option["name"]}
                checked_options += 1
    assert checked_options  # the seeded orders do carry options


def test_unknown_fields_are_simply_absent(reader) -> None:
    answer = _search(reader, limit=3, **{FIELDS: "total,noSuchField,items(id,nope,orderNumber)"})
    assert list(answer) == ["total", "items"]
    assert all(set(item) <= {"id", "orderNumber"} for item in answer["items"])
    assert _search(reader, **{FIELDS: "nothingAtAll"}) == {}


def test_filters_and_paging_apply_as_without_the_parameter(reader) -> None:
    params = {"paymentStatus": "PAID", "totalFrom": 50, "offset": 3, "limit": 20}
    whole = _search(reader, **params)
    answer = _search(reader, **params, **{FIELDS: "total,items(internalId)"})
    assert answer["total"] == whole["total"]
    assert answer["items"] == [{"internalId": o["internalId"]} for o in whole["items"]]


def test_a_single_order_answers_the_documented_get_order_example(reader) -> None:
    order = _search(reader, limit=1, offset=10)["items"][0]
    ref = order["id"]
    response = reader.get(f"/orders/{ref}", params={FIELDS: "id,email,items(price,sku,name)"})
    assert response.status_code == 200
    answer = response.json()
    assert list(answer) == ["id", "email", "items"]
    assert answer["id"] == ref and answer["email"] == order["email"]
    assert answer["items"] == [
        {n: line[n] for n in ("price", "sku", "name") if n in line} for line in order["items"]
    ]


@pytest.mark.parametrize(
    "text", ["items(id", "items(id))", "total,,items", "items()", "(id)", "total,items(id)x"]
)
def test_a_selection_that_does_not_read_is_refused(reader, text) -> None:
    response = reader.get("/orders", params={FIELDS: text})
    assert response.status_code == 400
    assert "responseFields" in response.json()["errorMessage"]


def test_blank_asks_for_everything_and_spaces_and_repeats_are_read_as_meant(reader) -> None:
    whole = _search(reader, limit=4)
    assert _search(reader, limit=4, **{FIELDS: " "}) == whole
    assert parse_selection(" total , items ( id ) , items(email,id) ") == {
        "total": None,
        "items": {"id": None, "email": None},
    }
    assert parse_selection("items(id),items") == {"items": None}  # the whole items win
    with pytest.raises(ApiError):
        parse_selection("items(id) total")
