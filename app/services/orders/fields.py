"""The vocabulary of order editing: field paths, problems, and reading the raw
values the editor stores (typed text such as ``"12,50"``) as numbers and text.

Import the public names from :mod:`app.services.orders.changes`; this module
only keeps them apart from the logic that uses them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

FieldPath = tuple[str | int, ...]
"""Where a value sits in an order: ``("email",)``, ``("items", 2, "quantity")``."""

EDITABLE_PERSON_FIELDS: tuple[str, ...] = (
    "name",
    "companyName",
    "street",
    "city",
    "countryCode",
    "postalCode",
    "stateOrProvinceCode",
    "phone",
)
EDITABLE_ITEM_FIELDS: tuple[str, ...] = ("name", "sku", "quantity", "price")
"""Besides these, the ``value`` of every ``selectedOptions`` entry that is not FILES."""

PERSON_KEYS = ("billingPerson", "shippingPerson")
MAX_TEXT = 4000
MAX_LONG_TEXT = 65536  # UTF-8 bytes of private notes and order comments
MAX_QUANTITY = 2_147_483_647
MAX_AMOUNT = Decimal("1e12")  # beyond any real order; keeps every value a finite float


@dataclass(frozen=True)
class FieldProblem:
    """A value the server would refuse or that makes no sense, in plain words."""

    path: FieldPath
    message: str

    def __str__(self) -> str:
        return f"{describe_path(self.path)}: {self.message}"


class EditInvalid(ValueError):
    """The edited order has problems; nothing may be sent."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(str(problem) for problem in self.problems))

    def __str__(self) -> str:
        return "; ".join(str(problem) for problem in self.problems)


def describe_path(path: FieldPath) -> str:
    """``("items", 2, "quantity")`` → ``items[2].quantity``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "order"


class NotANumber(ValueError):
    """A raw value that cannot be read as a number; the message is for the user."""


def parse_decimal(value: Any) -> Decimal:
    """Read a number the user typed (``12.5``, ``"12,50"``, ``" 3 "``) or the server sent.

    Raises :class:`NotANumber` with a plain message for anything else (text,
    empty, ``None``, booleans, NaN, infinities, absurdly large values).
    """
    if isinstance(value, bool) or value is None:
        raise NotANumber("must be a number")
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise NotANumber("must be a number")
        number = Decimal(repr(value))
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, str):
        number = _decimal_from_text(value)
    else:
        raise NotANumber("must be a number")
    if not number.is_finite():
        raise NotANumber("must be a number")
    if abs(number) >= MAX_AMOUNT:
        raise NotANumber("is too large")
    return number + 0  # normalises -0 to 0


def _decimal_from_text(text: str) -> Decimal:
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if not cleaned:
        raise NotANumber("must be a number")
    if "," in cleaned:
        if "." in cleaned or cleaned.count(",") > 1:
            raise NotANumber("must be a number like 12.50")
        cleaned = cleaned.replace(",", ".")
    if not all(ch.isascii() and (ch.isdigit() or ch in ".-+") for ch in cleaned):
        raise NotANumber("must be a number like 12.50")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise NotANumber("must be a number like 12.50") from None
    if len(number.as_tuple().digits) > 30:
        raise NotANumber("has too many digits")
    return number


WHOLE_NUMBER = "must be a whole number, like 3"


def parse_quantity(value: Any) -> int:
    """A quantity: a whole number from 1 to 2147483647 (``"3"`` and ``3.0`` are
    fine). What is not a number is asked for as a whole number, never as an
    amount ("a number like 12.50" is what a price asks)."""
    try:
        number = parse_decimal(value)
    except NotANumber as error:
        if str(error) == "is too large":
            raise NotANumber(f"must be at most {MAX_QUANTITY}") from None
        raise NotANumber(WHOLE_NUMBER) from None
    if number != number.to_integral_value():
        raise NotANumber(WHOLE_NUMBER)
    if number < 1:
        raise NotANumber("must be at least 1")
    if number > MAX_QUANTITY:
        raise NotANumber(f"must be at most {MAX_QUANTITY}")
    return int(number)


def text_of(value: Any) -> str | None:
    """A text field's value as text (``None`` reads as empty; numbers as written),
    or ``None`` when it is not text at all (a list, an object, a boolean)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    return None


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def mapping_or_none(value: Any) -> Mapping[str, Any] | None:
    return value if isinstance(value, Mapping) else None


def _no_text(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value)


def same_value(before: Any, after: Any) -> bool:
    """Equal as the server sees it: ``None`` and ``""`` both mean "no text", and
    ``True`` is not ``1``."""
    if _no_text(before) and _no_text(after):
        return True
    if isinstance(before, bool) or isinstance(after, bool):
        return type(before) is type(after) and before == after
    return equal(before, after)


def equal(before: Any, after: Any) -> bool:
    """``before == after``, but ``False`` where comparing itself fails (a signalling NaN)."""
    try:
        return bool(before == after)
    except (ArithmeticError, TypeError, ValueError):
        return False
