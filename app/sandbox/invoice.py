"""The HTML invoice of an order (``GET /orders/{id}/invoice``).

Rendered with Jinja2 (autoescape on, ``StrictUndefined``) from
``templates/invoice.html``. Like the real invoice the page carries script
(``<body onload="window.print()">``); it also has an inline script that
replaces the whole page with ``SCRIPT RAN`` on ``DOMContentLoaded``, so a
viewer can prove that it renders server HTML with JavaScript off.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2

from app.sandbox.dates import parse_date
from app.sandbox.profile import WALNUT, DemoProfile

_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _money(value: Any, profile: DemoProfile = WALNUT) -> str:
    return profile.money(float(value or 0))


def _address(person: Any) -> list[str]:
    if not isinstance(person, dict):
        return []
    region = " ".join(
        str(part)
        for part in (
            person.get("city"),
            person.get("stateOrProvinceCode"),
            person.get("postalCode"),
        )
        if part
    )
    lines = [person.get("name"), person.get("companyName")]
    lines += str(person.get("street") or "").split("\n")
    lines += [region, person.get("countryName"), person.get("phone")]
    return [str(line) for line in lines if line]


def _date(order: dict[str, Any]) -> str:
    stamp = order.get("createTimestamp")
    if not isinstance(stamp, int) and isinstance(order.get("createDate"), str):
        stamp = parse_date(order["createDate"])
    if stamp is None:
        return ""
    moment = datetime.fromtimestamp(stamp, UTC)
    return f"{moment:%b} {moment.day}, {moment:%Y %H:%M} UTC"


def _items(order: dict[str, Any], profile: DemoProfile) -> list[dict[str, Any]]:
    items = []
    for item in order.get("items") or ():
        if not isinstance(item, dict):
            continue
        options = []
        for option in item.get("selectedOptions") or ():
            if not isinstance(option, dict):
                continue
            if option.get("type") == "FILES":
                names = [
                    f.get("name", "") for f in option.get("files") or () if isinstance(f, dict)
                ]
                value = ", ".join(names) or "no file"
            else:
                value = option.get("value") or ""
            options.append({"name": option.get("name") or "", "value": value})
        quantity = item.get("quantity") or 0
        price = item.get("price") or 0
        items.append(
            {
                "name": item.get("name") or "",
                "sku": item.get("sku") or "",
                "options": options,
                "quantity": quantity,
                "price": _money(price, profile),
                "total": _money(price * quantity, profile),
            }
        )
    return items


def _totals(order: dict[str, Any], profile: DemoProfile) -> list[tuple[str, str]]:
    totals = [("Subtotal", _money(order.get("subtotal"), profile))]
    discount = (order.get("discount") or 0) + (order.get("couponDiscount") or 0)
    if discount:
        coupon = order.get("discountCoupon")
        label = f"Discount ({coupon.get('code')})" if isinstance(coupon, dict) else "Discount"
        totals.append((label, _money(-discount, profile)))
    shipping = order.get("shippingOption")
    if isinstance(shipping, dict):
        totals.append(("Shipping", _money(shipping.get("shippingRate"), profile)))
    fee = order.get("handlingFee")
    if isinstance(fee, dict) and fee.get("value"):
        totals.append((str(fee.get("name") or "Handling"), _money(fee.get("value"), profile)))
    for surcharge in order.get("customSurcharges") or ():
        if isinstance(surcharge, dict):
            totals.append(
                (
                    str(surcharge.get("description") or "Surcharge"),
                    _money(surcharge.get("total"), profile),
                )
            )
    label = "Tax (included)" if order.get("pricesIncludeTax") else "Tax"
    totals.append((label, _money(order.get("tax"), profile)))
    totals.append(("Total", _money(order.get("total"), profile)))
    return totals


def render_invoice(order: dict[str, Any], profile: DemoProfile = WALNUT) -> str:
    """The invoice page of ``order`` (callers refuse ``INCOMPLETE`` orders),
    with the letterhead and money of the store ``profile`` describes."""
    option = order.get("shippingOption")
    shipping: dict[str, Any] = option if isinstance(option, dict) else {}
    company = profile.company
    region = " ".join(
        part for part in (company["stateOrProvinceCode"], company["postalCode"]) if part
    )
    context = {
        "store": {
            "name": profile.store_name,
            "url": profile.store_url,
            "address": [
                company["companyName"],
                company["street"],
                f"{company['city']}, {region}",
                company["email"],
            ],
        },
        "order": {
            "number": order.get("vendorOrderNumber") or order.get("orderNumber") or "",
            "id": order.get("id") or "",
            "date": _date(order),
            "email": order.get("email") or "",
            "billing": _address(order.get("billingPerson")),
            "shipping_address": _address(order.get("shippingPerson")),
            "pickup": bool(shipping.get("isPickup")),
            "shipping_method": shipping.get("shippingMethodName") or "",
            "payment_method": order.get("paymentMethod") or "",
            "comments": order.get("orderComments") or "",
        },
        "items": _items(order, profile),
        "totals": _totals(order, profile),
    }
    return _ENV.get_template("invoice.html").render(context)
