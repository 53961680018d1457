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

from app.domain.raw_orders import order_id, raw_order_key, text, whole_number


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


def number_shown_by(
    vendor_number: str | None, number: int | None, id_: str | int | None, key: str
) -> str:
    """The rule for the number an order is shown by, from its values as read
    (:mod:`app.domain.raw_orders`): its vendor number, else its order number,
    else its id, else its key."""
    if vendor_number:
        return vendor_number
    if number is not None:
        return str(number)
    if id_ not in (None, ""):
        return str(id_)
    return key


def shown_number(order: Mapping[str, Any], key: str | None = None) -> str:
    """The number ``order`` (as the store sent it) is shown by: its vendor
    number, else its order number, else its id, else ``key`` (by default the
    key read from the order; ``""`` when it has none). The order table, the
    typed model and every message use this one rule."""
    if key is None:
        key = raw_order_key(order) or ""
    return number_shown_by(
        text(order.get("vendorOrderNumber")) or None,
        whole_number(order.get("orderNumber")),
        order_id(order.get("id")),
        key,
    )


def order_matches(order: Mapping[str, Any], reference: str) -> bool:
    """Whether ``reference`` names ``order`` (by id, internal id, number or vendor number)."""
    for name in ("id", "internalId", "orderNumber", "vendorOrderNumber"):
        value = order.get(name)
        if value not in (None, "") and str(value) == reference:
            return True
    return False
