"""Pydantic models for every object of the Ecwid REST API v3 orders endpoints.

Attributes are snake_case with the API's camelCase names as aliases; either name
is accepted on input. Every field is optional because real responses send
``null`` or leave fields out where the page shows a value. Money is
:class:`~decimal.Decimal`.

Every real order loads (see :mod:`app.ecwid.model_base`): unknown fields are
kept, and a value of the wrong type or in a form Backroom does not read (a
date such as ``"Dec 12, 2017 8:00:00 PM"``) never rejects the order: the
attribute reads ``None`` (so nothing computes with it), the value is logged
once per field and written back by :meth:`EcwidModel.to_api` exactly as it
came, like every value the order came with and nobody changed. Old stores'
numeric ``id`` stays a number. Identifiers, totals and dates are read with
the same rules as the cache's (:mod:`app.domain.raw_orders`).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field, PlainSerializer, PlainValidator, StrictInt

from app.domain import money, raw_orders
from app.domain.dates import format_ecwid_datetime
from app.domain.references import number_shown_by
from app.domain.statuses import FulfillmentStatus, PaymentStatus
from app.ecwid.enums import (
    CouponDiscountType,
    CouponStatus,
    CouponUsesLimit,
    DiscountBase,
    DiscountType,
    OptionType,
)
from app.ecwid.model_base import EcwidModel, reader


def _measure(value: Any) -> int | float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    amount = money.amount(value)
    if amount is None:
        return None
    return (
        int(amount) if isinstance(value, str) and amount == amount.to_integral() else float(amount)
    )


EcwidDateTime = Annotated[
    datetime,
    PlainValidator(reader(raw_orders.moment, "a date")),
    PlainSerializer(format_ecwid_datetime, return_type=str, when_used="json"),
]
"""A date as Ecwid writes it (``2014-06-06 18:57:19 +0000``), any UTC offset."""

Number = Annotated[int | float, PlainValidator(reader(_measure, "a number"))]
"""A measurement (weight, length, percent): whole numbers stay ints on the wire."""

Money = Annotated[
    Decimal,
    PlainValidator(reader(money.amount, "an amount")),
    PlainSerializer(money.number_for_json, when_used="json"),
]
"""An amount of money: exact in Python, a plain JSON number on the wire."""

WholeNumber = Annotated[int, PlainValidator(reader(raw_orders.whole_number, "a whole number"))]
"""An integer (ids, counts); a float or string holding one is read too."""

Timestamp = Annotated[int, PlainValidator(reader(raw_orders.timestamp, "a UNIX timestamp"))]

Text = Annotated[str, PlainValidator(reader(raw_orders.text, "text"))]
"""A string (a number sent where text is expected reads as its text)."""

OrderId = Annotated[str | int, PlainValidator(reader(raw_orders.order_id, "an order id"))]
"""An order id: a string, or the number older stores send; kept as it came."""


class OrderItemTax(EcwidModel):
    name: Text | None = None
    value: Number | None = None
    total: Money | None = None
    tax_on_discounted_subtotal: Money | None = None
    tax_on_shipping: Money | None = None


class OrderItemProductFile(EcwidModel):
    product_file_id: WholeNumber | None = None
    max_downloads: WholeNumber | None = None
    remaining_downloads: WholeNumber | None = None
    expire: Text | None = None
    name: Text | None = None
    description: Text | None = None
    size: WholeNumber | None = None
    admin_url: Text | None = Field(default=None, repr=False)  # carries the API token: never show
    customer_url: Text | None = None


class OrderItemOptionFile(EcwidModel):
    id: WholeNumber | None = None
    name: Text | None = None
    size: WholeNumber | None = None
    url: Text | None = None


class OrderItemOption(EcwidModel):
    name: Text | None = None
    type: OptionType | None = None
    value: Text | None = None
    values_array: list[Text] | None = None
    files: list[OrderItemOptionFile] | None = None


class ProductDimensions(EcwidModel):
    length: Number | None = None
    width: Number | None = None
    height: Number | None = None


class OrderItem(EcwidModel):
    id: WholeNumber | None = None
    product_id: WholeNumber | None = None
    category_id: WholeNumber | None = None
    price: Money | None = None
    product_price: Money | None = None
    weight: Number | None = None
    sku: Text | None = None
    quantity: WholeNumber | None = None
    short_description: Text | None = None
    tax: Money | None = None
    shipping: Money | None = None
    quantity_in_stock: WholeNumber | None = None
    name: Text | None = None
    is_shipping_required: bool | None = None
    track_quantity: bool | None = None
    fixed_shipping_rate_only: bool | None = None
    image_url: Text | None = None
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
    name: Text | None = None
    first_name: Text | None = None  # newer responses split the name too
    last_name: Text | None = None
    company_name: Text | None = None
    street: Text | None = None
    city: Text | None = None
    country_code: Text | None = None
    country_name: Text | None = None
    postal_code: Text | None = None
    state_or_province_code: Text | None = None
    state_or_province_name: Text | None = None
    phone: Text | None = None


class DiscountCouponCatalogLimit(EcwidModel):
    products: list[WholeNumber] | None = None
    categories: list[WholeNumber] | None = None


class DiscountCouponInfo(EcwidModel):
    name: Text | None = None
    code: Text | None = None
    discount_type: CouponDiscountType | None = None
    status: CouponStatus | None = None
    discount: Money | None = None
    launch_date: EcwidDateTime | None = None
    expiration_date: EcwidDateTime | None = None
    total_limit: Money | None = None
    uses_limit: CouponUsesLimit | None = None
    repeat_customer_only: bool | None = None
    creation_date: EcwidDateTime | None = None
    order_count: WholeNumber | None = None
    catalog_limit: DiscountCouponCatalogLimit | None = None


class ShippingOptionInfo(EcwidModel):
    shipping_carrier_name: Text | None = None
    shipping_method_name: Text | None = None
    shipping_rate: Money | None = None
    estimated_transit_time: Text | None = None
    is_pickup: bool | None = None
    pickup_instruction: Text | None = None


class HandlingFeeInfo(EcwidModel):
    name: Text | None = None
    value: Money | None = None
    description: Text | None = None


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
    description: Text | None = None


class CreditCardStatus(EcwidModel):
    avs_message: Text | None = None
    cvv_message: Text | None = None


class Order(EcwidModel):
    """An order (the page's ``Order`` and ``OrderEntry``)."""

    id: OrderId | None = None
    internal_id: WholeNumber | None = None
    order_number: WholeNumber | None = None
    vendor_order_number: Text | None = None
    subtotal: Money | None = None
    total: Money | None = None
    email: Text | None = None
    payment_method: Text | None = None
    payment_module: Text | None = None
    tax: Money | None = None
    customer_tax_exempt: bool | None = None
    customer_tax_id: Text | None = None
    customer_tax_id_valid: bool | None = None
    reversed_tax_applied: bool | None = None
    ip_address: Text | None = None
    payment_status: PaymentStatus | None = None
    fulfillment_status: FulfillmentStatus | None = None
    referer_url: Text | None = None
    order_comments: Text | None = None
    coupon_discount: Money | None = None
    volume_discount: Money | None = None
    discount: Money | None = None
    membership_based_discount: Money | None = None
    total_and_membership_based_discount: Money | None = None
    discount_coupon: DiscountCouponInfo | None = None
    discount_info: list[DiscountInfo] | None = None
    customer_id: WholeNumber | None = None
    hidden: bool | None = None
    usd_total: Money | None = None
    global_referer: Text | None = None
    create_date: EcwidDateTime | None = None
    update_date: EcwidDateTime | None = None
    create_timestamp: Timestamp | None = None
    update_timestamp: Timestamp | None = None
    customer_group_id: WholeNumber | None = None
    customer_group: Text | None = None
    items: list[OrderItem] | None = None
    billing_person: PersonInfo | None = None
    shipping_person: PersonInfo | None = None
    shipping_option: ShippingOptionInfo | None = None
    handling_fee: HandlingFeeInfo | None = None
    predicted_packages: list[PredictedPackage] | None = None
    predicted_package: list[PredictedPackage] | None = None  # newer name
    additional_info: dict[str, Any] | None = None
    payment_params: dict[str, Any] | None = None
    tracking_number: Text | None = None
    payment_message: Text | None = None
    external_transaction_id: Text | None = None
    affiliate_id: Text | None = None
    credit_card_status: CreditCardStatus | None = None
    private_admin_notes: Text | None = None

    @property
    def key(self) -> str:
        """The identifier to address this order in the API: its id (a number
        as text), or, for old orders without one, its order number, else its
        internal id. The cache keys the order the same way."""
        key = raw_orders.key_of(self.id, self.order_number, self.internal_id)
        if key is None:
            raise ValueError("order has no id, order number or internal id")
        return key

    @property
    def display_number(self) -> str:
        """The number the order is shown by (as the cache's order table shows it)."""
        return number_shown_by(
            self.vendor_order_number or None, self.order_number, self.id, self.key
        )

    @property
    def created_timestamp(self) -> int | None:
        """When the order was placed (UNIX time): ``createTimestamp``, else ``createDate``."""
        return raw_orders.placed_timestamp(self.create_timestamp, self.create_date)

    @property
    def updated_timestamp(self) -> int | None:
        """When the order last changed (UNIX time): ``updateTimestamp``, else ``updateDate``."""
        return raw_orders.placed_timestamp(self.update_timestamp, self.update_date)


class SearchResult(EcwidModel):
    total: StrictInt
    count: StrictInt
    offset: StrictInt
    limit: StrictInt
    items: list[Order]


class UpdateStatus(EcwidModel):
    update_count: WholeNumber


class DeleteStatus(EcwidModel):
    delete_count: WholeNumber


class CreateStatus(EcwidModel):
    id: WholeNumber
    orderid: Text | None = Field(default=None, alias="orderid")


class UploadStatus(EcwidModel):
    id: WholeNumber


class DeletedOrder(EcwidModel):
    """One entry of ``GET /orders/deleted``."""

    id: WholeNumber | None = None
    order_id: Text | None = None
    date: EcwidDateTime | None = None


class DeletedOrdersResult(EcwidModel):
    total: StrictInt
    count: StrictInt
    offset: StrictInt
    limit: StrictInt
    items: list[DeletedOrder]


class OrderStatusSetting(EcwidModel):
    """One entry of ``GET /profile/order_statuses``: a status's display name in
    this store, whether it is enabled, and whether setting it emails the customer."""

    status_id: Text
    order_status_type: Text | None = None
    default_status: bool | None = None
    enabled: bool | None = None
    send_notification_when_status_is_assigned: bool | None = None
    name: Text | None = None
    name_translated: Text | None = None
