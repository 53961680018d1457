"""Reading a paged search with several pages in flight, yielding in order,
each order once: the one paging loop (:func:`distinct_pages`).

Shared by the model pages (:class:`~app.ecwid.models.SearchResult`), the
raw pages the sync engine stores as sent (:class:`RawOrderPage`) and the
prepared pages of a full sync (:class:`~app.cache.prepared.PreparedPage`).
"""

from __future__ import annotations

import asyncio
import json
import re
from collections import deque
from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import aclosing
from dataclasses import dataclass, field
from typing import Any, NoReturn, Protocol

from app.domain.raw_orders import RawOrder
from app.ecwid.errors import EcwidProtocolError


class Page(Protocol):
    total: int


class ItemPage(Page, Protocol):
    items: list[Any]


async def pages_in_order[P: Page](
    fetch: Callable[[int], Awaitable[P]], page_size: int, in_flight: int, start: int = 0
) -> AsyncGenerator[P, None]:
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


def _replace_items[P: ItemPage](page: P, items: list[Any]) -> P:
    page.items = items
    return page


async def distinct_pages[P: ItemPage](
    fetch: Callable[[int], Awaitable[P]],
    page_size: int,
    in_flight: int,
    key: Callable[[Any], str | None],
    *,
    start: int = 0,
    with_items: Callable[[P, list[Any]], P] = _replace_items,
) -> AsyncGenerator[P, None]:
    """The pages of :func:`pages_in_order`, each without the items (orders)
    already seen on an earlier page: paging by offset shifts while orders are
    added, so an order can come twice. ``key`` names an item (None: it has
    no key and is always kept); ``with_items`` gives a page its remaining
    items (by default it sets ``page.items``). Stopping early cancels the
    pages still in flight."""
    seen: set[str] = set()
    pages = pages_in_order(fetch, page_size, in_flight, start)
    async with aclosing(pages):
        async for page in pages:
            fresh = drop_seen([key(item) for item in page.items], seen)
            if len(fresh) != len(page.items):
                page = with_items(page, [page.items[index] for index in fresh])
            yield page


@dataclass
class RawOrderPage:
    """A page of orders exactly as Ecwid sent them (JSON objects)."""

    total: int
    count: int
    offset: int
    limit: int
    items: list[dict[str, Any]] = field(default_factory=list)


# the scanner a JSONDecoder sets up for itself (typeshed leaves the attribute out)
_scan = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
_space = re.compile(r"[ \t\n\r]*")


class _Unreadable(Exception):
    pass


def _split_page(text: str) -> tuple[dict[str, Any], list[Any]]:
    """The top-level fields of a search answer and its ``items``, each item
    kept with the text it came from when it is an object. Raises
    :class:`_Unreadable` for anything that is not one JSON object."""

    def skip(index: int) -> int:
        return _space.match(text, index).end()  # type: ignore[union-attr]

    def expect(index: int, char: str) -> int:
        if text[index : index + 1] != char:
            raise _Unreadable(f"expected {char!r} at {index}")
        return skip(index + 1)

    def value(index: int) -> tuple[Any, int]:
        try:
            return _scan(text, index)
        except StopIteration:
            raise _Unreadable(f"expected a value at {index}") from None

    fields: dict[str, Any] = {}
    items: list[Any] = []
    index = expect(skip(0), "{")
    while text[index : index + 1] != "}":
        if fields or items:
            index = expect(index, ",")
        if text[index : index + 1] != '"':
            raise _Unreadable(f"expected a name at {index}")
        name, index = value(index)
        index = expect(skip(index), ":")
        if name == "items" and text[index : index + 1] == "[":
            items = []
            index = skip(index + 1)
            while text[index : index + 1] != "]":
                if items:
                    index = expect(index, ",")
                start = index
                item, index = value(index)
                items.append(RawOrder(item, text[start:index]) if isinstance(item, dict) else item)
                index = skip(index)
            fields[name] = items
            index += 1
        else:
            fields[name], index = value(index)
        index = skip(index)
    if skip(index + 1) != len(text):
        raise _Unreadable("extra data after the object")
    return fields, items


def _explain_unreadable(content: bytes) -> NoReturn:
    """Raise the protocol error that says why ``content`` is not a search answer."""
    try:
        payload = json.loads(content)  # for json's own words on what is wrong
    except ValueError as exc:
        reason = f"invalid JSON: {exc}"
    else:
        reason = "not a JSON object" if not isinstance(payload, dict) else "invalid JSON"
    raise EcwidProtocolError(f"Ecwid sent an order list that Backroom cannot read ({reason})")


def parse_raw_page(content: bytes) -> RawOrderPage:
    """Check the shape of a search answer without modelling each order; each
    order is a :class:`~app.domain.raw_orders.RawOrder` (its JSON text kept)."""
    try:
        payload, _ = _split_page(content.decode("utf-8"))
    except (_Unreadable, ValueError):
        _explain_unreadable(content)
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
