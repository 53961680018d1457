"""Orders made ready for the cache away from the sync's own process.

Storing an order costs CPU that does not need the database: parsing its
JSON, taking its indexed columns and search text, and its digest. A first
full sync of 100,000 orders spends most of its time there, under the GIL of
the process that also talks HTTP and writes SQLite.
:func:`prepare_search_page` does all of it for one page of a search answer
(read by the client: the sync runs both in a worker process, see
:mod:`app.services.sync.pages`; only picklable, compact values come back, no
order dict crosses the process boundary); :meth:`OrderCache.upsert_orders`
then only compresses the bodies (with the cache's dictionary, see
:mod:`app.cache.bodies`: ~7 µs an order) and writes the rows.

Nothing from the store is stored with credentials in it: every path by
which an order's body enters the cache goes through :func:`prepare` or
:func:`without_credentials`, which remove credential parameters from every
URL inside the order (old answers carried the API token in item files'
``adminUrl``); the digest is of what is stored, so the same order fetched
again is recognised as unchanged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from app.domain.raw_orders import RawOrder, raw_order_key
from app.domain.url_credentials import might_carry_credentials, scrub_order

from . import codec
from .columns import OrderColumns, SearchText, index_entry, order_key


def without_credentials(order: dict[str, Any], raw: bytes) -> tuple[dict[str, Any], bytes]:
    """``order`` and its JSON text ``raw`` with the credentials inside its URLs
    removed (see :mod:`app.domain.url_credentials`); both as given when it carries
    none. Nothing from the store is stored before this."""
    if not might_carry_credentials(raw):
        return order, raw
    cleaned, changed = scrub_order(order)
    if not changed:
        return order, raw
    return cleaned, codec.encode(cleaned)


class PreparedOrder(NamedTuple):
    """An order ready to be written: its key, the digest and bytes of its
    JSON text (as it will be stored, before compression), its indexed
    columns and its search text."""

    key: str
    digest: bytes
    raw: bytes
    columns: OrderColumns
    text: SearchText

    def body(self) -> dict[str, Any]:
        """The order's JSON object (parsed again from its text)."""
        value = json.loads(self.raw)
        if not isinstance(value, dict):
            raise ValueError("a prepared order is not a JSON object")
        return value


@dataclass
class PreparedPage:
    """A page of a search answer with its orders prepared (see :func:`prepare_page`)."""

    total: int
    count: int
    offset: int
    limit: int
    items: list[PreparedOrder] = field(default_factory=list)
    unkeyed: int = 0  # orders left out: no id, order number or internal id to store them by


def prepare(
    order: dict[str, Any], raw: bytes, key: str | None = None, *, scrubbed: bool = False
) -> PreparedOrder:
    """``order`` (whose JSON text is ``raw``) ready to be written: the
    credentials inside its URLs removed first (unless ``scrubbed`` says
    :func:`without_credentials` already ran), the digest of what is stored."""
    if not scrubbed:
        order, raw = without_credentials(order, raw)
    key = order_key(order) if key is None else key
    columns, text = index_entry(order, key)
    return PreparedOrder(key, codec.digest(raw), raw, columns, text)


class SearchPage(Protocol):
    """A page of a search answer as the client read it: its orders as sent
    (each a :class:`~app.domain.raw_orders.RawOrder` keeping its text, or a
    dict)."""

    total: int
    count: int
    offset: int
    limit: int
    items: list[dict[str, Any]]


def prepare_search_page(page: SearchPage) -> PreparedPage:
    """Prepare every order of ``page``, each stored as the text the server
    sent (but for credentials inside URLs). An order with nothing to key it
    by is left out and counted (``unkeyed``): one odd order never fails its
    page."""
    items = []
    unkeyed = 0
    for order in page.items:
        key = raw_order_key(order)
        if key is None:
            unkeyed += 1
            continue
        raw = order.source.encode("utf-8") if isinstance(order, RawOrder) else codec.encode(order)
        items.append(prepare(order, raw, key))
    return PreparedPage(page.total, page.count, page.offset, page.limit, items, unkeyed)
