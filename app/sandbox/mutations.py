"""Changes to order dicts: partial update, creation, timestamps, option files.

``PUT`` semantics of the real service: fields left out are kept, fields the
server does not know are kept, objects (``billingPerson`` …) are merged field
by field, an explicit ``null`` stores ``null``, and an ``items`` array
replaces all items (an item left out is deleted with its option files unless
they are sent back; an item without ``id`` gets a new one). The server owns
``id``, ``internalId``, ``orderNumber``, ``vendorOrderNumber``,
``createTimestamp``, ``updateDate`` and ``updateTimestamp``: values sent for
them are ignored.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from app.sandbox.dates import format_date, parse_date
from app.sandbox.errors import ApiError, not_found

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


def _merge(target: dict[str, Any], patch: dict[str, Any]) -> None:
    for key, value in patch.items():
        current = target.get(key)
        if isinstance(value, dict) and isinstance(current, dict):
            _merge(current, value)
        else:
            target[key] = copy.deepcopy(value)


def apply_update(
    order: dict[str, Any], patch: dict[str, Any], new_item_id: Callable[[], int]
) -> None:
    """Apply a validated ``PUT`` body to ``order`` in place."""
    changes = {key: value for key, value in patch.items() if key not in SERVER_OWNED}
    items = changes.pop("items", None)
    _merge(order, changes)
    if items is not None:
        order["items"] = copy.deepcopy(items)
        assign_item_ids(order["items"], new_item_id)
    if "createDate" in changes and changes["createDate"] is not None:
        created = parse_date(str(changes["createDate"]))
        if created is not None:
            order["createDate"] = format_date(created)
            order["createTimestamp"] = created


def assign_item_ids(items: list[dict[str, Any]], new_item_id: Callable[[], int]) -> None:
    for item in items:
        if item.get("id") is None:
            item["id"] = new_item_id()


def touch(order: dict[str, Any], now: int) -> int:
    """Set ``updateDate``/``updateTimestamp`` to ``now``, strictly after the previous one."""
    previous = order.get("updateTimestamp")
    if not isinstance(previous, int):
        previous = (
            parse_date(order["updateDate"]) if isinstance(order.get("updateDate"), str) else None
        )
    stamp = max(now, (previous or 0) + 1)
    order["updateTimestamp"] = stamp
    order["updateDate"] = format_date(stamp)
    return stamp


def new_order(
    body: dict[str, Any],
    internal_id: int,
    order_number: int,
    order_id: str,
    now: int,
    new_item_id: Callable[[], int],
) -> dict[str, Any]:
    """The stored form of a validated ``POST /orders`` body."""
    order = {key: copy.deepcopy(value) for key, value in body.items() if key not in SERVER_OWNED}
    assign_item_ids(order["items"], new_item_id)
    created = parse_date(str(order["createDate"])) if order.get("createDate") else None
    if created is None:
        created = now
    order.setdefault("paymentStatus", "AWAITING_PAYMENT")
    order.setdefault("fulfillmentStatus", "AWAITING_PROCESSING")
    if order.get("subtotal") is None:
        order["subtotal"] = round(
            sum((item.get("price") or 0) * item["quantity"] for item in order["items"]), 2
        )
    order.setdefault("tax", 0)
    if order.get("total") is None:
        shipping = (order.get("shippingOption") or {}).get("shippingRate") or 0
        order["total"] = round(order["subtotal"] + shipping + (order["tax"] or 0), 2)
    if order.get("usdTotal") is None:
        order["usdTotal"] = order["total"]
    order.update(
        {
            "id": order_id,
            "internalId": internal_id,
            "orderNumber": order_number,
            "vendorOrderNumber": str(order_number),
            "createDate": format_date(created),
            "createTimestamp": created,
            "updateDate": format_date(now),
            "updateTimestamp": now,
        }
    )
    return order


def file_ids(order: dict[str, Any]) -> set[int]:
    """Ids of all files attached to item options of ``order``."""
    ids: set[int] = set()
    for item in order.get("items") or ():
        if not isinstance(item, dict):
            continue
        for option in item.get("selectedOptions") or ():
            if isinstance(option, dict):
                for attached in option.get("files") or ():
                    if isinstance(attached, dict) and isinstance(attached.get("id"), int):
                        ids.add(attached["id"])
    return ids


def find_files_option(order: dict[str, Any], item_ref: str, option_name: str) -> dict[str, Any]:
    """The FILES option ``option_name`` of item ``item_ref``: 404 if absent, 409 if not FILES."""
    item = next(
        (
            item
            for item in order.get("items") or ()
            if isinstance(item, dict) and str(item.get("id")) == item_ref
        ),
        None,
    )
    if item is None:
        raise not_found(f"Order item {item_ref} is not found", "ORDER_ITEM_NOT_FOUND")
    option = next(
        (
            option
            for option in item.get("selectedOptions") or ()
            if isinstance(option, dict) and option.get("name") == option_name
        ),
        None,
    )
    if option is None:
        raise not_found(f"Item option {option_name!r} is not found", "ITEM_OPTION_NOT_FOUND")
    if option.get("type") != "FILES":
        raise ApiError(
            409, "OPTIONS_IS_NOT_FILES_TYPE", f"Product option {option_name!r} type is not FILES"
        )
    if not isinstance(option.get("files"), list):
        option["files"] = []
    return option
