"""Sync from the demo store into the local cache, over real loopback HTTP."""

from __future__ import annotations

import asyncio
import multiprocessing

import pytest

from app.cache import OrderCache
from app.domain.queries import OrderQuery
from app.ecwid import EcwidProtocolError, Order, OrderItem, RetryPolicy
from app.services.sync.engine import STATE_FULL, SyncEngine
from tests.helpers.aio import run
from tests.helpers.sandbox import client_for

FAST_RETRY_ONE = RetryPolicy(attempts=1)


@pytest.fixture
def cache(tmp_path):
    with OrderCache.open(tmp_path / "cache.sqlite3") as cache:
        yield cache


def _server_keys(sandbox) -> set[str]:
    async def scenario():
        async with client_for(sandbox) as client:
            keys = {o.key async for o in client.iter_orders()}
            keys |= {o.key async for o in client.iter_orders(_unfinished())}
            return keys

    return run(scenario())


def _unfinished():
    from app.services.sync.engine import UNFINISHED

    return UNFINISHED


def _sync(sandbox, cache, engine_options=None, **kwargs):
    async def scenario():
        async with client_for(sandbox, pages_in_flight=3) as client:
            return await SyncEngine(cache, client, **(engine_options or {})).sync(**kwargs)

    return run(scenario())


def _api_requests(sandbox) -> list[str]:
    return [path for _m, path, _h in sandbox.request_log if "/api/v3/" in path]


def test_first_sync_fetches_every_order_including_unfinished(sandbox, cache):
    reports = []

    async def scenario():
        async with client_for(sandbox, pages_in_flight=3) as client:
            return await SyncEngine(cache, client).sync(progress=reports.append)

    result = run(scenario())
    expected = _server_keys(sandbox)
    assert result.full and not result.resumed
    assert set(result.new) == expected and not result.updated and not result.deleted
    everything = OrderQuery(include_incomplete=True)
    assert cache.count(everything) == len(expected)
    assert cache.count(OrderQuery(payment_status=["INCOMPLETE"])) > 0
    assert [r.done for r in reports] == sorted(r.done for r in reports)
    assert reports[-1].done == reports[-1].total == len(expected)


def test_incremental_sync_with_nothing_changed_takes_two_requests(sandbox, cache):
    _sync(sandbox, cache)
    before = len(_api_requests(sandbox))

    async def incremental():
        async with client_for(sandbox) as client:
            result = await SyncEngine(cache, client).sync()
            return result, client.requests_sent

    result, sent = run(incremental())
    assert not result.full and not result.changed
    assert len(_api_requests(sandbox)) - before == sent == 2  # changed orders + deleted orders


def test_incremental_sync_sees_new_updated_and_deleted_orders(sandbox, cache):
    _sync(sandbox, cache)

    async def change_the_store():
        async with client_for(sandbox) as client:
            page = await client.search_orders(limit=20)
            modern = [o for o in page.items if o.id]
            await client.update_order(modern[0].key, {"trackingNumber": "NEW-TRACK-1"})
            await client.delete_order(modern[1].key)
            created = await client.create_order(
                Order(email="new@example.org", items=[OrderItem(name="Tea", quantity=1, price=4)])
            )
            unfinished = await client.search_orders(_unfinished(), limit=1)
            await client.update_order(unfinished.items[0].key, {"privateAdminNotes": "called"})
            return modern[0].key, modern[1].key, created.orderid, unfinished.items[0].key

    updated, deleted, created, unfinished = run(change_the_store())
    result = _sync(sandbox, cache)
    assert not result.full
    assert result.new == [created]
    assert set(result.updated) == {updated, unfinished}
    assert result.deleted == [deleted]
    assert cache.order_json(updated)["trackingNumber"] == "NEW-TRACK-1"
    assert not cache.has_order(deleted)  # out of the orders, into the deleted list
    assert [row.key for row in cache.rows(OrderQuery(deleted=True))] == [deleted]
    assert cache.order_json(unfinished)["privateAdminNotes"] == "called"

    _sync(sandbox, cache, full=True)  # a full sync empties the deleted list
    assert cache.count(OrderQuery(deleted=True)) == 0
    assert cache.order_json(deleted) is None


def test_interrupted_full_sync_resumes_without_duplicates(sandbox, cache):
    async def interrupt_midway():
        async with client_for(sandbox, pages_in_flight=2) as client:
            engine = SyncEngine(cache, client)
            holder = {}

            def stop_after_some(progress):
                if progress.done >= 120:
                    holder["task"].cancel()

            holder["task"] = asyncio.ensure_future(engine.sync(progress=stop_after_some))
            with pytest.raises(asyncio.CancelledError):
                await holder["task"]

    run(interrupt_midway())
    partial = cache.count(OrderQuery(include_incomplete=True))
    assert 0 < partial < len(_server_keys(sandbox))
    assert cache.get_state(STATE_FULL) is not None

    before = len(_api_requests(sandbox))
    result = _sync(sandbox, cache)
    resumed_searches = [
        p for p in _api_requests(sandbox)[before:] if "/orders?" in p and "paymentStatus" not in p
    ]
    assert result.full and result.resumed
    assert cache.count(OrderQuery(include_incomplete=True)) == len(_server_keys(sandbox))
    assert cache.get_state(STATE_FULL) is None
    assert resumed_searches
    assert not any("offset=0&" in p for p in resumed_searches)  # it did not start over
    # the orders stored before the interruption were new too: a notification counts them
    assert sorted(result.new) == sorted(_server_keys(sandbox))
    assert not result.updated


def test_full_sync_drops_orders_the_server_no_longer_has(sandbox, cache):
    _sync(sandbox, cache)

    async def delete_one():
        async with client_for(sandbox) as client:
            page = await client.search_orders(limit=5)
            await client.delete_order(page.items[3].key)
            return page.items[3].key

    gone = run(delete_one())
    result = _sync(sandbox, cache, full=True)
    assert result.full and result.deleted == [gone]
    assert not cache.has_order(gone)


def test_sync_survives_injected_faults(sandbox, cache):
    sandbox.faults.error_every = 4
    sandbox.faults.drop_every = 7
    sandbox.faults.rate_limit_every = 9
    sandbox.faults.retry_after = "1"
    result = _sync(sandbox, cache)
    sandbox.faults.error_every = sandbox.faults.drop_every = sandbox.faults.rate_limit_every = 0
    assert len(set(result.new)) == len(_server_keys(sandbox))


def test_periodic_sync_reports_results_and_survives_failures(sandbox, cache):
    from app.services.sync.engine import sync_periodically

    results, errors = [], []

    async def scenario():
        async with client_for(sandbox, retry=FAST_RETRY_ONE) as client:
            engine = SyncEngine(cache, client)

            def on_result(result):
                results.append(result)
                sandbox.faults.suspended = len(results) == 1  # the next round fails

            def on_error(error):
                errors.append(error)
                sandbox.faults.suspended = False  # and the one after succeeds

            task = asyncio.ensure_future(
                sync_periodically(engine, lambda: 0.0, on_result, on_error)
            )
            while len(results) < 2:
                await asyncio.sleep(0.05)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task

    sandbox.faults.suspended = False
    run(scenario(), timeout=30)
    assert results[0].full and not results[1].full
    assert len(errors) == 1 and "suspended" in str(errors[0]).lower()


def test_a_deletion_during_the_scan_does_not_drop_a_skipped_order(sandbox, cache):
    import httpx

    _sync(sandbox, cache)
    headers = {"Authorization": f"Bearer {sandbox.token}"}
    orders_url = f"{sandbox.url}/{sandbox.store_id}/orders"
    victim = httpx.get(orders_url, params={"offset": 10, "limit": 1}, headers=headers).json()
    victim_key = victim["items"][0].get("id") or str(victim["items"][0]["orderNumber"])
    deleted = []

    def delete_after_first_page(progress):
        if not deleted:  # orders after it shift down a place: one is skipped
            path = f"{orders_url}/{victim_key}"
            deleted.append(httpx.delete(path, headers=headers).status_code)

    async def full_sync_one_page_at_a_time():
        async with client_for(sandbox, pages_in_flight=1) as client:
            engine = SyncEngine(cache, client)
            return await engine.sync(full=True, progress=delete_after_first_page)

    result = run(full_sync_one_page_at_a_time())
    assert deleted == [200]
    assert result.deleted == []  # the victim was seen before it went; the skipped one stays
    rechecks = [p for _m, p, _h in sandbox.request_log if "ids=" in p]
    assert len(rechecks) == 1  # the scan did skip an order, and asked about it by id
    everything = OrderQuery(include_incomplete=True)
    cached = {row.key for row in cache.rows(everything, 0, 10_000)}
    assert cached - _server_keys(sandbox) == {victim_key}
    assert _server_keys(sandbox) <= cached

    assert _sync(sandbox, cache).deleted == [victim_key]  # the next sync learns of it
    assert {row.key for row in cache.rows(everything, 0, 10_000)} == _server_keys(sandbox)


IN_WORKERS = {"workers": 1, "worker_threshold": 0}


def _cached(cache) -> dict[str, dict]:
    rows = cache.rows(OrderQuery(include_incomplete=True), limit=10_000)
    return {row.key: (row, cache.order_json(row.key)) for row in rows}


def test_pages_prepared_in_a_worker_process_are_cached_the_same(sandbox, tmp_path):
    with (
        OrderCache.open(tmp_path / "here.sqlite3") as here,
        OrderCache.open(tmp_path / "worker.sqlite3") as worker,
    ):
        in_process = _sync(sandbox, here, {"workers": 0})
        workers_seen = []

        def count_workers(_progress):
            workers_seen.append(len(multiprocessing.active_children()))

        in_worker = _sync(sandbox, worker, IN_WORKERS, progress=count_workers)
        assert max(workers_seen) == 1  # the pages were prepared in a worker process
        assert sorted(in_worker.new) == sorted(in_process.new) == sorted(_server_keys(sandbox))
        assert _cached(worker) == _cached(here)
        text = here.rows(OrderQuery(), limit=1)[0].email
        assert [r.key for r in worker.rows(OrderQuery(text=text))] == [
            r.key for r in here.rows(OrderQuery(text=text))
        ]
        # a second full sync through the workers finds nothing changed
        again = _sync(sandbox, worker, IN_WORKERS, full=True)
        assert not again.changed


FAST_PAGE_RETRY = RetryPolicy(attempts=3, backoff_min=0.01, backoff_max=0.02)


@pytest.mark.parametrize("options", [{"workers": 0}, IN_WORKERS], ids=["here", "in-workers"])
def test_an_unreadable_page_is_fetched_again_and_the_sync_completes(sandbox, cache, options):
    sandbox.faults.garbage_every = 3  # pages 3, 5, 7…: truncated JSON on the first try

    async def scenario():
        async with client_for(sandbox, pages_in_flight=1) as client:
            engine = SyncEngine(cache, client, page_retry=FAST_PAGE_RETRY, **options)
            return await engine.sync()

    result = run(scenario())
    sandbox.faults.garbage_every = 0
    assert sorted(result.new) == sorted(_server_keys(sandbox))
    assert cache.get_state(STATE_FULL) is None
    searches = [p for p in _api_requests(sandbox) if "/orders?" in p]
    assert len(searches) > len(set(searches))  # some pages were asked for twice


def test_a_page_unreadable_every_time_ends_the_sync_which_then_resumes_from_it(sandbox, cache):
    async def break_after_first_page():
        async with client_for(sandbox, pages_in_flight=1) as client:
            engine = SyncEngine(cache, client, page_retry=FAST_PAGE_RETRY, **IN_WORKERS)

            def on_progress(progress):
                sandbox.faults.garbage_every = 1  # from now on every answer is truncated

            await engine.sync(progress=on_progress)

    with pytest.raises(EcwidProtocolError, match="cannot read"):
        run(break_after_first_page())
    sandbox.faults.garbage_every = 0
    searches = [p for p in _api_requests(sandbox) if "/orders?" in p]
    # the first page, then the second one three times (the bounded retries)
    assert len(searches) == 4 and len(set(searches[1:])) == 1 and "offset=100" in searches[1]
    assert 0 < cache.count(OrderQuery(include_incomplete=True)) <= 100
    assert cache.get_state(STATE_FULL) is not None  # resumable

    before = len(_api_requests(sandbox))
    result = _sync(sandbox, cache, IN_WORKERS)
    resumed = [p for p in _api_requests(sandbox)[before:] if "/orders?" in p]
    assert result.resumed
    assert "offset=100" in resumed[0]  # from the page that failed, not from the start
    assert cache.count(OrderQuery(include_incomplete=True)) == len(_server_keys(sandbox))
    assert sorted(result.new) == sorted(_server_keys(sandbox))


def test_the_worker_pool_is_let_go_off_the_event_loop(sandbox, cache):
    """Letting go of the worker pool's last reference runs its weakref callback,
    which waits for the lock the pool's own thread holds while the workers
    exit (a 0.2 s stall measured in the window at the end of a first sync):
    it must happen in a worker thread, never on the event loop's."""
    import threading
    import weakref

    let_go_in: list[str] = []

    async def scenario():
        async with client_for(sandbox, pages_in_flight=2) as client:
            engine = SyncEngine(cache, client, **IN_WORKERS)

            def watch_the_pool(_progress):
                if engine._pool is not None and not let_go_in:
                    weakref.finalize(
                        engine._pool, lambda: let_go_in.append(threading.current_thread().name)
                    )
                    let_go_in.append("watched")

            loop_thread = threading.current_thread().name
            await engine.sync(progress=watch_the_pool)
            return loop_thread

    loop_thread = run(scenario())
    assert let_go_in[0] == "watched" and len(let_go_in) == 2
    assert let_go_in[1] != loop_thread
