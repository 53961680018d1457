"""Order search filters: one field per search parameter of ``GET /orders``.

The parameters of the reference page (``keywords``, ``totalFrom``…
``customer``, ``orderNumber``, ``vendorOrderNumber``), which Ecwid's own
client still sends, plus those Ecwid's current documentation (2026) adds:
``ids``, ``email``, ``customerId``, ``productId``, ``pickupTimeFrom/To``,
``paymentModule``, ``acceptMarketing``, ``containsPreorderItems``,
``subscriptionId`` and ``refererId``. What each one selects is written down
where it is answered locally (:mod:`app.cache.query`) and by the demo store
(:mod:`app.sandbox.filters`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, field_validator

from app.ecwid.dates import to_filter_value
from app.ecwid.enums import FulfillmentStatus, PaymentStatus

DateLike = datetime | date | int | str

_PARAM_NAMES = {
    "keywords": "keywords",
    "total_from": "totalFrom",
    "total_to": "totalTo",
    "created_from": "createdFrom",
    "created_to": "createdTo",
    "updated_from": "updatedFrom",
    "updated_to": "updatedTo",
    "coupon_code": "couponCode",
    "order_number": "orderNumber",
    "vendor_order_number": "vendorOrderNumber",
    "customer": "customer",
    "payment_method": "paymentMethod",
    "shipping_method": "shippingMethod",
    "payment_status": "paymentStatus",
    "fulfillment_status": "fulfillmentStatus",
    "ids": "ids",
    "email": "email",
    "customer_id": "customerId",
    "product_id": "productId",
    "pickup_time_from": "pickupTimeFrom",
    "pickup_time_to": "pickupTimeTo",
    "payment_module": "paymentModule",
    "accept_marketing": "acceptMarketing",
    "contains_preorder_items": "containsPreorderItems",
    "subscription_id": "subscriptionId",
    "referer_id": "refererId",
}
DATE_FIELDS = frozenset(
    {
        "created_from",
        "created_to",
        "updated_from",
        "updated_to",
        "pickup_time_from",
        "pickup_time_to",
    }
)
"""Fields holding a date (sent as a UNIX timestamp or in one of the API's own forms)."""


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


class OrderFilters(BaseModel):
    """Search filters. Empty fields are not sent. Note Ecwid's rule: when
    ``order_number`` is given, every other filter is ignored by the server.
    A search without ``payment_status`` containing INCOMPLETE leaves out
    unfinished orders."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    keywords: str | None = None
    total_from: Decimal | None = None
    total_to: Decimal | None = None
    created_from: DateLike | None = None
    created_to: DateLike | None = None
    updated_from: DateLike | None = None
    updated_to: DateLike | None = None
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
    pickup_time_from: DateLike | None = None
    pickup_time_to: DateLike | None = None
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

    @field_validator(*sorted(DATE_FIELDS))
    @classmethod
    def _valid_date(cls, value: DateLike | None) -> DateLike | None:
        if value is not None:
            to_filter_value(value)  # raises ValueError naming the bad value
        return value

    def to_params(self) -> dict[str, str]:
        """The query parameters for ``GET /orders``."""
        params: dict[str, str] = {}
        for field, param in _PARAM_NAMES.items():
            value = getattr(self, field)
            if value is None or value == "" or value == []:
                continue
            if field in DATE_FIELDS:
                params[param] = to_filter_value(value)
            elif isinstance(value, bool):
                params[param] = "true" if value else "false"
            elif isinstance(value, Iterable) and not isinstance(value, str):
                params[param] = ",".join(str(v) for v in value)
            elif isinstance(value, Decimal):
                params[param] = format(value, "f")
            else:
                params[param] = str(value)
        return params
