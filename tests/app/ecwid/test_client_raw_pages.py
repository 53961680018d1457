"""Raw pages: the orders exactly as Ecwid sent them, for the cache to store."""

from __future__ import annotations

import json

import pytest

from app.domain.raw_orders import raw_order_key
from app.ecwid import EcwidProtocolError, Order, OrderFilters
from app.ecwid.paging import parse_raw_page
from tests.helpers.aio import run
from tests.helpers.sandbox import client_for


def test_raw_pages_hold_the_same_orders_as_model_pages(sandbox):
    async def scenario():
        async with client_for(sandbox, pages_in_flight=3) as client:
            raw = [o async for p in client.iter_raw_pages(page_size=30) for o in p.items]
            models = [o async for o in client.iter_orders(page_size=30)]
            return raw, models

    raw, models = run(scenario())
    assert [raw_order_key(o) for o in raw] == [o.key for o in models]
    assert Order.model_validate(raw[5]) == models[5]
    assert all(isinstance(o, dict) and "items" in o for o in raw)


def test_raw_search_with_filters_and_totals(sandbox):
    async def scenario():
        async with client_for(sandbox) as client:
            return await client.search_orders_raw(OrderFilters(payment_status="INCOMPLETE"))

    page = run(scenario())
    assert page.total == page.count == len(page.items) > 0
    assert {o["paymentStatus"] for o in page.items} == {"INCOMPLETE"}


@pytest.mark.parametrize(
    ("body", "place"),
    [
        (b"<html>oops</html>", "invalid JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"total": "3", "count": 0, "offset": 0, "limit": 100, "items": []}', "total"),
        (b'{"total": 3, "count": 1, "offset": 0, "limit": 100, "items": [7]}', "items"),
        (b'{"total": 3, "count": 1, "offset": 0, "limit": 100}', "items"),
    ],
)
def test_unreadable_raw_pages_are_protocol_errors(body, place):
    with pytest.raises(EcwidProtocolError, match=place):
        parse_raw_page(body)


def test_a_wrong_shape_from_the_server_is_a_protocol_error(sandbox):
    sandbox.faults.wrong_shape_every = 1

    async def scenario():
        async with client_for(sandbox) as client:
            await client.search_orders_raw()

    with pytest.raises(EcwidProtocolError, match="total"):
        run(scenario())


def test_raw_order_key_matches_the_model_key():
    assert raw_order_key({"id": "S-ABCDE", "orderNumber": 7}) == "S-ABCDE"
    assert raw_order_key({"orderNumber": 7}) == "7"
    assert raw_order_key({"internalId": 99}) == "99"
    assert raw_order_key({}) is None


def test_each_raw_order_keeps_the_exact_text_it_was_parsed_from():
    body = (
        ' {\n "total": 2, "count": 2, "offset": 0, "limit": 100,\n "items": [\n'
        '  {"id": "A-1", "note": "caf\u00e9 \\u00e9", "items": [{"name": "x", "price": 1.50}]} ,\n'
        '  {"id":"B-2","total":3}\n ]\n}\n'
    ).encode()
    page = parse_raw_page(body)
    assert [order["id"] for order in page.items] == ["A-1", "B-2"]
    first, second = page.items
    assert (
        first.source
        == '{"id": "A-1", "note": "caf\u00e9 \\u00e9", "items": [{"name": "x", "price": 1.50}]}'
    )
    assert second.source == '{"id":"B-2","total":3}'
    assert (
        json.loads(first.source)
        == first
        == {"id": "A-1", "note": "café é", "items": [{"name": "x", "price": 1.5}]}
    )


@pytest.mark.parametrize(
    "body",
    [
        b'{"total": 1, "count": 1, "offset": 0, "limit": 100, "items": [{"id": 1}]} x',
        b'{"total": 1, "count": 1, "offset": 0, "limit": 100, "items": [{"id": 1},]}',
        b'{"total": 1, "count": 1, "offset": 0, "limit": 100 "items": []}',
        b'{"total": 1, "count": 1, "offset": 0, "limit": 100, "items": [{"id": 1}',
        b'{"total": 1, "count": 1, "offset": 0, "limit": 100, items: []}',
        b"",
        b"\xff\xfe",
    ],
)
def test_malformed_pages_are_invalid_json(body):
    with pytest.raises(EcwidProtocolError, match="invalid JSON"):
        parse_raw_page(body)
