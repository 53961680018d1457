"""The demo store's profile (``GET /profile``): name, company (with its tax
id, ``businessRegistrationID``, as the real profile carries it), formats and units.

Only the parts Backroom reads are here, in the shape of the real response.
The invoice uses the same data for its header.

``backroom --demo --demo-stores 3`` runs several demo stores side by side:
each serves one of :data:`DEMO_PROFILES` (its own name, company, tax id,
currency and time zone), so the view across stores has stores to tell apart.
A row of that table says only what sets its store apart; the shape of the
profile is written once (:func:`store_profile`), and each currency's way of
writing money once (:data:`MONEY_FORMATS`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from app.sandbox.catalog import STORE_URL

COMPANY_FIELDS = (
    "companyName",
    "email",
    "street",
    "city",
    "countryCode",
    "postalCode",
    "stateOrProvinceCode",
    "phone",
)
"""The profile's ``company`` block: what each row of :data:`DEMO_PROFILES` gives, in this order."""


@dataclass(frozen=True)
class MoneyFormat:
    """How a currency's amounts are written ("$1,234.50", "1.234,50 €")."""

    prefix: str
    suffix: str
    group_separator: str
    decimal_separator: str


MONEY_FORMATS = {
    "USD": MoneyFormat("$", "", ",", "."),
    "EUR": MoneyFormat("", " €", ".", ","),
    "GBP": MoneyFormat("£", "", ",", "."),
}
"""Each demo store's currency, written the way the store writes it."""


@dataclass(frozen=True)
class DemoProfile:
    """Who one demo store is: what its profile and its invoices say."""

    store_name: str
    owner: str
    description: str
    store_url: str
    currency: str
    timezone: str
    tax: tuple[str, str]  # what the store calls its tax id, and the id
    address: tuple[str, ...]  # the company: COMPANY_FIELDS, in that order

    @property
    def company(self) -> dict[str, str]:
        """The profile's ``company`` block (name, e-mail, address, phone)."""
        return dict(zip(COMPANY_FIELDS, self.address, strict=True))

    @property
    def tax_id(self) -> dict[str, str]:
        """The profile's ``businessRegistrationID``."""
        name, value = self.tax
        return {"name": name, "value": value}

    @property
    def money_format(self) -> MoneyFormat:
        return MONEY_FORMATS[self.currency]

    def money(self, amount: float) -> str:
        """``amount`` written the store's way ("$1,234.50", "1.234,50 €")."""
        written = self.money_format
        sign = "-" if amount < 0 else ""
        digits = f"{abs(amount):,.2f}"
        separators: dict[str, str | int | None] = {
            ",": written.group_separator,
            ".": written.decimal_separator,
        }
        digits = digits.translate(str.maketrans(separators))
        return f"{sign}{written.prefix}{digits}{written.suffix}"


DEMO_PROFILES: tuple[DemoProfile, ...] = (
    DemoProfile(
        "Walnut & Linen (demo)",
        owner="Sam Walnut",
        description="Walnut boards & washed linen, made in Brooklyn.",
        store_url=STORE_URL,
        currency="USD",
        timezone="Europe/Berlin",
        tax=("EIN", "84-2219077"),
        address=(
            "Walnut & Linen LLC",
            "hello@walnut-linen.example",
            "42 Kent Ave",
            "Brooklyn",
            "US",
            "11249",
            "NY",
            "+1 718 555 0142",
        ),
    ),
    DemoProfile(
        "Birch & Wool (demo)",
        owner="Lena Birke",
        description="Wool blankets and birch kitchenware from Berlin.",
        store_url="https://birch-wool.example",
        currency="EUR",
        timezone="Europe/Berlin",
        tax=("USt-IdNr.", "DE298765432"),
        address=(
            "Birch & Wool GmbH",
            "hallo@birch-wool.example",
            "Oranienstraße 12",
            "Berlin",
            "DE",
            "10999",
            "BE",
            "+49 30 5550 1234",
        ),
    ),
    DemoProfile(
        "Copper Kettle (demo)",
        owner="Tom Copper",
        description="Copper kettles, teapots and mugs, hammered in Bristol.",
        store_url="https://copper-kettle.example",
        currency="GBP",
        timezone="Europe/London",
        tax=("VAT", "GB123456789"),
        address=(
            "Copper Kettle Ltd",
            "hello@copper-kettle.example",
            "7 Mill Lane",
            "Bristol",
            "GB",
            "BS1 4DJ",
            "",
            "+44 117 555 0177",
        ),
    ),
)
"""The demo stores of ``--demo-stores``, in order (more stores repeat them, numbered)."""
WALNUT, BIRCH, COPPER = DEMO_PROFILES  # (the first is the demo store ``--demo`` shows alone)


def demo_profile(number: int) -> DemoProfile:
    """The ``number``-th demo store (0: the one ``--demo`` alone shows)."""
    base = DEMO_PROFILES[number % len(DEMO_PROFILES)]
    if number < len(DEMO_PROFILES):
        return base
    name = base.store_name.removesuffix(" (demo)")
    return replace(base, store_name=f"{name} {number + 1} (demo)")


def store_profile(store_id: int, profile: DemoProfile = WALNUT) -> dict[str, Any]:
    company = profile.company
    written = profile.money_format
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
            "currencyPrefix": written.prefix,
            "currencySuffix": written.suffix,
            "currencyGroupSeparator": written.group_separator,
            "currencyDecimalSeparator": written.decimal_separator,
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
