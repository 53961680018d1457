"""The search filters of Ecwid's current documentation (2026) that the demo
store answers from each order's JSON rather than from indexed columns.

As the documentation describes them:

* ``customerId``: the order's ``customerId``.
* ``productId`` (a comma list): an item's ``productId`` is one of them.
* ``subscriptionId``: an item's ``subscriptionId``.
* ``pickupTimeFrom`` / ``pickupTimeTo``: bounds (inclusive, any date form a
  filter accepts) on the order's ``pickupTime``; an order without one never
  matches.
* ``paymentModule``: the order's ``paymentModule``, ignoring case.
* ``acceptMarketing``: ``true`` -> the order's ``acceptMarketing`` is true,
  ``false`` -> it is false (missing or ``null`` matches neither).
* ``containsPreorderItems``: ``true`` -> an item has ``isPreorder`` true,
  ``false`` -> none has.
* ``refererId``: the order's ``refererId``, exactly (as text).

Ids must be whole numbers above 0 and the yes/no filters ``true`` or
``false``; anything else is a 400. Each condition tests the stored JSON with
SQLite's JSON functions (every value a bound parameter), through
:data:`SQL_FUNCTIONS` where SQL has no function of its own. A search with
one of these reads the JSON of the orders the other filters leave: fine for
a demo store, and independent of how the client's cache answers them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.sandbox.dates import parse_date
from app.sandbox.errors import bad_request
from app.sandbox.params import Params, last_value, list_values

Add = Callable[..., None]


def _ecwid_time(value: Any) -> int | None:
    return parse_date(value) if isinstance(value, str) else None


def _casefold(value: Any) -> str | None:
    return value.casefold() if isinstance(value, str) else None


SQL_FUNCTIONS: dict[str, Callable[[Any], Any]] = {
    "ecwid_time": _ecwid_time,  # a date text of an order -> UNIX time (NULL if none)
    "casefold": _casefold,
}
"""Functions every connection of the demo store registers (one argument, deterministic)."""


def _body(condition: str) -> str:
    """``condition`` on the order's JSON (``b.body``)."""
    return (
        "EXISTS (SELECT 1 FROM order_bodies AS b "
        f"WHERE b.internal_id = orders.internal_id AND {condition})"
    )


def _any_item(condition: str) -> str:
    """``condition`` on one of the order's items (``item.value``)."""
    return (
        "(json_type(b.body, '$.items') = 'array' AND EXISTS (SELECT 1 FROM "
        f"json_each(b.body, '$.items') AS item WHERE {condition}))"
    )


def _id(name: str, raw: str) -> int:
    if not (raw.isascii() and raw.isdigit()) or int(raw) == 0 or len(raw) > 18:
        raise bad_request(f"Parameter {name} must be a positive whole number: {raw!r}")
    return int(raw)


def _yes_no(name: str, raw: str) -> bool:
    if raw.lower() not in ("true", "false"):
        raise bad_request(f"Parameter {name} must be true or false: {raw!r}")
    return raw.lower() == "true"


def add_body_filters(params: Params, add: Add) -> None:
    """Add the conditions of the filters above that ``params`` carries;
    ``add(condition, *args)`` collects them."""
    raw = last_value(params, "customerId")
    if raw is not None:
        add(_body("json_extract(b.body, '$.customerId') = ?"), _id("customerId", raw))
    products = [_id("productId", value) for value in list_values(params, "productId")]
    if products:
        marks = ",".join("?" * len(products))
        test = f"json_extract(item.value, '$.productId') IN ({marks})"
        add(_body(_any_item(test)), *products)
    raw = last_value(params, "subscriptionId")
    if raw is not None:
        test = "json_extract(item.value, '$.subscriptionId') = ?"
        add(_body(_any_item(test)), _id("subscriptionId", raw))
    for name, op in (("pickupTimeFrom", ">="), ("pickupTimeTo", "<=")):
        raw = last_value(params, name)
        if raw is None:
            continue
        bound = parse_date(raw)
        if bound is None:
            raise bad_request(f"Cannot parse {name} {raw!r}: use a UNIX timestamp or a date")
        add(_body(f"ecwid_time(json_extract(b.body, '$.pickupTime')) {op} ?"), bound)
    raw = last_value(params, "paymentModule")
    if raw is not None:
        add(_body("casefold(json_extract(b.body, '$.paymentModule')) = ?"), raw.casefold())
    raw = last_value(params, "acceptMarketing")
    if raw is not None:
        wanted = "true" if _yes_no("acceptMarketing", raw) else "false"
        add(_body("json_type(b.body, '$.acceptMarketing') = ?"), wanted)
    raw = last_value(params, "containsPreorderItems")
    if raw is not None:
        test = _any_item("json_type(item.value, '$.isPreorder') = 'true'")
        add(_body(test if _yes_no("containsPreorderItems", raw) else f"NOT {test}"))
    raw = last_value(params, "refererId")
    if raw is not None:
        test = (
            "json_type(b.body, '$.refererId') IN ('text', 'integer', 'real') "
            "AND CAST(json_extract(b.body, '$.refererId') AS TEXT) = ?"
        )
        add(_body(test), raw)
