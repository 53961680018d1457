"""Pushing cached orders to ECDP (the demo store's ECDP side, over loopback):
a push of 1,000 orders that fails half-way resumes without sending anything
twice; cancelling keeps what was confirmed; new-and-changed-only pushes; and
the per-order state the table shows."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from app.cache import OrderCache
from app.domain.queries import OrderQuery
from app.ecdp import EcdpNetworkError, EcdpServerError
from app.services.ecdp.push import EcdpPusher
from app.services.ecdp.status import PushOutcome, ecdp_status
from app.services.sync.engine import SyncEngine
from tests.app.ecdp.support import ecdp_client_for
from tests.helpers.aio import run
from tests.helpers.sandbox import client_for, running_sandbox

TARGET = "unit@demo"


@pytest.fixture(scope="module")
def big_store(tmp_path_factory):
    """A demo store with a little over 1,000 finished orders (read-only for
    its Ecwid side; each test uses its own ECDP orders through ``fresh_ecdp``)."""
    with running_sandbox(tmp_path_factory.mktemp("big") / "store.sqlite3", orders=1080) as server:
        yield server


@pytest.fixture
def cache(tmp_path, big_store):
    cache = OrderCache.open(tmp_path / "cache.sqlite3")

    async def sync():
        async with client_for(big_store) as client:
            await SyncEngine(cache, client).sync()

    run(sync())
    yield cache
    cache.close()


@pytest.fixture
def store(big_store):
    """``big_store`` with its ECDP side emptied and its faults cleared."""
    with big_store.ecdp_store.store.transaction() as conn:
        for table in ("ecdp_orders", "ecdp_received", "ecdp_customers"):
            conn.execute(f"DELETE FROM {table}")
    _clear_faults(big_store.faults)
    yield big_store
    _clear_faults(big_store.faults)


def _clear_faults(faults):
    faults.error_every = faults.drop_every = 0
    faults.fail_orders = {}


def _push(store, cache, **kwargs):
    options = {k: kwargs.pop(k) for k in ("website_id", "currency") if k in kwargs}

    async def scenario():
        async with ecdp_client_for(store) as client:
            pusher = EcdpPusher(cache, client, target=TARGET, **options)
            return await pusher.push(**kwargs)

    return run(scenario())


def _thousand(cache) -> list[str]:
    keys = [row.key for row in cache.rows(OrderQuery(), 0, 1000)]
    assert len(keys) == 1000
    return keys


def test_a_push_failing_half_way_resumes_without_duplicates(store, cache):
    keys = _thousand(cache)
    doomed = keys[550]  # in the 6th batch of 100

    def fail_from_the_sixth_batch(progress):
        if progress.done == 500:
            store.faults.fail_orders = {doomed: 500}  # persists through the retries

    first = _push(store, cache, keys=keys, progress=fail_from_the_sixth_batch)
    assert isinstance(first.interrupted, EcdpServerError) and not first.complete
    assert len(first.sent) == 500 and first.sent == keys[:500]
    assert set(first.failed) == set(keys[500:600])
    states = ecdp_status(cache, keys, TARGET)
    assert Counter(state.outcome for state in states.values()) == {
        PushOutcome.SENT: 500,
        PushOutcome.FAILED: 100,
        PushOutcome.NOT_SENT: 400,
    }
    assert "ECDP answered 500" in states[doomed].error

    store.faults.fail_orders = {}
    second = _push(store, cache, keys=keys)
    assert second.complete and not second.failed
    assert second.sent == keys[500:] and second.skipped == keys[:500]

    received = Counter(order_id for _mode, order_id in store.ecdp_store.received())
    assert len(received) == 1000 and set(received.values()) == {1}  # each order once
    assert store.ecdp_store.count() == 1000
    assert {s.outcome for s in ecdp_status(cache, keys, TARGET).values()} == {PushOutcome.SENT}


def test_a_dropped_connection_stops_the_push_and_the_next_one_finishes(store, cache):
    keys = _thousand(cache)[:300]

    def drop_after_the_first_batch(progress):
        if progress.done == 100:
            store.faults.drop_every = 1

    first = _push(store, cache, keys=keys, progress=drop_after_the_first_batch)
    assert isinstance(first.interrupted, EcdpNetworkError)
    assert len(first.sent) == 100 and len(first.failed) == 100  # the third batch never went
    store.faults.drop_every = 0
    second = _push(store, cache, keys=keys)
    assert len(second.sent) == 200 and len(second.skipped) == 100
    assert Counter(Counter(i for _m, i in store.ecdp_store.received()).values()) == {1: 300}


def test_cancelling_keeps_what_ecdp_confirmed(store, cache):
    keys = _thousand(cache)[:500]

    async def scenario():
        first_batch = asyncio.Event()
        async with ecdp_client_for(store) as client:
            pusher = EcdpPusher(cache, client, target=TARGET)
            task = asyncio.create_task(
                pusher.push(keys=keys, progress=lambda p: p.done >= 200 and first_batch.set())
            )
            await first_batch.wait()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task

    run(scenario())
    confirmed = [k for k, s in ecdp_status(cache, keys, TARGET).items() if s.outcome == "sent"]
    assert 200 <= len(confirmed) < 500 and confirmed == keys[: len(confirmed)]
    rest = _push(store, cache, keys=keys)
    assert rest.skipped == confirmed and len(rest.sent) == 500 - len(confirmed)
    ids = [order_id for _mode, order_id in store.ecdp_store.received()]
    assert len(set(ids)) == 500  # a batch in flight when cancelled may go twice, harmlessly
    assert len(ids) - 500 <= 100


def test_only_new_and_changed_orders_after_a_sync(store, big_store, cache):
    query = OrderQuery(payment_status=["PAID"])
    first = _push(store, cache, query=query, currency="USD")
    assert first.complete and len(first.sent) == cache.count(query)
    [changed_key, *_] = first.sent

    async def change_in_the_store():
        async with client_for(big_store) as client:
            await client.update_order(changed_key, {"email": "new.address@example.org"})
            await SyncEngine(cache, client).sync()

    run(change_in_the_store())
    assert ecdp_status(cache, [changed_key], TARGET)[changed_key].outcome == PushOutcome.CHANGED
    posts_before = len(store.ecdp_store.received())
    again = _push(store, cache, query=query, only_changed=True, currency="USD")
    assert again.sent == [changed_key] and len(again.skipped) == len(first.sent) - 1
    assert store.ecdp_store.received()[posts_before:] == [("AddOrReplace", changed_key)]
    assert store.ecdp_store.get(changed_key)["customer"]["email"] == "new.address@example.org"
    assert ecdp_status(cache, [changed_key], TARGET)[changed_key].outcome == PushOutcome.SENT


def test_a_setting_that_changes_what_is_sent_sends_again(store, cache):
    keys = _thousand(cache)[:20]
    assert len(_push(store, cache, keys=keys).sent) == 20
    assert len(_push(store, cache, keys=keys).skipped) == 20
    assert len(_push(store, cache, keys=keys, website_id=9).sent) == 20  # the mapped order differs
    assert store.ecdp_store.get(keys[0])["websiteId"] == 9
    assert len(_push(store, cache, keys=keys, website_id=9, force=True).sent) == 20


def test_refused_and_unmappable_orders_are_recorded_and_the_rest_goes_on(store, cache):
    query = OrderQuery(include_incomplete=True)
    keys = [row.key for row in cache.rows(query, 0, 400)]
    unfinished = [key for key in keys if cache.order_json(key)["paymentStatus"] == "INCOMPLETE"]
    assert unfinished
    refused = next(key for key in keys[150:200] if key not in unfinished)
    store.faults.fail_orders = {refused: 400}  # ECDP refuses its batch (of 100)

    report = _push(store, cache, keys=keys)
    assert report.complete  # a refused batch does not stop the push
    batch = {k for k in keys[100:200] if k not in unfinished}
    assert set(report.failed) == batch | set(unfinished)
    assert "unfinished checkout" in report.failed[unfinished[0]]
    assert "ECDP answered 400" in report.failed[refused]
    assert len(report.sent) == len(keys) - len(report.failed)
    states = ecdp_status(cache, [unfinished[0], refused, "NOT-CACHED"], TARGET)
    assert states[unfinished[0]].outcome == PushOutcome.FAILED
    assert states[refused].outcome == PushOutcome.FAILED and states[refused].sent_at is None
    assert states["NOT-CACHED"].outcome == PushOutcome.NOT_SENT


def test_state_per_target_and_the_latest_across_targets(store, cache):
    [key] = _thousand(cache)[:1]
    _push(store, cache, keys=[key])
    assert ecdp_status(cache, [key], "other@unit")[key].outcome == PushOutcome.NOT_SENT
    state = ecdp_status(cache, [key])[key]
    assert state.outcome == PushOutcome.SENT and state.sent_at is not None
    assert state.sent_at == state.attempted_at and state.error is None
