"""Pydantic models of the ECDP Orders API.

:class:`EcdpOrder` is an order as Backroom sends it (``POST /orders``).
Every rule of the reference is checked when one is built or changed, so an
order that ECDP would refuse never leaves the machine:

* ``id`` 1–128 characters; ``date`` a date and time with its offset (sent
  as UTC ISO 8601 with ``Z``); ``timeZone`` at most 100 characters;
  ``websiteId`` a 32-bit whole number; ``status`` one of placed, paid,
  completed, canceled (any case in, lower case out); ``currency`` three
  letters; ``totalValue`` and ``returnsValue`` 0 or more;
* ``customer``: ``email`` ≤ 320, ``phone`` ≤ 20, ``crmId`` ≤ 128
  characters, and at least one of them (ECDP matches the customer by one);
* ``products`` (at least one): ``id`` 1–128, ``name`` 1–2048, ``price``
  ≥ 0, ``quantity`` 1–2147483647, ``returned`` 0–2147483647, ``url``,
  ``imageUrl`` and ``category`` ≤ 2048 characters;
* attributes (``productAttributes``, ``orderAttributes``): ``name`` at most
  256 characters, ``value`` any text.

The list of order attributes is sent as ``orderAttributes`` (the reference
names it both ``orderAttribute`` and ``orderAttributes``; its example, and
the service, use the plural). Unknown fields are refused (a typo would
otherwise be dropped silently); :func:`app.ecdp.validation.validate_order`
turns pydantic's errors into plain words naming the field and the order.

:class:`EcdpOrderRecord` is an order as ECDP answers it (GET, status, DELETE):
lenient, every field optional, unknown fields kept, any status text kept.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel

INT32_MAX = 2_147_483_647
Mode = Literal["Add", "AddOrReplace", "Replace"]
MODES: tuple[Mode, ...] = ("Add", "AddOrReplace", "Replace")
_CURRENCY = re.compile(r"[A-Z]{3}")


class EcdpStatus(StrEnum):
    """ECDP's four order statuses; any case is accepted (``"Completed"``)."""

    PLACED = "placed"
    PAID = "paid"
    COMPLETED = "completed"
    CANCELED = "canceled"

    @classmethod
    def _missing_(cls, value: object) -> EcdpStatus | None:
        if isinstance(value, str):
            wanted = value.strip().lower()
            for member in cls:
                if member.value == wanted:
                    return member
        return None


def parse_mode(value: str) -> Mode:
    """``Add``, ``AddOrReplace`` or ``Replace`` (any case); ValueError otherwise."""
    wanted = str(value).strip().lower()
    for mode in MODES:
        if mode.lower() == wanted:
            return mode
    raise ValueError(f"mode must be one of {', '.join(MODES)}, not {value!r}")


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _aware_datetime(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip()
        if text[-1:] in ("Z", "z"):
            text = text[:-1] + "+00:00"
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(
                "must be an ISO 8601 date and time, e.g. 2024-11-06T10:10:00Z"
            ) from None
    if isinstance(value, datetime) and value.tzinfo is None:
        raise ValueError(
            "needs a time zone offset (e.g. 2024-11-06T10:10:00Z); without one ECDP "
            "would read it in the business unit's zone"
        )
    return value


def _in_utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ValueError("is outside the range of dates that can be sent") from None


def format_ecdp_datetime(value: datetime) -> str:
    """UTC ISO 8601 with milliseconds and ``Z``: ``2024-11-06T10:10:00.055Z``
    (the year always in four digits: ``strftime("%Y")`` writes year 1 as "1"
    on Linux, which no ISO 8601 reader takes)."""
    m = value.astimezone(UTC)
    return (
        f"{m.year:04d}-{m.month:02d}-{m.day:02d}T{m.hour:02d}:{m.minute:02d}:{m.second:02d}"
        f".{m.microsecond // 1000:03d}Z"
    )


EcdpDateTime = Annotated[
    datetime,
    BeforeValidator(_aware_datetime),
    AfterValidator(_in_utc),
    PlainSerializer(format_ecdp_datetime, return_type=str, when_used="json"),
]
Amount = Annotated[
    Decimal, Field(ge=0, allow_inf_nan=False), PlainSerializer(_number, when_used="json")
]
"""Money: exact in Python, 0 or more, a plain JSON number on the wire."""
AnyAmount = Annotated[Decimal, PlainSerializer(_number, when_used="json")]
"""Money as ECDP answers it (not checked: what the server has, it has)."""
Count = Annotated[int, Field(ge=0, le=INT32_MAX, strict=True)]


Id = Annotated[str, Field(min_length=1, max_length=128)]
Name = Annotated[str, Field(min_length=1, max_length=2048)]
Text20 = Annotated[str, Field(max_length=20)]
Text100 = Annotated[str, Field(max_length=100)]
Text128 = Annotated[str, Field(max_length=128)]
Text256 = Annotated[str, Field(max_length=256)]
Text320 = Annotated[str, Field(max_length=320)]
Text2048 = Annotated[str, Field(max_length=2048)]


class EcdpModel(BaseModel):
    """Base of what Backroom sends: camelCase names, unknown fields refused."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        extra="forbid",
        validate_assignment=True,
    )

    def to_api(self) -> dict[str, Any]:
        """The JSON object ECDP expects (API names, unset fields left out)."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


class EcdpAttribute(EcdpModel):
    """A name/value pair: an order attribute or a product attribute."""

    name: Text256
    value: str | None = None


class EcdpCustomer(EcdpModel):
    email: Text320 | None = None
    phone: Text20 | None = None
    crm_id: Text128 | None = None

    @model_validator(mode="after")
    def _identified(self) -> EcdpCustomer:
        if not (self.email or self.phone or self.crm_id):
            raise ValueError(
                "needs an email, a phone or a crmId: ECDP matches the customer by one of them"
            )
        return self


class EcdpProduct(EcdpModel):
    id: Id
    name: Name
    price: Amount
    quantity: Annotated[int, Field(ge=1, le=INT32_MAX, strict=True)]
    returned: Count | None = None
    url: Text2048 | None = None
    image_url: Text2048 | None = None
    category: Text2048 | None = None
    product_attributes: list[EcdpAttribute] | None = None


class EcdpOrder(EcdpModel):
    """One order as sent to ECDP (see the module docstring for every rule)."""

    id: Id
    date: EcdpDateTime
    time_zone: Text100 | None = None
    website_id: Count | None = None
    status: EcdpStatus | None = None
    currency: str | None = None
    total_value: Amount
    returns_value: Amount | None = None
    customer: EcdpCustomer
    products: Annotated[list[EcdpProduct], Field(min_length=1)]
    order_attributes: list[EcdpAttribute] | None = None

    @field_validator("currency", mode="before")
    @classmethod
    def _currency_code(cls, value: Any) -> Any:
        if isinstance(value, str):
            code = value.strip().upper()
            if not _CURRENCY.fullmatch(code):
                raise ValueError(f"must be a 3-letter currency code such as USD, not {value!r}")
            return code
        return value


# -- what ECDP answers -------------------------------------------------------


class EcdpRecordModel(BaseModel):
    """Base of what ECDP answers: lenient, unknown fields kept."""

    model_config = ConfigDict(
        alias_generator=to_camel, validate_by_name=True, validate_by_alias=True, extra="allow"
    )


class EcdpAttributeRecord(EcdpRecordModel):
    name: str | None = None
    value: str | None = None


class EcdpCustomerRecord(EcdpRecordModel):
    id: int | None = None
    email: str | None = None
    phone: str | None = None
    crm_id: str | None = None


class EcdpProductRecord(EcdpRecordModel):
    id: str | None = None
    name: str | None = None
    price: AnyAmount | None = None
    quantity: int | None = None
    returned: int | None = None
    url: str | None = None
    image_url: str | None = None
    category: str | None = None
    product_attributes: list[EcdpAttributeRecord] | None = None


class EcdpOrderRecord(EcdpRecordModel):
    """An order as ECDP answers it (the ``data`` of GET, status and DELETE)."""

    id: str | None = None
    date: datetime | None = None
    time_zone: str | None = None
    website_id: int | None = None
    status: str | None = None
    currency: str | None = None
    total_value: AnyAmount | None = None
    returns_value: AnyAmount | None = None
    customer: EcdpCustomerRecord | None = None
    products: list[EcdpProductRecord] | None = None
    order_attributes: list[EcdpAttributeRecord] | None = None
    is_deleted: bool | None = None

    @property
    def known_status(self) -> EcdpStatus | None:
        """The status as one of the four, or ``None`` when it is another text."""
        try:
            return EcdpStatus(self.status) if self.status else None
        except ValueError:
            return None

    @property
    def deleted(self) -> bool:
        """Marked deleted: ``isDeleted`` is true, or the status reads IsDeleted."""
        status = (self.status or "").replace(" ", "").lower()
        return bool(self.is_deleted) or status in ("isdeleted", "deleted")
