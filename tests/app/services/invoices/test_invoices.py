"""Invoices against the demo store over loopback: fetched and cached per order
version, served from the cache with the store stopped, rendered from our own
template when never fetched and offline, refused plainly for unfinished
orders, and prefetched for recent orders only, stoppably."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.cache import OrderCache
from app.domain.queries import OrderQuery, SortKey
from app.ecwid import RetryPolicy
from app.services.invoices.documents import (
    OFFLINE_MARK,
    InvoiceUnavailable,
    invoice_for,
    prefetch_invoices,
)
from app.services.invoices.letterhead import remembered_letterhead
from app.services.sync.engine import SyncEngine
from tests.helpers.aio import run
from tests.helpers.sandbox import FIXED_NOW, client_for

NO_RETRY = RetryPolicy(attempts=1)


@pytest.fixture
def synced(sandbox, tmp_path):
    """A cache holding every order of the demo store (unfinished ones too)."""

    async def sync(cache):
        async with client_for(sandbox) as client:
            await SyncEngine(cache, client).sync()

    with OrderCache.open(tmp_path / "orders.sqlite3") as cache:
        run(sync(cache))
        yield cache


def _paid(cache: OrderCache, index: int = 0):
    return cache.rows(OrderQuery(payment_status=["PAID"]), index, 1)[0]


def _unfinished(cache: OrderCache):
    return cache.rows(OrderQuery(payment_status=["INCOMPLETE"]), 0, 1)[0]


def test_an_invoice_is_fetched_once_then_served_from_the_cache(sandbox, synced):
    row = _paid(synced)

    async def scenario():
        async with client_for(sandbox) as client:
            first = await invoice_for(synced, client, row.key)
            sent = client.requests_sent
            again = await invoice_for(synced, client, row.key)
            return first, again, client.requests_sent - sent

    first, again, requests = run(scenario())
    assert first.source == "store" and first.notice is None
    assert first.key == row.key and first.number == row.number
    assert first.title == f"Invoice {row.number}"
    assert first.update_timestamp == row.updated_ts
    assert row.number in first.html and "window.print()" in first.html  # the store's own page
    assert synced.invoice(row.key) == (row.updated_ts, first.html)
    assert again.source == "cache" and again.html == first.html and again.notice is None
    assert requests == 0
    # the store's address and time zone are kept for offline invoices
    letterhead = remembered_letterhead(synced)
    assert letterhead is not None and letterhead.time_zone == "Europe/Berlin"
    assert "42 Kent Ave" in letterhead.address


def test_with_the_store_stopped_the_cached_invoice_is_shown(sandbox, synced):
    row = _paid(synced)
    stale_row = _paid(synced, 1)

    async def fetch():
        async with client_for(sandbox) as client:
            return [await invoice_for(synced, client, key) for key in (row.key, stale_row.key)]

    fetched, stale_fetched = run(fetch())
    # the second order changes after its invoice was saved (a newer version synced)
    changed = synced.order_json(stale_row.key)
    changed["updateTimestamp"] = stale_row.updated_ts + 60
    synced.upsert_orders([changed])
    sandbox.stop()

    async def offline():
        async with client_for(sandbox, retry=NO_RETRY) as client:
            return [await invoice_for(synced, client, key) for key in (row.key, stale_row.key)]

    current, stale = run(offline())
    assert current.source == "cache" and current.html == fetched.html and current.notice is None
    assert stale.source == "cache" and stale.html == stale_fetched.html
    assert stale.update_timestamp == stale_row.updated_ts  # the version it was made for
    assert "could not be reached" in stale.notice and "earlier version" in stale.notice


def test_never_fetched_and_offline_gives_our_own_invoice_marked_as_such(sandbox, synced):
    row = _paid(synced)
    order = synced.order_json(row.key)

    async def offline(online: bool):
        async with client_for(sandbox, retry=NO_RETRY) as client:
            document = await invoice_for(synced, client, row.key, online=online)
            return document, client.requests_sent

    document, requests = run(offline(online=False))
    assert requests == 0  # told it is offline: not even tried
    sandbox.stop()
    unreachable, _ = run(offline(online=True))
    without_client = run(invoice_for(synced, None, row.key))

    for doc in (document, unreachable, without_client):
        assert doc.source == "offline" and doc.update_timestamp == row.updated_ts
        assert OFFLINE_MARK in doc.html and "never downloaded" in doc.notice
        assert row.number in doc.html and order["billingPerson"]["name"] in doc.html
        assert "<script" not in doc.html
    assert "Backroom is offline" in document.notice
    assert "could not be reached" in unreachable.notice
    assert synced.invoice(row.key) is None  # nothing of ours is cached as the store's


def test_an_unfinished_order_has_no_invoice(sandbox, synced):
    row = _unfinished(synced)

    async def ask(online: bool):
        async with client_for(sandbox) as client:
            return await invoice_for(synced, client, row.key, online=online)

    with pytest.raises(InvoiceUnavailable, match=r"is unfinished, so it has no invoice yet\."):
        run(ask(online=True))  # the store answers 422
    with pytest.raises(InvoiceUnavailable, match="unfinished"):
        run(ask(online=False))  # offline: not made up from the cached order either
    assert synced.invoice(row.key) is None


def test_an_order_not_cached_has_no_invoice(synced):
    with pytest.raises(InvoiceUnavailable, match="not in the local copy"):
        run(invoice_for(synced, None, "NO-SUCH-ORDER"))


def _recent(cache: OrderCache, days: int) -> list[str]:
    query = OrderQuery(
        created_from=FIXED_NOW - timedelta(days=days), sort=SortKey.CREATED, descending=True
    )
    return [row.key for row in cache.rows(query, 0, 1000)]


def test_prefetch_fetches_the_recent_orders_only(sandbox, synced):
    recent = _recent(synced, 30)
    everything = [row.key for row in synced.rows(OrderQuery(), 0, 1000)]
    assert 0 < len(recent) < len(everything)

    async def prefetch(**options):
        async with client_for(sandbox) as client:
            return await prefetch_invoices(synced, client, now=FIXED_NOW, **options)

    assert run(prefetch(days=30)) == len(recent)
    for key in everything:
        assert (synced.invoice(key) is not None) == (key in recent), key
    row = synced.rows(OrderQuery(ids=[recent[0]]), 0, 1)[0]
    assert synced.invoice(row.key)[0] == row.updated_ts
    assert run(prefetch(days=30)) == 0  # all current already
    # the limit counts the newest orders, fetched or not
    assert run(prefetch(days=90, limit=len(recent) + 3)) == 3
    older = _recent(synced, 90)[len(recent) :]
    assert [synced.invoice(key) is not None for key in older[:4]] == [True] * 3 + [False]
    assert remembered_letterhead(synced) is not None


def test_prefetch_stops_when_asked_and_when_the_store_is_unreachable(sandbox, synced):
    asked = []

    def stop_after_two() -> bool:
        asked.append(True)
        return len(asked) > 2

    async def prefetch(stop, **options):
        async with client_for(sandbox, **options) as client:
            return await prefetch_invoices(synced, client, days=30, now=FIXED_NOW, should_stop=stop)

    assert run(prefetch(stop_after_two)) == 2
    assert sum(synced.invoice(key) is not None for key in _recent(synced, 30)) == 2
    sandbox.stop()
    assert run(prefetch(lambda: False, retry=NO_RETRY)) == 0
    assert run(prefetch_invoices(synced, None, days=30)) == 0
