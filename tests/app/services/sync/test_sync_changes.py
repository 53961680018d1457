"""The incremental sync's two steps over real loopback HTTP: the changed
orders' stamps first (``responseFields``), then only the orders that really
changed, whole, by ``ids=`` (``orderNumber=`` for old orders without an id).
The demo store's request log shows what was asked."""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from app.cache import OrderCache
from app.domain.queries import OrderQuery
from app.ecwid import Order, OrderItem
from app.sandbox.dates import format_date
from app.services.sync.changes import SETTLE_MARGIN
from app.services.sync.engine import SyncEngine
from tests.helpers import real_orders
from tests.helpers.aio import run
from tests.helpers.sandbox import client_for


@pytest.fixture
def cache(tmp_path):
    with OrderCache.open(tmp_path / "cache.sqlite3") as cache:
        yield cache


def _sync(sandbox, cache, **kwargs):
    async def scenario():
        async with client_for(sandbox, pages_in_flight=3) as client:
            return await SyncEngine(cache, client, workers=0).sync(**kwargs)

    return run(scenario())


class Requests:
    """The API requests the demo store received from a point on."""

    def __init__(self, sandbox) -> None:
        self.sandbox = sandbox
        self.start = len(sandbox.request_log)

    def all(self) -> list[tuple[str, dict[str, str]]]:
        found = []
        for _method, target, _headers in self.sandbox.request_log[self.start :]:
            parts = urlsplit(target)
            if "/api/v3/" in parts.path:
                query = {name: values[-1] for name, values in parse_qs(parts.query).items()}
                found.append((parts.path.rsplit("/", 1)[-1], query))
        return found

    def stamps(self) -> list[dict[str, str]]:
        return [q for path, q in self.all() if path == "orders" and "responseFields" in q]

    def whole(self) -> list[dict[str, str]]:
        return [q for path, q in self.all() if path == "orders" and "responseFields" not in q]

    def asked_by_id(self) -> list[str]:
        return [i for q in self.whole() if "ids" in q for i in q["ids"].split(",")]


def _change(sandbox, **changes) -> dict:
    """Store changed versions of orders exactly as given (as another desk or
    Ecwid itself would leave them), keyed by order reference."""
    stored = {}
    for ref, change in changes.items():
        with sandbox.store.transaction() as conn:
            internal_id = sandbox.store.find_id(conn, ref)
            order = sandbox.store.load(conn, internal_id)
            order.update(change)
            sandbox.store.save(conn, order, internal_id)
        stored[ref] = order
    return stored


def _stamped(seconds_ago: int) -> dict:
    when = int(time.time()) - seconds_ago
    return {"updateTimestamp": when, "updateDate": format_date(when)}


def _modern_keys(sandbox, count: int, offset: int = 0) -> list[str]:
    async def scenario():
        async with client_for(sandbox) as client:
            page = await client.search_orders(offset=offset, limit=100)
            return [o.key for o in page.items if o.id][:count]

    return run(scenario())


def test_stamps_first_then_only_new_and_changed_orders_by_ids(sandbox, cache):
    _sync(sandbox, cache)
    a, b, gone = _modern_keys(sandbox, 3, offset=20)

    async def change_the_store():
        async with client_for(sandbox) as client:
            await client.update_order(a, {"trackingNumber": "A-NOW"})
            await client.delete_order(gone)
            created = await client.create_order(
                Order(email="new@example.org", items=[OrderItem(name="Tea", quantity=1, price=4)])
            )
            return created.orderid

    new = run(change_the_store())
    _change(sandbox, **{b: {"trackingNumber": "B-EARLIER", **_stamped(SETTLE_MARGIN + 60)}})

    first = Requests(sandbox)
    result = _sync(sandbox, cache)
    assert not result.full
    assert result.new == [new] and set(result.updated) == {a, b} and result.deleted == [gone]
    assert cache.order_json(a)["trackingNumber"] == "A-NOW"
    assert cache.order_json(b)["trackingNumber"] == "B-EARLIER"
    assert not cache.has_order(gone)
    # one page of stamps, one batch of whole orders by id, the deleted orders: in that order
    assert [path for path, _q in first.all()] == ["orders", "orders", "deleted"]
    (stamps,) = first.stamps()
    assert stamps["responseFields"] == "total,items(id,internalId,orderNumber,updateTimestamp)"
    assert "updatedFrom" in stamps and "INCOMPLETE" in stamps["paymentStatus"]
    assert sorted(first.asked_by_id()) == sorted([a, b, new])
    assert "INCOMPLETE" in first.whole()[0]["paymentStatus"]  # unfinished orders are found too

    # Nothing changed since: the overlap lists the three again. B last changed
    # well before that sync's first answer: its stamp is trusted. A and the new
    # order changed within a second's doubt of it: read again, found the same.
    again = Requests(sandbox)
    result = _sync(sandbox, cache)
    assert not result.changed
    assert len(again.stamps()) == 1
    assert sorted(again.asked_by_id()) == sorted([a, new])


def test_listed_but_unchanged_orders_cost_no_more_than_two_requests(sandbox, cache):
    _sync(sandbox, cache)
    keys = _modern_keys(sandbox, 5)
    _change(sandbox, **{key: {"privateAdminNotes": f"n{key}", **_stamped(200)} for key in keys})
    assert set(_sync(sandbox, cache).updated) == set(keys)

    quiet = Requests(sandbox)
    result = _sync(sandbox, cache)
    assert not result.changed
    assert len(quiet.stamps()) == 1 and quiet.whole() == []  # five listed, none fetched
    assert len(quiet.all()) == 2  # the stamps and the deleted orders


def test_a_change_in_the_same_second_as_the_last_read_is_not_missed(sandbox, cache):
    _sync(sandbox, cache)
    (key,) = _modern_keys(sandbox, 1, offset=40)

    async def update():
        async with client_for(sandbox) as client:
            await client.update_order(key, {"trackingNumber": "FIRST"})

    run(update())
    assert _sync(sandbox, cache).updated == [key]
    stamp = cache.order_json(key)["updateTimestamp"]
    # a second change in the same second: the store keeps the timestamp
    _change(sandbox, **{key: {"trackingNumber": "SECOND"}})
    with sandbox.store.read() as conn:
        stored = sandbox.store.load(conn, sandbox.store.find_id(conn, key))
    assert stored["updateTimestamp"] == stamp and stored["trackingNumber"] == "SECOND"

    assert _sync(sandbox, cache).updated == [key]
    assert cache.order_json(key)["trackingNumber"] == "SECOND"


def test_more_than_a_hundred_changes_come_in_batches_of_a_hundred(sandbox, cache):
    _sync(sandbox, cache)
    keys = [key for offset in (0, 100, 200) for key in _modern_keys(sandbox, 100, offset)][:150]
    assert len(keys) == 150
    _change(sandbox, **{key: {"privateAdminNotes": "batch", **_stamped(10)} for key in keys})

    batches = Requests(sandbox)
    result = _sync(sandbox, cache)
    assert sorted(result.updated) == sorted(keys)
    assert len(batches.stamps()) == 2  # 150 stamps: two pages
    sizes = sorted(len(q["ids"].split(",")) for q in batches.whole())
    assert sizes == [50, 100]
    assert sorted(batches.asked_by_id()) == sorted(keys)
    assert all(cache.order_json(key)["privateAdminNotes"] == "batch" for key in keys)


def test_an_old_store_with_numeric_ids_and_orders_without_one_still_syncs(sandbox, cache):
    numeric = real_orders.load("legacy-2013-numeric-id.json")  # "id": 17541773, no timestamps
    no_id = real_orders.load("legacy-2009-no-id.json")  # no id nor internal id: order number 87
    sandbox.store.put_recorded(json.dumps(numeric))
    sandbox.store.put_recorded(json.dumps(no_id))
    _sync(sandbox, cache)
    assert cache.has_order("17541773") and cache.has_order("87")

    async def change_them():
        async with client_for(sandbox) as client:
            await client.update_order(17541773, {"trackingNumber": "OLD-STORE-1"})

    run(change_them())
    # the order without an id changes too, and carries a date but no timestamp
    now = int(time.time())
    _change(sandbox, **{"87": {"trackingNumber": "OLD-STORE-2", "updateDate": format_date(now)}})

    asked = Requests(sandbox)
    result = _sync(sandbox, cache)
    assert set(result.updated) == {"17541773", "87"}
    assert cache.order_json("17541773")["trackingNumber"] == "OLD-STORE-1"
    assert cache.order_json("17541773")["id"] == 17541773  # kept exactly as it came
    assert cache.order_json("87")["trackingNumber"] == "OLD-STORE-2"
    assert asked.asked_by_id() == ["17541773"]
    assert [q["orderNumber"] for q in asked.whole() if "orderNumber" in q] == ["87"]
    assert cache.count(OrderQuery(deleted=True)) == 0

    # a stamp without a timestamp is never trusted: that order is read again
    again = Requests(sandbox)
    assert not _sync(sandbox, cache).changed
    assert [q["orderNumber"] for q in again.whole() if "orderNumber" in q] == ["87"]


def test_the_way_before_stamps_still_reads_every_listed_order_whole(sandbox, cache):
    """The benchmark's comparison path: the same change set, read whole."""
    _sync(sandbox, cache)
    keys = _modern_keys(sandbox, 3, offset=60)
    _change(sandbox, **{key: {"privateAdminNotes": "whole", **_stamped(200)} for key in keys})

    async def incremental_the_old_way():
        async with client_for(sandbox) as client:
            return await SyncEngine(cache, client, workers=0, stamps_first=False).sync()

    old_way = Requests(sandbox)
    result = run(incremental_the_old_way())
    assert sorted(result.updated) == sorted(keys)
    assert old_way.stamps() == [] and len(old_way.whole()) == 1  # one listing page, whole orders
