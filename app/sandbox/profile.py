"""The demo store's profile (``GET /profile``): name, company (with its tax
id, ``businessRegistrationID``, as the real profile carries it), formats and units.

Only the parts Backroom reads are here, in the shape of the real response.
The invoice uses the same data for its header.
"""

from __future__ import annotations

from typing import Any

from app.sandbox.catalog import STORE_URL

STORE_NAME = "Walnut & Linen (demo)"
COMPANY = {
    "companyName": "Walnut & Linen LLC",
    "email": "hello@walnut-linen.example",
    "street": "42 Kent Ave",
    "city": "Brooklyn",
    "countryCode": "US",
    "postalCode": "11249",
    "stateOrProvinceCode": "NY",
    "phone": "+1 718 555 0142",
}
TAX_ID = {"name": "EIN", "value": "84-2219077"}  # what the store calls its tax id, and the id


def store_profile(store_id: int) -> dict[str, Any]:
    return {
        "generalInfo": {
            "storeId": store_id,
            "storeUrl": STORE_URL,
            "starterSite": None,
            "websitePlatform": "ecwid",
        },
        "account": {
            "accountName": "Sam Walnut",
            "accountNickName": "sam",
            "accountEmail": "sam@walnut-linen.example",
            "availableFeatures": ["ORDER_EDITING", "CUSTOM_ORDER_STATUSES"],
        },
        "settings": {
            "closed": False,
            "storeName": STORE_NAME,
            "storeDescription": "Walnut boards & washed linen, made in Brooklyn.",
            "invoiceLogoUrl": None,
            "orderCommentsEnabled": True,
            "hideOutOfStockProductsInStorefront": False,
        },
        "company": dict(COMPANY),
        "businessRegistrationID": dict(TAX_ID),
        "formatsAndUnits": {
            "currency": "USD",
            "currencyPrefix": "$",
            "currencySuffix": "",
            "currencyGroupSeparator": ",",
            "currencyDecimalSeparator": ".",
            "currencyPrecision": 2,
            "currencyTruncateZeroFractional": False,
            "currencyRate": 1.0,
            "weightUnit": "KILOGRAM",
            "weightPrecision": 2,
            "dimensionsUnit": "CM",
            "dateFormat": "MMM d, yyyy",
            "timeFormat": "HH:mm",
            "timezone": "Europe/Berlin",
            "orderNumberPrefix": "",
            "orderNumberSuffix": "",
        },
        "languages": {
            "enabledLanguages": ["en", "de", "fr", "nl", "ja"],
            "defaultLanguage": "en",
        },
    }
