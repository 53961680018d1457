"""Order statuses the demo store knows, their validation and their profile entries.

Besides the reference page's statuses the real service has fulfillment
``OUT_FOR_DELIVERY`` and the custom statuses ``CUSTOM_PAYMENT_STATUS_1..3`` /
``CUSTOM_FULFILLMENT_STATUS_1..3``, whose names and enabled flags come from
``GET /profile/order_statuses``.
"""

from __future__ import annotations

from typing import Any

from app.sandbox.errors import bad_request

PAYMENT_STATUSES: dict[str, str] = {
    "AWAITING_PAYMENT": "Awaiting payment",
    "PAID": "Paid",
    "CANCELLED": "Cancelled",
    "REFUNDED": "Refunded",
    "PARTIALLY_REFUNDED": "Partially refunded",
    "INCOMPLETE": "Incomplete",
}
FULFILLMENT_STATUSES: dict[str, str] = {
    "AWAITING_PROCESSING": "Awaiting processing",
    "PROCESSING": "Processing",
    "SHIPPED": "Shipped",
    "DELIVERED": "Delivered",
    "WILL_NOT_DELIVER": "Will not deliver",
    "RETURNED": "Returned",
    "READY_FOR_PICKUP": "Ready for pickup",
    "OUT_FOR_DELIVERY": "Out for delivery",
}
# statusId -> (name, enabled): the names a shop owner gives them (the demo
# shows them in menus and filters: never Ecwid's "Custom payment status 3").
CUSTOM_PAYMENT_STATUSES: dict[str, tuple[str, bool]] = {
    "CUSTOM_PAYMENT_STATUS_1": ("Awaiting bank transfer", True),
    "CUSTOM_PAYMENT_STATUS_2": ("Paid by gift voucher", True),
    "CUSTOM_PAYMENT_STATUS_3": ("Paid in store", False),
}
CUSTOM_FULFILLMENT_STATUSES: dict[str, tuple[str, bool]] = {
    "CUSTOM_FULFILLMENT_STATUS_1": ("Gift wrapped", True),
    "CUSTOM_FULFILLMENT_STATUS_2": ("Awaiting stock", True),
    "CUSTOM_FULFILLMENT_STATUS_3": ("Ready for pickup at the shop", False),
}
ALL_PAYMENT = frozenset(PAYMENT_STATUSES) | frozenset(CUSTOM_PAYMENT_STATUSES)
ALL_FULFILLMENT = frozenset(FULFILLMENT_STATUSES) | frozenset(CUSTOM_FULFILLMENT_STATUSES)

# Old names the API still recognises only to say what replaced them.
_DEPRECATED: dict[str, str] = {
    "QUEUED": "AWAITING_PAYMENT",
    "ACCEPTED": "PAID",
    "DECLINED": "CANCELLED",
    "CHARGEABLE": "AWAITING_PAYMENT",
    "NEW": "AWAITING_PROCESSING",
}
_NOTIFYING = {
    "PAID",
    "CANCELLED",
    "REFUNDED",
    "SHIPPED",
    "READY_FOR_PICKUP",
    "DELIVERED",
    "CUSTOM_FULFILLMENT_STATUS_2",
}


def check_status(kind: str, value: Any) -> str:
    """Return ``value`` if it is a known payment/fulfillment status, else raise 400."""
    known = ALL_PAYMENT if kind == "payment" else ALL_FULFILLMENT
    if not isinstance(value, str):
        raise bad_request(f"Field Order.{kind}Status is not a string")
    if value in known:
        return value
    if value in _DEPRECATED:
        raise bad_request(f"Status {value} is deprecated, use {_DEPRECATED[value]} instead")
    raise bad_request(
        f"Unknown {kind} status {value!r}; supported values: {', '.join(sorted(known))}"
    )


def parse_status_list(kind: str, raw: str) -> list[str]:
    """Parse a comma list filter (``PAID,AWAITING_PAYMENT``); unknown values raise 400."""
    values = [part.strip().upper() for part in raw.split(",") if part.strip()]
    return [check_status(kind, value) for value in values]


def order_statuses_profile() -> list[dict[str, Any]]:
    """Items of ``GET /profile/order_statuses``."""
    items: list[dict[str, Any]] = []

    def add(status_id: str, kind: str, name: str, default: bool, enabled: bool) -> None:
        items.append(
            {
                "statusId": status_id,
                "orderStatusType": kind,
                "defaultStatus": default,
                "enabled": enabled,
                "sendNotificationWhenStatusIsAssigned": status_id in _NOTIFYING,
                "name": name,
                "nameTranslated": name,
            }
        )

    for status_id, name in PAYMENT_STATUSES.items():
        add(status_id, "PAYMENT", name, True, True)
    for status_id, (name, enabled) in CUSTOM_PAYMENT_STATUSES.items():
        add(status_id, "PAYMENT", name, False, enabled)
    for status_id, name in FULFILLMENT_STATUSES.items():
        add(status_id, "FULFILLMENT", name, True, True)
    for status_id, (name, enabled) in CUSTOM_FULFILLMENT_STATUSES.items():
        add(status_id, "FULFILLMENT", name, False, enabled)
    return items
