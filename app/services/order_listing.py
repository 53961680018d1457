"""Listing orders for display: light rows built from full orders, delivered in
batches so a view can fill while the rest is still arriving.

(Until the local cache lands, this reads straight from the store's API.)
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import aclosing
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from app.ecwid import EcwidClient, Order, OrderFilters


@dataclass(frozen=True, slots=True)
class OrderRow:
    """What an order table shows about one order."""

    key: str
    number: str
    created: datetime | None
    customer: str
    email: str
    item_count: int
    total: Decimal | None
    payment_status: str
    fulfillment_status: str
    tracking_number: str

    @classmethod
    def from_order(cls, order: Order) -> OrderRow:
        person = order.billing_person or order.shipping_person
        return cls(
            key=order.key,
            number=order.vendor_order_number or order.id or str(order.order_number or ""),
            created=order.create_date,
            customer=(person.name if person and person.name else "") or "",
            email=order.email or "",
            item_count=sum(item.quantity or 0 for item in order.items or ()),
            total=order.total,
            payment_status=str(order.payment_status or ""),
            fulfillment_status=str(order.fulfillment_status or ""),
            tracking_number=order.tracking_number or "",
        )


@dataclass(frozen=True)
class StoreDisplay:
    """How the store wants its orders shown: its currency and its own names
    for statuses (custom statuses carry names the owner chose)."""

    currency_code: str
    currency_symbol: str
    status_names: dict[str, str]


async def store_display(client: EcwidClient) -> StoreDisplay:
    """Read the store's currency and status names (two requests)."""
    profile = await client.get_profile()
    units = profile.get("formatsAndUnits") or {}
    statuses = await client.order_statuses()
    names = {
        status.status_id: status.name_translated or status.name
        for status in statuses
        if status.name_translated or status.name
    }
    code = str(units.get("currency") or "")
    return StoreDisplay(code, str(units.get("currencyPrefix") or code), names)


async def order_row_batches(
    client: EcwidClient, filters: OrderFilters | None = None
) -> AsyncIterator[tuple[list[OrderRow], int]]:
    """Yield ``(rows, total)`` for each page of orders matching ``filters``."""
    async with aclosing(client.iter_pages(filters)) as pages:
        async for page in pages:
            yield [OrderRow.from_order(order) for order in page.items], page.total
