"""Pushing real-world orders to ECDP (the demo store, over loopback): an order
that names no email, phone or customer id gets its own state, "cannot be
matched", and is left alone until it changes; orders with numeric ids or no
id go to ECDP under their cache key; custom items arrive as distinct
products."""

from __future__ import annotations

import copy
import itertools

import pytest

from app.cache import OrderCache
from app.cache.columns import order_key
from app.services.ecdp.push import EcdpPusher
from app.services.ecdp.status import PushOutcome, ecdp_status
from app.services.sync.engine import SyncEngine
from tests.app.ecdp.support import ecdp_client_for
from tests.helpers.aio import run
from tests.helpers.sandbox import client_for, running_sandbox

TARGET = "unit@demo"
WALK_IN = {
    "email": "",  # as in Ecwid's current documentation sample
    "paymentStatus": "PAID",
    "billingPerson": {"name": "Walk-in customer", "countryCode": "GB", "phone": ""},
    "items": [
        {"productId": 0, "name": "Gift wrap", "price": 3, "quantity": 1},
        {
            "name": "Engraving",
            "price": 5,
            "quantity": 2,
            "selectedOptions": [{"name": "Text", "type": "TEXT", "value": "Anna"}],
        },
    ],
}


@pytest.fixture
def store(tmp_path):
    with running_sandbox(tmp_path / "store.sqlite3", orders=30) as server:
        yield server


@pytest.fixture
def cache(tmp_path):
    with OrderCache.open(tmp_path / "cache.sqlite3") as cache:
        yield cache


def _sync(store, cache, *changes) -> list[str]:
    """Apply ``changes`` (order dicts to create, or ``(key, fields)`` to
    update) in the store, then sync; the keys of the created orders."""

    async def scenario():
        created = []
        async with client_for(store) as client:
            for change in changes:
                if isinstance(change, tuple):
                    await client.update_order(*change)
                else:
                    created.append((await client.create_order(change)).orderid)
            await SyncEngine(cache, client).sync()
        return created

    return run(scenario())


def _push(store, cache, clock=None, **kwargs):
    async def scenario():
        async with ecdp_client_for(store) as client:
            options = {"clock": clock} if clock else {}
            return await EcdpPusher(cache, client, target=TARGET, **options).push(**kwargs)

    return run(scenario())


def _ecdp_posts(store) -> int:
    return sum(
        1 for method, path, _ in store.request_log if (method, path) == ("POST", "/ecdp/orders")
    )


def test_an_order_naming_no_customer_waits_until_it_changes(store, cache):
    [guest] = _sync(store, cache, WALK_IN)
    others = [row.key for row in cache.rows(None, 0, 5) if row.key != guest][:4]
    keys = [guest, *others]
    ticks = itertools.count(1000)
    clock = lambda: float(next(ticks))  # noqa: E731

    first = _push(store, cache, clock, keys=keys)
    reason = "it has no email, phone or customer id, so ECDP cannot match it to a customer"
    assert first.unmatched == {guest: reason}
    assert guest not in first.failed and sorted(first.sent) == sorted(others)
    assert store.ecdp_store.get(guest) is None
    state = ecdp_status(cache, [guest], TARGET)[guest]
    assert state.outcome == PushOutcome.UNMATCHED and state.error == reason
    assert state.sent_at is None
    tried_at = cache.ecdp_pushes([guest], TARGET)[guest].attempted_at

    # neither a full push nor a new-and-changed one sends it, retries it, or calls it failed
    posts = _ecdp_posts(store)
    again = _push(store, cache, clock, keys=keys)
    quiet = _push(store, cache, clock, keys=keys, only_changed=True)
    for report in (again, quiet):
        assert report.unmatched == {guest: reason} and not report.failed and not report.sent
        assert sorted(report.skipped) == sorted(others) and report.total == 5
    assert _ecdp_posts(store) == posts
    assert cache.ecdp_pushes([guest], TARGET)[guest].attempted_at == tried_at

    # the shop adds the customer's phone: the order is tried again, and goes
    billing = {**WALK_IN["billingPerson"], "phone": "07911 123456"}
    _sync(store, cache, (guest, {"billingPerson": billing}))
    assert ecdp_status(cache, [guest], TARGET)[guest].outcome == PushOutcome.NOT_SENT
    after = _push(store, cache, clock, keys=keys, only_changed=True)
    assert after.sent == [guest] and not after.unmatched and not after.failed
    held = store.ecdp_store.get(guest)
    assert held["customer"]["phone"] == "+447911123456" and "email" not in held["customer"]
    [wrap, engraving] = [product["id"] for product in held["products"]]
    assert wrap != engraving and wrap.startswith("custom-") and engraving.startswith("custom-")
    assert ecdp_status(cache, [guest], TARGET)[guest].outcome == PushOutcome.SENT


def test_force_looks_at_an_unmatched_order_again(store, cache):
    [guest] = _sync(store, cache, WALK_IN)
    ticks = itertools.count(1000)
    clock = lambda: float(next(ticks))  # noqa: E731
    _push(store, cache, clock, keys=[guest])
    before = cache.ecdp_pushes([guest], TARGET)[guest].attempted_at
    forced = _push(store, cache, clock, keys=[guest], only_changed=True, force=True)
    assert list(forced.unmatched) == [guest] and not forced.sent
    assert cache.ecdp_pushes([guest], TARGET)[guest].attempted_at > before


def test_an_order_sent_once_whose_customer_details_are_removed(store, cache):
    [order] = _sync(store, cache, {**WALK_IN, "email": "ada@example.org"})
    assert _push(store, cache, keys=[order]).sent == [order]
    _sync(store, cache, (order, {"email": ""}))
    assert ecdp_status(cache, [order], TARGET)[order].outcome == PushOutcome.CHANGED

    report = _push(store, cache, keys=[order])
    assert list(report.unmatched) == [order]
    state = ecdp_status(cache, [order], TARGET)[order]
    assert state.outcome == PushOutcome.UNMATCHED and state.sent_at is not None  # ECDP has
    assert store.ecdp_store.get(order)["customer"]["email"] == "ada@example.org"  # the old one


def test_orders_with_numeric_ids_or_none_go_under_their_cache_key(store, cache):
    _sync(store, cache)
    template = next(
        cache.order_json(row.key)
        for row in cache.rows(None, 0, 30)
        if cache.order_json(row.key)["paymentStatus"] == "PAID"
    )
    numeric, idless = copy.deepcopy(template), copy.deepcopy(template)
    numeric.update(id=17541773, orderNumber=17541773)  # an older store's order
    idless.pop("id")
    idless.update(orderNumber=4410, internalId=None)
    cache.upsert_orders([numeric, idless])
    keys = [order_key(numeric), order_key(idless)]
    assert keys == ["17541773", "4410"]

    report = _push(store, cache, keys=keys)
    assert report.sent == keys and not report.failed and not report.unmatched
    assert store.ecdp_store.get("17541773")["totalValue"] == template["total"]
    assert store.ecdp_store.get("4410") is not None
    assert _push(store, cache, keys=keys).skipped == keys  # and are known as sent
