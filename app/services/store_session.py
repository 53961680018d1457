"""One open store, as the main window works with it.

A :class:`StoreSession` holds what an account needs while it is shown: its
cache (one connection for the sync and the outbox, and a second one for the
window's reads, so a query never waits behind a sync's write), its client,
its sync engine and outbox sender, and how the store wants its orders shown.
Opening needs no network: the window shows the cached orders at once and
syncs in the background.

What the user does to orders goes through it: edits, deletions and bulk
changes are staged in the outbox (the table shows them at once), then sent
with a result per order; conflicts are laid out and resolved; new orders are
created on the store. Every SQLite call runs in a worker thread and every
HTTP call is async, so none of it blocks the GUI thread.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.config import Account
from app.ecwid import EcwidClient
from app.services import order_actions
from app.services.accounts import open_cache
from app.services.attachment_uploads import Upload, UploadQueue
from app.services.attachments import OptionRef, remove_all_files, remove_file
from app.services.order_actions import BulkAction, Choice, ConflictField, OrderResult
from app.services.order_creation import create_order
from app.services.outbox import OutboxSender, SendOutcome
from app.services.store_display import (
    StoreDisplay,
    remember_display,
    remembered_display,
    store_display,
)
from app.services.sync import STATE_LAST_SYNC, ProgressCallback, SyncEngine, SyncResult
from app.store import CacheError, OrderCache, OutboxEntry, OutboxState

log = logging.getLogger(__name__)

UNSENT = (OutboxState.PENDING, OutboxState.SENDING, OutboxState.FAILED, OutboxState.CONFLICT)


@dataclass(frozen=True)
class OutboxSummary:
    """The changes not yet confirmed by the store."""

    entries: list[OutboxEntry]

    def count(self, state: OutboxState) -> int:
        return sum(1 for entry in self.entries if entry.state == state)

    @property
    def waiting(self) -> int:
        """Changes still to be sent (pending or being sent)."""
        return self.count(OutboxState.PENDING) + self.count(OutboxState.SENDING)

    @property
    def needs_attention(self) -> int:
        """Changes the store refused or that conflict with a change made there."""
        return self.count(OutboxState.FAILED) + self.count(OutboxState.CONFLICT)


class StoreSession:
    """An account's cache, client, sync and outbox while the window shows it."""

    def __init__(
        self,
        account: Account,
        client: EcwidClient,
        cache: OrderCache,
        reader: OrderCache,
        *,
        moved_aside: Path | None = None,
        **engine_options: Any,
    ) -> None:
        self.account = account
        self.client = client
        self.cache = cache
        self.reader = reader
        self.moved_aside = moved_aside
        self.engine = SyncEngine(cache, client, **engine_options)
        self.sender = OutboxSender(cache, client)
        self.display = remembered_display(cache)

    @classmethod
    def open(cls, account: Account, client: EcwidClient, **engine_options: Any) -> StoreSession:
        """Open the account's cache (a damaged one is moved aside and started
        afresh: see ``moved_aside``). Fast, no network; raises
        :class:`~app.store.CacheError` with a plain message when the cache
        cannot be opened."""
        opened = open_cache(account)
        try:
            reader = OrderCache.open(opened.cache.path)
        except BaseException:
            opened.cache.close()
            raise
        return cls(
            account, client, opened.cache, reader, moved_aside=opened.moved_aside, **engine_options
        )

    @property
    def title(self) -> str:
        """The store's own name once known, else the account's."""
        return self.display.store_name or self.account.name

    def last_sync(self) -> datetime | None:
        """When the last successful sync began."""
        value = self.reader.get_state(STATE_LAST_SYNC)  # never waits for the sync's writes
        return datetime.fromtimestamp(int(value), UTC) if value else None

    async def refresh_display(self) -> StoreDisplay:
        """Read the store's name, currency and status names, and remember them."""
        display = await store_display(self.client, account_name=self.account.name)
        await asyncio.to_thread(remember_display, self.cache, display)
        self.display = display
        return display

    async def sync(
        self, *, full: bool = False, progress: ProgressCallback | None = None
    ) -> SyncResult:
        return await self.engine.sync(full=full, progress=progress)

    async def send_outbox(self) -> list[SendOutcome]:
        """Send the pending changes (left pending when the store is unreachable)."""
        return await self.sender.send_pending()

    async def retry_failed(self) -> list[SendOutcome]:
        """Send again the changes the store refused before."""
        failed = await asyncio.to_thread(self.cache.outbox, [OutboxState.FAILED])
        await asyncio.to_thread(self.cache.requeue_outbox, [entry.id for entry in failed])
        return await self.send_outbox()

    # -- changing orders ---------------------------------------------------------

    async def stage_edit(
        self, key: str, changes: dict[str, Any], base_update_timestamp: int | None
    ) -> int:
        """Stage a change (API field names, as :func:`order_changes.changes_between`
        makes it) to the cached order ``key``, made from the order version
        ``base_update_timestamp``; returns the outbox entry id. The cached
        order shows the change at once."""
        return await asyncio.to_thread(self.cache.stage_change, key, changes, base_update_timestamp)

    async def stage_delete(self, key: str) -> int:
        """Stage the deletion of order ``key``: it leaves the normal lists at
        once and shows under ``OrderQuery(deleted=True)``; returns the entry id."""
        return await asyncio.to_thread(self.cache.stage_delete, key)

    async def stage_bulk(self, keys: list[str], action: BulkAction) -> list[int]:
        """Stage ``action`` on each of ``keys`` (one outbox entry per order, in
        one transaction); returns the entry ids. Orders no longer cached are
        skipped. Raises :class:`ValueError` (nothing staged) when the action
        cannot apply, e.g. an unknown placeholder in a tracking pattern."""
        return await asyncio.to_thread(self._stage_bulk, list(keys), action)

    def _stage_bulk(self, keys: list[str], action: BulkAction) -> list[int]:
        staged: list[tuple[str, dict[str, Any], int | None]] = []
        for index, key in enumerate(keys, start=1):
            order = self.cache.order_json(key)
            if order is None:
                log.info("bulk change: order %s is no longer cached; skipped", key)
                continue
            changes = order_actions.bulk_changes(order, action, index=index)
            staged.append((key, changes, order.get("updateTimestamp")))
        return self.cache.stage_changes(staged)

    async def send_entries(
        self, entry_ids: list[int], progress: Callable[[int, int], None] | None = None
    ) -> list[OrderResult]:
        """Send these outbox entries, in order, with one result per order. A
        refusal or server error on one order does not stop the others; an
        unreachable store does (the rest stay queued)."""
        return await self.sender.send_entries(entry_ids, progress)

    async def retry_entries(
        self, entry_ids: list[int], progress: Callable[[int, int], None] | None = None
    ) -> list[OrderResult]:
        """Send again entries that failed or were queued."""
        await asyncio.to_thread(self.cache.requeue_outbox, list(entry_ids))
        return await self.sender.send_entries(entry_ids, progress)

    async def create_order(self, order: dict[str, Any]) -> str:
        """Create ``order`` on the store, store the store's version in the
        cache and return its key (see :mod:`app.services.order_creation`)."""
        return await create_order(self.cache, self.client, order)

    async def conflict_fields(self, entry_id: int) -> list[ConflictField]:
        def work() -> list[ConflictField]:
            entry = self.cache.outbox_entry(entry_id)
            if entry is None:
                raise CacheError(f"There is no outbox entry {entry_id}.")
            return order_actions.conflict_fields(self.cache, entry)

        return await asyncio.to_thread(work)

    async def resolve_conflict(self, entry_id: int, choices: Mapping[str, Choice]) -> int | None:
        """See :func:`order_actions.resolve_conflict`; send the entry afterwards."""
        return await asyncio.to_thread(
            order_actions.resolve_conflict, self.cache, entry_id, choices
        )

    async def server_order(self, key: str) -> dict[str, Any] | None:
        """The cached server version of ``key``, without the pending changes."""
        return await asyncio.to_thread(self.reader.server_order, key)

    async def order_json(self, key: str) -> dict[str, Any] | None:
        """The cached order ``key`` with its pending changes applied (also a
        deleted one, as it was when deleted)."""
        return await asyncio.to_thread(self.reader.order_json, key)

    # -- item option files -------------------------------------------------------------

    def upload_queue(
        self,
        target: OptionRef,
        on_change: Callable[[Upload], Any] | None = None,
        on_uploaded: Callable[[dict[str, Any]], Any] | None = None,
    ) -> UploadQueue:
        """A queue uploading files to ``target`` (see :mod:`app.services.attachment_uploads`)."""
        return UploadQueue(
            self.client, self.cache, target, on_change=on_change, on_uploaded=on_uploaded
        )

    async def remove_option_file(self, target: OptionRef, file_id: int) -> dict[str, Any] | None:
        """Delete one file of ``target``; returns the order as the store has it now."""
        return await remove_file(self.client, self.cache, target, file_id)

    async def remove_option_files(self, target: OptionRef) -> dict[str, Any] | None:
        """Delete every file of ``target``; returns the order as the store has it now."""
        return await remove_all_files(self.client, self.cache, target)

    async def prefetch_invoices(self, should_stop: Callable[[], bool] = lambda: False) -> int:
        """Keep the invoices of recent orders for offline use (the account's
        ``prefetch_invoices_days``; 0 = off); returns how many were downloaded."""
        from app.services.invoices import prefetch_invoices  # jinja2: only when first used

        days = self.account.settings.prefetch_invoices_days
        return await prefetch_invoices(self.cache, self.client, days=days, should_stop=should_stop)

    def outbox_summary(self) -> OutboxSummary:
        return OutboxSummary(self.reader.outbox(UNSENT))

    async def close(self) -> None:
        """Close the client and both cache connections."""
        try:
            await self.client.aclose()
        finally:
            self.reader.close()
            self.cache.close()
