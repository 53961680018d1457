"""Invoices as use cases: the store's own invoice of an order, cached per
order version so that preview, print and PDF work offline; our own
invoice and packing slip when the store's cannot be had; and when each
order's invoice was last printed on this computer.

    document = await invoice_for(cache, client, key)       # never blocks the loop
    document.html, document.source                          # "store" | "cache" | "offline"

The store's HTML is untrusted (it carries script): the viewer renders it with
JavaScript off. Our own pages come from ``resources/invoice/``
(:mod:`app.services.invoices.templates`), with the store's address, time zone
and money format remembered from its profile
(:mod:`app.services.invoices.letterhead`).
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from app.cache import OrderCache
from app.domain.queries import OrderQuery, SortKey
from app.domain.raw_orders import placed_timestamp
from app.domain.references import shown_number
from app.ecwid import (
    EcwidClient,
    EcwidError,
    EcwidNetworkError,
    EcwidNotFoundError,
    EcwidUnfinishedOrderError,
)
from app.services.accounts.store_display import StoreDisplay, remembered_display
from app.services.invoices import templates as invoice_templates
from app.services.invoices.letterhead import (
    REFRESH_AFTER_S,
    Letterhead,
    refresh_letterhead,
    remembered_letterhead,
)

log = logging.getLogger(__name__)

InvoiceSource = Literal["store", "cache", "offline"]
OFFLINE_MARK = invoice_templates.OFFLINE_MARK  # "Generated offline by Backroom"


@dataclass(frozen=True)
class InvoiceDocument:
    """One order's invoice, ready to render."""

    key: str  # the order's cache key
    number: str  # its display number ("1042")
    html: str  # the page (untrusted when source == "store")
    source: InvoiceSource  # fetched now / from the cache / rendered from our template
    update_timestamp: int | None  # the order version it belongs to
    title: str  # "Invoice 1042"
    notice: str | None = None  # plain words when this is not the store's invoice of this version


class InvoiceUnavailable(Exception):
    """The order has no invoice to show; ``str()`` says why in plain words."""


def _identity(order: Mapping[str, Any], key: str) -> tuple[str, int | None]:
    """The display number and the version (``updateTimestamp``) of a cached
    order, by the rules the order table uses."""
    version = placed_timestamp(order.get("updateTimestamp"), order.get("updateDate"))
    return shown_number(order, key), version


async def invoice_for(
    cache: OrderCache, client: EcwidClient | None, key: str, *, online: bool = True
) -> InvoiceDocument:
    """The invoice of order ``key`` (which must be cached):

    * the store's invoice cached for the order's current version (``"cache"``);
    * else the store's invoice fetched now and cached (``"store"``);
    * when it cannot be fetched (offline, no client, store unreachable): the
      invoice cached for an older version (``"cache"``, with a ``notice``),
      else our own invoice from the cached order (``"offline"``, marked
      "Generated offline by Backroom").

    Raises :class:`InvoiceUnavailable` for an unfinished order (the store
    answers 422), an order the store no longer has, or one not cached."""
    order = await asyncio.to_thread(cache.order_json, key)
    if order is None:
        raise InvoiceUnavailable(
            f"Order {key} is not in the local copy of the store, so its invoice cannot be shown."
        )
    number, version = _identity(order, key)
    title = f"Invoice {number}"
    cached = await asyncio.to_thread(cache.invoice, key)
    if cached is not None and cached[0] == version:
        return InvoiceDocument(key, number, cached[1], "cache", version, title)

    if client is None or not online:
        reason = "Backroom is offline"
    else:
        try:
            html = await client.get_invoice(str(order.get("id") or key))
        except EcwidUnfinishedOrderError:
            raise InvoiceUnavailable(_unfinished(number)) from None
        except EcwidNotFoundError:
            raise InvoiceUnavailable(
                f"Order {number} is no longer in the store, so it has no invoice."
            ) from None
        except EcwidError as exc:
            log.info("the invoice of order %s could not be fetched: %r", key, exc)
            reason = _unreachable(exc)
        else:
            await asyncio.to_thread(cache.put_invoice, key, version, html)
            await _refresh_letterhead_quietly(cache, client, max_age_s=math.inf)
            return InvoiceDocument(key, number, html, "store", version, title)

    if cached is not None:
        notice = (
            f"{reason}: this is the store's invoice saved for an earlier version of the order; "
            "later changes are not in it."
        )
        return InvoiceDocument(key, number, cached[1], "cache", cached[0], title, notice)
    if order.get("paymentStatus") == "INCOMPLETE":
        raise InvoiceUnavailable(_unfinished(number))
    notice = f"{reason}, and the store's invoice of this order was never downloaded."
    html = await asyncio.to_thread(_render_offline, cache, order, number, notice)
    return InvoiceDocument(key, number, html, "offline", version, title, notice)


def _unfinished(number: str) -> str:
    return f"Order {number} is unfinished, so it has no invoice yet."


def _unreachable(error: EcwidError) -> str:
    if isinstance(error, EcwidNetworkError):
        return "The store could not be reached"
    return f"The store did not send the invoice ({error.message.rstrip('.')})"


def _render_offline(cache: OrderCache, order: dict[str, Any], number: str, notice: str) -> str:
    display, letterhead = remembered_display(cache), remembered_letterhead(cache)
    return invoice_templates.render_invoice(
        order, display, letterhead, number=number, offline_notice=notice
    )


async def _refresh_letterhead_quietly(
    cache: OrderCache, client: EcwidClient, *, max_age_s: float = REFRESH_AFTER_S
) -> None:
    """Keep the store's letterhead for offline invoices: read it again when
    older than ``max_age_s`` (one request)."""
    try:
        await refresh_letterhead(cache, client, max_age_s=max_age_s)
    except EcwidError as exc:
        log.info("the store profile for offline invoices could not be read: %r", exc)


def render_offline_invoice(
    order: Mapping[str, Any],
    display: StoreDisplay | None,
    *,
    letterhead: Letterhead | None = None,
    notice: str = "This invoice was made from the order as last synced.",
) -> str:
    """Our own invoice of ``order`` (raw Ecwid JSON), visibly marked
    "Generated offline by Backroom"; every field of the order, all escaped."""
    number, _ = _identity(order, str(order.get("id") or order.get("orderNumber") or ""))
    return invoice_templates.render_invoice(
        order, display, letterhead, number=number, offline_notice=notice
    )


def render_packing_slip(
    order: Mapping[str, Any],
    display: StoreDisplay | None,
    *,
    letterhead: Letterhead | None = None,
) -> str:
    """The packing slip of ``order``: items and quantities, no prices."""
    number, _ = _identity(order, str(order.get("id") or order.get("orderNumber") or ""))
    return invoice_templates.render_packing_slip(order, display, letterhead, number=number)


def packing_slip_for(cache: OrderCache, key: str, display: StoreDisplay | None = None) -> str:
    """The packing slip of cached order ``key``, with the store's letterhead
    remembered from its profile (``display``: the one remembered if not
    given). Raises :class:`InvoiceUnavailable` for an order not cached."""
    order = cache.order_json(key)
    if order is None:
        raise InvoiceUnavailable(f"Order {key} is not saved on this computer.")
    display = display if display is not None else remembered_display(cache)
    return render_packing_slip(order, display, letterhead=remembered_letterhead(cache))


async def prefetch_invoices(
    cache: OrderCache,
    client: EcwidClient | None,
    *,
    days: int,
    limit: int = 200,
    should_stop: Callable[[], bool] = lambda: False,
    now: datetime | None = None,
) -> int:
    """Download the store's invoices of the orders created in the last ``days``
    days before ``now`` (newest first, at most ``limit``; unfinished orders
    have none) whose current version has none cached yet; returns how many
    were downloaded. Stops between two orders when ``should_stop()`` is
    true, and when the store cannot be reached. Also keeps the store's
    letterhead for offline invoices up to date (read once a day)."""
    if client is None or days <= 0 or limit <= 0:
        return 0
    since = (now or datetime.now(UTC)) - timedelta(days=days)
    query = OrderQuery(created_from=since, sort=SortKey.CREATED, descending=True)
    rows = await asyncio.to_thread(cache.rows, query, 0, limit)
    fetched = 0
    for row in rows:
        if should_stop():
            break
        cached = await asyncio.to_thread(cache.invoice, row.key)
        if cached is not None and cached[0] == row.updated_ts:
            continue
        try:
            html = await client.get_invoice(row.key)
        except (EcwidUnfinishedOrderError, EcwidNotFoundError):
            continue
        except EcwidError as exc:
            log.info("invoice prefetch stopped after %d: %r", fetched, exc)
            return fetched
        await asyncio.to_thread(cache.put_invoice, row.key, row.updated_ts, html)
        fetched += 1
    if not should_stop():
        await _refresh_letterhead_quietly(cache, client)
    return fetched


def record_printed(cache: OrderCache, keys: Iterable[str], when: datetime | None = None) -> None:
    """Remember that the invoices of ``keys`` were printed or saved as PDF
    (``when``: now if not given). The order table shows it ("Invoice printed")
    and filters by it (``OrderQuery(invoice_printed=True)``)."""
    cache.record_printed(keys, when or datetime.now(UTC))


def printed_at(cache: OrderCache, key: str) -> datetime | None:
    """When the invoice of ``key`` was last printed on this computer (aware, UTC)."""
    return cache.printed_at(key)
