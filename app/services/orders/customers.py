"""One customer's orders, from the local cache: offline and at once.

A customer is found by the order's customer id when it has one (a
registered customer), else by its e-mail address (a guest). The summary
counts their orders (abandoned checkouts left out), what they spent (paid
orders), their first and last order, the average order, and the addresses
their orders went to and were billed to.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from app.cache import CachedOrderRow, OrderCache
from app.domain.queries import OrderQuery, SortKey

PAID = frozenset({"PAID", "PARTIALLY_REFUNDED"})
ADDRESSES_READ = 200  # bodies read for the addresses (the newest orders)
MAX_ORDERS = 10_000


@dataclass(frozen=True)
class CustomerSummary:
    name: str
    email: str
    customer_id: int | None
    found_by: str  # "customer id" or "e-mail"
    orders: list[CachedOrderRow]  # newest first
    spent: Decimal
    paid_orders: int
    first: datetime | None
    last: datetime | None
    addresses: list[str] = field(default_factory=list)  # "Ada Okafor, 1 Main St, London, GB"

    @property
    def average(self) -> Decimal | None:
        """The average paid order."""
        return (
            (self.spent / self.paid_orders).quantize(Decimal("0.01")) if self.paid_orders else None
        )


class NoCustomer(LookupError):
    """The order names no customer to look for (no customer id, no e-mail)."""


def customer_of(cache: OrderCache, key: str) -> CustomerSummary:
    """The customer of order ``key`` and all their cached orders."""
    order = cache.order_json(key)
    if order is None:
        raise LookupError(f"Order {key} is not on this computer.")
    customer_id = order.get("customerId")
    email = str(order.get("email") or "").strip()
    name = _person_name(order)
    if isinstance(customer_id, int) and not isinstance(customer_id, bool) and customer_id > 0:
        query = OrderQuery(customer_id=customer_id, sort=SortKey.CREATED, descending=True)
        found_by = "customer id"
    elif email:
        query = OrderQuery(email=email, sort=SortKey.CREATED, descending=True)
        found_by = "e-mail"
        customer_id = None
    else:
        raise NoCustomer("This order names no customer: it has no customer account and no e-mail.")
    rows = cache.rows(query, 0, MAX_ORDERS)
    paid = [row for row in rows if row.payment_status in PAID]
    spent = sum((row.total or Decimal(0) for row in paid), Decimal(0))
    dated = [row.created for row in rows if row.created is not None]
    return CustomerSummary(
        name=name,
        email=email,
        customer_id=customer_id,
        found_by=found_by,
        orders=rows,
        spent=spent,
        paid_orders=len(paid),
        first=min(dated) if dated else None,
        last=max(dated) if dated else None,
        addresses=_addresses(cache, rows[:ADDRESSES_READ]),
    )


def _person_name(order: Mapping[str, Any]) -> str:
    for kind in ("billingPerson", "shippingPerson"):
        person = order.get(kind)
        if isinstance(person, Mapping) and person.get("name"):
            return str(person["name"])
    return ""


def _addresses(cache: OrderCache, rows: list[CachedOrderRow]) -> list[str]:
    seen: dict[str, None] = {}
    for row in rows:
        order = cache.order_json(row.key) or {}
        for kind in ("shippingPerson", "billingPerson"):
            text = _address(order.get(kind))
            if text:
                seen.setdefault(text, None)
    return list(seen)


def _address(person: Any) -> str:
    if not isinstance(person, Mapping):
        return ""
    parts = [
        person.get(name)
        for name in ("name", "street", "postalCode", "city", "stateOrProvinceCode", "countryCode")
    ]
    words = [" ".join(str(part).split()) for part in parts if part not in (None, "")]
    return ", ".join(words) if len(words) > 1 else ""
