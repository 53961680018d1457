"""Order dicts for the order-editing tests: one written out by hand (three items,
one with an uploaded file, fields Backroom does not know), and the demo store's
seeded orders, as the server would send them."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from functools import cache
from typing import Any

from app.sandbox.seed import seed_orders

PHOTO_FILE = {
    "id": 6000038,
    "name": "photo.jpg",
    "size": 3274145,
    "url": "https://walnut-linen.example/orderfile/4870020/6000038/3274145/photo.jpg",
}
EGOODS_FILE = {"productFileId": 7215004, "name": "pattern.pdf", "size": 2318220}

_MUG = {
    "id": 140000538,
    "productId": 71010,
    "categoryId": 9006,
    "price": 28.0,
    "productPrice": 28.0,
    "weight": 0.45,
    "sku": "WL-MG-O",
    "name": 'Hand-thrown mug "Morning"',
    "quantity": 2,
    "isShippingRequired": True,
    "dimensions": {"length": 12, "width": 9, "height": 10},
    "productDimensions": {"length": 12, "width": 9, "height": 10},
    "shipping": 5.15,
    "tax": 11.2,
    "taxes": [
        {
            "name": "VAT",
            "value": 20,
            "total": 11.2,
            "taxOnDiscountedSubtotal": 11.2,
            "taxOnShipping": 0,
        }
    ],
    "selectedOptions": [
        {
            "name": "Glaze",
            "type": "CHOICE",
            "value": "Oat",
            "valuesArray": ["Oat"],
            "selections": [
                {
                    "selectionTitle": "Oat",
                    "selectionModifier": 0,
                    "selectionModifierType": "ABSOLUTE",
                }
            ],
        },
        {"name": "Initials", "type": "TEXT", "value": "AO", "valuesArray": ["AO"]},
    ],
    "warehouseBin": "B-12",  # a field Backroom knows nothing about
}
_PATTERN = {
    "id": 140000544,
    "productId": 71018,
    "price": 9.5,
    "sku": "WL-PT",
    "name": "Tote pattern (PDF)",
    "quantity": 1,
    "digital": True,
    "tax": 0,
    "taxes": [],
    "files": [EGOODS_FILE],
}
_PRINT = {
    "id": 140000547,
    "productId": 71004,
    "price": 54.0,
    "weight": 0.5,
    "sku": "WL-PP",
    "name": "Custom photo print on linen",
    "quantity": 1,
    "tax": 10.8,
    "taxes": [{"name": "VAT", "value": 20, "total": 10.8}],
    "selectedOptions": [
        {"name": "Upload your photo", "type": "FILES", "files": [PHOTO_FILE]},
        {"name": "Size", "type": "CHOICE", "value": "Large", "valuesArray": ["Large"]},
    ],
    "externalReferenceId": {"erp": "PP-77"},
}


def three_item_order() -> dict[str, Any]:
    """An order with a mug (CHOICE and TEXT options), a digital pattern (an
    e-goods file) and a photo print with an uploaded photo (a FILES option)."""
    return copy.deepcopy(
        {
            "id": "DEMO-3H37E",
            "internalId": 390001672,
            "orderNumber": 1075,
            "updateTimestamp": 1767225600,
            "paymentStatus": "PAID",
            "fulfillmentStatus": "PROCESSING",
            "hidden": False,
            "email": "olivia@example.com",
            "trackingNumber": "",
            "privateAdminNotes": None,
            "subtotal": 119.5,
            "tax": 22.0,
            "total": 147.5,
            "pricesIncludeTax": False,
            "couponDiscount": 0,
            "discount": 0,
            "shippingOption": {
                "shippingMethodName": "Ground",
                "shippingRate": 6.0,
                "isPickup": False,
            },
            "handlingFee": {"name": "Handling", "value": 0, "description": ""},
            "billingPerson": {
                "name": "Olivia Johnson",
                "firstName": "Olivia",
                "lastName": "Johnson",
                "street": "97 Sunset Blvd",
                "city": "Chicago",
                "countryCode": "US",
                "countryName": "United States",
                "postalCode": "60656",
                "stateOrProvinceCode": "IL",
            },
            "items": [_MUG, _PATTERN, _PRINT],
            "utmData": {"source": "pinterest"},
            "orderExtraFields": [{"id": "gift", "value": "yes"}],
        }
    )


@cache
def _seeded() -> tuple[dict[str, Any], ...]:
    return tuple(seed_orders(400, 7, datetime(2026, 1, 1, tzinfo=UTC), 4870020))


def seeded_orders() -> list[dict[str, Any]]:
    """400 demo orders (fresh copies), legacy and unfinished ones included."""
    return copy.deepcopy(list(_seeded()))


def files_of(order: dict[str, Any]) -> list[dict[str, Any]]:
    """Every file attached to an item option of ``order``."""
    return [
        attached
        for item in order.get("items") or ()
        for option in item.get("selectedOptions") or ()
        for attached in option.get("files") or ()
    ]
