"""Every recorded real order (``tests/fixtures/real_orders/``) loads everywhere:
through the typed client (served verbatim by the demo store over loopback),
the sync into the cache, search in the cache and the offline invoice — and no
credential inside its URLs is stored.

The typed models, the cache's raw path and the order key rules must agree on
every order (key, number shown, dates, total): the first test runs each
fixture through all of them.
"""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from app.cache import OrderCache, UpsertResult
from app.cache.columns import index_entry
from app.domain.queries import OrderQuery
from app.domain.raw_orders import raw_order_key
from app.domain.url_credentials import scrub_order
from app.ecwid import Order, OrderFilters
from app.services.invoices.documents import InvoiceUnavailable, invoice_for
from app.services.sync.engine import SyncEngine
from app.services.sync.pages import prepare_page
from tests.app.cache.support import stored_text
from tests.helpers import real_orders
from tests.helpers.aio import run
from tests.helpers.sandbox import client_for, running_sandbox

NAMES = real_orders.names()
_SECOND = timedelta(seconds=1)


def _scrubbed(raw: dict[str, Any]) -> dict[str, Any]:
    return scrub_order(raw)[0]


def _key(raw: dict[str, Any]) -> str:
    key = raw_order_key(raw)
    assert key is not None
    return key


def _no_secrets(value: Any) -> None:
    text = value if isinstance(value, str | bytes) else json.dumps(value, ensure_ascii=False)
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    for secret in real_orders.SECRETS:
        assert secret not in text


# -- agreement -------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_the_model_the_raw_sync_path_and_the_key_rules_agree(name):
    raw = real_orders.load(name)
    model = Order.model_validate(raw)
    page = prepare_page(real_orders.page_of(real_orders.text(name)))
    assert page.unkeyed == 0
    [prepared] = page.items
    columns, _ = index_entry(raw)
    assert model.key == raw_order_key(raw) == prepared.key == columns.key
    assert model.display_number == prepared.columns.number == columns.number
    assert model.created_timestamp == prepared.columns.created_ts == columns.created_ts
    assert model.updated_timestamp == prepared.columns.updated_ts == columns.updated_ts
    text = prepared.columns.total_text
    assert (Decimal(text) if text is not None else None) == model.total
    assert model.total is None or type(model.total) is Decimal
    assert prepared.columns.payment_status == (model.payment_status or "")


@pytest.mark.parametrize(
    ("name", "key", "number", "created"),
    [
        ("legacy-2013-numeric-id.json", "17541773", "1142", datetime(2013, 11, 5, 22, 22, 51)),
        ("legacy-2009-no-id.json", "87", "87", datetime(2009, 3, 14, 17, 15, 2)),
        ("legacy-2018-coupon-date.json", "5871", "5871", datetime(2018, 1, 4, 18, 30, 9)),
        ("current-2024-out-for-delivery.json", "WLN-X8UYE", "WLN-X8UYE", None),
        ("current-2024-unfinished-checkout.json", "ZK4PD", "ZK4PD", None),
        ("reference-get-order-sample.json", "20", "20", datetime(2015, 3, 25, 7, 30, 54)),
    ],
)
def test_keys_numbers_and_dates_of_old_and_new_orders(name, key, number, created):
    model = Order.model_validate(real_orders.load(name))
    assert (model.key, model.display_number) == (key, number)
    if created is not None:
        assert model.created_timestamp == int(created.replace(tzinfo=UTC).timestamp())


def test_an_old_orders_numeric_id_is_written_back_as_a_number():
    raw = real_orders.load("legacy-2013-numeric-id.json")
    order = Order.model_validate(raw)
    assert order.id == 17541773 and order.key == "17541773"
    order.tracking_number = "9400 1111"
    written = order.to_api()
    assert written["id"] == 17541773 and type(written["id"]) is int
    assert written == {**raw, "trackingNumber": "9400 1111"}


def test_a_date_in_another_form_is_kept_and_the_rest_of_the_coupon_is_read():
    raw = real_orders.load("legacy-2018-coupon-date.json")
    coupon = Order.model_validate(raw).discount_coupon
    assert coupon.launch_date is None and coupon.expiration_date is None
    assert (coupon.code, coupon.discount, coupon.uses_limit) == ("WINTER10", 10, "UNLIMITED")
    assert Order.model_validate(raw).to_api()["discountCoupon"] == raw["discountCoupon"]


def test_odd_values_are_not_used_and_come_back_as_they_came():
    raw = real_orders.load("odd-values.json")
    order = Order.model_validate(raw)
    assert order.customer_id is None and order.discount_coupon.discount is None
    assert order.subtotal == Decimal("41.00") and order.total == Decimal("47.9")
    assert [item.name for item in order.items] == ["Hand-thrown mug"]  # the junk line is left out
    assert order.items[0].weight is None and order.items[0].dimensions is None
    assert order.billing_person.phone == "4915550100"
    assert order.shipping_person is None and order.payment_params is None
    assert order.to_api() == raw


# -- the typed client, served by the demo store --------------------------------------------


STORES = real_orders.stores()


@pytest.fixture(params=range(len(STORES)), ids=lambda i: f"store{i}")
def recorded_store(request, tmp_path):
    """A demo store holding only recorded orders (no two with the same key),
    each stored as its text; ``.fixtures`` names them."""
    with running_sandbox(tmp_path / "recorded.sqlite3", orders=0) as server:
        server.fixtures = STORES[request.param]
        for name in server.fixtures:
            server.store.put_recorded(real_orders.text(name))
        yield server


def _expected(store) -> dict[str, dict[str, Any]]:
    return {name: real_orders.load(name) for name in store.fixtures}


def test_every_recorded_order_loads_through_the_typed_client(recorded_store):
    expected = _expected(recorded_store)
    has_legacy = "legacy-2013-numeric-id.json" in expected

    async def scenario():
        async with client_for(recorded_store) as client:
            listed = [order async for order in client.iter_orders()]
            unfinished = await client.search_orders(
                OrderFilters(payment_status=["INCOMPLETE"]), 0, 100
            )
            single = {name: await client.get_order(_key(raw)) for name, raw in expected.items()}
            by_raw_id = await client.get_order(17541773) if has_legacy else None
            raw_single = {
                name: await client.get_order_raw(_key(raw)) for name, raw in expected.items()
            }
            raw_pages = [page async for page in client.iter_raw_pages()]
        return listed + unfinished.items, single, by_raw_id, raw_single, raw_pages

    listed, single, by_raw_id, raw_single, raw_pages = run(scenario())
    by_key = {order.key: order for order in listed}
    assert set(by_key) == {_key(raw) for raw in expected.values()}  # no order failed its page
    for name, raw in expected.items():
        clean = _scrubbed(raw)
        assert by_key[_key(raw)].to_api() == clean, name
        assert single[name].to_api() == clean, name
        assert raw_single[name] == clean, name
        _no_secrets(by_key[_key(raw)].to_api())
        _no_secrets(raw_single[name])
    assert not has_legacy or by_raw_id.id == 17541773
    raw_items = {_key(order): order for page in raw_pages for order in page.items}
    _no_secrets(list(raw_items.values()))
    assert raw_items == {
        _key(raw): _scrubbed(raw)
        for raw in expected.values()
        if raw["paymentStatus"] != "INCOMPLETE"
    }


def test_an_old_order_is_written_back_with_its_numeric_id(recorded_store):
    if "legacy-2013-numeric-id.json" not in recorded_store.fixtures:
        return  # (the other store)

    async def scenario():
        async with client_for(recorded_store) as client:
            order = await client.get_order(17541773)
            order.tracking_number = "9400 2222"
            assert await client.update_order(order.key, order) == 1
            return await client.get_order_raw(17541773)

    stored = run(scenario())
    assert stored["id"] == 17541773 and stored["trackingNumber"] == "9400 2222"
    assert stored["orderNumber"] == 1142


# -- the sync, the cache, search and the offline invoice ---------------------------------------


@pytest.fixture
def synced(recorded_store, tmp_path):
    """The recorded store after a full sync into a cache of its own."""
    with OrderCache.open(tmp_path / "cache.sqlite3") as cache:

        async def scenario():
            async with client_for(recorded_store) as client:
                return await SyncEngine(cache, client).sync(full=True)

        result = run(scenario())
        yield cache, result


def test_every_recorded_order_syncs_into_the_cache_without_its_credentials(synced, recorded_store):
    cache, result = synced
    expected = _expected(recorded_store)
    assert sorted(result.new) == sorted(_key(raw) for raw in expected.values())
    for name, raw in expected.items():
        assert cache.order_json(_key(raw)) == _scrubbed(raw), name
    with cache._raw_connection() as conn:
        rows = conn.execute("SELECT body FROM order_bodies").fetchall()
        bodies = [stored_text(conn, row[0]) for row in rows]
        texts = [row for row in conn.execute("SELECT * FROM order_text")]
    assert len(bodies) == len(expected)
    for body in bodies:
        _no_secrets(body)
    _no_secrets(json.dumps(texts))


def test_recorded_orders_fetched_again_are_recognised_as_unchanged(synced, recorded_store):
    cache, _ = synced

    async def scenario():
        async with client_for(recorded_store) as client:
            again = await SyncEngine(cache, client).sync(full=True)
            page = await client.search_orders_raw(None, 0, 100)  # the incremental path
            keys = [_key(raw) for raw in _expected(recorded_store).values()]
            singles = [await client.get_order_raw(key) for key in keys]  # read-backs after writes
            return again, page.items, singles

    again, items, singles = run(scenario())
    assert (again.new, again.updated, again.deleted) == ([], [], [])
    assert items and cache.upsert_orders(items) == UpsertResult([], [])
    assert cache.upsert_orders(singles) == UpsertResult([], [])
    # an order that carried credentials, given as a dict as the store sent it:
    # stored scrubbed, it is the very body the sync stored
    with_secrets = [raw for raw in _expected(recorded_store).values() if scrub_order(raw)[1]]
    assert with_secrets and cache.upsert_orders(with_secrets) == UpsertResult([], [])


def test_every_recorded_order_is_found_by_search(synced, recorded_store):
    cache, _ = synced
    for name in recorded_store.fixtures:
        _found_by_search(cache, name)


def _found_by_search(cache: OrderCache, name: str) -> None:
    raw = real_orders.load(name)
    model = Order.model_validate(raw)
    key = model.key

    def found(**query: Any) -> list[str]:
        return [row.key for row in cache.rows(OrderQuery(include_incomplete=True, **query))]

    assert key in found(text=model.display_number)
    assert key in found(keywords=model.display_number)
    if model.payment_status:
        assert key in found(payment_status=[str(model.payment_status)])
    person = model.billing_person
    if person is not None and person.name:
        assert key in found(text=person.name)
        assert key in found(customer=person.name)
    for item in model.items or []:
        if item.name:
            assert key in found(text=item.name)
    if model.created_timestamp is not None:
        placed = datetime.fromtimestamp(model.created_timestamp, UTC)
        assert key in found(created_from=placed - _SECOND, created_to=placed + _SECOND)
    rows = cache.rows(OrderQuery(include_incomplete=True, text=model.display_number))
    assert [row.number for row in rows if row.key == key] == [model.display_number]
    if model.id not in (None, ""):
        assert found(ids=[str(model.id)]) == [key]
    unfinished_hidden = [r.key for r in cache.rows(OrderQuery(text=model.display_number))]
    assert (key in unfinished_hidden) is (model.payment_status != "INCOMPLETE")


def test_the_offline_invoice_of_every_recorded_order_shows_it(synced, recorded_store):
    cache, _ = synced
    for name in recorded_store.fixtures:
        _offline_invoice_shows(cache, name)


def _offline_invoice_shows(cache: OrderCache, name: str) -> None:
    raw = real_orders.load(name)
    model = Order.model_validate(raw)
    if model.payment_status == "INCOMPLETE":
        with pytest.raises(InvoiceUnavailable, match="unfinished"):
            run(invoice_for(cache, None, model.key))
        return
    document = run(invoice_for(cache, None, model.key))
    assert document.source == "offline"
    assert document.number == model.display_number
    page = document.html
    assert "Generated offline by Backroom" in page
    assert html.escape(model.display_number) in page
    for item in model.items or []:
        if item.name:
            assert html.escape(item.name, quote=False) in page
    if model.billing_person is not None and model.billing_person.name:
        assert html.escape(model.billing_person.name, quote=False) in page
    _no_secrets(page)


def test_an_escaped_lone_surrogate_fails_no_page(tmp_path):
    # valid JSON that is no valid Unicode: pydantic's own parser and SQLite refuse it
    odd = '{"id": "SUR-1", "total": 5, "paymentStatus": "PAID", "privateAdminNotes": "A\\ud800"}'
    with (
        running_sandbox(tmp_path / "odd.sqlite3", orders=0) as server,
        OrderCache.open(tmp_path / "cache.sqlite3") as cache,
    ):
        server.store.put_recorded(odd)
        server.store.put_recorded(real_orders.text("legacy-2013-numeric-id.json"))

        async def scenario():
            async with client_for(server) as client:
                listed = [order async for order in client.iter_orders()]
                synced = await SyncEngine(cache, client).sync(full=True)
                return listed, synced

        listed, synced = run(scenario())
        assert sorted(order.key for order in listed) == ["17541773", "SUR-1"]
        assert [o.private_admin_notes for o in listed if o.key == "SUR-1"] == ["A\ufffd"]
        assert sorted(synced.new) == ["17541773", "SUR-1"]
        assert cache.order_json("SUR-1")["privateAdminNotes"] == "A\ud800"  # kept as sent
        assert [row.key for row in cache.rows(OrderQuery(text="a\ufffd"))] == ["SUR-1"]


def test_an_old_order_with_a_numeric_id_skipped_by_a_scan_is_asked_for_and_kept(sandbox, tmp_path):
    import httpx

    headers = {"Authorization": f"Bearer {sandbox.token}"}
    orders_url = f"{sandbox.url}/{sandbox.store_id}/orders"
    around = httpx.get(orders_url, params={"offset": 99, "limit": 2}, headers=headers).json()
    before, after = (item["internalId"] for item in around["items"])
    assert after - before > 1
    legacy = {**real_orders.load("legacy-2013-numeric-id.json"), "internalId": before + 1}
    sandbox.store.put_recorded(json.dumps(legacy))  # the first order of the second page
    victim = httpx.get(orders_url, params={"offset": 10, "limit": 1}, headers=headers).json()
    victim_key = victim["items"][0].get("id") or str(victim["items"][0]["orderNumber"])
    deleted = []

    def delete_after_first_page(progress):
        if not deleted:  # the orders after it shift down a place: the old order is skipped
            deleted.append(httpx.delete(f"{orders_url}/{victim_key}", headers=headers).status_code)

    with OrderCache.open(tmp_path / "cache.sqlite3") as cache:

        async def scenario():
            async with client_for(sandbox, pages_in_flight=1) as client:
                engine = SyncEngine(cache, client)
                await engine.sync(full=True)
                return await engine.sync(full=True, progress=delete_after_first_page)

        result = run(scenario())
        assert deleted == [200]
        assert result.deleted == []
        assert cache.order_json("17541773") == _scrubbed(legacy)
    assert any("ids=" in path and "17541773" in path for _m, path, _h in sandbox.request_log)
