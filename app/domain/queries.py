"""What is asked of the orders: the search filters once, and the order
table's :class:`OrderQuery` and :class:`SortKey`.

:class:`SearchFilters` defines every filter of an order search, once: one
field per search parameter of Ecwid's ``GET /orders``, named as the
parameter in snake case (``total_from`` is ``totalFrom``), with how each
value is read. The Ecwid client's :class:`~app.ecwid.filters.OrderFilters`
sends them as request parameters; :class:`OrderQuery` adds what only the
local cache answers. Adding a filter is adding a field here (and answering
it in the cache's planner). The filters mean what they mean to Ecwid:

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
  to even, see :mod:`app.domain.money`), so a stored ``29.439999999999998``
  is 29.44. Dates (``created_*``, ``updated_*``, ``pickup_time_*``):
  inclusive bounds, to the second; an order without that date (most have no
  ``pickupTime``) never matches a range on it.
* ``customer_id``: the order's ``customerId``. ``product_id``: an item's
  ``productId`` is one of them. ``subscription_id``: an item's
  ``subscriptionId``. ``referer_id``: the order's ``refererId``, exactly.
* ``accept_marketing``: True -> ``acceptMarketing`` is true, False -> it is
  false; an order where it is missing or null matches neither.
  ``contains_preorder_items``: True -> an item has ``isPreorder`` true,
  False -> none has.

Plus the local fields of :class:`OrderQuery`: ``text`` (instant search; every
word must occur as a substring in the order number or id, a customer name,
email, phone or company, an item name or SKU, the notes or the tracking
number), ``include_incomplete``, ``outbox_states`` (orders whose worst
unconfirmed outbox state is one of these), ``invoice_printed`` (True: only
orders whose invoice was printed on this computer; False: only the others),
``deleted`` (True: instead of the orders, those deleted locally or seen
deleted by an incremental sync since the last full sync), ``sort`` and
``descending``.

Two fields belong to the view across several stores (*All stores*, see
:mod:`app.services.inbox`); one store's cache has nothing to do with them
and leaves them unread: ``stores`` (only the orders of these stores, by
account name) and ``by_store`` (list the orders store by store, the stores
by name in this direction, each store's orders in ``sort`` order).

The cache's planner (:mod:`app.cache.planner`) turns a query into SQL;
:mod:`app.cache.deleted` answers it for the deleted orders.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, field_validator

from app.domain.dates import parse_ecwid_datetime
from app.domain.outbox import OutboxState
from app.domain.statuses import FulfillmentStatus, PaymentStatus

DateLike = datetime | date | int | str
"""A date as a filter may be given: a datetime, a day, a UNIX timestamp, or text."""


def blank_as_unset(value: object) -> object:
    """A blank string or an empty collection means "no filter"."""
    if isinstance(value, str) and not value.strip():
        return None
    if isinstance(value, list | tuple | set | frozenset) and not value:
        return None
    return value


def single_or_comma_list(value: object) -> object:
    """Accept one value, a comma-separated string, or any collection, as a list."""
    if isinstance(value, StrEnum):
        return [value]
    if isinstance(value, str):
        parts = [part.strip() for part in value.split(",") if part.strip()]
        return parts or None
    if isinstance(value, int) and not isinstance(value, bool):
        return [value]
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    return value


def positive_id(value: object) -> object:
    """A store id (customer, product, subscription): a whole number above 0;
    text of digits is taken as its number; blank text is "no filter". Raises
    ValueError otherwise."""
    if isinstance(value, str) and not value.strip():
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not an id")
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and value > 0:
        return value
    if isinstance(value, int | str):
        raise ValueError(f"{value!r} is not an id: ids are whole numbers from 1 up")
    return value  # (pydantic names the wrong type)


def ids_as_strings(value: object) -> object:
    """Order ids are strings; a number given for one is taken as its text."""
    if isinstance(value, int) and not isinstance(value, bool):
        return [str(value)]
    if isinstance(value, list):
        return [str(item) if isinstance(item, int) else item for item in value]
    return value


def _without_blank_statuses(value: object) -> object:
    """A list of statuses without blank ones (a query drops them)."""
    if isinstance(value, list):
        kept = [item for item in value if not (isinstance(item, str) and not item.strip())]
        return kept or None
    return value


class SearchFilters[DateT](BaseModel):
    """Every filter of an order search, once (see the module docstring).
    ``DateT`` is how a subclass keeps a date: :class:`OrderQuery` as an aware
    datetime, the Ecwid client as given (the API takes its own text forms)."""

    model_config = ConfigDict(extra="forbid")

    keywords: str | None = None
    total_from: Decimal | None = None
    total_to: Decimal | None = None
    created_from: DateT | None = None
    created_to: DateT | None = None
    updated_from: DateT | None = None
    updated_to: DateT | None = None
    coupon_code: str | None = None
    order_number: list[int] | None = None
    vendor_order_number: str | None = None
    customer: str | None = None
    payment_method: str | None = None
    shipping_method: str | None = None
    payment_status: list[PaymentStatus] | None = None
    fulfillment_status: list[FulfillmentStatus] | None = None
    ids: list[str] | None = None
    email: str | None = None
    customer_id: int | None = None
    product_id: list[int] | None = None
    pickup_time_from: DateT | None = None
    pickup_time_to: DateT | None = None
    payment_module: str | None = None
    accept_marketing: bool | None = None
    contains_preorder_items: bool | None = None
    subscription_id: int | None = None
    referer_id: str | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return blank_as_unset(value)

    @field_validator(
        "order_number",
        "ids",
        "payment_status",
        "fulfillment_status",
        "product_id",
        mode="before",
    )
    @classmethod
    def _accept_single_or_comma_list(cls, value: object) -> object:
        return single_or_comma_list(value)

    @field_validator("customer_id", "subscription_id", mode="before")
    @classmethod
    def _positive_id(cls, value: object) -> object:
        return positive_id(value)

    @field_validator("product_id", mode="after")
    @classmethod
    def _positive_ids(cls, value: list[int] | None) -> list[int] | None:
        if value is not None:
            for item in value:
                positive_id(item)
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
        # (before-validators run last-defined first: this one sees the raw value)
        return ids_as_strings(value)


FILTER_FIELDS: tuple[str, ...] = tuple(SearchFilters.model_fields)
"""The names of the search filters, in their order."""

DATE_FIELDS = frozenset(
    name
    for name, field in SearchFilters.model_fields.items()
    if any(arg in SearchFilters.__type_params__ for arg in get_args(field.annotation))
)
"""The filters holding a date (each a bound of a range, to the second)."""


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


class OrderQuery(SearchFilters[datetime]):
    """A filtered, sorted view of the cached orders (see the module docstring)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str | None = None
    include_incomplete: bool = False
    outbox_states: list[OutboxState] | None = None
    invoice_printed: bool | None = None
    deleted: bool = False
    sort: SortKey = SortKey.CREATED
    descending: bool = True
    stores: list[str] | None = None  # All stores only: these stores (account names)
    by_store: Literal["ascending", "descending"] | None = None  # All stores only

    @field_validator("stores", mode="before")
    @classmethod
    def _store_names(cls, value: object) -> object:
        if isinstance(value, tuple | set | frozenset):
            value = sorted(value)
        if isinstance(value, list):
            value = list(dict.fromkeys(str(name).strip() for name in value if str(name).strip()))
        return value or None

    @field_validator("outbox_states", mode="before")
    @classmethod
    def _outbox_states_list(cls, value: object) -> object:
        return single_or_comma_list(value)

    @field_validator("payment_status", "fulfillment_status", mode="before")
    @classmethod
    def _statuses_not_blank(cls, value: object) -> object:
        return _without_blank_statuses(single_or_comma_list(value))

    @field_validator("product_id")
    @classmethod
    def _distinct_product_ids(cls, value: list[int] | None) -> list[int] | None:
        return None if value is None else list(dict.fromkeys(value))

    @field_validator("payment_status", "fulfillment_status")
    @classmethod
    def _statuses(
        cls, value: list[PaymentStatus] | list[FulfillmentStatus] | None
    ) -> list[Any] | None:
        if value is None:
            return None
        return [type(status)(status.strip().upper()) for status in value if status.strip()] or None

    @field_validator(*sorted(DATE_FIELDS), mode="before")
    @classmethod
    def _aware_datetime(cls, value: object) -> object:
        if value is None or isinstance(value, datetime) and value.tzinfo is not None:
            return value
        if isinstance(value, datetime | date | int | float | str):
            return parse_ecwid_datetime(value)  # ValueError names the bad value
        return value

    @classmethod
    def from_filters(cls, filters: SearchFilters[Any], **local: Any) -> OrderQuery:
        """The query for search ``filters`` (e.g. the Ecwid client's) plus
        local fields (``text``, ``sort``…)."""
        values = {name: getattr(filters, name) for name in FILTER_FIELDS}
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
