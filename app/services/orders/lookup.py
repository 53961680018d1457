"""Finding the one order a reference names — exactly, or not at all.

A reference is an order's id, internal id, number or vendor number (see
:mod:`app.domain.references`). It is looked up in the local cache first; an
order not cached is asked of the store by that reference and kept only when
it really is the order named. A blank reference, one that names several
orders (the candidates are listed) or a deleted order is refused before any
request is made.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.cache import OrderCache
from app.cache.columns import order_key
from app.domain.references import (
    AmbiguousReference,
    Candidate,
    ReferenceProblem,
    UnknownReference,
    clean_reference,
    order_matches,
)
from app.ecwid import EcwidNotFoundError

if TYPE_CHECKING:
    from app.ecwid import EcwidClient


@dataclass(frozen=True)
class FoundOrder:
    key: str
    number: str


class DeletedOrder(ReferenceProblem):
    def __init__(self, number: str) -> None:
        super().__init__(f"Order {number} has been deleted.")


def find_cached(cache: OrderCache, reference: str) -> FoundOrder | None:
    """The cached order ``reference`` names (``None``: not cached). Raises
    :class:`ReferenceProblem` for a blank, ambiguous or deleted one."""
    ref = clean_reference(reference)
    found = cache.find_by_reference(ref)
    live = [row for row in found if not row[3]]
    if len(live) > 1:
        raise AmbiguousReference(ref, [Candidate(k, n, c) for k, n, c, _ in live])
    if live:
        key, number, _, _ = live[0]
        return FoundOrder(key, number)
    if found:
        raise DeletedOrder(found[0][1])
    return None


async def find_order(cache: OrderCache, client: EcwidClient | None, reference: str) -> FoundOrder:
    """The order ``reference`` names: from the cache, else read from the
    store (and cached). Raises :class:`ReferenceProblem` (blank, ambiguous,
    deleted, unknown) or, when the store must be asked and cannot answer,
    the client's :class:`~app.ecwid.EcwidError`."""
    ref = clean_reference(reference)
    cached = await asyncio.to_thread(find_cached, cache, ref)
    if cached is not None:
        return cached
    if client is None:
        raise UnknownReference(ref)
    try:
        order = await client.get_order_raw(ref)
    except EcwidNotFoundError:
        raise UnknownReference(ref) from None
    if not isinstance(order, dict) or not order_matches(order, ref):
        raise UnknownReference(ref)
    await asyncio.to_thread(cache.upsert_orders, [order])
    key = order_key(order)
    numbers = await asyncio.to_thread(cache.order_numbers, [key])
    return FoundOrder(key, numbers.get(key, key))
