"""Order stamps: what a search says of each order when asked only for its
identity and last change (``responseFields``), and the server's clock."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest

from app.ecwid import EcwidProtocolError, OrderFilters
from app.ecwid.stamps import STAMP_FIELDS, OrderStamp, parse_stamp_page, server_clock
from tests.helpers import real_orders
from tests.helpers.aio import run
from tests.helpers.sandbox import client_for


def test_a_stamp_keys_an_order_of_any_age_as_the_cache_does():
    assert OrderStamp.of({"id": "DEMO-X8UYE", "internalId": 5, "updateTimestamp": 1714541188}) == (
        OrderStamp("DEMO-X8UYE", "DEMO-X8UYE", 5, None, 1714541188)
    )
    numeric = OrderStamp.of(real_orders.load("legacy-2013-numeric-id.json"))
    assert (numeric.key, numeric.id, numeric.order_number, numeric.updated) == (
        "17541773",
        17541773,
        1142,
        None,  # an old order: a date, no timestamp
    )
    no_id = OrderStamp.of(real_orders.load("legacy-2009-no-id.json"))
    assert (no_id.key, no_id.id, no_id.internal_id) == ("87", None, None)
    assert OrderStamp.of({"internalId": 9}).key == "9"
    assert OrderStamp.of({"total": 3}).key is None
    # a timestamp that does not read is no timestamp
    assert OrderStamp.of({"id": "A", "updateTimestamp": "soon"}).updated is None
    assert OrderStamp.of({"id": "A", "updateTimestamp": True}).updated is None


def test_an_answer_of_whole_orders_reads_the_same():
    """A server that ignored ``responseFields`` sends whole orders: the
    stamps are taken from them."""
    whole = real_orders.load("reference-search-orders-sample.json")
    page = parse_stamp_page({"total": 1, "count": 1, "items": [whole]}, 0, None)
    assert page.total == 1 and page.server_time is None
    (stamp,) = page.items
    fields = ("id", "internalId", "orderNumber", "updateTimestamp")
    assert stamp == OrderStamp.of({name: whole.get(name) for name in fields})
    assert stamp.key is not None and stamp.updated == whole["updateTimestamp"]


def test_past_the_last_page_items_may_be_missing():
    assert parse_stamp_page({"total": 0}, 0, None).items == []


@pytest.mark.parametrize(
    "payload",
    [[], {"items": []}, {"total": "3", "items": []}, {"total": 1, "items": [1]}, {"total": True}],
)
def test_an_answer_of_another_shape_is_a_protocol_error(payload):
    with pytest.raises(EcwidProtocolError, match="changed orders"):
        parse_stamp_page(payload, 0, None)


def test_the_servers_clock_comes_from_its_date_header():
    assert server_clock("Mon, 07 Dec 2026 07:58:29 GMT") == 1796630309
    assert server_clock("Mon, 07 Dec 2026 07:58:29 -0000") == 1796630309
    assert server_clock(None) is None
    assert server_clock("yesterday") is None


def test_the_client_asks_only_for_the_stamp_fields(sandbox):
    async def scenario():
        async with client_for(sandbox) as client:
            stamps = await client.search_order_stamps(OrderFilters(), 0, 100)
            stamp_bytes = client.bytes_received
            whole = await client.search_orders_raw(OrderFilters(), 0, 100)
            return stamps, whole, stamp_bytes, client.bytes_received - stamp_bytes

    before = time.time()
    stamps, whole, stamp_bytes, whole_bytes = run(scenario())
    assert stamps.total == whole.total and len(stamps.items) == len(whole.items) == 100
    assert [s.key for s in stamps.items] == [OrderStamp.of(order).key for order in whole.items]
    assert stamps.server_time is not None and abs(stamps.server_time - before) < 60
    _method, target, _headers = sandbox.request_log[-2]
    assert parse_qs(urlsplit(target).query)["responseFields"] == [STAMP_FIELDS]
    assert 0 < stamp_bytes * 20 < whole_bytes  # about 60 bytes an order against 4 KB
