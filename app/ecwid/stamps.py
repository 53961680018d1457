"""What an order search says of each order when asked only for what tells
whether it changed: its identity and its ``updateTimestamp``.

An incremental sync asks Ecwid for ``responseFields=`` :data:`STAMP_FIELDS`
first (about 60 bytes an order instead of about 4 KB), compares the stamps
with the cache, and fetches whole only the orders that did change. A stamp
carries every identity an order may have — a string ``id``, an old store's
numeric one or none, the ``internalId``, the ``orderNumber`` — so an order
of any age can be keyed and fetched again (see :func:`key_of`). Each page
also carries the server's clock (the answer's ``Date`` header), which the
sync needs to tell a stamp it can trust from one that may hide a change made
in the same second (timestamps have a resolution of one second).

An answer that ignored ``responseFields`` and sent whole orders reads just
the same (the stamps are taken from the whole orders).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import Any

from app.domain.raw_orders import key_of, order_id, timestamp, whole_number
from app.ecwid.errors import EcwidProtocolError

STAMP_FIELDS = "total,items(id,internalId,orderNumber,updateTimestamp)"
"""The ``responseFields`` of a stamp search: the number of matches, and of
each order what keys it and when it last changed."""


@dataclass(frozen=True, slots=True)
class OrderStamp:
    """One order's identity and last change, as a search listed them."""

    key: str | None  # as the cache keys the order (None: no id, number or internal id)
    id: str | int | None
    internal_id: int | None
    order_number: int | None
    updated: int | None  # updateTimestamp (UNIX seconds); None when missing or unreadable

    @classmethod
    def of(cls, item: Mapping[str, Any]) -> OrderStamp:
        id_ = order_id(item.get("id"))
        internal_id = whole_number(item.get("internalId"))
        number = whole_number(item.get("orderNumber"))
        return cls(
            key_of(id_, number, internal_id),
            id_,
            internal_id,
            number,
            timestamp(item.get("updateTimestamp")),
        )


@dataclass
class StampPage:
    """A page of stamps: ``total`` matches in all, from ``offset`` on."""

    total: int
    offset: int
    items: list[OrderStamp] = field(default_factory=list)
    server_time: int | None = None  # the answer's Date header, UNIX seconds


def parse_stamp_page(payload: Any, offset: int, date_header: str | None) -> StampPage:
    """The stamps of a search answer (``payload``, parsed JSON). Raises
    :class:`EcwidProtocolError` for anything but ``{"total": n, "items":
    [objects]}`` (``items`` may be missing past the last page)."""
    if not isinstance(payload, dict):
        raise _unreadable("not a JSON object")
    total = payload.get("total")
    if not isinstance(total, int) or isinstance(total, bool):
        raise _unreadable("total: not a number")
    items = payload.get("items", [])
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise _unreadable("items: not a list of orders")
    stamps = [OrderStamp.of(item) for item in items]
    return StampPage(total, offset, stamps, server_clock(date_header))


def server_clock(date_header: str | None) -> int | None:
    """A ``Date`` header as UNIX seconds; ``None`` when missing or unreadable."""
    if not date_header:
        return None
    try:
        when = parsedate_to_datetime(date_header)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000": an HTTP date is GMT all the same
        when = when.replace(tzinfo=UTC)
    return int(when.timestamp())


def _unreadable(reason: str) -> EcwidProtocolError:
    return EcwidProtocolError(
        f"Ecwid sent a list of changed orders that Backroom cannot read ({reason})"
    )


__all__ = ["STAMP_FIELDS", "OrderStamp", "StampPage", "parse_stamp_page", "server_clock"]
