"""What the order table reads: :class:`CachedOrderRow`, built from indexed
columns only (the stored JSON is never loaded for a listing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from app.domain.outbox import OutboxState, state_of

from .invoice_prints import PRINTED_AT_SQL


@dataclass(frozen=True, slots=True)
class CachedOrderRow:
    """One order as the table shows it."""

    key: str
    number: str  # vendorOrderNumber, else orderNumber, else id
    created: datetime | None  # aware (UTC)
    updated_ts: int | None
    customer: str  # billing name, else shipping name, else ""
    email: str
    item_count: int  # sum of the items' quantities
    total: Decimal | None
    payment_status: str
    fulfillment_status: str
    tracking_number: str
    payment_method: str
    shipping_method: str
    coupon_code: str
    outbox_state: OutboxState | None  # the worst state of its open edits (app.domain.outbox)
    invoice_printed_at: datetime | None = None  # aware (UTC); last printed on this computer


@dataclass(frozen=True, slots=True)
class UpsertResult:
    """Keys of the orders an upsert added and changed (unchanged ones are in neither)."""

    new: list[str]
    updated: list[str]

    @property
    def changed(self) -> list[str]:
        return self.new + self.updated


SELECT_ROW = (
    "SELECT rid, key, number, created_ts, updated_ts, customer, email, item_count, total_text, "
    "payment_status, fulfillment_status, tracking_number, payment_method, shipping_method, "
    "coupon_code, (SELECT severity FROM order_marks WHERE order_marks.key = orders.key), "
    f"{PRINTED_AT_SQL} "
    "FROM orders"
)


def to_row(values: tuple[Any, ...]) -> CachedOrderRow:
    """The row of a :data:`SELECT_ROW` result (its first value, ``rid``, is skipped)."""
    (
        _rid,
        key,
        number,
        created_ts,
        updated_ts,
        customer,
        email,
        item_count,
        total_text,
        payment_status,
        fulfillment_status,
        tracking_number,
        payment_method,
        shipping_method,
        coupon_code,
        severity,
        printed_at,
    ) = values
    return CachedOrderRow(
        key,
        number,
        datetime.fromtimestamp(created_ts, UTC) if created_ts is not None else None,
        updated_ts,
        customer,
        email,
        item_count,
        Decimal(total_text) if total_text is not None else None,
        payment_status,
        fulfillment_status,
        tracking_number,
        payment_method,
        shipping_method,
        coupon_code,
        state_of(severity),
        datetime.fromtimestamp(printed_at, UTC) if printed_at is not None else None,
    )
