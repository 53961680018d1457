"""An order's payment and fulfillment statuses, as open enums, and which of
them a person may set.

The store adds statuses over time (``OUT_FOR_DELIVERY``,
``CUSTOM_PAYMENT_STATUS_1``…). An :class:`OpenEnum` accepts any string: known
values become the regular members, unknown ones become pseudo-members that
compare, hash and serialise as the plain string they came as, so nothing the
store sends is lost or rejected.
"""

from __future__ import annotations

from enum import StrEnum


class OpenEnum(StrEnum):
    """A ``StrEnum`` that accepts values it does not list."""

    @classmethod
    def _missing_(cls, value: object) -> OpenEnum | None:
        if not isinstance(value, str) or not value:
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member

    @property
    def is_known(self) -> bool:
        """True when the value is one this version of Backroom lists."""
        return self._name_ in type(self).__members__


class PaymentStatus(OpenEnum):
    AWAITING_PAYMENT = "AWAITING_PAYMENT"
    PAID = "PAID"
    CANCELLED = "CANCELLED"
    REFUNDED = "REFUNDED"
    PARTIALLY_REFUNDED = "PARTIALLY_REFUNDED"
    INCOMPLETE = "INCOMPLETE"
    CUSTOM_PAYMENT_STATUS_1 = "CUSTOM_PAYMENT_STATUS_1"
    CUSTOM_PAYMENT_STATUS_2 = "CUSTOM_PAYMENT_STATUS_2"
    CUSTOM_PAYMENT_STATUS_3 = "CUSTOM_PAYMENT_STATUS_3"


class FulfillmentStatus(OpenEnum):
    AWAITING_PROCESSING = "AWAITING_PROCESSING"
    PROCESSING = "PROCESSING"
    SHIPPED = "SHIPPED"
    DELIVERED = "DELIVERED"
    WILL_NOT_DELIVER = "WILL_NOT_DELIVER"
    RETURNED = "RETURNED"
    READY_FOR_PICKUP = "READY_FOR_PICKUP"
    OUT_FOR_DELIVERY = "OUT_FOR_DELIVERY"
    CUSTOM_FULFILLMENT_STATUS_1 = "CUSTOM_FULFILLMENT_STATUS_1"
    CUSTOM_FULFILLMENT_STATUS_2 = "CUSTOM_FULFILLMENT_STATUS_2"
    CUSTOM_FULFILLMENT_STATUS_3 = "CUSTOM_FULFILLMENT_STATUS_3"


# Given by the store, never chosen by a person: INCOMPLETE marks an abandoned
# checkout. Shown and filtered like any status, but no editor, bulk change or
# command offers or accepts it as a new value.
STORE_ONLY_STATUSES = frozenset({PaymentStatus.INCOMPLETE.value})


def is_user_settable(status: object) -> bool:
    """Whether a person may set this payment or fulfillment status (any case)."""
    return not (isinstance(status, str) and status.strip().upper() in STORE_ONLY_STATUSES)
