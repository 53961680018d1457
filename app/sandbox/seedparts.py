"""Pre-serialised pieces of seeded orders: customers, item variants, shipping.

Seeding 100,000 orders must take seconds, and ``json.dumps`` of a 4 KB order
alone costs ~50 µs. So the seed builds each customer, each product variant
and each shipping option once, keeps its JSON text, and assembles orders from
those texts plus a few per-order values (see :mod:`app.sandbox.seed`).
"""

from __future__ import annotations

import json
import random
import unicodedata
from bisect import bisect
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from app.sandbox import catalog as cat
from app.sandbox.dates import format_date

dump = json.JSONEncoder(separators=(",", ":")).encode
_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"


class Draw:
    """Fast deterministic draws on top of one ``random.Random``."""

    __slots__ = ("bits", "random")

    def __init__(self, rng: random.Random) -> None:
        self.random = rng.random
        self.bits = rng.getrandbits

    def pick(self, seq: Any) -> Any:
        return seq[int(self.random() * len(seq))]

    def chance(self, probability: float) -> bool:
        return self.random() < probability

    def between(self, low: int, high: int) -> int:
        return low + int(self.random() * (high - low + 1))

    def digits(self, count: int) -> str:
        """``count`` random decimal digits (``count`` <= 15)."""
        return f"{int(self.random() * 10**count):0{count}d}"

    def hex(self, count: int) -> str:
        """``count`` random lowercase hex digits."""
        return f"{self.bits(4 * count):0{count}x}"

    def fill(self, pattern: str) -> str:
        """Replace each ``#`` by a digit and each ``A`` by a letter (slow; not per order)."""
        out = []
        for ch in pattern:
            if ch == "#":
                out.append("0123456789"[int(self.random() * 10)])
            elif ch == "A":
                out.append(_LETTERS[int(self.random() * 23)])
            else:
                out.append(ch)
        return "".join(out)


class Weighted:
    """Draw from ``(value, weight)`` pairs."""

    def __init__(self, pairs: Any) -> None:
        pairs = list(pairs)
        self.values = [value for value, _ in pairs]
        self.cumulative = list(accumulate(weight for _, weight in pairs))
        self.total = self.cumulative[-1]

    def draw(self, draw: Draw) -> Any:
        return self.values[bisect(self.cumulative, draw.random() * self.total)]


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum()) or "kunde"


@dataclass
class Customer:
    country: cat.Country
    person: dict[str, Any]
    person_json: str
    email: str
    group: tuple[int, str, float]
    tax_id: str
    fields_json: str  # email, customerId, group, tax id, lang: a JSON object body
    customer_id: int | None = None  # registered customers only


CUSTOMER_ID_BASE = 50_000_000
PREORDER_BELOW = 3  # a variant with fewer in stock is sold as a pre-order
SUBSCRIPTION_ID_BASE = 260_000

_GROUPS = Weighted(zip(cat.CUSTOMER_GROUPS, (85, 10, 5), strict=True))
_COUNTRIES = Weighted((c, c.weight) for c in cat.COUNTRIES)
_EU = {"DE", "FR", "NL"}


def make_customer(draw: Draw, index: int) -> Customer:
    country: cat.Country = _COUNTRIES.draw(draw)
    city = draw.pick(country.cities)
    first = draw.pick(country.first_names)
    last = draw.pick(country.last_names)
    registered = draw.chance(0.65)
    group = _GROUPS.draw(draw) if registered else cat.CUSTOMER_GROUPS[0]
    company = None
    if group[1] == "Trade" or draw.chance(0.05):
        company = f"{last} {draw.pick(('Interiors', 'Café', '& Co', 'Studio', 'Werkstatt'))}"
    street = f"{draw.between(1, 240)} {draw.pick(country.streets)}"
    if draw.chance(0.1):
        street += f"\nApt {draw.between(1, 40)}"
    person = {
        "name": f"{first} {last}",
        "firstName": first,
        "lastName": last,
        "companyName": company if company is not None else draw.pick(("", None)),
        "street": street,
        "city": city.name,
        "countryCode": country.code,
        "countryName": country.name,
        "postalCode": draw.fill(city.postal),
        "stateOrProvinceCode": city.state_code or None,
        "stateOrProvinceName": city.state_name or None,
        "phone": draw.fill(country.phone) if draw.chance(0.85) else None,
    }
    email = f"{_ascii(first)}.{_ascii(last)}{index}@{draw.pick(country.mail_domains)}"
    tax_id = f"{country.code}{draw.between(100000000, 999999999)}" if company else ""
    exempt = bool(tax_id) and (country.code == "US" or country.code in _EU)
    customer_id = CUSTOMER_ID_BASE + index * 7 if registered else None
    fields = {
        "email": email,
        "customerId": customer_id,
        "customerGroupId": group[0],
        "customerGroup": group[1],
        "customerTaxExempt": exempt and country.code == "US",
        "customerTaxId": tax_id,
        "customerTaxIdValid": bool(tax_id),
        "reversedTaxApplied": exempt and country.code in _EU,
        "lang": country.lang,
        "b2b_b2c": "b2b" if tax_id else "b2c",
    }
    return Customer(
        country,
        person,
        dump(person),
        email,
        group,
        tax_id,
        dump(fields)[1:-1],
        customer_id,
    )


def subscription_id(customer: Customer, product: cat.Product) -> int | None:
    """The recurring subscription a registered customer buys ``product`` under, if any."""
    if not product.subscription or customer.customer_id is None:
        return None
    return SUBSCRIPTION_ID_BASE + (customer.customer_id - CUSTOMER_ID_BASE) // 7


def tax_rate(customer: Customer) -> float:
    """The customer's tax rate in percent: 0 for exempt and reverse-charged buyers."""
    if customer.tax_id and (customer.country.code == "US" or customer.country.code in _EU):
        return 0.0
    return customer.country.tax_rate


@dataclass
class ItemVariant:
    """A product with its options chosen; ``static_json`` is an item's fixed fields."""

    product: cat.Product
    price: float
    sku: str
    static_json: str  # fields of the item object, without braces
    options: list[str | cat.OptionSpec]  # JSON of fixed options; DATE/FILES stay specs


def _choice_option(draw: Draw, spec: cat.OptionSpec) -> tuple[dict[str, Any], float]:
    if spec.type == "CHOICE":
        picks = [draw.pick(spec.choices)]
    else:
        picks = [choice for choice in spec.choices if draw.chance(0.5)] or [spec.choices[0]]
    values = [value for value, _ in picks]
    option = {
        "name": spec.name,
        "type": spec.type,
        "value": ", ".join(values),
        "valuesArray": values,
        "selections": [
            {"selectionTitle": v, "selectionModifier": m, "selectionModifierType": "ABSOLUTE"}
            for v, m in picks
        ],
    }
    return option, sum(modifier for _, modifier in picks)


def _text_value(draw: Draw, spec: cat.OptionSpec) -> str:
    if spec.name == "Initials":
        return draw.pick(cat.INITIALS)
    if spec.name == "Message":
        return draw.pick(cat.MESSAGES)
    return draw.pick(cat.ENGRAVING_TEXTS) if draw.chance(0.8) else ""


def make_variant(draw: Draw, product: cat.Product) -> ItemVariant:
    options: list[str | cat.OptionSpec] = []
    markup = 0.0
    sku = product.sku
    for position, spec in enumerate(product.options):
        if spec.type in ("CHOICE", "CHOICES"):
            option, extra = _choice_option(draw, spec)
            markup += extra
            if position == 0 and spec.type == "CHOICE":
                sku += "-" + "".join(word[0] for word in option["value"].split()).upper()
            options.append(dump(option))
        elif spec.type == "TEXT":
            value = _text_value(draw, spec)
            option = {"name": spec.name, "type": "TEXT", "value": value, "valuesArray": [value]}
            options.append(dump(option))
        else:
            options.append(spec)
    length, width, height = product.dims
    dims = {"length": length, "width": width, "height": height}
    image = f"{cat.IMAGE_BASE}/{product.sku.lower()}"
    price = round(product.price + markup, 2)
    fields = {
        "productId": product.product_id,
        "categoryId": product.category_id,
        "price": price,
        "productPrice": product.price,
        "weight": product.weight,
        "sku": sku,
        "shortDescription": product.description,
        "name": product.name,
        "quantityInStock": (stock := draw.between(0, 120)),
        "isShippingRequired": product.shipping_required,
        "trackQuantity": not product.digital,
        "fixedShippingRateOnly": False,
        "fixedShippingRate": 0,
        "imageUrl": f"{image}.jpg",
        "smallThumbnailUrl": f"{image}-sm.jpg",
        "digital": product.digital,
        "productAvailable": draw.chance(0.97),
        "isGiftCard": product.sku == "WL-GC",
        "productDimensions": dims,
        "dimensions": dims,
    }
    if stock < PREORDER_BELOW and not product.digital:  # sold out: taken as a pre-order
        fields["isPreorder"] = True
    return ItemVariant(product, price, sku, dump(fields)[1:-1], options)


def dynamic_option(
    draw: Draw, spec: cat.OptionSpec, created: int, store_id: int, next_file_id: int
) -> tuple[str, int]:
    """JSON of a DATE or FILES option for one order; returns the last file id used."""
    if spec.type == "DATE":
        value = format_date(created + draw.between(2, 40) * 86400)[:10]
        name = dump(spec.name)
        text = f'{{"name":{name},"type":"DATE","value":"{value}","valuesArray":["{value}"]}}'
        return text, next_file_id
    files = []
    count = 0 if draw.chance(0.4) else (1 if draw.chance(0.85) else 2)
    for _ in range(count):
        next_file_id += draw.between(1, 5)
        name = draw.pick(cat.FILE_NAMES)
        size = draw.between(20_000, 8_000_000)
        url = (
            f"{cat.STORE_URL}/orderfile/{store_id}/{next_file_id}/{size}/{name.replace(' ', '%20')}"
        )
        files.append({"id": next_file_id, "name": name, "size": size, "url": url})
    return dump({"name": spec.name, "type": "FILES", "files": files}), next_file_id


def product_file_json(product: cat.Product, created: int, store_id: int, draw: Draw) -> str:
    file_id = 7_215_000 + product.product_id % 1000
    return dump(
        [
            {
                "productFileId": file_id,
                "maxDownloads": 5,
                "remainingDownloads": draw.between(0, 5),
                "expire": format_date(created + 30 * 86400),
                "name": "linen-tote-pattern.pdf",
                "description": "Pattern, A4 and US Letter",
                "size": 2_318_220,
                "adminUrl": f"{cat.STORE_URL}/admin/products/{product.product_id}/files/{file_id}",
                "customerUrl": f"{cat.STORE_URL}/download/{store_id}/{file_id}/pattern.pdf",
            }
        ]
    )


@dataclass
class ShippingChoice:
    name: str
    rate: float
    carrier: str
    is_pickup: bool
    json: str


def shipping_choices(country: cat.Country) -> list[ShippingChoice]:
    choices = []
    for carrier, name, rate, transit in country.carriers or cat.INTERNATIONAL:
        option = {
            "shippingMethodName": name,
            "shippingRate": rate,
            "estimatedTransitTime": transit,
            "isPickup": False,
            "pickupInstruction": "",
            "fulfillmentType": "SHIPPING",
        }
        if carrier:
            option["shippingCarrierName"] = carrier
        choices.append(ShippingChoice(name, rate, carrier, False, dump(option)))
    return choices


def pickup_choice() -> ShippingChoice:
    name, instruction = cat.PICKUP
    option = {
        "shippingMethodName": name,
        "shippingRate": 0.0,
        "estimatedTransitTime": "",
        "isPickup": True,
        "pickupInstruction": instruction,
        "fulfillmentType": "PICKUP",
    }
    return ShippingChoice(name, 0.0, "", True, dump(option))


def tracking_number(draw: Draw, carrier: str) -> str:
    if carrier == "UPS":
        return f"1Z{draw.digits(3)}AA1{draw.digits(12)}"
    if carrier == "DHL":
        return f"JD0146{draw.digits(12)}"
    d = draw.digits(15) + draw.digits(2)
    return f"9400 1{d[:3]} {d[3:7]} {d[7:11]} {d[11:15]} {d[15:]}"
