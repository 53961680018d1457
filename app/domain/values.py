"""Comparing field values of orders the way a person would.

Ecwid answers with JSON: ``12.5`` and ``12.50`` are the same amount, ``1``
and ``1.0`` the same quantity, and an object gains fields the store fills in
itself. :func:`same` is equality with numbers compared by value;
:func:`holds` asks whether a value stored by the store still carries
everything that was sent (the store may add fields to an object, or an id to
a new item, but never drop or change what was written).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def same(left: Any, right: Any) -> bool:
    """Deep equality, numbers by value (``True`` is not ``1``)."""
    left_number, right_number = _number(left), _number(right)
    if left_number is not None or right_number is not None:
        return left_number is not None and left_number == right_number
    if isinstance(left, Mapping) and isinstance(right, Mapping):
        if set(left) != set(right):
            return False
        return all(same(left[name], right[name]) for name in left)
    if _is_list(left) and _is_list(right):
        return len(left) == len(right) and all(map(same, left, right))
    return bool(left == right)


def holds(stored: Any, sent: Any) -> bool:
    """Whether ``stored`` carries ``sent``: objects may have more fields than
    were sent, lists must match item by item, everything else is :func:`same`.
    A ``None`` sent is held by a missing or ``None`` value."""
    if sent is None:
        return stored is None
    if isinstance(sent, Mapping):
        if not isinstance(stored, Mapping):
            return False
        return all(holds(stored.get(name), value) for name, value in sent.items())
    if _is_list(sent):
        return _is_list(stored) and len(stored) == len(sent) and all(map(holds, stored, sent))
    return same(stored, sent)


def _is_list(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str | bytes | bytearray)
