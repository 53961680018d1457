"""Amounts of money: read exactly from what the store sent, and compared in
whole cents.

:func:`amount` reads a value of an order (a JSON number, or text holding
one) as an exact :class:`~decimal.Decimal`: ``29.439999999999998`` stays
exactly that, nothing goes through binary floating point again. The typed
models, the cache, the invoices and the money format all read amounts with
it, so they agree on what is an amount and what is not.

A total stored by a float computation (``29.439999999999998``) and the
amount a user types (``29.44``) are the same money. Filters therefore compare
integers: :func:`to_cents` is the amount as a Decimal of its exact text,
times 100, rounded half to even. The cache's SQL and its Python filter of the
deleted orders both use it, so they agree to the cent.

Formatting money for a person (currency, separators, precision) is not
vocabulary: it belongs to the services and the window.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation
from typing import Any

MONEY_DIGITS = 40
"""No amount of money has more digits than this either side of the point."""

_ONE = Decimal(1)
_LIMIT = 1 << 63  # an SQLite integer
_CONTEXT = Context(prec=40)


def amount(value: Any) -> Decimal | None:
    """An amount as an exact Decimal (a JSON number, or a string holding a
    finite one); else ``None`` (also for a number of more than
    :data:`MONEY_DIGITS` digits either side of the point: no amount of money,
    and costly to compute with). A float becomes the Decimal of its shortest
    text: ``29.439999999999998`` stays exactly that."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        found = value
    elif isinstance(value, int | float | str):
        try:
            found = Decimal(value.strip() if isinstance(value, str) else str(value))
        except (InvalidOperation, ValueError):
            return None
    else:
        return None
    if not found.is_finite() or abs(found.adjusted()) > MONEY_DIGITS:
        return None
    return found


def number_for_json(value: Decimal) -> int | float:
    """``value`` as a JSON number is written: whole, an int; else a float."""
    return int(value) if value == value.to_integral_value() else float(value)


def to_cents(value: object) -> int | None:
    """``value`` (a Decimal, int, float or numeric text) in whole cents, or
    ``None`` when it is not a finite number (or too large to be money). A
    float is read as its shortest text (``repr``), the form it was written in."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        value = repr(value)
    try:
        exact = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    if not exact.is_finite() or abs(exact) >= _LIMIT // 100:
        return None
    hundredfold = _CONTEXT.multiply(exact, Decimal(100))
    return int(hundredfold.quantize(_ONE, rounding=ROUND_HALF_EVEN, context=_CONTEXT))
