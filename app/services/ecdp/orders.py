"""One ECDP order at a time: look it up by its id, change its status, mark it
deleted — for the window's ECDP panel and ``backroom ecdp get|status|delete``.

Each call opens the destination's client (off the event loop: building one
loads the system's certificates), makes its request and closes it. ECDP's
refusals come as :class:`~app.ecdp.EcdpError` (a
:class:`~app.domain.errors.StoreServiceError`;
:func:`~app.services.ecdp.destinations.describe_ecdp_error` words them), a
key that is not known as
:class:`~app.services.accounts.account_actions.MissingTokenError`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from app.ecdp import EcdpClient, EcdpOrderRecord, EcdpStatus
from app.services.ecdp.destinations import EcdpDestination


async def _with_client[T](
    destination: EcdpDestination, call: Callable[[EcdpClient], Awaitable[T]]
) -> T:
    client = await asyncio.to_thread(destination.make_client)
    async with client:
        return await call(client)


async def look_up_ecdp_order(destination: EcdpDestination, order_id: str) -> EcdpOrderRecord:
    """The order ``order_id`` as ECDP holds it (:class:`~app.ecdp.EcdpNotFoundError`
    when it holds none)."""
    return await _with_client(destination, lambda client: client.get_order(order_id))


async def set_ecdp_status(
    destination: EcdpDestination,
    order_id: str,
    status: EcdpStatus | str,
    *,
    website_id: int | None = None,
    read_back: bool = False,
) -> EcdpOrderRecord | None:
    """Set the status of the ECDP order ``order_id`` (placed, paid, completed
    or canceled, in any case). Returns the order when ECDP's answer carries
    it; with ``read_back``, an answer without it is followed by a look-up, so
    the order as ECDP has it now is always returned."""

    async def call(client: EcdpClient) -> EcdpOrderRecord | None:
        order = await client.set_status(order_id, status, website_id)
        if order is None and read_back:  # the answer carried no order: read it
            order = await client.get_order(order_id)
        return order

    return await _with_client(destination, call)


async def mark_ecdp_order_deleted(destination: EcdpDestination, order_id: str) -> EcdpOrderRecord:
    """Mark the ECDP order ``order_id`` deleted (ECDP keeps it, flagged as
    deleted; the order in the shop is not touched); returns it."""
    return await _with_client(destination, lambda client: client.delete_order(order_id))
