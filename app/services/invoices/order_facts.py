"""What an invoice reads from a raw Ecwid order, whatever shape it came in:
its invoice number, its refunds, pickup details and extra fields.

Every reader takes the order as sent (fields missing, ``null`` or of another
type are normal) and returns plain values; formatting is the caller's.

The invoice number is Ecwid's tax invoice id where the order has one (the
latest ``SALE`` invoice of its ``invoices``, as ``GET /orders/{id}/invoices``
lists them), else the order's number as the store writes it: the vendor
number, which carries the store's prefix and suffix, else the plain number
with the profile's prefix and suffix added.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.domain import money, raw_orders
from app.domain.references import shown_number


def text(value: Any) -> str:
    """A field as text (``""`` for ``None``, booleans and blanks)."""
    if value is None or isinstance(value, bool):
        return ""
    return value.strip() if isinstance(value, str) else str(value)


def mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def listing(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def amount(value: Any) -> Decimal:
    """A money field as a Decimal (what does not read as an amount counts as 0)."""
    found = money.amount(value)
    return Decimal(0) if found is None else found


def quantity_text(value: Any) -> str:
    """A quantity (or a rate) as written: ``2``, ``1.5``, ``8.875``."""
    number = amount(value)
    return str(number.normalize()) if number != number.to_integral() else str(int(number))


def stamp(value: Any) -> int | None:
    """A date field (any form Ecwid writes, or a UNIX timestamp) as a UNIX
    timestamp, else ``None``."""
    return raw_orders.placed_timestamp(value, value)


_BREAKS = re.compile(r"<\s*(br|/p|/div|/li|/h[1-6])\b[^>]*>", re.I)
_TAGS = re.compile(r"<[^>]*>")


def plain_text(value: Any) -> str:
    """Text the store may have written as HTML (a pickup instruction:
    ``<p>Mon–Fri 9–17</p>``) as plain lines: tags dropped, entities decoded."""
    raw = _BREAKS.sub("\n", text(value))
    lines = html.unescape(_TAGS.sub("", raw)).replace("\xa0", " ").splitlines()
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())


@dataclass(frozen=True)
class InvoiceNumber:
    """The number an invoice is known by, and where it came from."""

    number: str
    tax_invoice: bool = False  # Ecwid's tax invoice id (else the order's number)
    created: int | None = None  # when the tax invoice was made (UNIX time)
    cancelled_by: str = ""  # the id of a later FULL_CANCEL invoice, if any


def order_number(order: Mapping[str, Any], prefix: str = "", suffix: str = "") -> str:
    """The order's number as the store writes it: the vendor number (with the
    store's prefix and suffix in it), else ``prefix`` + number + ``suffix``,
    else its id; ``""`` when it has none of them."""
    shown = shown_number(order, key="")  # the one rule; the store's affixes on a bare number
    vendor = text(order.get("vendorOrderNumber"))
    number = raw_orders.whole_number(order.get("orderNumber"))
    if not vendor and number is not None and shown == str(number):
        return f"{prefix}{number}{suffix}"
    return shown


def invoice_number(
    order: Mapping[str, Any], fallback: str, *, prefix: str = "", suffix: str = ""
) -> InvoiceNumber:
    """The invoice number of ``order``: its latest tax invoice (``SALE``), else
    :func:`order_number`, else ``fallback``."""
    sales, cancels = [], []
    for position, entry in enumerate(map(mapping, listing(order.get("invoices")))):
        number = text(entry.get("id")) or text(entry.get("internalId"))
        if not number:
            continue
        created = stamp(entry.get("created"))
        key = (created if created is not None else -1, position)
        kind = text(entry.get("type")).upper()
        if kind == "FULL_CANCEL":
            cancels.append((key, number))
        elif kind in ("SALE", ""):
            sales.append((key, number, created))
    if sales:
        key, number, created = max(sales)
        later = [cancel for cancel_key, cancel in cancels if cancel_key > key]
        return InvoiceNumber(number, True, created, later[-1] if later else "")
    return InvoiceNumber(order_number(order, prefix, suffix) or fallback)


@dataclass(frozen=True)
class Refund:
    when: int | None  # UNIX time, if the refund is dated
    reason: str
    amount: Decimal


def refunds(order: Mapping[str, Any]) -> tuple[list[Refund], Decimal]:
    """The order's refunds (oldest first) and the amount refunded in all
    (``refundedAmount``, else the refunds' sum)."""
    found = []
    for entry in map(mapping, listing(order.get("refunds"))):
        value = amount(entry.get("amount"))
        if value:
            found.append(Refund(stamp(entry.get("date")), text(entry.get("reason")), value))
    found.sort(key=lambda refund: refund.when if refund.when is not None else -1)
    total = amount(order.get("refundedAmount")) or sum((r.amount for r in found), Decimal(0))
    return found, total


@dataclass(frozen=True)
class Pickup:
    """A pickup order's place, time and instructions ("" where unknown)."""

    method: str
    when: int | None
    when_text: str  # the pickup time as it came, when it does not read as a date
    instructions: str


def pickup(order: Mapping[str, Any]) -> Pickup | None:
    """The pickup details of a pickup order (``None`` for one that is shipped)."""
    option = mapping(order.get("shippingOption"))
    is_pickup = option.get("isPickup") is True or text(option.get("fulfillmentType")) == "PICKUP"
    when = order.get("pickupTime")
    if not is_pickup and not text(when):
        return None
    return Pickup(
        method=text(option.get("shippingMethodName")),
        when=stamp(when),
        when_text=text(when),
        instructions=plain_text(option.get("pickupInstruction")),
    )


def extra_fields(order: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The checkout's extra fields the customer answered, as ``(title, value)``
    in the store's order; fields without a title are an app's internal data
    and are left out."""
    fields = []
    for position, entry in enumerate(map(mapping, listing(order.get("orderExtraFields")))):
        title, value = text(entry.get("title")), plain_text(entry.get("value"))
        if title and value:
            rank = raw_orders.whole_number(entry.get("orderBy"))
            fields.append((rank if rank is not None else position, position, title, value))
    return [(title, value) for _rank, _position, title, value in sorted(fields)]
