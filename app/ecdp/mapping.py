"""Ecwid order (the JSON the cache keeps, as Ecwid sent it) -> :class:`EcdpOrder`.

=================  ==========================================================
ECDP               Ecwid
=================  ==========================================================
id                 ``id`` (the string id, ``DEMO-X8UYE``); old orders without
                   one: ``orderNumber``, else ``internalId`` (the cache key)
date               ``createDate`` (any offset; ``createTimestamp`` if absent),
                   sent in UTC: ``2024-11-06T10:10:00.000Z``
timeZone           ``UTC``: the date is sent in UTC, and ECDP reads the date
                   in ``timeZone`` (a shop zone beside a UTC time could shift it)
websiteId          the Ecwid account's setting ``ecdp_website_id`` (left out
                   when unset)
status             see below
currency           the order's ``currency`` if it has one, else the store's
                   currency (``formatsAndUnits.currency``); left out if unknown
totalValue         ``total``
returnsValue       the sum of ``refunds[].amount``, else ``refundedAmount``;
                   a REFUNDED order without either: its ``total``
customer.email     ``email`` (left out if over 320 characters)
customer.phone     billing phone, else shipping phone, as ``+`` and digits
                   (left out if more than 20 remain)
customer.crmId     ``customerId`` (registered customers; guests have none)
products[].id      item ``productId``, else ``sku``, else the item's ``id``
  name             item ``name`` (else its SKU), cut to 2048 characters
  price            item ``price`` (the unit price with options)
  quantity         item ``quantity``
  returned         the quantity when the order is RETURNED, else 0
  url              item ``url`` when Ecwid sent one (orders carry none)
  imageUrl         item ``imageUrl``
  category         item ``categoryName`` if present, else ``categoryId`` as text
  productAttributes  each selected option: its name; its value (several
                   choices and file names joined with ", ")
orderAttributes    ``Payment method``, ``Shipping method`` (the option's
                   name), ``Coupon code``, and each of ``orderExtraFields``
                   (its title, else its id), those with a value
=================  ==========================================================

Status (the first rule that matches wins):

=====================================================  =================
Ecwid                                                  ECDP
=====================================================  =================
payment INCOMPLETE (unfinished checkout)               not sent: it is
                                                       not an order yet
payment CANCELLED or REFUNDED                          canceled
fulfillment WILL_NOT_DELIVER                           canceled
fulfillment SHIPPED, OUT_FOR_DELIVERY, DELIVERED       completed
fulfillment RETURNED                                   completed (every
                                                       product returned)
payment PAID or PARTIALLY_REFUNDED                     paid
anything else: AWAITING_PAYMENT, the custom payment    placed
statuses, a status Ecwid adds later, no status
=====================================================  =================

Fulfillment AWAITING_PROCESSING, PROCESSING, READY_FOR_PICKUP and the custom
fulfillment statuses leave the status to the payment. An order that cannot
become a valid ECDP order (no items, a negative total, no way to identify
the customer…) raises :class:`MappingError` saying why; nothing else does.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import ValidationError

from app.ecdp.models import EcdpAttribute, EcdpOrder, EcdpStatus
from app.ecdp.validation import problems
from app.ecwid.enums import FulfillmentStatus, PaymentStatus
from app.ecwid.models import Order, OrderItem, OrderItemOption

TIME_ZONE = "UTC"
CANCELED_PAYMENTS = {PaymentStatus.CANCELLED, PaymentStatus.REFUNDED}
PAID_PAYMENTS = {PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED}
FULFILLED = {
    FulfillmentStatus.SHIPPED,
    FulfillmentStatus.OUT_FOR_DELIVERY,
    FulfillmentStatus.DELIVERED,
    FulfillmentStatus.RETURNED,
}
_NOT_DIGITS = re.compile(r"[^0-9]")


class MappingError(ValueError):
    """The Ecwid order cannot become a valid ECDP order; the message says why."""

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(f"Order {key} cannot be sent to ECDP: {reason}")
        self.key = key
        self.reason = reason


def map_status(payment: str | None, fulfillment: str | None) -> EcdpStatus | None:
    """The ECDP status for an Ecwid payment and fulfillment status (see the
    table above); ``None`` for an unfinished (INCOMPLETE) order."""
    payment_status = PaymentStatus(payment) if payment else None
    fulfillment_status = FulfillmentStatus(fulfillment) if fulfillment else None
    if payment_status is PaymentStatus.INCOMPLETE:
        return None
    if payment_status in CANCELED_PAYMENTS:
        return EcdpStatus.CANCELED
    if fulfillment_status is FulfillmentStatus.WILL_NOT_DELIVER:
        return EcdpStatus.CANCELED
    if fulfillment_status in FULFILLED:
        return EcdpStatus.COMPLETED
    if payment_status in PAID_PAYMENTS:
        return EcdpStatus.PAID
    return EcdpStatus.PLACED


def map_order(
    raw: dict[str, Any],
    *,
    website_id: int | None = None,
    currency: str | None = None,
    time_zone: str = TIME_ZONE,
) -> EcdpOrder:
    """The ECDP order for the Ecwid order ``raw`` (as Ecwid sent it).

    ``website_id`` is the account's ECDP website, ``currency`` the store's
    currency code (used when the order names none). Raises
    :class:`MappingError` when the order cannot be sent."""
    if not isinstance(raw, dict):
        raise MappingError("?", "it is not an Ecwid order (not a JSON object)")
    key = _key(raw)
    try:
        order = Order.model_validate(raw)
    except ValidationError as exc:
        path, texts = next(iter(problems(exc).items()))
        raise MappingError(key, f"it is not a readable Ecwid order ({path} {texts[0]})") from None
    status = map_status(order.payment_status, order.fulfillment_status)
    if status is None:
        raise MappingError(key, "it is an unfinished checkout (INCOMPLETE), not an order yet")
    if order.total is None:
        raise MappingError(key, "it has no total")
    returned_all = order.fulfillment_status is FulfillmentStatus.RETURNED
    data = _present(
        id=key,
        date=_created(order, key),
        timeZone=time_zone,
        websiteId=website_id,
        status=status,
        currency=_currency(raw.get("currency")) or _currency(currency),
        totalValue=order.total,
        returnsValue=_returns(raw, order),
        customer=_customer(order),
        products=[_product(item, returned_all) for item in order.items or []],
        orderAttributes=_order_attributes(raw, order) or None,
    )
    try:
        return EcdpOrder.model_validate(data)
    except ValidationError as exc:
        reasons = "; ".join(f"{path} {' '.join(texts)}" for path, texts in problems(exc).items())
        raise MappingError(key, reasons) from None


def _key(raw: dict[str, Any]) -> str:
    for name in ("id", "orderNumber", "internalId"):
        value = raw.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
    raise MappingError("?", "it has no id, order number or internal id")


def _created(order: Order, key: str) -> datetime:
    if order.create_date is not None:
        return order.create_date
    if order.create_timestamp is not None:
        try:
            return datetime.fromtimestamp(order.create_timestamp, UTC)
        except (OverflowError, OSError, ValueError):
            pass
    raise MappingError(key, "it has no creation date")


def _currency(value: Any) -> str | None:
    if isinstance(value, str) and re.fullmatch(r"[A-Za-z]{3}", value.strip()):
        return value.strip().upper()
    return None


def _amount(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def _returns(raw: dict[str, Any], order: Order) -> Decimal:
    refunds = raw.get("refunds")
    amounts = [
        _amount(refund.get("amount"))
        for refund in (refunds if isinstance(refunds, list) else [])
        if isinstance(refund, dict)
    ]
    known = [amount for amount in amounts if amount is not None]
    total = sum(known, Decimal(0)) if known else _amount(raw.get("refundedAmount"))
    if not total and order.payment_status is PaymentStatus.REFUNDED:
        total = _amount(order.total)
    return max(Decimal(0), total or Decimal(0))


def _phone(text: str | None) -> str | None:
    if not text or not text.strip():
        return None
    digits = _NOT_DIGITS.sub("", text)
    if not digits:
        return None
    phone = ("+" if text.strip().startswith("+") else "") + digits
    return phone if len(phone) <= 20 else None


def _customer(order: Order) -> dict[str, Any]:
    email = (order.email or "").strip()
    phones = [person.phone for person in (order.billing_person, order.shipping_person) if person]
    phone = next((found for found in map(_phone, phones) if found), None)
    return _present(
        email=email if email and len(email) <= 320 else None,
        phone=phone,
        crmId=str(order.customer_id) if order.customer_id is not None else None,
    )


def _product(item: OrderItem, returned_all: bool) -> dict[str, Any]:
    extra = item.model_extra or {}
    ids = (item.product_id, item.sku, item.id)
    product_id = next((str(value).strip() for value in ids if value not in (None, "")), "")
    name = (item.name or "").strip() or (item.sku or "").strip() or f"Product {product_id}"
    category = extra.get("categoryName")
    if not isinstance(category, str) or not category.strip():
        category = str(item.category_id) if item.category_id is not None else None
    attributes = [_option_attribute(option) for option in item.selected_options or []]
    return _present(
        id=product_id,
        name=name[:2048],
        price=item.price if item.price is not None else item.product_price,
        quantity=item.quantity,
        returned=item.quantity if returned_all else 0,
        url=_url(extra.get("url")),
        imageUrl=_url(item.image_url),
        category=str(category)[:2048] if category else None,
        productAttributes=[a for a in attributes if a is not None] or None,
    )


def _present(**fields: Any) -> dict[str, Any]:
    """The fields that have a value (a missing one is named by the validation)."""
    return {name: value for name, value in fields.items() if value is not None}


def _url(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and 0 < len(value.strip()) <= 2048 else None


def _option_attribute(option: OrderItemOption) -> EcdpAttribute | None:
    if not option.name:
        return None
    if option.files:
        value = ", ".join(file.name for file in option.files if file.name)
    elif option.values_array and len(option.values_array) > 1:
        value = ", ".join(str(choice) for choice in option.values_array)
    else:
        value = option.value
    return EcdpAttribute(name=option.name[:256], value=value or None)


def _order_attributes(raw: dict[str, Any], order: Order) -> list[EcdpAttribute]:
    pairs: list[tuple[str, Any]] = [
        ("Payment method", order.payment_method),
        ("Shipping method", order.shipping_option and order.shipping_option.shipping_method_name),
        ("Coupon code", order.discount_coupon and order.discount_coupon.code),
    ]
    extra_fields = raw.get("orderExtraFields")
    for field in extra_fields if isinstance(extra_fields, list) else []:
        if isinstance(field, dict):
            pairs.append((str(field.get("title") or field.get("id") or ""), field.get("value")))
    return [
        EcdpAttribute(name=name[:256], value=str(value))
        for name, value in pairs
        if name and value not in (None, "") and not isinstance(value, dict | list)
    ]
