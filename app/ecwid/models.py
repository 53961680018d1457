"""Pydantic models for every object of the Ecwid REST API v3 orders endpoints.

Attributes are snake_case with the API's camelCase names as aliases; either name
is accepted on input. Every model accepts unknown fields (real responses carry
many the reference page does not list) and keeps them, so an order read from
the server and written back loses nothing: use :meth:`EcwidModel.to_api`.
Every field is optional because real responses send ``null`` or leave fields
out where the page shows a value. Money is :class:`~decimal.Decimal`, written
back as a JSON number.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer
from pydantic.alias_generators import to_camel

from app.ecwid.dates import format_ecwid_datetime, parse_ecwid_datetime
from app.ecwid.enums import (
    CouponDiscountType,
    CouponStatus,
    CouponUsesLimit,
    DiscountBase,
    DiscountType,
    FulfillmentStatus,
    OptionType,
    PaymentStatus,
)


def _number_for_json(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


EcwidDateTime = Annotated[
    datetime,
    BeforeValidator(parse_ecwid_datetime),
    PlainSerializer(format_ecwid_datetime, return_type=str, when_used="json"),
]
"""A date as Ecwid writes it (``2014-06-06 18:57:19 +0000``), any UTC offset."""

Number = int | float
"""A measurement (weight, length, percent): whole numbers stay ints on the wire."""

Money = Annotated[Decimal, PlainSerializer(_number_for_json, when_used="json")]
"""An amount of money: exact in Python, a plain JSON number on the wire."""


class EcwidModel(BaseModel):
    """Base for all Ecwid objects: camelCase aliases, unknown fields kept."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        extra="allow",
        use_enum_values=False,
        validate_assignment=True,
    )

    def to_api(self) -> dict[str, Any]:
        """The JSON body Ecwid expects: API names, only fields that were set
        (including unknown fields that came from the server)."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)


class OrderItemTax(EcwidModel):
    name: str | None = None
    value: Number | None = None
    total: Money | None = None
    tax_on_discounted_subtotal: Money | None = None
    tax_on_shipping: Money | None = None


class OrderItemProductFile(EcwidModel):
    product_file_id: int | None = None
    max_downloads: int | None = None
    remaining_downloads: int | None = None
    expire: str | None = None
    name: str | None = None
    description: str | None = None
    size: int | None = None
    admin_url: str | None = Field(default=None, repr=False)  # carries the API token: never show
    customer_url: str | None = None


class OrderItemOptionFile(EcwidModel):
    id: int | None = None
    name: str | None = None
    size: int | None = None
    url: str | None = None


class OrderItemOption(EcwidModel):
    name: str | None = None
    type: OptionType | None = None
    value: str | None = None
    values_array: list[str] | None = None
    files: list[OrderItemOptionFile] | None = None


class ProductDimensions(EcwidModel):
    length: Number | None = None
    width: Number | None = None
    height: Number | None = None


class OrderItem(EcwidModel):
    id: int | None = None
    product_id: int | None = None
    category_id: int | None = None
    price: Money | None = None
    product_price: Money | None = None
    weight: Number | None = None
    sku: str | None = None
    quantity: int | None = None
    short_description: str | None = None
    tax: Money | None = None
    shipping: Money | None = None
    quantity_in_stock: int | None = None
    name: str | None = None
    is_shipping_required: bool | None = None
    track_quantity: bool | None = None
    fixed_shipping_rate_only: bool | None = None
    image_url: str | None = None
    fixed_shipping_rate: Money | None = None
    digital: bool | None = None
    product_available: bool | None = None
    coupon_applied: bool | None = None
    selected_options: list[OrderItemOption] | None = None
    taxes: list[OrderItemTax] | None = None
    files: list[OrderItemProductFile] | None = None
    product_dimensions: ProductDimensions | None = None
    dimensions: ProductDimensions | None = None  # newer name, sent beside productDimensions


class PersonInfo(EcwidModel):
    name: str | None = None
    first_name: str | None = None  # newer responses split the name too
    last_name: str | None = None
    company_name: str | None = None
    street: str | None = None
    city: str | None = None
    country_code: str | None = None
    country_name: str | None = None
    postal_code: str | None = None
    state_or_province_code: str | None = None
    state_or_province_name: str | None = None
    phone: str | None = None


class DiscountCouponCatalogLimit(EcwidModel):
    products: list[int] | None = None
    categories: list[int] | None = None


class DiscountCouponInfo(EcwidModel):
    name: str | None = None
    code: str | None = None
    discount_type: CouponDiscountType | None = None
    status: CouponStatus | None = None
    discount: Money | None = None
    launch_date: EcwidDateTime | None = None
    expiration_date: EcwidDateTime | None = None
    total_limit: Money | None = None
    uses_limit: CouponUsesLimit | None = None
    repeat_customer_only: bool | None = None
    creation_date: EcwidDateTime | None = None
    order_count: int | None = None
    catalog_limit: DiscountCouponCatalogLimit | None = None


class ShippingOptionInfo(EcwidModel):
    shipping_carrier_name: str | None = None
    shipping_method_name: str | None = None
    shipping_rate: Money | None = None
    estimated_transit_time: str | None = None
    is_pickup: bool | None = None
    pickup_instruction: str | None = None


class HandlingFeeInfo(EcwidModel):
    name: str | None = None
    value: Money | None = None
    description: str | None = None


class PredictedPackage(EcwidModel):
    height: Number | None = None
    width: Number | None = None
    length: Number | None = None
    weight: Number | None = None
    declared_value: Money | None = None


class DiscountInfo(EcwidModel):
    value: Money | None = None
    type: DiscountType | None = None
    base: DiscountBase | None = None
    order_total: Money | None = None
    description: str | None = None


class CreditCardStatus(EcwidModel):
    avs_message: str | None = None
    cvv_message: str | None = None


class Order(EcwidModel):
    """An order (the page's ``Order`` and ``OrderEntry``)."""

    id: str | None = None
    internal_id: int | None = None
    order_number: int | None = None
    vendor_order_number: str | None = None
    subtotal: Money | None = None
    total: Money | None = None
    email: str | None = None
    payment_method: str | None = None
    payment_module: str | None = None
    tax: Money | None = None
    customer_tax_exempt: bool | None = None
    customer_tax_id: str | None = None
    customer_tax_id_valid: bool | None = None
    reversed_tax_applied: bool | None = None
    ip_address: str | None = None
    payment_status: PaymentStatus | None = None
    fulfillment_status: FulfillmentStatus | None = None
    referer_url: str | None = None
    order_comments: str | None = None
    coupon_discount: Money | None = None
    volume_discount: Money | None = None
    discount: Money | None = None
    membership_based_discount: Money | None = None
    total_and_membership_based_discount: Money | None = None
    discount_coupon: DiscountCouponInfo | None = None
    discount_info: list[DiscountInfo] | None = None
    customer_id: int | None = None
    hidden: bool | None = None
    usd_total: Money | None = None
    global_referer: str | None = None
    create_date: EcwidDateTime | None = None
    update_date: EcwidDateTime | None = None
    create_timestamp: int | None = None
    update_timestamp: int | None = None
    customer_group_id: int | None = None
    customer_group: str | None = None
    items: list[OrderItem] | None = None
    billing_person: PersonInfo | None = None
    shipping_person: PersonInfo | None = None
    shipping_option: ShippingOptionInfo | None = None
    handling_fee: HandlingFeeInfo | None = None
    predicted_packages: list[PredictedPackage] | None = None
    predicted_package: list[PredictedPackage] | None = None  # newer name
    additional_info: dict[str, Any] | None = None
    payment_params: dict[str, Any] | None = None
    tracking_number: str | None = None
    payment_message: str | None = None
    external_transaction_id: str | None = None
    affiliate_id: str | None = None
    credit_card_status: CreditCardStatus | None = None
    private_admin_notes: str | None = None

    @property
    def key(self) -> str:
        """The identifier to address this order in the API: its string id, or,
        for old orders without one, its order number."""
        if self.id:
            return self.id
        if self.order_number is not None:
            return str(self.order_number)
        if self.internal_id is not None:
            return str(self.internal_id)
        raise ValueError("order has no id, order number or internal id")


class SearchResult(EcwidModel):
    total: int
    count: int
    offset: int
    limit: int
    items: list[Order]


class UpdateStatus(EcwidModel):
    update_count: int


class DeleteStatus(EcwidModel):
    delete_count: int


class CreateStatus(EcwidModel):
    id: int
    orderid: str | None = Field(default=None, alias="orderid")


class UploadStatus(EcwidModel):
    id: int


class DeletedOrder(EcwidModel):
    """One entry of ``GET /orders/deleted``."""

    id: int | None = None
    order_id: str | None = None
    date: EcwidDateTime | None = None


class DeletedOrdersResult(EcwidModel):
    total: int
    count: int
    offset: int
    limit: int
    items: list[DeletedOrder]


class OrderStatusSetting(EcwidModel):
    """One entry of ``GET /profile/order_statuses``: a status's display name in
    this store, whether it is enabled, and whether setting it emails the customer."""

    status_id: str
    order_status_type: str | None = None
    default_status: bool | None = None
    enabled: bool | None = None
    send_notification_when_status_is_assigned: bool | None = None
    name: str | None = None
    name_translated: str | None = None
