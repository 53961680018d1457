"""One open store, as the main window works with it.

A :class:`StoreSession` holds what an account needs while it is shown: its
cache (one connection for the sync and the outbox, and a second one for the
window's reads, so a query never waits behind a sync's write), its client,
its sync engine and outbox sender, and how the store wants its orders shown.
Opening needs no network: the window shows the cached orders at once and
syncs in the background.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.config import Account
from app.ecwid import EcwidClient
from app.services.accounts import open_cache
from app.services.outbox import OutboxSender, SendOutcome
from app.services.store_display import (
    StoreDisplay,
    remember_display,
    remembered_display,
    store_display,
)
from app.services.sync import STATE_LAST_SYNC, ProgressCallback, SyncEngine, SyncResult
from app.store import OrderCache, OutboxEntry, OutboxState

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
        display = await store_display(self.client)
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
        for entry in failed:
            await asyncio.to_thread(self.cache.mark_outbox, entry.id, OutboxState.PENDING)
        return await self.send_outbox()

    def outbox_summary(self) -> OutboxSummary:
        return OutboxSummary(self.reader.outbox(UNSENT))

    async def close(self) -> None:
        """Close the client and both cache connections."""
        try:
            await self.client.aclose()
        finally:
            self.reader.close()
            self.cache.close()
