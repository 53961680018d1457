"""Order references: what a person types to name one order, and the number
an order is shown by.

A reference is an order's id (``MYSTORE-X8UYE``, or a number on older
stores), its internal id, its order number or its vendor number (the number
with the store's prefix and suffix). A reference must name exactly one
order: a blank one names none (a script with an unset variable must never
reach "the first order"), and one that matches several orders is refused
with the candidates listed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


class ReferenceProblem(ValueError):
    """A reference that cannot be used; the message says why, in words."""


class BlankReference(ReferenceProblem):
    def __init__(self) -> None:
        super().__init__(
            "No order was named: the order reference is empty. Give the order's number or id."
        )


@dataclass(frozen=True)
class Candidate:
    """One order a reference matched."""

    key: str
    number: str
    customer: str = ""


class AmbiguousReference(ReferenceProblem):
    def __init__(self, reference: str, candidates: Sequence[Candidate]) -> None:
        self.reference = reference
        self.candidates = list(candidates)
        listed = "; ".join(
            f"#{c.number} (id {c.key}{', ' + c.customer if c.customer else ''})"
            for c in self.candidates
        )
        super().__init__(
            f"“{reference}” names more than one order: {listed}. "
            "Use the order's id to name exactly one."
        )


class UnknownReference(ReferenceProblem):
    def __init__(self, reference: str) -> None:
        self.reference = reference
        super().__init__(f"There is no order {reference} in the store.")


def clean_reference(text: object) -> str:
    """``text`` as a reference (outer spaces and a leading ``#`` removed);
    :class:`BlankReference` when nothing is left, :class:`ReferenceProblem`
    for control characters."""
    if text is None:
        raise BlankReference()
    value = str(text).strip().removeprefix("#").strip()
    if not value:
        raise BlankReference()
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value):
        raise ReferenceProblem("An order reference cannot contain control characters.")
    return value


def shown_number(order: Mapping[str, Any]) -> str:
    """The number an order is shown by: its vendor number, else its number, else its id."""
    for name in ("vendorOrderNumber", "orderNumber", "id"):
        value = order.get(name)
        if value not in (None, ""):
            return str(value)
    return ""


def order_matches(order: Mapping[str, Any], reference: str) -> bool:
    """Whether ``reference`` names ``order`` (by id, internal id, number or vendor number)."""
    for name in ("id", "internalId", "orderNumber", "vendorOrderNumber"):
        value = order.get(name)
        if value not in (None, "") and str(value) == reference:
            return True
    return False
