"""Ecwid's other enumerated values in orders (item options, coupons,
discounts), as open enums (see :class:`app.domain.statuses.OpenEnum`): a
value the server adds later is kept as it came, never rejected. The order
statuses are shared vocabulary and live in :mod:`app.domain.statuses`.
"""

from __future__ import annotations

from app.domain.statuses import OpenEnum


class OptionType(OpenEnum):
    CHOICE = "CHOICE"
    CHOICES = "CHOICES"
    TEXT = "TEXT"
    DATE = "DATE"
    FILES = "FILES"


class CouponDiscountType(OpenEnum):
    ABS = "ABS"
    PERCENT = "PERCENT"
    SHIPPING = "SHIPPING"
    ABS_AND_SHIPPING = "ABS_AND_SHIPPING"
    PERCENT_AND_SHIPPING = "PERCENT_AND_SHIPPING"


class CouponStatus(OpenEnum):
    ACTIVE = "ACTIVE"
    PAUSED = "PAUSED"
    EXPIRED = "EXPIRED"
    USEDUP = "USEDUP"


class CouponUsesLimit(OpenEnum):
    UNLIMITED = "UNLIMITED"
    ONCEPERCUSTOMER = "ONCEPERCUSTOMER"
    SINGLE = "SINGLE"


class DiscountType(OpenEnum):
    ABS = "ABS"
    PERCENT = "PERCENT"


class DiscountBase(OpenEnum):
    ON_TOTAL = "ON_TOTAL"
    ON_MEMBERSHIP = "ON_MEMBERSHIP"
    ON_TOTAL_AND_MEMBERSHIP = "ON_TOTAL_AND_MEMBERSHIP"
    CUSTOM = "CUSTOM"
