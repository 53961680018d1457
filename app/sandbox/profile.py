"""The demo store's profile (``GET /profile``): name, company (with its tax
id, ``businessRegistrationID``, as the real profile carries it), formats and units.

Only the parts Backroom reads are here, in the shape of the real response.
The invoice uses the same data for its header.

``backroom --demo --demo-stores 3`` runs several demo stores side by side:
each serves one of :data:`DEMO_PROFILES` (its own name, company, tax id,
currency and time zone), so the view across stores has stores to tell apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class DemoProfile:
    """Who one demo store is: what its profile and its invoices say."""

    store_name: str = STORE_NAME
    company: dict[str, str] = field(default_factory=lambda: dict(COMPANY))
    tax_id: dict[str, str] = field(default_factory=lambda: dict(TAX_ID))
    currency: str = "USD"
    currency_prefix: str = "$"
    currency_suffix: str = ""
    group_separator: str = ","
    decimal_separator: str = "."
    timezone: str = "Europe/Berlin"
    store_url: str = STORE_URL
    owner: str = "Sam Walnut"
    description: str = "Walnut boards & washed linen, made in Brooklyn."

    def money(self, amount: float) -> str:
        """``amount`` written the store's way ("$1,234.50", "1.234,50 €")."""
        sign = "-" if amount < 0 else ""
        digits = f"{abs(amount):,.2f}"
        separators: dict[str, str | int | None] = {
            ",": self.group_separator,
            ".": self.decimal_separator,
        }
        digits = digits.translate(str.maketrans(separators))
        return f"{sign}{self.currency_prefix}{digits}{self.currency_suffix}"


WALNUT = DemoProfile()
BIRCH = DemoProfile(
    store_name="Birch & Wool (demo)",
    company={
        "companyName": "Birch & Wool GmbH",
        "email": "hallo@birch-wool.example",
        "street": "Oranienstraße 12",
        "city": "Berlin",
        "countryCode": "DE",
        "postalCode": "10999",
        "stateOrProvinceCode": "BE",
        "phone": "+49 30 5550 1234",
    },
    tax_id={"name": "USt-IdNr.", "value": "DE298765432"},
    currency="EUR",
    currency_prefix="",
    currency_suffix=" €",
    group_separator=".",
    decimal_separator=",",
    timezone="Europe/Berlin",
    store_url="https://birch-wool.example",
    owner="Lena Birke",
    description="Wool blankets and birch kitchenware from Berlin.",
)
COPPER = DemoProfile(
    store_name="Copper Kettle (demo)",
    company={
        "companyName": "Copper Kettle Ltd",
        "email": "hello@copper-kettle.example",
        "street": "7 Mill Lane",
        "city": "Bristol",
        "countryCode": "GB",
        "postalCode": "BS1 4DJ",
        "stateOrProvinceCode": "",
        "phone": "+44 117 555 0177",
    },
    tax_id={"name": "VAT", "value": "GB123456789"},
    currency="GBP",
    currency_prefix="£",
    timezone="Europe/London",
    store_url="https://copper-kettle.example",
    owner="Tom Copper",
    description="Copper kettles, teapots and mugs, hammered in Bristol.",
)
DEMO_PROFILES: tuple[DemoProfile, ...] = (WALNUT, BIRCH, COPPER)
"""The demo stores of ``--demo-stores``, in order (more stores repeat them, numbered)."""


def demo_profile(number: int) -> DemoProfile:
    """The ``number``-th demo store (0: the one ``--demo`` alone shows)."""
    base = DEMO_PROFILES[number % len(DEMO_PROFILES)]
    if number < len(DEMO_PROFILES):
        return base
    name = base.store_name.removesuffix(" (demo)")
    return DemoProfile(**{**base.__dict__, "store_name": f"{name} {number + 1} (demo)"})


def store_profile(store_id: int, profile: DemoProfile = WALNUT) -> dict[str, Any]:
    company = profile.company
    return {
        "generalInfo": {
            "storeId": store_id,
            "storeUrl": profile.store_url,
            "starterSite": None,
            "websitePlatform": "ecwid",
        },
        "account": {
            "accountName": profile.owner,
            "accountNickName": profile.owner.split()[0].lower(),
            "accountEmail": company["email"],
            "availableFeatures": ["ORDER_EDITING", "CUSTOM_ORDER_STATUSES"],
        },
        "settings": {
            "closed": False,
            "storeName": profile.store_name,
            "storeDescription": profile.description,
            "invoiceLogoUrl": None,
            "orderCommentsEnabled": True,
            "hideOutOfStockProductsInStorefront": False,
        },
        "company": dict(company),
        "businessRegistrationID": dict(profile.tax_id),
        "formatsAndUnits": {
            "currency": profile.currency,
            "currencyPrefix": profile.currency_prefix,
            "currencySuffix": profile.currency_suffix,
            "currencyGroupSeparator": profile.group_separator,
            "currencyDecimalSeparator": profile.decimal_separator,
            "currencyPrecision": 2,
            "currencyTruncateZeroFractional": False,
            "currencyRate": 1.0,
            "weightUnit": "KILOGRAM",
            "weightPrecision": 2,
            "dimensionsUnit": "CM",
            "dateFormat": "MMM d, yyyy",
            "timeFormat": "HH:mm",
            "timezone": profile.timezone,
            "orderNumberPrefix": "",
            "orderNumberSuffix": "",
        },
        "languages": {
            "enabledLanguages": ["en", "de", "fr", "nl", "ja"],
            "defaultLanguage": "en",
        },
    }
