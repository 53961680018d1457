"""Fields and values of an order in a shop owner's words.

``fulfillmentStatus → PROCESSING`` is how the API writes a change; a person
reads "Fulfillment status: Processing". Used wherever a change is shown: the
outbox, the conflict dialog, the activity log, the command line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

FIELD_LABELS: dict[str, str] = {
    "paymentStatus": "Payment status",
    "fulfillmentStatus": "Fulfillment status",
    "trackingNumber": "Tracking number",
    "privateAdminNotes": "Private notes",
    "orderComments": "Order comments",
    "email": "Email",
    "billingPerson": "Billing address",
    "shippingPerson": "Shipping address",
    "shippingOption": "Shipping option",
    "handlingFee": "Handling fee",
    "hidden": "Hidden",
    "items": "Items",
    "subtotal": "Subtotal",
    "tax": "Tax",
    "total": "Total",
    "customerId": "Customer id",
    "customerGroup": "Customer group",
    "customerTaxId": "Customer tax id",
    "customerTaxExempt": "Tax exempt",
    "discountCoupon": "Discount coupon",
    "discountInfo": "Discounts",
    "orderExtraFields": "Extra fields",
    "paymentMethod": "Payment method",
    "paymentModule": "Payment module",
    "externalTransactionId": "Transaction id",
    "refererUrl": "Referrer",
}

EMPTY = "(empty)"
STATUS_FIELDS = ("paymentStatus", "fulfillmentStatus")


def field_label(name: str) -> str:
    """A person's name for a top-level API field (``"trackingNumber"`` -> ``"Tracking number"``)."""
    known = FIELD_LABELS.get(name)
    if known:
        return known
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).split()
    return " ".join(words).capitalize() if words else name


def status_words(value: str, names: Mapping[str, str] | None = None) -> str:
    """A status in the store's own name, else in words
    (``AWAITING_PAYMENT`` -> "Awaiting payment")."""
    if names and value in names:
        return names[value]
    return value.replace("_", " ").capitalize() if value.isupper() else value


def value_words(name: str, value: Any, status_names: Mapping[str, str] | None = None) -> str:
    """One value of field ``name``, short and readable."""
    if value is None or value == "":
        return EMPTY
    if name in STATUS_FIELDS and isinstance(value, str):
        return status_words(value, status_names)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, str):
        text = " ".join(value.split())
        return text if len(text) <= 60 else text[:57] + "…"
    if name == "items" and isinstance(value, list):
        return _items_words(value)
    if isinstance(value, Mapping):
        return _object_words(value)
    if isinstance(value, list):
        return f"{len(value)} entries"
    return str(value)


def change_words(
    name: str, old: Any, new: Any, status_names: Mapping[str, str] | None = None
) -> str:
    """``"Tracking number: (empty) → 1Z999"``."""
    before, after = value_words(name, old, status_names), value_words(name, new, status_names)
    if before == after and old != new:
        return f"{field_label(name)}: changed"
    return f"{field_label(name)}: {before} → {after}"


def changes_words(
    changes: Mapping[str, Any],
    base: Mapping[str, Any] | None,
    status_names: Mapping[str, str] | None = None,
) -> str:
    """Every change of an edit, ``"; "``-separated (the old values when known)."""
    if not changes:
        return "No change"
    parts = []
    for name, new in changes.items():
        if base is not None and name in base:
            parts.append(change_words(name, base[name], new, status_names))
        else:
            parts.append(f"{field_label(name)}: {value_words(name, new, status_names)}")
    return "; ".join(parts)


def _items_words(items: list[Any]) -> str:
    names = [str(item.get("name") or "item") for item in items if isinstance(item, Mapping)]
    count = len(items)
    head = f"{count} item" if count == 1 else f"{count} items"
    if not names:
        return head
    listed = ", ".join(names[:3]) + (", …" if len(names) > 3 else "")
    return f"{head} ({listed})"


def _object_words(value: Mapping[str, Any]) -> str:
    for fields in (("name", "city"), ("shippingMethodName",), ("firstName", "lastName")):
        words = [str(value[f]) for f in fields if value.get(f) not in (None, "")]
        if words:
            return ", ".join(words)
    return "edited"
