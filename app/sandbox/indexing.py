"""The indexed columns of a stored order, derived from its JSON.

Every search filter runs on these columns, never on the JSON. Text columns
hold case-folded values so that matching is case-insensitive for every
script, not only ASCII. :func:`index_row` works on an order dict (orders the
API creates or changes); the seed builds the same tuple from the pieces it
already has through :func:`search_texts`, and a test checks both agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from app.sandbox.dates import parse_date


class IndexRow(NamedTuple):
    internal_id: int
    order_id: str | None
    order_number: int | None
    vendor_order_number: str | None
    payment_status: str | None
    fulfillment_status: str | None
    total: float
    create_ts: int | None
    update_ts: int | None
    email: str
    coupon_code: str
    payment_method: str
    shipping_method: str
    customer_text: str
    keywords_text: str


COLUMNS = IndexRow._fields


def fold(value: Any) -> str:
    return str(value).casefold() if value is not None else ""


def search_texts(
    numbers: Iterable[Any],
    item_texts: Iterable[Any],
    people: Iterable[dict[str, Any] | None],
    email: str | None,
) -> tuple[str, str]:
    """``(customer_text, keywords_text)``: what ``customer=`` and ``keywords=`` search.

    ``customer`` matches names, companies, email and phone numbers;
    ``keywords`` matches order numbers and ids, item names and SKUs, and
    customer names and email.
    """
    customer_parts: list[str] = [email or ""]
    names: list[str] = []
    for person in people:
        if not person:
            continue
        for key in ("name", "companyName", "phone"):
            value = person.get(key)
            if value:
                customer_parts.append(str(value))
        if person.get("name"):
            names.append(str(person["name"]))
    keyword_parts = [str(n) for n in numbers if n is not None]
    keyword_parts += [str(t) for t in item_texts if t]
    keyword_parts += names
    keyword_parts.append(email or "")
    return "\n".join(customer_parts).casefold(), "\n".join(keyword_parts).casefold()


def _number(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def index_row(order: dict[str, Any]) -> IndexRow:
    """The indexed columns of ``order`` (which must carry ``internalId``)."""
    items = order.get("items") or []
    item_texts: list[Any] = []
    for item in items:
        if isinstance(item, dict):
            item_texts.append(item.get("name"))
            item_texts.append(item.get("sku"))
    customer_text, keywords_text = search_texts(
        (order.get("orderNumber"), order.get("vendorOrderNumber"), order.get("id")),
        item_texts,
        (order.get("billingPerson"), order.get("shippingPerson")),
        order.get("email"),
    )
    create_ts = _int(order.get("createTimestamp"))
    if create_ts is None and isinstance(order.get("createDate"), str):
        create_ts = parse_date(order["createDate"])
    update_ts = _int(order.get("updateTimestamp"))
    if update_ts is None and isinstance(order.get("updateDate"), str):
        update_ts = parse_date(order["updateDate"])
    coupon = order.get("discountCoupon")
    shipping = order.get("shippingOption")
    return IndexRow(
        internal_id=int(order["internalId"]),
        order_id=order.get("id") or None,
        order_number=_int(order.get("orderNumber")),
        vendor_order_number=order.get("vendorOrderNumber"),
        payment_status=order.get("paymentStatus"),
        fulfillment_status=order.get("fulfillmentStatus"),
        total=_number(order.get("total")),
        create_ts=create_ts,
        update_ts=update_ts,
        email=fold(order.get("email")),
        coupon_code=fold(coupon.get("code")) if isinstance(coupon, dict) else "",
        payment_method=fold(order.get("paymentMethod")),
        shipping_method=fold(shipping.get("shippingMethodName"))
        if isinstance(shipping, dict)
        else "",
        customer_text=customer_text,
        keywords_text=keywords_text,
    )
