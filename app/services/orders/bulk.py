"""Bulk changes: :func:`bulk_changes` turns a :class:`BulkAction` (set a
payment or fulfillment status, a tracking number from a pattern, hide or
unhide) into the changes of one order; :func:`tracking_from_pattern` fills a
pattern such as ``"DHL-{number}"``. No I/O here.

(The result of sending an edit, and settling a conflict, are the outbox's:
:mod:`app.services.outbox`; field names in words are
:mod:`app.domain.words`.)
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from app.domain.references import shown_number
from app.domain.statuses import FulfillmentStatus, PaymentStatus, is_user_settable
from app.domain.words import FIELD_LABELS, field_label
from app.services.outbox import Choice, ConflictField, OrderResult

__all__ = [
    "FIELD_LABELS",
    "BulkAction",
    "Choice",
    "ConflictField",
    "OrderResult",
    "bulk_changes",
    "field_label",
    "tracking_from_pattern",
]

BulkKind = Literal["payment", "fulfillment", "tracking", "hidden"]

PATTERN_PLACEHOLDERS = ("number", "id", "n")
"""``{number}`` the order's number as shown, ``{id}`` its id, ``{n}`` its
position in the selection (1, 2, 3…; ``{n:03}`` pads it to 001)."""


@dataclass(frozen=True)
class BulkAction:
    """One change applied to many orders.

    ``payment``/``fulfillment``: ``value`` is the status id; ``tracking``: a
    pattern (see :func:`tracking_from_pattern`); ``hidden``: true or false."""

    kind: BulkKind
    value: str | bool


# -- bulk changes ------------------------------------------------------------


def tracking_from_pattern(pattern: str, order: Mapping[str, Any], *, index: int = 1) -> str:
    """The tracking number ``pattern`` makes for ``order``: ``"DHL-{number}"``
    -> ``"DHL-1042"``. Placeholders: ``{number}`` (the order's number as
    shown), ``{id}`` (its id), ``{n}`` (``index``, its 1-based position in the
    selection; ``{n:03}`` gives ``001``). ``{{`` and ``}}`` are literal braces.
    Raises :class:`ValueError` with a plain message for an unknown
    placeholder or a stray brace."""
    if not isinstance(pattern, str) or not pattern.strip():
        raise ValueError("The tracking number pattern is empty.")
    values: dict[str, Any] = {
        "number": shown_number(order),
        "id": str(order.get("id") or shown_number(order)),
        "n": index,
    }
    parts: list[str] = []
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError:
        raise ValueError(
            "The tracking number pattern has a stray { or }: write {{ or }} for a brace."
        ) from None
    for literal, name, spec, conversion in parsed:
        parts.append(literal)
        if name is None:
            continue
        if name not in values:
            known = ", ".join("{" + p + "}" for p in PATTERN_PLACEHOLDERS)
            shown = "{" + name + "}" if name else "{}"
            raise ValueError(f"Unknown placeholder {shown} in the pattern: use {known}.")
        if conversion:
            raise ValueError(f"The placeholder {{{name}}} cannot take !{conversion}.")
        try:
            parts.append(format(values[name], spec or ""))
        except ValueError:
            raise ValueError(
                f"The placeholder {{{name}:{spec}}} has a format it cannot take."
            ) from None
    result = "".join(parts).strip()
    if not result:
        raise ValueError("The tracking number pattern gives an empty tracking number.")
    return result


def _status(value: str | bool, known: type[PaymentStatus] | type[FulfillmentStatus]) -> str:
    text = str(value).strip().upper() if isinstance(value, str) else ""
    kind = "payment" if known is PaymentStatus else "fulfillment"
    if text not in known.__members__:
        raise ValueError(f"{value!r} is not a {kind} status.")
    if not is_user_settable(text):
        raise ValueError(
            f"{text} cannot be set: the store gives that {kind} status to an abandoned "
            "checkout, and only the store can."
        )
    return text


def bulk_changes(order: Mapping[str, Any], action: BulkAction, *, index: int = 1) -> dict[str, Any]:
    """The changes ``action`` makes to ``order`` (API field names). ``index``
    is the order's 1-based position in the selection (for ``{n}`` in a
    tracking pattern). Raises :class:`ValueError` with a plain message for a
    value the action cannot take."""
    if action.kind == "payment":
        return {"paymentStatus": _status(action.value, PaymentStatus)}
    if action.kind == "fulfillment":
        return {"fulfillmentStatus": _status(action.value, FulfillmentStatus)}
    if action.kind == "tracking":
        if not isinstance(action.value, str):
            raise ValueError("A tracking number pattern must be text.")
        return {"trackingNumber": tracking_from_pattern(action.value, order, index=index)}
    if action.kind == "hidden":
        if not isinstance(action.value, bool):
            raise ValueError("Hidden must be true or false.")
        return {"hidden": action.value}
    raise ValueError(f"Unknown bulk action {action.kind!r}.")
