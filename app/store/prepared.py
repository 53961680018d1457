"""Orders made ready for the cache away from the sync's own process.

Storing an order costs CPU that does not need the database: parsing its
JSON, taking its indexed columns and search text, its digest, and
compressing it. A first full sync of 100,000 orders spends most of its time
there, under the GIL of the process that also talks HTTP and writes SQLite.
:func:`prepare_page` does all of it for one page of a search answer, in a
worker process (it takes and returns only picklable, compact values; no
order dict crosses the process boundary); :meth:`OrderCache.upsert_orders`
then only writes the rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from app.ecwid.paging import RawOrder, parse_raw_page

from . import codec
from .columns import OrderColumns, SearchText, index_entry, order_key


class PreparedOrder(NamedTuple):
    """An order ready to be written: its key, the digest and compressed bytes
    of its JSON text, its indexed columns and its search text."""

    key: str
    digest: bytes
    blob: bytes
    columns: OrderColumns
    text: SearchText

    def body(self) -> dict[str, Any]:
        """The order's JSON object (parsed again from the stored bytes)."""
        value = codec.decode(self.blob)
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


def prepare(order: dict[str, Any], raw: bytes, key: str | None = None) -> PreparedOrder:
    """``order`` (whose JSON text is ``raw``) ready to be written."""
    key = order_key(order) if key is None else key
    columns, text = index_entry(order, key)
    return PreparedOrder(key, codec.digest(raw), codec.compress(raw), columns, text)


def prepare_page(content: bytes) -> PreparedPage:
    """Parse a search answer (raises
    :class:`~app.ecwid.errors.EcwidProtocolError` as the client would) and
    prepare every order in it, each stored as the text the server sent."""
    page = parse_raw_page(content)
    items = [
        prepare(order, order.source.encode("utf-8"))
        if isinstance(order, RawOrder)
        else prepare(order, codec.encode(order))
        for order in page.items
    ]
    return PreparedPage(page.total, page.count, page.offset, page.limit, items)
