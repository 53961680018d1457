"""Money compared in whole cents: how the cache's total filters see an amount.

A total stored by a float computation (``29.439999999999998``) and the
amount a user types (``29.44``) are the same money. Filters therefore compare
integers: the amount as a :class:`~decimal.Decimal` of its exact text, times
100, rounded half to even. The planner's SQL and the Python filter of the
deleted orders both use :func:`to_cents`, so they agree to the cent.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation

_ONE = Decimal(1)
_LIMIT = 1 << 63  # an SQLite integer
_CONTEXT = Context(prec=40)


def to_cents(amount: object) -> int | None:
    """``amount`` (a Decimal, int, float or numeric text) in whole cents, or
    ``None`` when it is not a finite number (or too large to be money). A
    float is read as its shortest text (``repr``), the form it was written in."""
    if amount is None or isinstance(amount, bool):
        return None
    if isinstance(amount, float):
        amount = repr(amount)
    try:
        exact = amount if isinstance(amount, Decimal) else Decimal(str(amount).strip())
    except (InvalidOperation, ValueError):
        return None
    if not exact.is_finite() or abs(exact) >= _LIMIT // 100:
        return None
    hundredfold = _CONTEXT.multiply(exact, Decimal(100))
    return int(hundredfold.quantize(_ONE, rounding=ROUND_HALF_EVEN, context=_CONTEXT))
