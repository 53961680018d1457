"""Ecwid order (the JSON the cache keeps, as Ecwid sent it) -> :class:`EcdpOrder`.

=================  ==========================================================
ECDP               Ecwid
=================  ==========================================================
id                 the order's cache key as text (:func:`raw_order_key`):
                   ``id`` as it came (``DEMO-X8UYE``, or old stores' number
                   ``17541773`` as ``"17541773"``); without one,
                   ``orderNumber``, else ``internalId``
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
customer.email     ``email`` when it is an address (has an ``@``, at most
                   320 characters)
customer.phone     billing phone, else shipping phone, in E.164 where the
                   person's country (else the order's other country) makes
                   it valid; else as given (:mod:`app.ecdp.phones`)
customer.crmId     ``customerId`` above 0 (registered customers; guests have none)
products[].id      :mod:`app.ecdp.product_ids`: ``productId`` above 0, else
                   ``sku``, else ``custom-`` and a hash of the name and options
  name             item ``name`` (else its SKU), cut to 2048 characters
  price            item ``price`` (the unit price with options), else
                   ``productPrice``
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
fulfillment statuses leave the status to the payment.

Each field is read on its own (:mod:`app.ecdp.ecwid_fields`): a value of the
wrong type reads as missing, and fields the mapping does not read never
matter. An order that cannot become a valid ECDP order (no items, a negative
total, no date…) raises :class:`MappingError` saying why. An order that would
be valid but names no email, phone or customer id raises its subclass
:class:`UnmatchableCustomerError`: ECDP cannot match it to a customer until
the order has one. Nothing else is raised.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from app.domain.raw_orders import raw_order_key
from app.domain.statuses import FulfillmentStatus, PaymentStatus
from app.ecdp import ecwid_fields as field
from app.ecdp.models import EcdpAttribute, EcdpOrder, EcdpStatus
from app.ecdp.phones import ecdp_phone
from app.ecdp.product_ids import product_id
from app.ecdp.validation import problems

TIME_ZONE = "UTC"
CANCELED_PAYMENTS = {PaymentStatus.CANCELLED, PaymentStatus.REFUNDED}
PAID_PAYMENTS = {PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED}
FULFILLED = {
    FulfillmentStatus.SHIPPED,
    FulfillmentStatus.OUT_FOR_DELIVERY,
    FulfillmentStatus.DELIVERED,
    FulfillmentStatus.RETURNED,
}
NO_CUSTOMER = "it has no email, phone or customer id, so ECDP cannot match it to a customer"
_MAX_EMAIL = 320  # ECDP's limits for customer.email and customer.crmId
_MAX_CRM_ID = 128
_STAND_IN = {"crmId": "stand-in"}  # checks the rest of an order that names no customer
_SHOWN = 40  # characters of a customer's text quoted in a reason


class MappingError(ValueError):
    """The Ecwid order cannot become a valid ECDP order; the message says why."""

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(f"Order {key} cannot be sent to ECDP: {reason}")
        self.key = key
        self.reason = reason


class UnmatchableCustomerError(MappingError):
    """The order is fine but names no email, phone or customer id (Ecwid's own
    current sample has ``email: ""``): ECDP cannot match it to a customer.
    Nothing can be done until the order changes."""


def map_status(payment: object, fulfillment: object) -> EcdpStatus | None:
    """The ECDP status for an Ecwid payment and fulfillment status (see the
    table above); ``None`` for an unfinished (INCOMPLETE) order."""
    payment_status = PaymentStatus(payment) if isinstance(payment, str) and payment else None
    fulfillment_status = (
        FulfillmentStatus(fulfillment) if isinstance(fulfillment, str) and fulfillment else None
    )
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
    :class:`MappingError` (or :class:`UnmatchableCustomerError`) when the
    order cannot be sent."""
    if not isinstance(raw, dict):
        raise MappingError("?", "it is not an Ecwid order (not a JSON object)")
    key = raw_order_key(raw)
    if key is None:
        raise MappingError("?", "it has no id, order number or internal id")
    payment = field.text(raw.get("paymentStatus"))
    fulfillment = field.text(raw.get("fulfillmentStatus"))
    status = map_status(payment, fulfillment)
    if status is None:
        raise MappingError(key, "it is an unfinished checkout (INCOMPLETE), not an order yet")
    total = field.amount(raw.get("total"))
    if total is None:
        raise MappingError(key, "it has no total")
    returned_all = fulfillment == FulfillmentStatus.RETURNED
    customer, unmatched = _customer(raw)
    data = _present(
        id=key,
        date=_created(raw, key),
        timeZone=time_zone,
        websiteId=website_id,
        status=status,
        currency=_currency(raw.get("currency")) or _currency(currency),
        totalValue=total,
        returnsValue=_returns(raw, payment, total),
        customer=customer or _STAND_IN,
        products=[_product(item, returned_all) for item in _items(raw, key)],
        orderAttributes=_order_attributes(raw) or None,
    )
    try:
        order = EcdpOrder.model_validate(data)
    except ValidationError as exc:
        reasons = "; ".join(f"{path} {' '.join(texts)}" for path, texts in problems(exc).items())
        raise MappingError(key, reasons) from None
    if not customer:
        raise UnmatchableCustomerError(key, unmatched)
    return order


def _created(raw: dict[str, Any], key: str) -> Any:
    created = field.moment(raw.get("createDate")) or field.moment(raw.get("createTimestamp"))
    if created is None:
        raise MappingError(key, "it has no creation date")
    return created


def _items(raw: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = raw.get("items")
    if items is None:
        return []
    if not isinstance(items, list):
        raise MappingError(key, "its items are not a list")
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise MappingError(key, f"its item {number} is not readable")
    return items


def _currency(value: Any) -> str | None:
    if isinstance(value, str) and re.fullmatch(r"[A-Za-z]{3}", value.strip()):
        return value.strip().upper()
    return None


def _returns(raw: dict[str, Any], payment: str | None, total: Decimal) -> Decimal:
    amounts = [field.amount(refund.get("amount")) for refund in field.objects(raw.get("refunds"))]
    known = [amount for amount in amounts if amount is not None]
    refunded = sum(known, Decimal(0)) if known else field.amount(raw.get("refundedAmount"))
    if not refunded and payment == PaymentStatus.REFUNDED:
        refunded = total
    return max(Decimal(0), refunded or Decimal(0))


def _customer(raw: dict[str, Any]) -> tuple[dict[str, str], str]:
    """The customer's identifiers, and why there are none when there are none."""
    notes = []
    email = field.text(raw.get("email"))
    if email is not None and "@" not in email:
        notes.append(f"the email {_quoted(email)} is not an address")
        email = None
    elif email is not None and len(email) > _MAX_EMAIL:
        notes.append(f"the email is longer than the {_MAX_EMAIL} characters ECDP accepts")
        email = None
    crm_id = field.positive_id(raw.get("customerId"))
    if crm_id is not None and len(crm_id) > _MAX_CRM_ID:
        crm_id = None
    phone = _phone(raw)
    found = _present(email=email, phone=phone, crmId=crm_id)
    reason = NO_CUSTOMER + (f" ({'; '.join(notes)})" if notes else "")
    return found, reason


def _phone(raw: dict[str, Any]) -> str | None:
    """The billing phone, else the shipping one; the first that can be put in
    E.164 wins over one that is sent as given."""
    billing = field.mapping(raw.get("billingPerson"))
    shipping = field.mapping(raw.get("shippingPerson"))
    candidates = [
        ecdp_phone(person.get("phone"), (person.get("countryCode"), other.get("countryCode")))
        for person, other in ((billing, shipping), (shipping, billing))
    ]
    found = [phone for phone in candidates if phone]
    return next((phone for phone in found if phone.startswith("+")), None) or next(
        iter(found), None
    )


def _quoted(text: str) -> str:
    """The customer's ``text`` for a reason: cut short, control characters
    (terminal escapes) shown as ``?``."""
    shown = text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"
    return "“" + "".join(ch if ch.isprintable() else "?" for ch in shown) + "”"


def _product(item: dict[str, Any], returned_all: bool) -> dict[str, Any]:
    catalog = field.positive_id(item.get("productId"))
    name = (
        field.text(item.get("name"))
        or field.text(item.get("sku"))
        or (f"Product {catalog}" if catalog else "Custom item")
    )
    category = field.text(item.get("categoryName")) or field.text(item.get("categoryId"))
    quantity = field.whole(item.get("quantity"))
    options = field.objects(item.get("selectedOptions"))
    attributes = [_option_attribute(option) for option in options]
    price = field.amount(item.get("price"))
    return _present(
        id=product_id(item),
        name=name[:2048],
        price=price if price is not None else field.amount(item.get("productPrice")),
        quantity=quantity,
        returned=quantity if returned_all and quantity is not None else 0,
        url=_url(item.get("url")),
        imageUrl=_url(item.get("imageUrl")),
        category=category[:2048] if category else None,
        productAttributes=[a for a in attributes if a is not None] or None,
    )


def _present(**fields: Any) -> dict[str, Any]:
    """The fields that have a value (a missing one is named by the validation)."""
    return {name: value for name, value in fields.items() if value is not None}


def _url(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and 0 < len(value.strip()) <= 2048 else None


def _option_attribute(option: dict[str, Any]) -> EcdpAttribute | None:
    name = field.text(option.get("name"))
    if not name:
        return None
    files = field.objects(option.get("files"))
    choices = option.get("valuesArray")
    value: str | None
    if files:
        value = ", ".join(text for text in (field.text(f.get("name")) for f in files) if text)
    elif isinstance(choices, list) and len(choices) > 1:
        value = ", ".join(text for text in map(field.text, choices) if text)
    else:
        value = field.text(option.get("value"))
    return EcdpAttribute(name=name[:256], value=value or None)


def _order_attributes(raw: dict[str, Any]) -> list[EcdpAttribute]:
    pairs: list[tuple[str | None, Any]] = [
        ("Payment method", raw.get("paymentMethod")),
        ("Shipping method", field.mapping(raw.get("shippingOption")).get("shippingMethodName")),
        ("Coupon code", field.mapping(raw.get("discountCoupon")).get("code")),
    ]
    for extra in field.objects(raw.get("orderExtraFields")):
        name = field.text(extra.get("title")) or field.text(extra.get("id"))
        pairs.append((name, extra.get("value")))
    return [
        EcdpAttribute(name=name[:256], value=str(value))
        for name, value in pairs
        if name and value not in (None, "") and not isinstance(value, dict | list)
    ]
