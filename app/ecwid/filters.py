"""Order search filters: one field per search parameter of ``GET /orders``."""

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
}


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

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return blank_as_unset(value)

    @field_validator("order_number", "ids", "payment_status", "fulfillment_status", mode="before")
    @classmethod
    def _accept_single_or_comma_list(cls, value: object) -> object:
        return single_or_comma_list(value)

    @field_validator("ids", mode="before")
    @classmethod
    def _ids_are_strings(cls, value: object) -> object:
        # (before-validators run last-defined first: this one sees the raw value)
        return ids_as_strings(value)

    @field_validator("created_from", "created_to", "updated_from", "updated_to")
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
            if field.endswith(("_from", "_to")) and field.startswith(("created", "updated")):
                params[param] = to_filter_value(value)
            elif isinstance(value, Iterable) and not isinstance(value, str):
                params[param] = ",".join(str(v) for v in value)
            elif isinstance(value, Decimal):
                params[param] = format(value, "f")
            else:
                params[param] = str(value)
        return params
