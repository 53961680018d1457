"""Search parameters of ``GET /orders`` turned into a parameterised SQL condition.

Behaviour (as the real service):

* ``limit`` defaults to 100 and is clamped to 100; ``offset`` defaults to 0.
  Either one not a non-negative integer -> 400.
* ``orderNumber`` (a comma list) overrides every other filter, and finds
  unfinished (``INCOMPLETE``) orders too.
* Without a ``paymentStatus`` filter, ``INCOMPLETE`` orders are left out.
* ``paymentStatus``/``fulfillmentStatus`` are comma lists; an unknown value
  -> 400. ``ids`` and ``vendorOrderNumber`` are comma lists too; ``ids``
  matches an order's ``id`` or its ``internalId`` (Ecwid's current
  documentation: "works with order ID, internal order ID").
* ``totalFrom``/``totalTo``: inclusive bounds compared in whole cents (the
  order's total rounded to the cent, the bound rounded half to even), so a
  total stored as ``29.439999999999998`` is found by ``29.44``.
* Dates (``createdFrom`` … ``updatedTo``) accept a UNIX timestamp,
  ``yyyy-MM-dd HH:mm:ss Z``, ``yyyy-MM-dd HH:mm:ss`` or ``yyyy-MM-dd``; both
  bounds are inclusive; anything else -> 400.
* ``keywords``: every word must occur in the order number, id, item names or
  SKUs, or the customer's names or email. ``customer``: the term must occur in
  the customer's names, company, email or phone (never ``customerId``).
  ``email``, ``couponCode``, ``paymentMethod`` and ``shippingMethod`` match
  whole values. All text matching ignores case.
* The filters Ecwid's current documentation adds (``customerId``,
  ``productId``, ``pickupTimeFrom/To``, ``paymentModule``, ``acceptMarketing``,
  ``containsPreorderItems``, ``subscriptionId``, ``refererId``): see
  :mod:`app.sandbox.body_filters`.

Unknown parameters are ignored. Every value reaches SQLite as a bound
parameter, never as SQL text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from app.sandbox.body_filters import add_body_filters
from app.sandbox.dates import parse_date
from app.sandbox.errors import bad_request
from app.sandbox.params import Params, last_value, list_values
from app.sandbox.statuses import parse_status_list

MAX_LIMIT = 100
DEFAULT_LIMIT = 100
_DATE_BOUNDS = (
    ("createdFrom", "create_ts", ">="),
    ("createdTo", "create_ts", "<="),
    ("updatedFrom", "update_ts", ">="),
    ("updatedTo", "update_ts", "<="),
)


@dataclass
class SearchQuery:
    where: str = "1"
    args: list[Any] = field(default_factory=list)
    offset: int = 0
    limit: int = DEFAULT_LIMIT


def parse_paging(params: Params) -> tuple[int, int]:
    """``(offset, limit)`` with the defaults and the clamp of the real service."""
    result = []
    for name, default in (("offset", 0), ("limit", DEFAULT_LIMIT)):
        raw = last_value(params, name)
        if raw is None:
            result.append(default)
            continue
        try:
            value = int(raw)
        except ValueError:
            raise bad_request(f"Parameter {name} must be a non-negative integer: {raw!r}") from None
        if value < 0:
            raise bad_request(f"Parameter {name} must be a non-negative integer: {raw!r}")
        result.append(value)
    return result[0], min(result[1], MAX_LIMIT)


def _cents(name: str, raw: str) -> int:
    """A money bound in whole cents (half to even)."""
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite() or abs(amount) >= 10**15:
        raise bad_request(f"Parameter {name} must be a number: {raw!r}")
    return round(amount * 100)


def _date(name: str, raw: str) -> int:
    value = parse_date(raw)
    if value is None:
        raise bad_request(
            f"Cannot parse {name} {raw!r}: use a UNIX timestamp, 'yyyy-MM-dd HH:mm:ss Z', "
            "'yyyy-MM-dd HH:mm:ss' or 'yyyy-MM-dd'"
        )
    return value


def _in(column: str, values: Sequence[Any]) -> str:
    return f"{column} IN ({','.join('?' * len(values))})"


def parse_search(params: Params) -> SearchQuery:
    """Build the query of a ``GET /orders`` request; raise a 400 ``ApiError`` if malformed."""
    offset, limit = parse_paging(params)
    query = SearchQuery(offset=offset, limit=limit)
    numbers = list_values(params, "orderNumber")
    if numbers:
        try:
            ints = [int(number) for number in numbers]
        except ValueError:
            raise bad_request(f"Parameter orderNumber must be numbers: {numbers!r}") from None
        query.where = _in("order_number", ints)
        query.args = list(ints)
        return query

    conditions: list[str] = []
    args: list[Any] = []

    def add(condition: str, *values: Any) -> None:
        conditions.append(condition)
        args.extend(values)

    # With ids or a date bound, their index leads: a status list that names
    # most orders (a sync asks for every status) would otherwise lead and read
    # them all ("+" keeps SQLite from using the status index).
    narrow = bool(list_values(params, "ids")) or any(
        last_value(params, name) is not None for name, _c, _o in _DATE_BOUNDS
    )
    status_column = "+payment_status" if narrow else "payment_status"
    payment = list_values(params, "paymentStatus")
    if payment:
        add(_in(status_column, payment), *parse_status_list("payment", ",".join(payment)))
    else:
        add("payment_status IS NOT 'INCOMPLETE'")
    fulfillment = list_values(params, "fulfillmentStatus")
    if fulfillment:
        statuses = parse_status_list("fulfillment", ",".join(fulfillment))
        add(_in("fulfillment_status", statuses), *statuses)
    for name, op in (("totalFrom", ">="), ("totalTo", "<=")):
        raw = last_value(params, name)
        if raw is not None:
            add(f"CAST(round(total * 100) AS INTEGER) {op} ?", _cents(name, raw))
    for name, column, op in _DATE_BOUNDS:
        raw = last_value(params, name)
        if raw is not None:
            add(f"{column} {op} ?", _date(name, raw))
    for name, column in (
        ("email", "email"),
        ("couponCode", "coupon_code"),
        ("paymentMethod", "payment_method"),
        ("shippingMethod", "shipping_method"),
    ):
        raw = last_value(params, name)
        if raw is not None:
            add(f"{column} = ?", raw.casefold())
    vendor_numbers = list_values(params, "vendorOrderNumber")
    if vendor_numbers:
        add(_in("vendor_order_number", vendor_numbers), *vendor_numbers)
    ids = list_values(params, "ids")
    if ids:
        internal = [int(i) for i in ids if i.isascii() and i.isdigit() and len(i) <= 18]
        if internal:
            add(f"({_in('order_id', ids)} OR {_in('internal_id', internal)})", *ids, *internal)
        else:  # (an empty "OR internal_id IN ()" makes SQLite read every order)
            add(_in("order_id", ids), *ids)
    customer = last_value(params, "customer")
    if customer is not None:
        add("instr(customer_text, ?) > 0", customer.casefold())
    keywords = last_value(params, "keywords")
    if keywords is not None:
        for word in keywords.casefold().split():
            add("instr(keywords_text, ?) > 0", word)
    add_body_filters(params, add)
    query.where = " AND ".join(conditions)
    query.args = args
    return query


def parse_deleted(params: Params) -> tuple[int | None, int | None, int, int]:
    """``(from_ts, to_ts, offset, limit)`` of ``GET /orders/deleted``."""
    offset, limit = parse_paging(params)
    bounds = []
    for name in ("from_date", "to_date"):
        raw = last_value(params, name)
        bounds.append(_date(name, raw) if raw is not None else None)
    return bounds[0], bounds[1], offset, limit
