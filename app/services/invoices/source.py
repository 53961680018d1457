"""One store's invoices, as the window and the command line get them:
:class:`StoreInvoices`.

The invoice preview, the bulk PDF, the smoke check and ``backroom invoice``
never hold the store's cache or its client: they ask this object for an
order's invoice (the store's, the copy saved on this computer, or Backroom's
own offline), its packing slip, the order as the store sent it, and to
record that invoices were printed. One object per store, so a window that
shows the orders of several stores hands each order its own store's
invoices. A session offers its store's (:attr:`StoreSession.invoices
<app.services.session.StoreSession.invoices>`), and so does the cache opened
to read (:attr:`CachedStore.invoices <app.services.cached_store.CachedStore.invoices>`).

Every SQLite call leaves the event loop (``asyncio.to_thread``) but for
:meth:`StoreInvoices.print_pdf` and :meth:`StoreInvoices.packing_slips`,
which the command line calls outside any loop.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cache import OrderCache
from app.services.accounts.store_display import StoreDisplay

if TYPE_CHECKING:  # (the templates load jinja2: only when an invoice is first asked for)
    from .documents import InvoiceDocument
    from .printing import PdfPrinter

if TYPE_CHECKING:
    from app.ecwid import EcwidClient

CacheSource = OrderCache | Callable[[], OrderCache]


class StoreInvoices:
    """The invoices of one store's cached orders.

    ``cache`` is the store's cache, or a callable giving its current one (a
    session replaces a damaged cache); ``client`` talks to the store
    (``None``: offline only). ``on_printed`` hears the keys whose invoices
    were recorded as printed (a session reports them as changed orders);
    ``display`` gives the store's name, currency and status names for
    packing slips (the remembered ones when not given)."""

    def __init__(
        self,
        cache: CacheSource,
        client: EcwidClient | None,
        *,
        on_printed: Callable[[list[str]], Any] | None = None,
        display: Callable[[], StoreDisplay | None] | None = None,
    ) -> None:
        self._cache = cache
        self._client = client
        self._on_printed = on_printed
        self._display = display

    def _current(self) -> OrderCache:
        return self._cache if isinstance(self._cache, OrderCache) else self._cache()

    def connect(self, client: EcwidClient) -> None:
        """Ask the store for its invoices through ``client`` from now on."""
        self._client = client

    @property
    def can_fetch(self) -> bool:
        """Whether the store's own invoices can be asked for (a client is at hand)."""
        return self._client is not None

    async def document(self, key: str, *, online: bool = True) -> InvoiceDocument:
        """The invoice of cached order ``key`` (see
        :func:`~app.services.invoices.documents.invoice_for`; ``online=False``
        never asks the store). Raises
        :class:`~app.services.invoices.documents.InvoiceUnavailable`."""
        from .documents import invoice_for

        return await invoice_for(self._current(), self._client, key, online=online)

    async def packing_slip(self, key: str, display: StoreDisplay | None = None) -> str:
        """The packing slip of cached order ``key`` (items and quantities, no
        prices), with the store's letterhead."""
        return await asyncio.to_thread(self._packing_slip, key, display)

    def packing_slips(self, keys: Sequence[str]) -> list[str]:
        """The packing slips of ``keys``, in order (blocking: for the command line)."""
        display = self._shown_display()
        return [self._packing_slip(key, display) for key in keys]

    def _packing_slip(self, key: str, display: StoreDisplay | None) -> str:
        from .documents import packing_slip_for

        return packing_slip_for(
            self._current(), key, display if display is not None else self._shown_display()
        )

    def _shown_display(self) -> StoreDisplay | None:
        return self._display() if self._display is not None else None

    async def order_json(self, key: str) -> dict[str, Any] | None:
        """The cached order ``key`` as the store sent it (``None``: not cached)."""
        return await asyncio.to_thread(self._current().order_json, key)

    async def record_printed(self, keys: Iterable[str]) -> None:
        """Remember that the invoices of ``keys`` were printed or saved as PDF
        on this computer (the table's *Invoice printed* column)."""
        from .documents import record_printed

        printed = list(keys)
        await asyncio.to_thread(record_printed, self._current(), printed)
        self._printed(printed)

    def print_pdf(
        self,
        printer: PdfPrinter,
        documents: Sequence[InvoiceDocument],
        target: Path,
        *,
        packing_slips: list[str] | None = None,
        paper: str = "A4",
    ) -> int:
        """Print ``documents`` into the PDF ``target`` through ``printer`` and
        record them as printed (blocking: for the command line); the number of pages."""
        from .printing import print_invoices

        pages = print_invoices(
            printer, self._current(), documents, target, packing_slips=packing_slips, paper=paper
        )
        self._printed([document.key for document in documents])
        return pages

    async def prefetch(self, *, days: int, should_stop: Callable[[], bool]) -> int:
        """Download the store's invoices of the last ``days`` days' orders for
        offline use; how many were downloaded (see
        :func:`~app.services.invoices.documents.prefetch_invoices`)."""
        # (its modules load off the event loop: this runs as a sync ends, with the window shown)
        documents = await asyncio.to_thread(importlib.import_module, f"{__package__}.documents")
        fetched: int = await documents.prefetch_invoices(
            self._current(), self._client, days=days, should_stop=should_stop
        )
        return fetched

    def _printed(self, keys: list[str]) -> None:
        if self._on_printed is not None and keys:
            self._on_printed(keys)
