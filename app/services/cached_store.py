"""One store's orders as saved on this computer, opened to read:
:class:`CachedStore`, the door of the commands that only read the cache
(``backroom orders``, ``backroom invoice``).

Unlike a :class:`~app.services.session.StoreSession` it opens no outbox (so
a read-only data folder still answers) and holds a client only when asked
to, to fetch the store's invoices. Like a session it keeps its cache and
client inside and offers the table's rows, the store's invoices, the order
a reference names and when the store was last synced.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from app.cache import OrderCache
from app.config import Account, cache_path
from app.services.accounts.account_actions import StoreConnection
from app.services.accounts.store_display import StoreDisplay, remembered_display
from app.services.invoices.source import StoreInvoices
from app.services.orders.lookup import find_cached
from app.services.orders.rows import OrderRows, StoreOrderRows
from app.services.sync.state import STATE_LAST_SYNC

if TYPE_CHECKING:
    from app.ecwid import EcwidClient


class CachedStore:
    """The cached orders of ``account``; close with :meth:`close` (or ``with``)."""

    def __init__(
        self,
        account: Account,
        cache: OrderCache,
        client: EcwidClient | None = None,
        *,
        moved_aside: Path | None = None,
    ) -> None:
        self.account = account
        self._cache = cache
        self._client = client
        self.moved_aside = moved_aside  # a damaged cache set aside on opening (rebuilt by a sync)
        self.rows: OrderRows = StoreOrderRows(lambda: self._cache)
        self.invoices = StoreInvoices(cache, client)

    def connect(self, connect: StoreConnection | None) -> None:
        """From now on, fetch the store's invoices through a client made by
        ``connect`` (``None``: stay offline)."""
        if connect is not None and self._client is None:
            self._client = connect()
            self.invoices = StoreInvoices(self._cache, self._client)

    @classmethod
    def open(cls, account: Account, connect: StoreConnection | None = None) -> CachedStore:
        """Open ``account``'s cache (a damaged one is moved aside and started
        afresh: see ``moved_aside``), with a client made by ``connect`` for
        the store's invoices (``None``: offline). Raises
        :class:`~app.domain.errors.LocalDataError` when it cannot be opened."""
        cache, moved_aside = OrderCache.open_or_rebuild(cache_path(account))
        try:
            client = connect() if connect is not None else None
        except BaseException:
            cache.close()
            raise
        return cls(account, cache, client, moved_aside=moved_aside)

    def find(self, reference: str) -> str | None:
        """The key of the cached order ``reference`` names exactly (its id,
        internal id, number — ``1042`` or ``#1042`` — or vendor number);
        ``None`` if not cached. A blank, ambiguous or deleted reference raises
        :class:`~app.domain.references.ReferenceProblem`."""
        found = find_cached(self._cache, reference)
        return None if found is None else found.key

    def last_sync(self) -> datetime | None:
        """When the last successful sync began (``None``: never synced)."""
        value = self._cache.get_state(STATE_LAST_SYNC)
        return datetime.fromtimestamp(int(value), UTC) if value else None

    @property
    def display(self) -> StoreDisplay:
        """The store's name, currency and status names, as remembered."""
        return remembered_display(self._cache)

    async def close_client(self) -> None:
        """Close the client (the cache stays open); call it inside the event loop."""
        client, self._client = self._client, None
        self.invoices = StoreInvoices(self._cache, None)
        if client is not None:
            await client.aclose()

    def close(self) -> None:
        """Close the cache (the client is closed by :meth:`close_client`)."""
        self._cache.close()

    def __enter__(self) -> CachedStore:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
