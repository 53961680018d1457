"""The money of a seeded order: discounts, coupon, shipping, taxes, totals.

Everything is rounded to cents and adds up the way an Ecwid order does::

    total = subtotal - couponDiscount - discount + shipping + handlingFee.value
            + sum(customSurcharges.total) (+ tax, unless pricesIncludeTax)

Taxes are computed per item (``OrderItemTax``) on the item's discounted
subtotal and its share of shipping; the order's ``tax`` is their sum.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.sandbox import catalog as cat
from app.sandbox.seedparts import Customer, Draw, ItemVariant, ShippingChoice, dump, tax_rate

_EU = {"DE", "FR", "NL"}
_HANDLING_GIFT = dump(
    {"name": "Gift wrapping", "value": 4.0, "description": "Wrapped in linen with a walnut tag"}
)
_HANDLING_NONE = dump({"name": "Handling", "value": 0.0, "description": ""})
_SURCHARGE = {
    "id": "eco_packaging",
    "value": 1.5,
    "type": "ABSOLUTE",
    "total": 1.5,
    "totalWithoutTax": 1.5,
    "description": "Plastic-free packaging",
    "descriptionTranslated": "Plastic-free packaging",
    "taxable": False,
}
_SURCHARGES = dump([_SURCHARGE])


def _coupon_json(index: int, code: str, name: str, kind: str, amount: float) -> str:
    return dump(
        {
            "id": 1_000 + index,
            "name": name,
            "code": code,
            "discountType": kind,
            "status": "ACTIVE",
            "discount": amount,
            "launchDate": "2023-01-01 00:00:00 +0000",
            "expirationDate": None,
            "totalLimit": 0,
            "usesLimit": "UNLIMITED",
            "repeatCustomerOnly": False,
            "creationDate": "2022-12-20 10:00:00 +0000",
            "orderCount": 0,
            "catalogLimit": {"products": [], "categories": []},
        }
    )


_COUPONS = [(c, _coupon_json(i, *c)) for i, c in enumerate(cat.COUPONS)]
_TAX_NAMES = {c.code: dump(c.tax_name) for c in cat.COUNTRIES}
_VOLUME_INFO = {"value": 5, "type": "PERCENT", "base": "ON_TOTAL", "orderTotal": 150}
_DISCOUNT_INFO: dict[tuple[bool, float], str] = {}


def _discount_info(volume: bool, membership_rate: float) -> str:
    key = (volume, membership_rate)
    text = _DISCOUNT_INFO.get(key)
    if text is None:
        info = [_VOLUME_INFO] if volume else []
        if membership_rate:
            info.append(
                {
                    "value": membership_rate,
                    "type": "PERCENT",
                    "base": "ON_MEMBERSHIP",
                    "orderTotal": 0,
                }
            )
        text = _DISCOUNT_INFO[key] = dump(info)
    return text


def _money(value: float) -> float:
    return round(value + 1e-9, 2)


@dataclass
class Pricing:
    subtotal: float
    total: float
    coupon_code: str
    item_fields: list[str]  # per item: shipping, tax, couponApplied, taxes (JSON members)
    order_fields: str  # the order's money members, JSON without braces


def price_order(
    draw: Draw,
    lines: list[tuple[ItemVariant, int]],
    customer: Customer,
    shipping: ShippingChoice | None,
) -> Pricing:
    """Price ``lines`` (variant, quantity) for ``customer`` shipped with ``shipping``."""
    country = customer.country
    amounts = [variant.price * quantity for variant, quantity in lines]
    subtotal = _money(sum(amounts))
    shipping_rate = shipping.rate if shipping else 0.0

    coupon_json = ""
    coupon_code = ""
    coupon_discount = 0.0
    goods_coupon = 0.0
    if draw.chance(0.12):
        (code, _name, kind, amount), coupon_json = draw.pick(_COUPONS)
        coupon_code = code
        if kind == "PERCENT":
            coupon_discount = goods_coupon = _money(subtotal * amount / 100)
        elif kind == "ABS":
            coupon_discount = goods_coupon = min(amount, subtotal)
        else:
            coupon_discount = shipping_rate
    membership_rate = customer.group[2]
    membership = _money(subtotal * membership_rate / 100)
    volume = _money(subtotal * 0.05) if subtotal >= 150 and draw.chance(0.5) else 0.0
    discount = _money(volume + membership)

    percent = tax_rate(customer)
    rate = percent / 100
    included = country.prices_include_tax
    taxed_shipping = included or country.code in _EU or country.code == "CA"
    shippable_value = sum(
        a for a, (v, _) in zip(amounts, lines, strict=True) if v.product.shipping_required
    )
    goods_discount = discount + goods_coupon
    item_fields = []
    tax_total = 0.0
    for amount, (variant, _) in zip(amounts, lines, strict=True):
        share = amount / subtotal if subtotal else 0.0
        ships = variant.product.shipping_required and shippable_value > 0
        ship_share = shipping_rate * amount / shippable_value if ships else 0.0
        discounted = amount - goods_discount * share
        if included:
            on_goods = discounted * rate / (1 + rate)
            on_shipping = ship_share * rate / (1 + rate)
        else:
            on_goods = discounted * rate
            on_shipping = ship_share * rate if taxed_shipping else 0.0
        item_tax = _money(on_goods + on_shipping)
        tax_total += item_tax
        taxes = "[]"
        if rate:
            taxes = (
                f'[{{"name":{_TAX_NAMES[country.code]},"value":{percent},"total":{item_tax},'
                f'"taxOnDiscountedSubtotal":{_money(on_goods)},'
                f'"taxOnShipping":{_money(on_shipping)},'
                f'"includeInPrice":{"true" if included else "false"}}}]'
            )
        coupon_applied = "true" if goods_coupon else "false"
        item_fields.append(
            f'"shipping":{_money(ship_share)},"tax":{item_tax},'
            f'"couponApplied":{coupon_applied},"taxes":{taxes}'
        )

    tax = _money(tax_total)
    gift_wrap = draw.chance(0.2)
    surcharge = draw.chance(0.1)
    extra = (4.0 if gift_wrap else 0.0) + (1.5 if surcharge else 0.0)
    total = subtotal - coupon_discount - discount + shipping_rate + extra
    total = _money(max(0.0, total + (0.0 if included else tax)))
    without_tax = _money(subtotal / (1 + rate)) if included else subtotal
    fields = (
        f'"subtotal":{subtotal},"subtotalWithoutTax":{without_tax},"total":{total},'
        f'"totalBeforeGiftCardRedemption":{total},"usdTotal":{total},"tax":{tax},'
        f'"pricesIncludeTax":{"true" if included else "false"},'
        f'"couponDiscount":{coupon_discount},"discount":{discount},"volumeDiscount":{volume},'
        f'"membershipBasedDiscount":{membership},"totalAndMembershipBasedDiscount":0,'
        f'"discountInfo":{_discount_info(bool(volume), membership_rate if membership else 0.0)},'
        f'"handlingFee":{_HANDLING_GIFT if gift_wrap else _HANDLING_NONE},'
        f'"customSurcharges":{_SURCHARGES if surcharge else "[]"}'
    )
    if coupon_json:
        fields += f',"discountCoupon":{coupon_json}'
    fields += "," + _packages(lines)
    return Pricing(subtotal, total, coupon_code, item_fields, fields)


def _packages(lines: list[tuple[ItemVariant, int]]) -> str:
    shippable = [(v, q) for v, q in lines if v.product.shipping_required]
    if not shippable:
        return '"predictedPackages":[],"predictedPackage":[]'
    dims = [v.product.dims for v, _ in shippable]
    length = max(d[0] for d in dims)
    width = max(d[1] for d in dims)
    height = _money(sum(d[2] * q for d, (_, q) in zip(dims, shippable, strict=True)))
    weight = _money(sum(v.product.weight * q for v, q in shippable))
    value = _money(sum(v.price * q for v, q in shippable))
    package = (
        f'[{{"length":{length},"width":{width},"height":{height},'
        f'"weight":{weight},"declaredValue":{value}}}]'
    )
    return f'"predictedPackages":{package},"predictedPackage":{package}'
