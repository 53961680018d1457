"""Creating an order by hand (a phone or manual order) on the store.

The order is checked by :mod:`app.services.orders.changes` (raw typed values
become JSON numbers; problems raise :class:`~app.services.orders.fields.EditInvalid`
before anything is sent), then ``POST /orders``. A just-created order may
take a moment to be readable, so it is read back a few times briefly; the
store's version is stored in the cache at once. If it cannot be read back,
what was sent is cached with the store's ids (the next sync replaces it):
the order exists, and creating it again would make a second one.

Errors of the store are :class:`~app.ecwid.EcwidError` subclasses with a
plain message; nothing is retried after a failure that may have reached the
store.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from app.cache import OrderCache
from app.cache.columns import order_key
from app.ecwid import EcwidError, EcwidNotFoundError
from app.services.orders.changes import changes_between

if TYPE_CHECKING:
    from app.ecwid import EcwidClient

log = logging.getLogger(__name__)

READ_BACK_ATTEMPTS = 5
READ_BACK_DELAY = 0.2  # seconds before the second attempt; doubled each time


async def create_order(
    cache: OrderCache,
    client: EcwidClient,
    order: dict[str, Any],
    *,
    attempts: int = READ_BACK_ATTEMPTS,
    delay: float = READ_BACK_DELAY,
) -> str:
    """Create ``order`` (API field names; the editor's raw values allowed)
    on the store, cache the store's version and return its key."""
    body = changes_between({}, order)
    created = await client.create_order(body)
    ref = created.orderid or str(created.id)
    fresh = await _read_back(client, ref, attempts, delay)
    if fresh is None:
        fresh = {**body, "orderNumber": created.id}
        if created.orderid:
            fresh["id"] = created.orderid
    await asyncio.to_thread(cache.upsert_orders, [fresh])
    key = order_key(fresh)
    log.info("created order %s", key)
    return key


async def _read_back(
    client: EcwidClient, ref: str, attempts: int, delay: float
) -> dict[str, Any] | None:
    for attempt in range(max(1, attempts)):
        if attempt:
            await asyncio.sleep(delay * 2 ** (attempt - 1))
        try:
            return await client.get_order_raw(ref)
        except EcwidNotFoundError:
            continue  # not readable yet
        except EcwidError as exc:
            log.warning("the new order %s could not be read back: %s", ref, exc)
            return None
    log.warning("the new order %s could not be read back after %d attempts", ref, attempts)
    return None
