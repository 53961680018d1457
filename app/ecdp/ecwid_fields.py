"""Lenient readers of the fields of a raw Ecwid order (the JSON as Ecwid sent
it), for the ECDP mapping.

Real orders carry ``null`` where a value is expected, numbers where text is
expected (old stores' numeric ``id``), dates in formats of their own, and
fields the mapping never reads. The mapping reads only the fields it needs,
each on its own: a value of the wrong type reads as missing, so one odd field
never stops an order from being mapped. Each reader returns ``None`` for a
value it cannot read.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from app.domain import money
from app.domain.dates import parse_ecwid_datetime


def text(value: Any) -> str | None:
    """Non-blank text, stripped; a whole number as its digits (old stores
    send some ids and SKUs as numbers)."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def amount(value: Any) -> Decimal | None:
    """A finite amount of money, exactly as written (``29.44`` stays 29.44):
    the shared rule, :func:`app.domain.money.amount`."""
    return money.amount(value)


def whole(value: Any) -> int | None:
    """A whole number: an int, a float without a fraction, or digits."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and len(value) <= 40:
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def positive_id(value: Any) -> str | None:
    """A catalog id (product, customer) as text: a whole number above 0.
    ``0``, negative numbers and anything else read as missing: Ecwid sends
    ``productId: 0`` for custom items."""
    number = whole(value)
    return str(number) if number is not None and number > 0 else None


def moment(value: Any) -> datetime | None:
    """A date in any form Ecwid writes (any offset), as an aware datetime."""
    if value is None or isinstance(value, bool):
        return None
    try:
        found = parse_ecwid_datetime(value)
        found.astimezone(UTC)  # out of range once moved to UTC (year 1 at -14:00)
    except (ValueError, TypeError, OverflowError, OSError):
        return None
    return found


def mapping(value: Any) -> dict[str, Any]:
    """A JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def objects(value: Any) -> list[dict[str, Any]]:
    """The JSON objects of a list (anything else in it is left out)."""
    return [entry for entry in value if isinstance(entry, dict)] if isinstance(value, list) else []
