"""Checks of order bodies sent with ``POST /orders`` and ``PUT /orders/{id}``.

Like the real service, a field of the wrong JSON type answers 400 with a
message naming it (``Field OrderItem.quantity is not a number``), a status
that does not exist answers 400 (``Status QUEUED is deprecated, use
AWAITING_PAYMENT instead``), and a created order needs items that each carry
a quantity (``Field OrderItem.quantity is absent``). ``null`` is accepted
everywhere. Unknown fields are accepted and kept.
"""

from __future__ import annotations

from typing import Any

from app.sandbox.dates import parse_date
from app.sandbox.errors import bad_request
from app.sandbox.statuses import check_status

ORDER_NUMBERS = (
    "subtotal",
    "subtotalWithoutTax",
    "total",
    "totalBeforeGiftCardRedemption",
    "usdTotal",
    "tax",
    "couponDiscount",
    "discount",
    "volumeDiscount",
    "membershipBasedDiscount",
    "totalAndMembershipBasedDiscount",
    "customerId",
    "customerGroupId",
    "giftCardRedemption",
    "refundedAmount",
)
ITEM_NUMBERS = (
    "id",
    "productId",
    "categoryId",
    "price",
    "productPrice",
    "weight",
    "quantity",
    "tax",
    "shipping",
    "quantityInStock",
    "fixedShippingRate",
)
ORDER_OBJECTS = (
    "billingPerson",
    "shippingPerson",
    "shippingOption",
    "handlingFee",
    "discountCoupon",
    "additionalInfo",
    "paymentParams",
    "creditCardStatus",
    "utmData",
    "externalOrderData",
)
ORDER_ARRAYS = (
    "items",
    "discountInfo",
    "predictedPackages",
    "refunds",
    "orderExtraFields",
    "customSurcharges",
)
NESTED_NUMBERS = {
    "shippingOption": ("shippingRate",),
    "handlingFee": ("value",),
    "discountCoupon": ("discount", "totalLimit", "orderCount"),
}
TAX_NUMBERS = ("value", "total", "taxOnDiscountedSubtotal", "taxOnShipping")
DIMENSION_NUMBERS = ("length", "width", "height")


def _is_number(value: Any) -> bool:
    return value is None or (isinstance(value, (int, float)) and not isinstance(value, bool))


def _numbers(obj: dict[str, Any], names: tuple[str, ...], type_name: str) -> None:
    for name in names:
        if name in obj and not _is_number(obj[name]):
            raise bad_request(f"Field {type_name}.{name} is not a number")


def _object(value: Any, type_name: str) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise bad_request(f"Field {type_name} is not an object")
    return value


def validate_order(body: Any, creating: bool) -> dict[str, Any]:
    """Return ``body`` if it is a valid order (or partial order); raise 400 otherwise."""
    if not isinstance(body, dict):
        raise bad_request("Request body must be a JSON object")
    _numbers(body, ORDER_NUMBERS, "Order")
    for name in ORDER_OBJECTS:
        nested = _object(body.get(name), f"Order.{name}")
        if nested is not None and name in NESTED_NUMBERS:
            _numbers(nested, NESTED_NUMBERS[name], name[0].upper() + name[1:])
    for name in ORDER_ARRAYS:
        if body.get(name) is not None and not isinstance(body[name], list):
            raise bad_request(f"Field Order.{name} is not an array")
    for name in ("paymentStatus", "fulfillmentStatus"):
        if body.get(name) is not None:
            check_status(name.removesuffix("Status"), body[name])
    for name in ("createDate",):
        if body.get(name) is not None and parse_date(str(body[name])) is None:
            raise bad_request(f"Field Order.{name} has a wrong date format: {body[name]!r}")
    items = body.get("items")
    if creating and not items:
        raise bad_request("Field Order.items is absent")
    for item in items or ():
        _validate_item(item)
    return body


def _validate_item(item: Any) -> None:
    if not isinstance(item, dict):
        raise bad_request("Field Order.items contains a value that is not an object")
    if item.get("quantity") is None:
        raise bad_request("Field OrderItem.quantity is absent")
    _numbers(item, ITEM_NUMBERS, "OrderItem")
    for tax in item.get("taxes") or ():
        if not isinstance(tax, dict):
            raise bad_request("Field OrderItem.taxes contains a value that is not an object")
        _numbers(tax, TAX_NUMBERS, "OrderItemTax")
    for name in ("productDimensions", "dimensions"):
        dims = _object(item.get(name), f"OrderItem.{name}")
        if dims is not None:
            _numbers(dims, DIMENSION_NUMBERS, "ProductDimensions")
    options = item.get("selectedOptions")
    if options is not None and not isinstance(options, list):
        raise bad_request("Field OrderItem.selectedOptions is not an array")
    for option in options or ():
        if not isinstance(option, dict):
            raise bad_request(
                "Field OrderItem.selectedOptions contains a value that is not an object"
            )
        files = option.get("files")
        if files is not None and not isinstance(files, list):
            raise bad_request("Field OrderItemOption.files is not an array")
