"""What the search filters of Ecwid's current documentation (2026) select,
computed in plain Python from order dicts: the reference the cache's SQL,
the deleted list's Python filter and the demo store's JSON queries are each
checked against.

Ids are JSON numbers that are whole (text or booleans are not ids); dates
are Ecwid's ``yyyy-MM-dd HH:mm:ss +0000`` form; totals are compared in whole
cents, half to even.
"""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any


def pickup_ts(order: dict[str, Any]) -> int | None:
    text = order.get("pickupTime")
    try:
        return int(datetime.strptime(text, "%Y-%m-%d %H:%M:%S %z").timestamp())
    except (TypeError, ValueError):
        return None


def whole(value: Any) -> int | None:
    """A JSON number that is a whole number; anything else (text, booleans) is not an id."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value) if float(value).is_integer() else None


def items(order: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for item in order.get("items") or [] if isinstance(item, dict)]


def item_ids(order: dict[str, Any], field: str) -> set[int]:
    return {v for item in items(order) if (v := whole(item.get(field))) is not None}


def has_preorder(order: dict[str, Any]) -> bool:
    return any(item.get("isPreorder") is True for item in items(order))


def referer_id(order: dict[str, Any]) -> str | None:
    value = order.get("refererId")
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    return str(value)


def cents(value: Any) -> int | None:
    """The total in whole cents, half to even (as the filters compare it)."""
    if value is None or isinstance(value, bool):
        return None
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))
    return int((exact * 100).to_integral_value(rounding=ROUND_HALF_EVEN))
