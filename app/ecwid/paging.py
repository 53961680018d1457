"""Reading a paged search with several pages in flight, yielding in order.

Shared by the model pages (:class:`~app.ecwid.models.SearchResult`) and the
raw pages the sync engine stores as sent (:class:`RawOrderPage`).
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from app.ecwid.errors import EcwidProtocolError


class Page(Protocol):
    total: int


async def pages_in_order[P: Page](
    fetch: Callable[[int], Awaitable[P]], page_size: int, in_flight: int, start: int = 0
) -> AsyncIterator[P]:
    """Fetch the page at ``start``, then keep up to ``in_flight`` later pages
    requested at once; yield each page in offset order. Stopping early
    cancels the rest."""
    first = await fetch(start)
    yield first
    total, next_offset = first.total, start + page_size
    pending: deque[asyncio.Task[P]] = deque()
    try:
        while True:
            while len(pending) < in_flight and next_offset < total:
                pending.append(asyncio.ensure_future(fetch(next_offset)))
                next_offset += page_size
            if not pending:
                return
            page = await pending.popleft()
            total = page.total  # orders added or removed meanwhile move the end
            yield page
    finally:
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)


@dataclass
class RawOrderPage:
    """A page of orders exactly as Ecwid sent them (JSON objects)."""

    total: int
    count: int
    offset: int
    limit: int
    items: list[dict[str, Any]] = field(default_factory=list)


def parse_raw_page(content: bytes) -> RawOrderPage:
    """Check the shape of a search answer without modelling each order."""
    try:
        payload = json.loads(content)
    except ValueError as exc:
        raise EcwidProtocolError(
            f"Ecwid sent an order list that Backroom cannot read (invalid JSON: {exc})"
        ) from None
    if not isinstance(payload, dict):
        raise EcwidProtocolError("Ecwid sent an order list that is not a JSON object")
    numbers = {}
    for name in ("total", "count", "offset", "limit"):
        value = payload.get(name)
        if not isinstance(value, int) or isinstance(value, bool):
            raise EcwidProtocolError(
                f"Ecwid sent an order list that Backroom cannot read ({name}: not a number)"
            )
        numbers[name] = value
    items = payload.get("items")
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise EcwidProtocolError(
            "Ecwid sent an order list that Backroom cannot read (items: not a list of orders)"
        )
    return RawOrderPage(items=items, **numbers)


def raw_order_key(order: dict[str, Any]) -> str | None:
    """The key of a raw order, as :attr:`Order.key` computes it for a model."""
    if order.get("id"):
        return str(order["id"])
    for name in ("orderNumber", "internalId"):
        if order.get(name) is not None:
            return str(order[name])
    return None


def drop_seen(keys: list[str | None], seen: set[str]) -> list[int]:
    """Indexes of the entries not seen before (entries without a key are kept)."""
    fresh = []
    for index, key in enumerate(keys):
        if key is None:
            fresh.append(index)
        elif key not in seen:
            seen.add(key)
            fresh.append(index)
    return fresh
