"""The order editor's bookkeeping, apart from its widgets: which fields it
edits, whether the working copy differs from the order (as a person sees
it: no text and empty text are the same, "12.50" typed is 12.5), how a
restored draft meets an order that changed since, and the header's words.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from app.domain.references import shown_number
from app.services.orders.changes import editable_copy
from ui.common.dates import medium_date_time
from ui.editor.items_model import number_of
from ui.orders.status_filter_button import status_name

if TYPE_CHECKING:
    from app.services.orders.drafts import Draft
    from ui.detail.pane import OrderFormat

EDITED_KEYS = (
    "paymentStatus",
    "fulfillmentStatus",
    "items",
    "trackingNumber",
    "shippingOption",
    "email",
    "billingPerson",
    "shippingPerson",
    "privateAdminNotes",
    "orderComments",
    "hidden",
    "subtotal",
    "tax",
    "total",
)
"""The top-level fields the editor changes; everything else stays as the store sent it."""


def differs(one: Any, other: Any) -> bool:
    return not _same(one, other)


def _same(one: Any, other: Any) -> bool:
    if _blank(one) and _blank(other):
        return True
    if isinstance(one, Mapping) and isinstance(other, Mapping):
        return all(_same(one.get(key), other.get(key)) for key in {*one, *other})
    if isinstance(one, list) and isinstance(other, list):
        return len(one) == len(other) and all(map(_same, one, other))
    if _is_number(one) and isinstance(other, str) or _is_number(other) and isinstance(one, str):
        return number_of(one) is not None and number_of(one) == number_of(other)
    if isinstance(one, bool) or isinstance(other, bool):
        return bool(one) == bool(other) and (one is None or other is None or one == other)
    return one == other


def _blank(value: Any) -> bool:
    return value is None or value == ""


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def restored_copy(draft: Draft, order: Mapping[str, Any]) -> dict[str, Any]:
    """The working copy to continue from: the draft as it was when the order has
    not changed since; otherwise the current order with the draft's values of
    the fields the editor edits (the rest is the store's, as it is now)."""
    if draft.base_update_timestamp == order.get("updateTimestamp"):
        return copy.deepcopy(draft.edited)
    restored = copy.deepcopy(dict(order))
    for key in EDITED_KEYS:
        if key in draft.edited:
            restored[key] = copy.deepcopy(draft.edited[key])
    return restored


def restored_notice(draft: Draft, order: Mapping[str, Any]) -> str:
    """What the banner says about a draft brought back."""
    text = f"Restored unsaved changes from {medium_date_time(draft.saved_at)}."
    if draft.base_update_timestamp != order.get("updateTimestamp"):
        text += (
            " The order has changed in the store since then; saving checks that "
            "nothing is overwritten."
        )
    return text


def order_title(order: Mapping[str, Any]) -> str:
    """ "Order #1042" (or the order's id when it has no number)."""
    number = shown_number(order)
    if not number:
        return "Order"
    return f"Order #{number}" if number.isdigit() else f"Order {number}"


def summary_line(order: Mapping[str, Any], fmt: OrderFormat) -> str:
    """Customer, e-mail, date, total and statuses on one line."""
    parts: list[str] = []
    for key in ("billingPerson", "shippingPerson"):
        person = order.get(key)
        if isinstance(person, Mapping) and person.get("name"):
            parts.append(str(person["name"]))
            break
    if order.get("email"):
        parts.append(str(order["email"]))
    if order.get("createDate"):
        parts.append(f"placed {fmt.date(order['createDate'])}")
    if _is_number(order.get("total")):
        parts.append(f"total {fmt.money(order['total'])}")
    for key in ("paymentStatus", "fulfillmentStatus"):
        if order.get(key):
            parts.append(status_name(str(order[key]), fmt.status_names))
    return "  ·  ".join(parts)


def rebased_copy(
    edited: Mapping[str, Any], pristine: Mapping[str, Any], fresh: Mapping[str, Any]
) -> dict[str, Any]:
    """``fresh`` with the user's changes (``edited`` against ``pristine``) applied;
    option files of changed items are taken from ``fresh``."""
    rebased = editable_copy(fresh)
    for key in EDITED_KEYS:
        if key in edited and differs(edited.get(key), pristine.get(key)):
            rebased[key] = copy.deepcopy(edited[key])
    if isinstance(rebased.get("items"), list):
        _take_files(rebased["items"], fresh.get("items"))
    return rebased


def _take_files(items: list[Any], fresh_items: Any) -> None:
    by_id = {
        str(item.get("id")): item
        for item in fresh_items or ()
        if isinstance(item, Mapping) and item.get("id") is not None
    }
    for item in items:
        source = by_id.get(str(item.get("id"))) if isinstance(item, Mapping) else None
        if source is None:
            continue
        fresh_options = {
            option.get("name"): option
            for option in source.get("selectedOptions") or ()
            if isinstance(option, Mapping)
        }
        for option in item.get("selectedOptions") or ():
            match = fresh_options.get(option.get("name")) if isinstance(option, dict) else None
            if match is not None and "files" in match:
                option["files"] = copy.deepcopy(match["files"])
