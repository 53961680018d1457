"""Sync state, invoices, plain-worded errors (full disk, read-only file) and
use from worker threads."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from app.cache import CacheError, OrderCache
from app.cache.errors import translate
from app.domain.outbox import OutboxState
from app.domain.queries import OrderQuery
from tests.app.cache.support import key_of


def test_sync_state(cache):
    assert cache.get_state("cursor") is None
    assert cache.get_state("cursor", "0") == "0"
    cache.set_state("cursor", "1700000000")
    cache.set_state("cursor", "1700000100")
    assert cache.get_state("cursor") == "1700000100"
    cache.set_state("cursor", None)
    assert cache.get_state("cursor", "gone") == "gone"
    cache.set_state("never-set", None)


def test_invoices_keep_the_newest_version(cache, orders):
    cache.upsert_orders(orders[:3])
    key = key_of(orders[1])
    assert cache.invoice(key) is None
    cache.put_invoice(key, None, "<p>no version</p>")
    assert cache.invoice(key) == (None, "<p>no version</p>")
    html = "<html><body>Rechnung — Zoë <b>€12,00</b></body></html>" * 50
    cache.put_invoice(key, 1_700_000_000, html)
    assert cache.invoice(key) == (1_700_000_000, html)
    cache.put_invoice(key, 1_600_000_000, "<p>older</p>")  # an older version is not kept
    assert cache.invoice(key) == (1_700_000_000, html)
    cache.put_invoice(key, 1_700_000_000, "<p>replaced</p>")
    assert cache.invoice(key) == (1_700_000_000, "<p>replaced</p>")
    with cache._raw_connection() as conn:
        assert conn.execute("SELECT count(*) FROM invoices").fetchone()[0] == 1


def test_a_full_disk_is_a_plain_error_and_nothing_half_written(cache, orders):
    cache.upsert_orders(orders[:5])
    with cache._raw_connection() as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages + 2}")
    with pytest.raises(CacheError) as caught:
        cache.upsert_orders(orders[5:300])
    message = str(caught.value)
    assert "disk is full" in message and "saving orders" in message
    assert "Traceback" not in message and "sqlite3" not in message
    assert cache.count(OrderQuery(include_incomplete=True)) == 5  # rolled back
    assert cache.get_state("x") is None  # still usable


def test_a_read_only_cache_is_a_plain_error(cache, orders):
    cache.upsert_orders(orders[:2])
    with cache._raw_connection() as conn:
        conn.execute("PRAGMA query_only = ON")
    with pytest.raises(CacheError, match="read-only"):
        cache.set_marks({key_of(orders[0]): (1, False)})
    with pytest.raises(CacheError, match="read-only"):
        cache.set_state("a", "b")
    assert cache.count(OrderQuery(include_incomplete=True)) == 2  # reading still works


def test_unknown_sqlite_errors_are_worded_too():
    import sqlite3

    error = translate(sqlite3.OperationalError("no such table: x"), "doing a thing")
    assert isinstance(error, CacheError)
    assert (
        str(error)
        == "The order cache failed while doing a thing: the database reported: no such table: x."
    )


def test_worker_threads_share_the_cache(cache, orders):
    """Writers (sync batches, edits) and readers (the table) at once, as
    asyncio.to_thread would run them."""
    batches = [orders[i : i + 50] for i in range(0, 600, 50)]
    errors: list[BaseException] = []
    stop = threading.Event()

    def read() -> int:
        reads = 0
        while not stop.is_set():
            query = OrderQuery(text="linen", payment_status=["PAID"])
            cache.count(query)
            cache.rows(query, limit=50)
            cache.marks()
            reads += 1
        return reads

    with ThreadPoolExecutor(max_workers=6) as pool:
        readers = [pool.submit(read) for _ in range(2)]
        writes = list(pool.map(lambda b: cache.upsert_orders(b, generation=1), batches))
        edits = list(pool.map(lambda o: cache.set_marks({key_of(o): (1, False)}), orders[:20]))
        stop.set()
        for future in readers:
            try:
                assert future.result() > 0
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)
    assert not errors
    assert sum(len(w.new) for w in writes) == 600
    assert len(edits) == 20
    assert cache.count(OrderQuery(include_incomplete=True)) == 600
    assert (
        len(
            cache.rows(
                OrderQuery(outbox_states=[OutboxState.WAITING], include_incomplete=True), limit=100
            )
        )
        == 20
    )


async def _async_use(cache: OrderCache, orders) -> int:
    import asyncio

    await asyncio.gather(
        *(asyncio.to_thread(cache.upsert_orders, orders[i : i + 100]) for i in range(0, 300, 100))
    )
    return await asyncio.to_thread(cache.count, OrderQuery(include_incomplete=True))


def test_from_asyncio_to_thread(cache, orders):
    import asyncio

    assert asyncio.run(_async_use(cache, orders)) == 300


def test_state_saved_with_an_upsert_shares_its_transaction(cache, orders):
    cache.upsert_orders(orders[:2], 1, state={"checkpoint": "page 1", "old": None})
    assert cache.get_state("checkpoint") == "page 1"
    bad = dict(orders[2], id=None, orderNumber=None, internalId=None)  # cannot be keyed
    with pytest.raises(CacheError):
        cache.upsert_orders([orders[3], bad], 1, state={"checkpoint": "page 2"})
    assert cache.get_state("checkpoint") == "page 1"  # neither the orders nor the state
    assert not cache.has_order(key_of(orders[3]))
