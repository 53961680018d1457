"""Editing an order safely: the editor's working copy, and the ``PUT`` body that
carries exactly what changed.

Ecwid's ``PUT /orders/{id}`` is a partial update, except for ``items``: an
``items`` array replaces all items, so an item left out is deleted and a file
attached to an item option is dropped unless it is sent back. So
:func:`changes_between` sends no ``items`` at all when nothing in them changed,
and otherwise every item, complete, built from the original item dicts.

The editor keeps raw typed values (``"12,50"``, ``""``) in its copy;
:func:`validate` says what is wrong with them in plain words and
:func:`changes_between` turns them into JSON numbers. Totals are proposed by
:func:`propose_totals` (module :mod:`app.services.orders.totals`).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from app.domain.money import number_for_json
from app.domain.statuses import FulfillmentStatus, PaymentStatus
from app.services.orders.fields import (
    EDITABLE_ITEM_FIELDS,
    EDITABLE_PERSON_FIELDS,
    EditInvalid,
    FieldPath,
    FieldProblem,
    NotANumber,
    parse_decimal,
    parse_quantity,
    same_value,
    text_of,
)
from app.services.orders.items import items_changes
from app.services.orders.totals import TotalsProposal, apply_totals, propose_totals
from app.services.orders.validation import status_change_problems, validate

__all__ = [
    "EDITABLE_ITEM_FIELDS",
    "EDITABLE_PERSON_FIELDS",
    "EditInvalid",
    "FieldPath",
    "FieldProblem",
    "TotalsProposal",
    "apply_totals",
    "changes_between",
    "editable_copy",
    "get_value",
    "new_item",
    "problem_from_server",
    "propose_totals",
    "set_value",
    "status_change_problems",
    "validate",
    "with_waiting_edits",
]

SERVER_OWNED = frozenset(
    {
        "id",
        "internalId",
        "orderNumber",
        "vendorOrderNumber",
        "createTimestamp",
        "updateDate",
        "updateTimestamp",
    }
)
MONEY_FIELDS = ("subtotal", "tax", "total")
TEXT_FIELDS = ("email", "trackingNumber", "privateAdminNotes", "orderComments")
STATUS_FIELDS = ("paymentStatus", "fulfillmentStatus")
OBJECT_FIELDS = ("billingPerson", "shippingPerson", "shippingOption")
LEFT_ALONE_WHEN_NONE = frozenset({*OBJECT_FIELDS, "hidden"})  # None: "not edited", never null


def editable_copy(order: Mapping[str, Any]) -> dict[str, Any]:
    """A deep copy of ``order`` for the editor to change; the original stays as it was."""
    return copy.deepcopy(dict(order))


def get_value(order: Mapping[str, Any], path: FieldPath, default: Any = None) -> Any:
    """The value at ``path``, or ``default`` when any step along it is missing."""
    current: Any = order
    for step in path:
        if isinstance(step, int) and not isinstance(step, bool):
            if not isinstance(current, list) or not -len(current) <= step < len(current):
                return default
            current = current[step]
        elif isinstance(current, Mapping) and step in current:
            current = current[step]
        else:
            return default
    return current


def set_value(order: dict[str, Any], path: FieldPath, value: Any) -> None:
    """Set the value at ``path``, creating missing (or ``null``) objects on the way.

    List positions must exist already (items are added with :func:`new_item`);
    a missing one raises :class:`IndexError`.
    """
    if not path:
        raise ValueError("an empty path names no field")
    current: Any = order
    for step, following in zip(path, path[1:], strict=False):
        if isinstance(step, int):
            current = current[step]
            continue
        child = current.get(step)
        if not isinstance(child, (dict, list)):
            child = [] if isinstance(following, int) else {}
            current[step] = child
        current = child
    current[path[-1]] = value


def new_item(*, name: str, sku: str = "", price: Any = 0, quantity: Any = 1) -> dict[str, Any]:
    """A new order item. Values that read as numbers are stored as numbers; anything
    else is kept as typed, for :func:`validate` to report."""
    return {
        "name": name,
        "sku": sku,
        "price": _number_or_raw(price, parse_decimal),
        "quantity": _number_or_raw(quantity, parse_quantity),
        "selectedOptions": [],
    }


def _number_or_raw(value: Any, parse: Any) -> Any:
    try:
        parsed = parse(value)
    except NotANumber:
        return value
    return number_for_json(parsed) if isinstance(parsed, Decimal) else parsed


def changes_between(original: Mapping[str, Any], edited: Mapping[str, Any]) -> dict[str, Any]:
    """The ``PUT`` body taking ``original`` to ``edited``: changed top-level fields only.

    Persons and the shipping option are sent whole (the original object with
    the edits applied). ``items`` is sent only when an item was added, removed,
    reordered or changed, and then every item, complete (see
    :func:`app.services.orders.items.items_changes`). ``{}`` when nothing changed.
    Raises :class:`EditInvalid` listing every problem of ``edited`` when one
    of them is in a field that would be sent; problems in fields left as the
    server sent them (an unknown status, an odd old e-mail) do not block.
    With ``original={}`` the result is a complete body for ``POST /orders``.
    """
    problems = validate(edited)
    body: dict[str, Any] = {}
    for key, value in edited.items():
        if key in SERVER_OWNED or key == "items":
            continue
        if value is None and key in LEFT_ALONE_WHEN_NONE:
            continue
        before = original.get(key)
        after = _normalized(key, before, value)
        if not same_value(before, after):
            body[key] = _jsonable(after)
    if "items" in edited:
        items = items_changes(original.get("items"), edited.get("items"))
        if items is not None:
            body["items"] = _jsonable(items)
    problems += status_change_problems(body)  # e.g. INCOMPLETE, which only the store sets
    sent = set(body)
    if any(problem.path and problem.path[0] in sent for problem in problems):
        raise EditInvalid(problems)
    return body


def _normalized(key: str, before: Any, value: Any) -> Any:
    """The JSON value to send for top-level field ``key`` (already validated when sent)."""
    try:
        if key in MONEY_FIELDS:
            return number_for_json(parse_decimal(value))
        if key in TEXT_FIELDS:
            text = text_of(value)
            return value if text is None else text.strip() if key == "email" else text
        if key in STATUS_FIELDS and isinstance(value, str):
            return value.strip().upper()
        if key in ("billingPerson", "shippingPerson"):
            return _merged_object(before, value, _person_value)
        if key == "shippingOption":
            return _merged_object(before, value, _shipping_value)
    except NotANumber:
        return value
    return copy.deepcopy(value)


def _merged_object(before: Any, value: Any, normalize: Any) -> Any:
    """The original object with the edited values of its fields applied."""
    if not isinstance(value, Mapping):
        return copy.deepcopy(value)
    merged = copy.deepcopy(dict(before)) if isinstance(before, Mapping) else {}
    for name, new in value.items():
        old = merged.get(name)
        new = normalize(name, new)
        if not same_value(old, new):
            merged[name] = new
    return merged


def _person_value(name: str, value: Any) -> Any:
    if name in EDITABLE_PERSON_FIELDS or name in ("firstName", "lastName", "countryName"):
        text = text_of(value)
        if text is not None:
            return text.strip().upper() if name == "countryCode" else text
    return copy.deepcopy(value)


def _shipping_value(name: str, value: Any) -> Any:
    if name == "shippingRate":
        return number_for_json(parse_decimal(value))
    if name == "shippingMethodName":
        text = text_of(value)
        if text is not None:
            return text
    return _jsonable(value)


def _jsonable(value: Any) -> Any:
    """A deep copy of ``value`` with every ``Decimal`` as a JSON number (or its text
    when it is not a finite number)."""
    if isinstance(value, Decimal):
        return number_for_json(value) if value.is_finite() else str(value)
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    return copy.deepcopy(value)


_FIELD_MESSAGE = re.compile(r"Field\s+(\w+)\.(\w+)")
_NESTED_OWNERS = (
    "shippingOption",
    "handlingFee",
    "discountCoupon",
    "billingPerson",
    "shippingPerson",
)


def problem_from_server(message: str) -> FieldProblem | None:
    """The field a server ``400`` message is about, with the message; ``None`` if unknown.

    ``"Field OrderItem.quantity is not a number"`` → ``("items",)``,
    ``"Field Order.email …"`` → ``("email",)``, status messages → the status field.
    """
    if not isinstance(message, str) or not message.strip():
        return None
    text = message.strip()
    match = _FIELD_MESSAGE.search(text)
    if match:
        type_name, field_name = match.groups()
        if type_name.startswith("OrderItem") or type_name == "ProductDimensions":
            return FieldProblem(("items",), text)
        if type_name == "Order":
            return FieldProblem((field_name,), text)
        owner = type_name[0].lower() + type_name[1:]
        if owner in _NESTED_OWNERS:
            return FieldProblem((owner, field_name), text)
        return None
    lowered = text.lower()
    if "status" in lowered:
        return _status_problem(text)
    return None


def _status_problem(text: str) -> FieldProblem | None:
    lowered = text.lower()
    if "payment" in lowered:
        return FieldProblem(("paymentStatus",), text)
    if "fulfillment" in lowered or "fulfilment" in lowered:
        return FieldProblem(("fulfillmentStatus",), text)
    # "Status QUEUED is deprecated, use AWAITING_PAYMENT instead": the kind of the replacement.
    for word in re.findall(r"[A-Z][A-Z_0-9]+", text):
        if word in PaymentStatus.__members__:
            return FieldProblem(("paymentStatus",), text)
        if word in FulfillmentStatus.__members__:
            return FieldProblem(("fulfillmentStatus",), text)
    return None


def with_waiting_edits(
    order: Mapping[str, Any], edits: list[Any]
) -> tuple[dict[str, Any], list[int]]:
    """``order`` as the user last asked for it: the store's version with the
    changes of its edits still on their way (waiting, or failed for a passing
    cause) applied, oldest first — objects merged field by field, lists
    replaced. Returns it and the ids of the edits applied (a save made from
    it carries them along). Edits that wait for the user (refused, in
    conflict…) are not applied: the store's values stand until they are settled."""
    from app.domain.outbox import OutboxState

    shown = copy.deepcopy(dict(order))
    applied = []
    for edit in edits:
        if edit.is_delete or edit.state not in (OutboxState.WAITING, OutboxState.FAILED):
            continue
        shown = _merged_changes(shown, edit.changes)
        applied.append(edit.id)
    return shown, applied


def _merged_changes(order: dict[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(order)
    for name, value in changes.items():
        current = merged.get(name)
        if isinstance(value, Mapping) and isinstance(current, Mapping):
            merged[name] = _merged_changes(dict(current), value)
        else:
            merged[name] = copy.deepcopy(value)
    return merged
