"""Finding what changed in the store since the last sync, cheaply: the
incremental sync's two steps.

1. **Stamps.** The orders updated since the last sync began (minus the
   overlap for clock skew) are listed with only their identity and update
   timestamp (``responseFields``, :mod:`app.ecwid.stamps`): about 60 bytes
   an order instead of about 4 kB. With nothing changed that is one request,
   and one more for the deleted orders.
2. **Whole orders.** Each stamp is compared with the update timestamp the
   cache holds for that order; the orders that are new, or whose timestamp
   differs, are fetched whole in batches of 100 — by ``ids=`` (an order's
   id, or an old order's internal id), or by ``orderNumber=`` for old
   orders that have neither — several batches in flight.

**The same second.** ``updateTimestamp`` has a resolution of one second, and
a store's search results may lag a change by a few seconds: an order read in
the second it changed, or just before its last change showed in search, can
change again and keep its timestamp. So a stamp is trusted only for an order
last changed well before the previous sync's first answer (by the server's
own clock, its ``Date`` header, less :data:`SETTLE_MARGIN`): every order the
cache holds was read after that moment, or was compared by that sync under
the same rule. A stamp without a timestamp, or a cache that does not yet
know the server's clock (the first incremental sync after a full one), is
never trusted: those orders are fetched whole, as before stamps.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping, Sequence
from contextlib import aclosing
from typing import TYPE_CHECKING, Any

from app.cache import OrderCache
from app.ecwid import OrderFilters, OrderStamp
from app.ecwid.limits import PAGE_LIMIT

if TYPE_CHECKING:
    from app.ecwid import EcwidClient

SETTLE_MARGIN = 60
"""Seconds before the previous sync's first answer within which an order's
unchanged timestamp is not trusted (a second's resolution, and search
results that lag a change by a few seconds)."""

_MISSING = object()


async def list_changes(
    client: EcwidClient, filters: OrderFilters
) -> tuple[list[OrderStamp], int | None]:
    """The stamps of every order ``filters`` finds (each once), and the
    server's clock at the first answer (None when it sent no ``Date``)."""
    stamps: list[OrderStamp] = []
    server_time: int | None = None
    first = True
    pages = client.iter_order_stamps(filters)
    async with aclosing(pages):
        async for page in pages:
            if first:
                server_time, first = page.server_time, False
            stamps.extend(page.items)
    return stamps, server_time


def plan(
    cache: OrderCache,
    stamps: Sequence[OrderStamp],
    settled_before: int | None,
    every_status: OrderFilters,
) -> tuple[list[OrderStamp], list[OrderFilters]]:
    """The stamps whose orders must be fetched whole (compared with the
    update timestamps ``cache`` holds, see :func:`to_fetch`), and the
    searches that fetch them (:func:`whole_order_searches`). Reads the
    cache: call it from a worker thread."""
    stored = cache.update_timestamps([stamp.key for stamp in stamps if stamp.key is not None])
    wanted = to_fetch(stamps, stored, settled_before)
    return wanted, whole_order_searches(wanted, every_status)


def to_fetch(
    stamps: Sequence[OrderStamp],
    stored: Mapping[str, int | None],
    settled_before: int | None,
) -> list[OrderStamp]:
    """The keyed stamps whose orders must be fetched whole: not cached, no
    timestamp on either side, a different timestamp, or one too recent to
    trust (at or after ``settled_before``; every one when that is None)."""
    wanted = []
    for stamp in stamps:
        if stamp.key is None:
            continue
        cached = stored.get(stamp.key, _MISSING)
        if (
            cached is _MISSING
            or cached is None
            or stamp.updated is None
            or cached != stamp.updated
            or settled_before is None
            or stamp.updated >= settled_before
        ):
            wanted.append(stamp)
    return wanted


def whole_order_searches(
    stamps: Sequence[OrderStamp], every_status: OrderFilters
) -> list[OrderFilters]:
    """Searches that find the orders of ``stamps``, 100 at most each: by
    ``ids=`` (with ``every_status``, or unfinished orders would be left out)
    for an order with an id or an internal id, by ``orderNumber=`` (which
    finds every status) for an old order with neither."""
    ids: list[str] = []
    numbers: list[int] = []
    for stamp in stamps:
        if isinstance(stamp.id, str) and stamp.id.strip():
            ids.append(stamp.id)
        elif isinstance(stamp.id, int) and stamp.id:
            ids.append(str(stamp.id))
        elif stamp.order_number is not None:
            numbers.append(stamp.order_number)
        elif stamp.internal_id is not None:
            ids.append(str(stamp.internal_id))
    ids = list(dict.fromkeys(ids))
    numbers = list(dict.fromkeys(numbers))
    return [
        every_status.model_copy(update={"ids": ids[i : i + PAGE_LIMIT]})
        for i in range(0, len(ids), PAGE_LIMIT)
    ] + [
        OrderFilters(order_number=numbers[i : i + PAGE_LIMIT])
        for i in range(0, len(numbers), PAGE_LIMIT)
    ]


async def fetch_whole(
    client: EcwidClient, searches: Sequence[OrderFilters]
) -> AsyncGenerator[list[dict[str, Any]]]:
    """The whole orders each search finds, as Ecwid sent them (every page of
    it: a batch normally fits one), search by search in order, with up to
    ``client.pages_in_flight`` searches under way at once."""

    def search(filters: OrderFilters) -> Callable[[], Awaitable[list[dict[str, Any]]]]:
        async def run() -> list[dict[str, Any]]:
            found: list[dict[str, Any]] = []
            pages = client.iter_raw_pages(filters)
            async with aclosing(pages):
                async for page in pages:
                    found.extend(page.items)
            return found

        return run

    calls = [search(filters) for filters in searches]
    async with aclosing(in_order(calls, client.pages_in_flight)) as results:
        async for orders in results:
            yield orders


async def in_order[T](
    calls: Sequence[Callable[[], Awaitable[T]]], in_flight: int
) -> AsyncGenerator[T]:
    """The results of ``calls``, in order, with up to ``in_flight`` running at
    once. Stopping early cancels those still running."""
    pending: deque[asyncio.Task[T]] = deque()
    waiting = iter(calls)
    try:
        while True:
            while len(pending) < max(1, in_flight):
                call = next(waiting, None)
                if call is None:
                    break
                pending.append(asyncio.ensure_future(call()))
            if not pending:
                return
            yield await pending.popleft()
    finally:
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
