"""What the order table asks the cache: :class:`OrderQuery` and :class:`SortKey`.

:class:`OrderQuery` has one field per Ecwid search filter, named as in
:class:`~app.ecwid.filters.OrderFilters`, with Ecwid's semantics:

* ``order_number`` given -> exactly those orders (unfinished ones too); every
  other filter, the local ones included, is ignored.
* ``INCOMPLETE`` (unfinished) orders are left out unless ``payment_status``
  lists INCOMPLETE or ``include_incomplete`` is set. An explicit
  ``payment_status`` list is exact: ``include_incomplete`` only lifts the
  default exclusion.
* ``keywords``: every word must occur (as a substring, ignoring case and
  accents) in the order number or id, item names or SKUs, or customer names
  or email. ``customer``: the whole term must occur in a customer name,
  company, email or phone.
* ``email``, ``coupon_code``, ``payment_method``, ``shipping_method``,
  ``payment_module``: the whole value, ignoring case. ``vendor_order_number``:
  exact values (a comma list allowed). ``ids``: orders whose ``id`` is one of
  them, or whose ``internalId`` is (Ecwid's current documentation: "works
  with order ID, internal order ID").
* Totals: inclusive bounds compared in whole cents (each amount rounded half
  to even), so a stored ``29.439999999999998`` is 29.44. Dates
  (``created_*``, ``updated_*``, ``pickup_time_*``): inclusive bounds, to the
  second; an order without that date (most have no ``pickupTime``) never
  matches a range on it.
* ``customer_id``: the order's ``customerId``. ``product_id``: an item's
  ``productId`` is one of them. ``subscription_id``: an item's
  ``subscriptionId``. ``referer_id``: the order's ``refererId``, exactly.
* ``accept_marketing``: True -> ``acceptMarketing`` is true, False -> it is
  false; an order where it is missing or null matches neither.
  ``contains_preorder_items``: True -> an item has ``isPreorder`` true,
  False -> none has.

Plus local fields: ``text`` (instant search; every word must occur as a
substring in the order number or id, a customer name, email, phone or
company, an item name or SKU, the notes or the tracking number),
``include_incomplete``, ``outbox_states`` (orders whose worst unconfirmed
outbox state is one of these), ``invoice_printed`` (True: only orders whose
invoice was printed on this computer; False: only the others), ``deleted``
(True: instead of the orders, those deleted locally or seen deleted by an
incremental sync since the last full sync; see :mod:`app.cache.deleted`),
``sort`` and ``descending``.

:mod:`app.cache.planner` turns a query into SQL; :mod:`app.cache.deleted`
applies the same meaning in Python to the deleted orders.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, field_validator

from app.domain.outbox import OutboxState
from app.ecwid.dates import parse_ecwid_datetime
from app.ecwid.filters import (
    blank_as_unset,
    ids_as_strings,
    positive_id,
    single_or_comma_list,
)

if TYPE_CHECKING:
    from app.ecwid.filters import OrderFilters


class SortKey(StrEnum):
    """What the table can be sorted by; each is backed by an index."""

    NUMBER = "number"
    CREATED = "created"
    UPDATED = "updated"
    CUSTOMER = "customer"
    EMAIL = "email"
    ITEMS = "items"
    TOTAL = "total"
    PAYMENT_STATUS = "payment_status"
    FULFILLMENT_STATUS = "fulfillment_status"
    TRACKING_NUMBER = "tracking_number"


DateLike = datetime | date | int | str


class OrderQuery(BaseModel):
    """A filtered, sorted view of the cached orders (see the module docstring)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    keywords: str | None = None
    total_from: Decimal | None = None
    total_to: Decimal | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    updated_from: datetime | None = None
    updated_to: datetime | None = None
    coupon_code: str | None = None
    order_number: list[int] | None = None
    vendor_order_number: str | None = None
    customer: str | None = None
    payment_method: str | None = None
    shipping_method: str | None = None
    payment_status: list[str] | None = None
    fulfillment_status: list[str] | None = None
    ids: list[str] | None = None
    email: str | None = None
    customer_id: int | None = None
    product_id: list[int] | None = None
    pickup_time_from: datetime | None = None
    pickup_time_to: datetime | None = None
    payment_module: str | None = None
    accept_marketing: bool | None = None
    contains_preorder_items: bool | None = None
    subscription_id: int | None = None
    referer_id: str | None = None

    text: str | None = None
    include_incomplete: bool = False
    outbox_states: list[OutboxState] | None = None
    invoice_printed: bool | None = None
    deleted: bool = False
    sort: SortKey = SortKey.CREATED
    descending: bool = True

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return blank_as_unset(value)

    @field_validator(
        "order_number",
        "ids",
        "payment_status",
        "fulfillment_status",
        "outbox_states",
        "product_id",
        mode="before",
    )
    @classmethod
    def _single_or_comma_list(cls, value: object) -> object:
        return single_or_comma_list(value)

    @field_validator("customer_id", "subscription_id", mode="before")
    @classmethod
    def _positive_id(cls, value: object) -> object:
        return positive_id(value)

    @field_validator("product_id")
    @classmethod
    def _positive_ids(cls, value: list[int] | None) -> list[int] | None:
        if value is not None:
            for item in value:
                positive_id(item)
            value = list(dict.fromkeys(value))
        return value

    @field_validator("referer_id", mode="before")
    @classmethod
    def _referer_id_is_text(cls, value: object) -> object:
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return value.strip() if isinstance(value, str) else value

    @field_validator("ids", mode="before")
    @classmethod
    def _ids_are_strings(cls, value: object) -> object:
        return ids_as_strings(value)

    @field_validator("payment_status", "fulfillment_status")
    @classmethod
    def _statuses(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        return [str(status).strip().upper() for status in value if str(status).strip()] or None

    @field_validator(
        "created_from",
        "created_to",
        "updated_from",
        "updated_to",
        "pickup_time_from",
        "pickup_time_to",
        mode="before",
    )
    @classmethod
    def _aware_datetime(cls, value: object) -> object:
        if value is None or isinstance(value, datetime) and value.tzinfo is not None:
            return value
        if isinstance(value, datetime | date | int | float | str):
            return parse_ecwid_datetime(value)  # ValueError names the bad value
        return value

    @classmethod
    def from_filters(cls, filters: OrderFilters, **local: Any) -> OrderQuery:
        """The query for Ecwid search ``filters`` plus local fields (``text``, ``sort``…)."""
        values = {name: getattr(filters, name) for name in type(filters).model_fields}
        return cls(**values, **local)

    @property
    def internal_ids(self) -> list[int]:
        """Those of ``ids`` that can be an order's ``internalId`` (whole numbers)."""
        return [
            int(value)
            for value in dict.fromkeys(self.ids or ())
            if value.isascii() and value.isdigit() and len(value) <= 18
        ]

    @property
    def by_order_number(self) -> bool:
        """True when ``order_number`` overrides every other filter."""
        return bool(self.order_number)
