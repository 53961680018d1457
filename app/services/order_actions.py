"""What the user does to orders besides editing one field by hand: bulk
changes, conflict resolution, and the per-order result of sending.

- :func:`bulk_changes` turns a :class:`BulkAction` (set a payment or
  fulfillment status, a tracking number from a pattern, hide or unhide) into
  the changes of one order; :func:`tracking_from_pattern` fills a pattern
  such as ``"DHL-{number}"``.
- :func:`conflict_fields` lays a conflicting outbox entry out field by field
  (the user's value, the server's, the one the edit began from), and
  :func:`resolve_conflict` applies the user's choice per field.
- :class:`OrderResult` is what sending one outbox entry came to.

No I/O here except through the :class:`~app.store.OrderCache` given.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from app.ecwid import FulfillmentStatus, PaymentStatus
from app.ecwid.enums import is_user_settable
from app.store import OrderCache, OutboxEntry, OutboxState
from app.store.errors import CacheError

Choice = Literal["mine", "server"]
BulkKind = Literal["payment", "fulfillment", "tracking", "hidden"]

PATTERN_PLACEHOLDERS = ("number", "id", "n")
"""``{number}`` the order's number as shown, ``{id}`` its id, ``{n}`` its
position in the selection (1, 2, 3…; ``{n:03}`` pads it to 001)."""

FIELD_LABELS: dict[str, str] = {
    "paymentStatus": "Payment status",
    "fulfillmentStatus": "Fulfillment status",
    "trackingNumber": "Tracking number",
    "privateAdminNotes": "Private notes",
    "orderComments": "Order comments",
    "email": "Email",
    "billingPerson": "Billing address",
    "shippingPerson": "Shipping address",
    "shippingOption": "Shipping option",
    "handlingFee": "Handling fee",
    "hidden": "Hidden",
    "items": "Items",
    "subtotal": "Subtotal",
    "tax": "Tax",
    "total": "Total",
    "customerId": "Customer id",
    "customerGroup": "Customer group",
    "customerTaxId": "Customer tax id",
    "customerTaxExempt": "Tax exempt",
    "discountCoupon": "Discount coupon",
    "discountInfo": "Discounts",
    "orderExtraFields": "Extra fields",
    "paymentMethod": "Payment method",
    "paymentModule": "Payment module",
    "externalTransactionId": "Transaction id",
    "refererUrl": "Referrer",
}


@dataclass(frozen=True)
class ConflictField:
    """One field of a change that met a change made on the server."""

    name: str  # top-level API field, e.g. "trackingNumber", "items", "shippingPerson"
    label: str  # "Tracking number"
    mine: Any  # the value in the user's change
    server: Any  # the server's current value
    base: Any  # the value when the edit began (None if unknown)
    changed_remotely: bool  # server != base


@dataclass(frozen=True)
class BulkAction:
    """One change applied to many orders.

    ``payment``/``fulfillment``: ``value`` is the status id; ``tracking``: a
    pattern (see :func:`tracking_from_pattern`); ``hidden``: true or false."""

    kind: BulkKind
    value: str | bool


@dataclass(frozen=True)
class OrderResult:
    """What sending one outbox entry came to.

    ``ok`` when the store confirmed it; otherwise ``state`` says what became
    of the entry (PENDING: queued, e.g. the store is unreachable; FAILED:
    refused or failed, ``reason`` says why — a 400's message as the server
    wrote it; CONFLICT: the order changed on the server meanwhile).
    ``http_status`` is the status of the store's refusal, if there was one."""

    key: str
    number: str
    ok: bool
    state: OutboxState
    reason: str | None
    http_status: int | None = None


def field_label(name: str) -> str:
    """A person's name for a top-level API field (``"trackingNumber"`` -> ``"Tracking number"``)."""
    known = FIELD_LABELS.get(name)
    if known:
        return known
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).split()
    return " ".join(words).capitalize() if words else name


# -- bulk changes ------------------------------------------------------------


def order_number(order: Mapping[str, Any]) -> str:
    """The number an order is shown by: its vendor number, else its number, else its id."""
    for name in ("vendorOrderNumber", "orderNumber", "id"):
        value = order.get(name)
        if value not in (None, ""):
            return str(value)
    return ""


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
        "number": order_number(order),
        "id": str(order.get("id") or order_number(order)),
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


# -- conflicts -----------------------------------------------------------------


def _server_version(cache: OrderCache, entry: OutboxEntry) -> dict[str, Any]:
    if entry.server_json is not None:
        return entry.server_json
    server = cache.server_order(entry.key)
    if server is None:
        raise CacheError(f"Order {entry.key} is not in the cache.")
    return server


def conflict_fields(cache: OrderCache, entry: OutboxEntry) -> list[ConflictField]:
    """One :class:`ConflictField` per field of ``entry.changes``, in their
    order: the user's value, the server's (from the conflict, else the cached
    server version) and the one the edit began from."""
    server = _server_version(cache, entry)
    base = entry.base_values
    fields = []
    for name, mine in entry.changes.items():
        server_value = server.get(name)
        if base is not None and name in base:
            base_value = base[name]
            changed = server_value != base_value
        else:
            base_value = None
            changed = server_value != mine
        fields.append(
            ConflictField(
                name=name,
                label=field_label(name),
                mine=mine,
                server=server_value,
                base=base_value,
                changed_remotely=changed,
            )
        )
    return fields


def resolve_conflict(cache: OrderCache, entry_id: int, choices: Mapping[str, Choice]) -> int | None:
    """Settle a conflicting outbox entry. A field missing from ``choices``
    keeps the user's value.

    All fields "server": the entry is dropped and the server's version stored
    in the cache; returns ``None``. Otherwise the entry keeps only its "mine"
    fields, is re-based on the server's ``updateTimestamp`` and goes back to
    PENDING; returns its id."""
    entry = cache.outbox_entry(entry_id)
    if entry is None:
        raise CacheError(f"There is no outbox entry {entry_id}.")
    for name, choice in choices.items():
        if choice not in ("mine", "server"):
            raise ValueError(f"Choose 'mine' or 'server' for {name}, not {choice!r}.")
    server = _server_version(cache, entry)
    kept = {
        name: value for name, value in entry.changes.items() if choices.get(name, "mine") == "mine"
    }
    if not kept:
        cache.drop_outbox(entry_id, server)
        return None
    cache.rebase_outbox(entry_id, kept, server)
    return entry_id


def remote_changes(cached_server: Mapping[str, Any], server: Mapping[str, Any]) -> list[str]:
    """The top-level fields the server's order has changed since the cached
    server version (bookkeeping such as ``updateDate`` left out)."""
    ignored = {"updateDate", "updateTimestamp"}
    names = [
        name
        for name in dict.fromkeys([*cached_server, *server])
        if name not in ignored and cached_server.get(name) != server.get(name)
    ]
    return names
