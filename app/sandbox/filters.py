"""Search parameters of ``GET /orders`` turned into a parameterised SQL condition.

Behaviour (as the real service):

* ``limit`` defaults to 100 and is clamped to 100; ``offset`` defaults to 0.
  Either one not a non-negative integer -> 400.
* ``orderNumber`` (a comma list) overrides every other filter, and finds
  unfinished (``INCOMPLETE``) orders too.
* Without a ``paymentStatus`` filter, ``INCOMPLETE`` orders are left out.
* ``paymentStatus``/``fulfillmentStatus`` are comma lists; an unknown value
  -> 400. ``ids`` and ``vendorOrderNumber`` are comma lists too.
* Dates (``createdFrom`` … ``updatedTo``) accept a UNIX timestamp,
  ``yyyy-MM-dd HH:mm:ss Z``, ``yyyy-MM-dd HH:mm:ss`` or ``yyyy-MM-dd``; both
  bounds are inclusive; anything else -> 400.
* ``keywords``: every word must occur in the order number, id, item names or
  SKUs, or the customer's names or email. ``customer``: the term must occur in
  the customer's names, company, email or phone (never ``customerId``).
  ``email``, ``couponCode``, ``paymentMethod`` and ``shippingMethod`` match
  whole values. All text matching ignores case.

Unknown parameters are ignored. Every value reaches SQLite as a bound
parameter, never as SQL text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.sandbox.dates import parse_date
from app.sandbox.errors import bad_request
from app.sandbox.statuses import parse_status_list

MAX_LIMIT = 100
DEFAULT_LIMIT = 100


@dataclass
class SearchQuery:
    where: str = "1"
    args: list[Any] = field(default_factory=list)
    offset: int = 0
    limit: int = DEFAULT_LIMIT


def _last(params: Mapping[str, Sequence[str]], name: str) -> str | None:
    values = params.get(name)
    if not values:
        return None
    value = values[-1].strip()
    return value or None


def _list(params: Mapping[str, Sequence[str]], name: str) -> list[str]:
    parts: list[str] = []
    for value in params.get(name) or ():
        parts += [part.strip() for part in value.split(",") if part.strip()]
    return parts


def parse_paging(params: Mapping[str, Sequence[str]]) -> tuple[int, int]:
    """``(offset, limit)`` with the defaults and the clamp of the real service."""
    result = []
    for name, default in (("offset", 0), ("limit", DEFAULT_LIMIT)):
        raw = _last(params, name)
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


def _number(name: str, raw: str) -> float:
    try:
        return float(raw)
    except ValueError:
        raise bad_request(f"Parameter {name} must be a number: {raw!r}") from None


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


def parse_search(params: Mapping[str, Sequence[str]]) -> SearchQuery:
    """Build the query of a ``GET /orders`` request; raise a 400 ``ApiError`` if malformed."""
    offset, limit = parse_paging(params)
    query = SearchQuery(offset=offset, limit=limit)
    numbers = _list(params, "orderNumber")
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

    payment = _list(params, "paymentStatus")
    if payment:
        add(_in("payment_status", payment), *parse_status_list("payment", ",".join(payment)))
    else:
        add("payment_status IS NOT 'INCOMPLETE'")
    fulfillment = _list(params, "fulfillmentStatus")
    if fulfillment:
        statuses = parse_status_list("fulfillment", ",".join(fulfillment))
        add(_in("fulfillment_status", statuses), *statuses)
    for name, column, op in (
        ("totalFrom", "total", ">="),
        ("totalTo", "total", "<="),
    ):
        raw = _last(params, name)
        if raw is not None:
            add(f"{column} {op} ?", _number(name, raw))
    for name, column, op in (
        ("createdFrom", "create_ts", ">="),
        ("createdTo", "create_ts", "<="),
        ("updatedFrom", "update_ts", ">="),
        ("updatedTo", "update_ts", "<="),
    ):
        raw = _last(params, name)
        if raw is not None:
            add(f"{column} {op} ?", _date(name, raw))
    for name, column in (
        ("email", "email"),
        ("couponCode", "coupon_code"),
        ("paymentMethod", "payment_method"),
        ("shippingMethod", "shipping_method"),
    ):
        raw = _last(params, name)
        if raw is not None:
            add(f"{column} = ?", raw.casefold())
    vendor_numbers = _list(params, "vendorOrderNumber")
    if vendor_numbers:
        add(_in("vendor_order_number", vendor_numbers), *vendor_numbers)
    ids = _list(params, "ids")
    if ids:
        add(_in("order_id", ids), *ids)
    customer = _last(params, "customer")
    if customer is not None:
        add("instr(customer_text, ?) > 0", customer.casefold())
    keywords = _last(params, "keywords")
    if keywords is not None:
        for word in keywords.casefold().split():
            add("instr(keywords_text, ?) > 0", word)
    query.where = " AND ".join(conditions)
    query.args = args
    return query


def parse_deleted(params: Mapping[str, Sequence[str]]) -> tuple[int | None, int | None, int, int]:
    """``(from_ts, to_ts, offset, limit)`` of ``GET /orders/deleted``."""
    offset, limit = parse_paging(params)
    bounds = []
    for name in ("from_date", "to_date"):
        raw = _last(params, name)
        bounds.append(_date(name, raw) if raw is not None else None)
    return bounds[0], bounds[1], offset, limit
