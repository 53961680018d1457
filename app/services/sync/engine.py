"""Sync: bring the local order cache up to date with the store.

- **Full sync** (first run, or asked for): every order, unfinished ones too
  (they need their own query), several pages in flight within the request
  budget. It is resumable: after each stored page a checkpoint is saved, so an
  interrupted sync (crash, kill, network loss) continues where it stopped,
  and storing by order key means nothing is duplicated. A page that cannot
  be read (truncated, not an order list) is fetched again a few times
  (:data:`PAGE_RETRY`) before the sync gives up; the next sync resumes from
  that page. At the end, orders the server no longer has are dropped from
  the cache.
- **Incremental sync**: orders updated since the last sync began (minus a
  small overlap for clock skew) and the orders deleted since then — two
  requests when nothing changed. The changed orders are first listed with
  only their identity and update timestamp, compared with the cache, and
  only those that really changed are fetched whole, 100 at a time
  (:mod:`app.services.sync.changes`). Orders deleted on the store move to
  the cache's deleted list (``OrderQuery(deleted=True)``), which the next
  full sync empties.

The cache holds the store's versions only: edits waiting in the outbox (a
file of its own) are never mixed in, so what a sync brings is what the store
has. Orders with open edits are kept even when a full sync no longer sees
them. The result says what changed (new, updated, deleted keys) for notifications.

A large full sync prepares its pages (parse, index, compress: see
:mod:`app.services.sync.pages`) in worker processes, so the CPU work runs beside
the HTTP and the database writes instead of under the same GIL; they end
with the process that started them, however it ends
(:mod:`app.services.sync.workers`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from collections.abc import AsyncGenerator, Callable, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import aclosing
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from app.cache import OrderCache
from app.cache.prepared import PreparedOrder, PreparedPage
from app.domain.raw_orders import raw_order_key
from app.domain.statuses import PaymentStatus
from app.ecwid import EcwidClient, EcwidProtocolError, OrderFilters, RetryPolicy
from app.ecwid.limits import PAGE_LIMIT
from app.ecwid.paging import distinct_pages
from app.http_transport import call_retrying, retrying
from app.services.sync import changes
from app.services.sync.pages import prepare_page
from app.services.sync.state import (
    STATE_FULL,
    STATE_GENERATION,
    STATE_LAST_SYNC,
    STATE_SERVER_CLOCK,
)
from app.services.sync.workers import start_worker_pool_off_loop

log = logging.getLogger(__name__)

DEFAULT_OVERLAP = timedelta(minutes=5)
UNFINISHED = OrderFilters(payment_status=[PaymentStatus.INCOMPLETE])
# every payment status this version knows, so one query also returns unfinished
# orders (an order in a status added later is picked up by the next full sync)
ALL_PAYMENT_STATUSES = OrderFilters(payment_status=list(PaymentStatus))

PAGE_RETRY = RetryPolicy(attempts=3, backoff_min=0.5, backoff_max=4.0)
"""How often a page the sync cannot read (truncated, not an order list) is
fetched again before the sync gives up (it then resumes from that page)."""

WORKER_THRESHOLD = 2_000
"""Orders left in a full sync's phase from which its pages are prepared in a
worker process (starting one costs about half a second)."""


def default_workers() -> int:
    """Worker processes for a large full sync: one per core, up to 4 (this
    process mostly waits on the network and SQLite; on 2 cores, 2 workers
    synced 100,000 orders in 19.5 s against 22.6 s with 1)."""
    return max(1, min(4, os.cpu_count() or 1))


@dataclass(frozen=True)
class SyncProgress:
    """Where a sync is: ``done`` of ``total`` orders (``total`` may grow)."""

    phase: str
    done: int
    total: int


@dataclass
class SyncResult:
    full: bool
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    resumed: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.new or self.updated or self.deleted)


ProgressCallback = Callable[[SyncProgress], Any]


class SyncEngine:
    """Syncs one account's cache from its store. One sync at a time."""

    def __init__(
        self,
        cache: OrderCache,
        client: EcwidClient,
        *,
        overlap: timedelta = DEFAULT_OVERLAP,
        clock: Callable[[], float] = time.time,
        workers: int | None = None,
        worker_threshold: int = WORKER_THRESHOLD,
        page_retry: RetryPolicy = PAGE_RETRY,
        on_stored: Callable[[list[str]], Any] | None = None,
        stamps_first: bool = True,
    ) -> None:
        self.cache = cache
        # False: each incremental sync reads every listed order whole (the way
        # before stamps), kept only for bench_sync's comparison
        self.stamps_first = stamps_first
        self.on_stored = on_stored  # keys of orders a page added or changed
        self.client = client
        self.overlap = overlap
        self.page_retry = page_retry
        self.workers = default_workers() if workers is None else workers
        self.worker_threshold = worker_threshold
        self._clock = clock
        self._lock = asyncio.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._workers_failed = False  # a worker died: prepare in this process until the end

    async def sync(
        self, *, full: bool = False, progress: ProgressCallback | None = None
    ) -> SyncResult:
        """Run a sync: full when asked, on first use, or to finish an
        interrupted full sync; incremental otherwise."""
        async with self._lock:
            state = await self._state(STATE_FULL)
            last = await self._state(STATE_LAST_SYNC)
            if full or state is not None or last is None:
                return await self._full(json.loads(state) if state else None, progress)
            return await self._incremental(int(last), progress)

    # -- full ----------------------------------------------------------------

    async def _full(
        self, checkpoint: dict[str, Any] | None, progress: ProgressCallback | None
    ) -> SyncResult:
        resumed = checkpoint is not None
        if checkpoint is None:
            generation = int(await self._state(STATE_GENERATION) or 0) + 1
            checkpoint = {
                "generation": generation,
                "started": int(self._clock()),
                "mark": await asyncio.to_thread(self.cache.insertion_mark),
                "phase": 0,
                "offset": 0,
                "done": 0,
            }
            await self._set_state(STATE_FULL, json.dumps(checkpoint))
        result = SyncResult(full=True, resumed=resumed)
        phases = [("orders", None), ("unfinished", UNFINISHED)]
        totals: dict[int, int] = {}
        try:
            for index, (name, filters) in enumerate(phases):
                if index < checkpoint["phase"]:
                    continue
                start = checkpoint["offset"] if index == checkpoint["phase"] else 0
                pages = self._prepared_pages(filters, start)
                async with aclosing(pages):
                    async for page in pages:
                        totals[index] = page.total
                        checkpoint = {
                            **checkpoint,
                            "phase": index,
                            "offset": page.offset + page.limit,
                            "done": checkpoint["done"] + len(page.items),
                        }
                        # the checkpoint is saved with the page: resuming never repeats one
                        state = {STATE_FULL: json.dumps(checkpoint)}
                        await self._store(page.items, result, checkpoint["generation"], state)
                        _report(progress, name, checkpoint["done"], sum(totals.values()))
                checkpoint = {**checkpoint, "phase": index + 1, "offset": 0}
                await self._set_state(STATE_FULL, json.dumps(checkpoint))
        finally:
            await self._stop_workers_off_loop()
            self._workers_failed = False
        await self._recheck_unseen(checkpoint["generation"], result)
        result.deleted = await asyncio.to_thread(self.cache.delete_unseen, checkpoint["generation"])
        await asyncio.to_thread(self.cache.purge_deleted)
        if resumed and "mark" in checkpoint:
            # orders stored before the interruption were new too
            inserted = await asyncio.to_thread(self.cache.keys_inserted_after, checkpoint["mark"])
            result.new = list(dict.fromkeys([*inserted, *result.new]))
            counted = set(result.new)
            result.updated = [key for key in result.updated if key not in counted]
        await self._set_state(STATE_GENERATION, str(checkpoint["generation"]))
        await self._set_state(STATE_LAST_SYNC, str(checkpoint["started"]))
        await self._set_state(STATE_FULL, None)
        log.info(
            "full sync: %d new, %d updated, %d deleted",
            len(result.new),
            len(result.updated),
            len(result.deleted),
        )
        return result

    async def _prepared_pages(
        self, filters: OrderFilters | None, start: int
    ) -> AsyncGenerator[PreparedPage, None]:
        """The pages of a search from ``start`` on, prepared for the cache (in
        a worker process when many orders are left), each order once."""

        async def fetch_once(offset: int) -> PreparedPage:
            content = await self.client.search_orders_content(filters, offset, PAGE_LIMIT)
            try:
                return await self._prepare(content)
            except EcwidProtocolError as error:
                log.warning("the page at offset %d is unreadable: %s", offset, error)
                raise

        async def fetch(offset: int) -> PreparedPage:
            # A page that cannot be read is fetched again (a truncated answer is
            # usually a one-off); the last failure ends the sync, which resumes here.
            retry = retrying(self.page_retry, _unreadable, lambda _error: None)
            return await call_retrying(retry, fetch_once, offset)

        pages = distinct_pages(
            fetch, PAGE_LIMIT, self.client.pages_in_flight, _prepared_key, start=start
        )
        async with aclosing(pages):
            async for page in pages:
                if page.total - page.offset > self.worker_threshold:
                    await self._start_workers()
                if page.unkeyed:
                    _left_out(page.unkeyed)
                yield page

    async def _prepare(self, content: bytes) -> PreparedPage:
        pool = self._pool
        if pool is None:
            return await asyncio.to_thread(prepare_page, content)
        try:
            return await asyncio.get_running_loop().run_in_executor(pool, prepare_page, content)
        except BrokenProcessPool:
            if not self._workers_failed:
                log.warning("a sync worker process stopped; preparing pages in this process")
            self._workers_failed = True
            self._stop_workers()
            return await asyncio.to_thread(prepare_page, content)

    async def _start_workers(self) -> None:
        if self._pool is None and self.workers > 0 and not self._workers_failed:
            self._pool = await start_worker_pool_off_loop(self.workers)

    async def _stop_workers_off_loop(self) -> None:
        """:meth:`_stop_workers` from a worker thread: shutting a pool down waits
        for its lock, held by the pool's own thread (a stall for a GUI loop).
        So does letting go of its last reference (its weakref callback takes
        the same lock while the workers exit: 0.2 s at the end of a first sync
        in the window), so the pool is let go in that thread too."""
        held = [self._pool]
        self._pool = None
        if held[0] is None:
            return

        def shut_down_and_let_go() -> None:
            pool = held.pop()
            assert pool is not None
            pool.shutdown(wait=False, cancel_futures=True)
            del pool  # the last reference: the callback runs here, not on the loop

        try:
            await asyncio.to_thread(shut_down_and_let_go)
        except asyncio.CancelledError:
            if held and (pool := held.pop()) is not None:
                pool.shutdown(wait=False, cancel_futures=True)
            raise

    def _stop_workers(self) -> None:
        pool: Executor | None = self._pool
        self._pool = None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    async def _recheck_unseen(self, generation: int, result: SyncResult) -> None:
        """Ask the store about the cached orders the scan did not see before
        dropping them: paging by offset skips an order whenever one before it
        is deleted during the scan. Those that still exist are kept."""
        unseen = await asyncio.to_thread(self.cache.unseen_keys, generation)
        numbers = [int(key) for key in unseen if key.isdigit()]  # legacy orders: no id…
        ids = list(unseen)  # …or a numeric one (17541773), so digits are asked for as ids too
        batches = [
            OrderFilters(order_number=numbers[i : i + PAGE_LIMIT])
            for i in range(0, len(numbers), PAGE_LIMIT)
        ] + [
            ALL_PAYMENT_STATUSES.model_copy(update={"ids": ids[i : i + PAGE_LIMIT]})
            for i in range(0, len(ids), PAGE_LIMIT)
        ]
        for filters in batches:
            page = await self.client.search_orders_raw(filters, 0, PAGE_LIMIT)
            if page.items:
                await self._store(page.items, result, generation)

    # -- incremental -----------------------------------------------------------

    async def _incremental(self, last: int, progress: ProgressCallback | None) -> SyncResult:
        started = int(self._clock())
        since = datetime.fromtimestamp(last, UTC) - self.overlap
        result = SyncResult(full=False)
        filters = ALL_PAYMENT_STATUSES.model_copy(update={"updated_from": since})
        server_time = None
        if self.stamps_first:
            server_time = await self._changed_by_stamps(filters, result, progress)
        else:
            await self._changed_whole(filters, result, progress)
        deleted = await self.client.deleted_orders(since)
        keys = [entry.order_id or str(entry.id) for entry in deleted if entry.order_id or entry.id]
        result.deleted = await asyncio.to_thread(self.cache.record_deleted, keys)
        if server_time is not None:
            await self._set_state(STATE_SERVER_CLOCK, str(server_time))
        await self._set_state(STATE_LAST_SYNC, str(started))
        log.info(
            "incremental sync: %d new, %d updated, %d deleted",
            len(result.new),
            len(result.updated),
            len(result.deleted),
        )
        return result

    async def _changed_by_stamps(
        self, filters: OrderFilters, result: SyncResult, progress: ProgressCallback | None
    ) -> int | None:
        """Store the orders ``filters`` finds that changed (see
        :mod:`app.services.sync.changes`); return the server's clock at its
        first answer."""
        stamps, server_time = await changes.list_changes(self.client, filters)
        clock = await self._state(STATE_SERVER_CLOCK)
        settled_before = int(clock) - changes.SETTLE_MARGIN if clock else None

        unkeyed = sum(1 for stamp in stamps if stamp.key is None)
        if unkeyed:
            _left_out(unkeyed)
        # in a worker thread: after days offline the list can be long
        wanted, searches = await asyncio.to_thread(
            changes.plan, self.cache, stamps, settled_before, ALL_PAYMENT_STATUSES
        )
        log.debug("%d order(s) listed as changed, %d fetched whole", len(stamps), len(wanted))
        done = 0
        _report(progress, "changes", done, len(wanted))
        async with aclosing(changes.fetch_whole(self.client, searches)) as batches:
            async for orders in batches:
                await self._store(orders, result, None)
                done += len(orders)
                _report(progress, "changes", done, len(wanted))
        return server_time

    async def _changed_whole(
        self, filters: OrderFilters, result: SyncResult, progress: ProgressCallback | None
    ) -> None:
        """Store every order ``filters`` finds, read whole: the incremental sync
        before stamps, kept only so that ``bench_sync`` can compare the two."""
        done = 0
        pages = self.client.iter_raw_pages(filters)
        async with aclosing(pages):
            async for page in pages:
                await self._store(page.items, result, None)
                done += len(page.items)
                _report(progress, "changes", done, page.total)

    # -- helpers ---------------------------------------------------------------

    async def _store(
        self,
        orders: Sequence[dict[str, Any] | PreparedOrder],
        result: SyncResult,
        generation: int | None,
        state: Mapping[str, str | None] | None = None,
    ) -> None:
        keyed = [o for o in orders if isinstance(o, PreparedOrder) or raw_order_key(o) is not None]
        if len(keyed) != len(orders):
            _left_out(len(orders) - len(keyed))
            orders = keyed
        upserted = await asyncio.to_thread(
            self.cache.upsert_orders, orders, generation, state=state
        )
        result.new.extend(upserted.new)
        result.updated.extend(upserted.updated)
        if self.on_stored is not None and upserted.changed:
            self.on_stored(upserted.changed)

    async def _state(self, name: str) -> str | None:
        return await asyncio.to_thread(self.cache.get_state, name)

    async def _set_state(self, name: str, value: str | None) -> None:
        await asyncio.to_thread(self.cache.set_state, name, value)


def _prepared_key(order: PreparedOrder) -> str:
    return order.key


def _unreadable(error: BaseException) -> bool:
    return isinstance(error, EcwidProtocolError)


def _left_out(count: int) -> None:
    log.warning(
        "%d order(s) from the store had no id, order number or internal id and were left out",
        count,
    )


def _report(progress: ProgressCallback | None, phase: str, done: int, total: int) -> None:
    if progress is not None:
        progress(SyncProgress(phase, done, max(done, total)))


async def sync_periodically(
    engine: SyncEngine,
    interval: Callable[[], float],
    on_result: Callable[[SyncResult], Any],
    on_error: Callable[[BaseException], Any],
) -> None:
    """Sync, then wait ``interval()`` seconds, forever (until cancelled).
    A failed sync is reported and tried again at the next interval."""
    while True:
        try:
            on_result(await engine.sync())
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # reported, never fatal: the next round retries
            log.warning("background sync failed: %s", exc)
            on_error(exc)
        await asyncio.sleep(max(1.0, interval()))
