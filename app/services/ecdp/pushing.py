"""One push of cached orders to an ECDP account, for the push dialog and the
automatic push after a sync.

:func:`push_orders` opens the account's client (off the GUI thread: it loads
the system's certificates), runs :class:`~app.services.ecdp.push.EcdpPusher`
and, when ECDP refused a batch as a whole, sends that batch's orders once
more one by one, so the orders that were fine are saved and each refusal
names its own order. :func:`order_numbers` gives the orders' numbers for a
result list.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from app.cache import OrderCache
from app.domain.queries import OrderQuery
from app.ecdp import DEFAULT_BATCH_SIZE
from app.services.ecdp.destinations import EcdpDestination
from app.services.ecdp.push import EcdpPusher, EcdpPushReport, ProgressCallback

ISOLATE_AT_MOST = 100  # refused orders sent again one by one (one request each)


async def push_orders(
    cache: OrderCache,
    destination: EcdpDestination,
    *,
    website_id: int | None,
    currency: str | None,
    query: OrderQuery | None = None,
    keys: list[str] | None = None,
    only_changed: bool = False,
    force: bool = False,
    progress: ProgressCallback | None = None,
    on_sent: Callable[[list[str]], Any] | None = None,
) -> EcdpPushReport:
    """Push the orders ``query`` (or ``keys``) selects to ``destination``
    (``force``: also those ECDP has confirmed).
    Raises :class:`~app.services.accounts.account_actions.MissingTokenError` when the key is
    not known; ECDP's failures are in the report."""
    client = await asyncio.to_thread(destination.make_client)
    async with client:

        def pusher(batch_size: int = DEFAULT_BATCH_SIZE) -> EcdpPusher:
            return EcdpPusher(
                cache,
                client,
                target=destination.target,
                website_id=website_id,
                currency=currency,
                batch_size=batch_size,
                on_sent=on_sent,
            )

        report = await pusher().push(
            query, keys=keys, only_changed=only_changed, force=force, progress=progress
        )
        failed = list(report.failed)
        if report.interrupted is None and 1 < len(failed) <= ISOLATE_AT_MOST:
            again = await pusher(batch_size=1).push(keys=failed, force=force)
            _merge(report, again)
    return report


def _merge(report: EcdpPushReport, again: EcdpPushReport) -> None:
    """Fold the one-by-one retry of ``report``'s failures into it."""
    for key in again.sent:
        report.failed.pop(key, None)
        report.sent.append(key)
    for key in again.skipped:
        report.failed.pop(key, None)
        report.skipped.append(key)
    for key, reason in again.unmatched.items():
        report.failed.pop(key, None)
        report.unmatched[key] = reason
    report.failed.update(again.failed)
    if again.interrupted is not None:
        report.interrupted = again.interrupted
