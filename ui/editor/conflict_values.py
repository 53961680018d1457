"""Order field values in words, for comparing two versions side by side: a
person as one address line, items as "2 × Mug (SKU MUG-1)", statuses by the
store's names (else in words: "Awaiting processing"), money in the store's
currency, parts of a value by their names ("Shipping method: UPS") — never
raw JSON or the API's field names.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from app.domain.words import field_label, status_words
from ui.editor.fields import raw_text

if TYPE_CHECKING:
    from ui.detail.pane import OrderFormat

EMPTY = "(empty)"
MONEY_FIELDS = {"subtotal", "tax", "total", "shippingRate", "price"}
STATUS_FIELDS = {"paymentStatus", "fulfillmentStatus"}
PERSON_ORDER = (
    "name",
    "companyName",
    "street",
    "city",
    "postalCode",
    "stateOrProvinceCode",
    "countryCode",
    "phone",
)
MAX_TEXT = 400  # longer text is cut (the whole of it in the tooltip)


def value_text(name: str, value: Any, fmt: OrderFormat | None = None) -> str:
    """``value`` of the top-level field ``name`` as a person reads it."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if name in STATUS_FIELDS and isinstance(value, str):
        return fmt.status(value) if fmt is not None else status_words(value)
    if name in MONEY_FIELDS and fmt is not None and _is_number(value):
        return fmt.money(value)
    if name in ("billingPerson", "shippingPerson") and isinstance(value, Mapping):
        return person_text(value)
    if name == "shippingOption" and isinstance(value, Mapping):
        return shipping_text(value, fmt)
    if name == "items" and isinstance(value, list):
        return "\n".join(item_text(item, fmt) for item in value if isinstance(item, Mapping))
    if isinstance(value, Mapping):
        return ", ".join(
            f"{field_label(str(key))}: {value_text(str(key), part, fmt)}"
            for key, part in value.items()
            if part not in (None, "", [], {})
        )
    if isinstance(value, list):
        return ", ".join(value_text(name, part, fmt) for part in value)
    return raw_text(value)


def person_text(person: Mapping[str, Any]) -> str:
    """ "Jane Doe, Acme, 1 Main St, Springfield, 12345, NY, US, +1 555 0100"."""
    parts = [str(person[key]).strip() for key in PERSON_ORDER if person.get(key) not in (None, "")]
    return ", ".join(part for part in parts if part) or EMPTY


def shipping_text(option: Mapping[str, Any], fmt: OrderFormat | None) -> str:
    """ "UPS Ground — $12.00"."""
    method = option.get("shippingMethodName") or option.get("shippingCarrierName") or ""
    rate = option.get("shippingRate")
    if _is_number(rate):
        shown = fmt.money(rate) if fmt is not None else raw_text(rate)
        return f"{method} — {shown}" if method else shown
    return str(method) or EMPTY


def item_text(item: Mapping[str, Any], fmt: OrderFormat | None) -> str:
    """ "2 × Mug (SKU MUG-1) at $12.00"."""
    quantity = raw_text(item.get("quantity")) or "?"
    text = f"{quantity} × {item.get('name') or 'Unnamed item'}"
    if item.get("sku"):
        text += f" (SKU {item['sku']})"
    price = item.get("price")
    if _is_number(price):
        text += f" at {fmt.money(price) if fmt is not None else raw_text(price)}"
    files = sum(
        len(option.get("files") or [])
        for option in item.get("selectedOptions") or []
        if isinstance(option, Mapping)
    )
    if files:
        text += f", {files} file" + ("s" if files > 1 else "")
    return text


def shortened(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1].rstrip() + "…"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
