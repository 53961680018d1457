"""Backroom's own invoice and packing slip, rendered from ``resources/invoice/``.

Jinja2 with autoescape and ``StrictUndefined``; the templates receive only
text already formatted here (money per the store's currency, dates in the
store's time zone), never the raw order, so any order (fields missing,
``null`` or holding markup) renders, and every value is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from app.domain import money, raw_orders
from app.services.accounts.store_display import StoreDisplay
from app.services.invoices.letterhead import Letterhead
from app.services.invoices.money_format import MoneyFormat

TEMPLATE_DIR = Path(__file__).resolve().parents[3] / "resources" / "invoice"
"""Beside the ``app`` package, in a source tree and in the frozen bundle alike."""
OFFLINE_MARK = "Generated offline by Backroom"
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _text(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return ""
    return value.strip() if isinstance(value, str) else str(value)


def _dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _decimal(value: Any) -> Decimal:
    amount = money.amount(value)  # (what does not read as an amount counts as 0)
    return Decimal(0) if amount is None else amount


def _quantity(value: Any) -> str:
    amount = _decimal(value)
    return str(amount.normalize()) if amount != amount.to_integral() else str(int(amount))


def person_name(person: Mapping[str, Any]) -> str:
    name = _text(person.get("name"))
    if name:
        return name
    return " ".join(p for p in (_text(person.get("firstName")), _text(person.get("lastName"))) if p)


def address_lines(person: Any) -> list[str]:
    """A person as the lines of an address label."""
    person = _dict(person)
    region = " ".join(
        _text(person.get(name)) for name in ("city", "stateOrProvinceCode", "postalCode")
    )
    lines = [person_name(person), _text(person.get("companyName"))]
    lines += _text(person.get("street")).splitlines()
    lines += [" ".join(region.split())]
    lines += [_text(person.get("countryName")) or _text(person.get("countryCode"))]
    lines += [_text(person.get("phone"))]
    return [line.strip() for line in lines if line.strip()]


def order_date(order: Mapping[str, Any], letterhead: Letterhead | None) -> str:
    """When the order was placed, in the store's time zone, e.g. ``Nov 28, 2024, 19:41 CET``."""
    stamp = raw_orders.placed_timestamp(order.get("createTimestamp"), order.get("createDate"))
    if stamp is None:
        return _text(order.get("createDate"))  # in a form Backroom does not read: as it came
    moment = datetime.fromtimestamp(stamp, UTC)
    local = moment.astimezone(letterhead.zone() if letterhead else UTC)
    zone = local.tzname() or ""
    if zone[:1] in "+-":  # zones without an abbreviation: name them
        zone = letterhead.time_zone if letterhead and letterhead.time_zone else f"UTC{zone}"
    return f"{_MONTHS[local.month - 1]} {local.day}, {local.year}, {local:%H:%M} {zone}".strip()


def status_name(status: Any, display: StoreDisplay | None) -> str:
    """The store's name for a status; one it did not name made readable
    ("AWAITING_PAYMENT" -> "Awaiting payment")."""
    code = _text(status)
    if display and code in display.status_names:
        return display.status_names[code]
    return code.replace("_", " ").capitalize()


def _options(item: Mapping[str, Any]) -> list[dict[str, str]]:
    options = []
    for option in _list(item.get("selectedOptions")):
        option = _dict(option)
        if option.get("type") == "FILES":
            names = [_text(_dict(f).get("name")) for f in _list(option.get("files"))]
            value = ", ".join(name for name in names if name) or "no file"
        else:
            value = _text(option.get("value"))
        if _text(option.get("name")) or value:
            options.append({"name": _text(option.get("name")), "value": value})
    return options


def _items(order: Mapping[str, Any], money: MoneyFormat | None) -> list[dict[str, Any]]:
    items = []
    for item in map(_dict, _list(order.get("items"))):
        price, quantity = _decimal(item.get("price")), _decimal(item.get("quantity"))
        entry: dict[str, Any] = {
            "name": _text(item.get("name")),
            "sku": _text(item.get("sku")),
            "options": _options(item),
            "quantity": _quantity(item.get("quantity")),
        }
        if money is not None:
            entry["price"] = money.format(price)
            entry["total"] = money.format(price * quantity)
        items.append(entry)
    return items


def _tax_label(name: str, rate: Any) -> str:
    """A tax's name with its rate, the rate once: ``GST 10%``; a name that
    already shows its rate (``10% Tax``, ``VAT 19 %``, ``MwSt. 19,0%``) is kept."""
    name = name or "Tax"
    if not _decimal(rate):
        return name
    percent = _quantity(rate)
    number = re.escape(percent).replace(r"\.", "[.,]")
    zeros = "0*" if "." in percent else "(?:[.,]0+)?"  # 7.5 is 7.50; 19 is 19,0
    if re.search(rf"(?<![0-9.,]){number}{zeros}\s*%", name):
        return name
    return f"{name} {percent}%"


def _tax_lines(order: Mapping[str, Any], money: MoneyFormat) -> list[dict[str, str]]:
    """One line per tax (from the items' taxes) when they add up to the order's
    tax, else one line with the order's tax."""
    tax = _decimal(order.get("tax"))
    included = " (included)" if order.get("pricesIncludeTax") else ""
    by_name: dict[str, Decimal] = {}
    for item in map(_dict, _list(order.get("items"))):
        for entry in map(_dict, _list(item.get("taxes"))):
            label = _tax_label(_text(entry.get("name")), entry.get("value"))
            by_name[label] = by_name.get(label, Decimal(0)) + _decimal(entry.get("total"))
    if by_name and abs(sum(by_name.values()) - tax) < Decimal("0.01"):
        return [
            {"label": f"{label}{included}", "amount": money.format(value), "kind": "tax"}
            for label, value in by_name.items()
        ]
    return [{"label": f"Tax{included}", "amount": money.format(tax), "kind": "tax"}]


def _totals(order: Mapping[str, Any], money: MoneyFormat) -> list[dict[str, str]]:
    def line(label: str, value: Any, kind: str = "") -> dict[str, str]:
        return {"label": label, "amount": money.format(value), "kind": kind}

    lines = [line("Subtotal", _decimal(order.get("subtotal")), "subtotal")]
    discount = _decimal(order.get("discount"))
    if discount:
        names = [_text(_dict(d).get("description")) for d in _list(order.get("discountInfo"))]
        names = [name for name in names if name]
        lines.append(line(f"Discount ({', '.join(names)})" if names else "Discount", -discount))
    coupon = _decimal(order.get("couponDiscount"))
    if coupon:
        code = _text(_dict(order.get("discountCoupon")).get("code"))
        lines.append(line(f"Coupon ({code})" if code else "Coupon", -coupon))
    shipping = _dict(order.get("shippingOption"))
    if shipping:
        method = _text(shipping.get("shippingMethodName"))
        label = f"Shipping ({method})" if method else "Shipping"
        lines.append(line(label, _decimal(shipping.get("shippingRate"))))
    fee = _dict(order.get("handlingFee"))
    if _decimal(fee.get("value")):
        lines.append(line(_text(fee.get("name")) or "Handling", _decimal(fee.get("value"))))
    for surcharge in map(_dict, _list(order.get("customSurcharges"))):
        label = _text(surcharge.get("description")) or _text(surcharge.get("id")) or "Surcharge"
        lines.append(line(label, _decimal(surcharge.get("total"))))
    lines += _tax_lines(order, money)
    gift_card = _decimal(order.get("giftCardRedemption"))
    if gift_card:
        lines.append(line("Gift card", -gift_card))
    lines.append(line("Total", _decimal(order.get("total")), "total"))
    return lines


def _money(display: StoreDisplay | None, letterhead: Letterhead | None) -> MoneyFormat:
    if letterhead is not None and letterhead.money is not None:
        return letterhead.money
    if display is None:
        return MoneyFormat.for_currency("")
    return MoneyFormat.for_currency(display.currency_code, display.currency_symbol)


def _common(
    order: Mapping[str, Any],
    display: StoreDisplay | None,
    letterhead: Letterhead | None,
    number: str,
) -> dict[str, Any]:
    head = letterhead or Letterhead()
    shipping = _dict(order.get("shippingOption"))
    billing = _dict(order.get("billingPerson"))
    ship_to = _dict(order.get("shippingPerson")) or billing
    return {
        "store": {
            "name": head.store_name or (display.store_name if display else "") or "Invoice",
            "company": head.company_name,
            "address": head.address,
            "email": head.email,
            "phone": head.phone,
            "website": head.website,
        },
        "order": {"number": number, "id": _text(order.get("id")), "date": order_date(order, head)},
        "customer": {
            "name": person_name(billing) or person_name(ship_to),
            "email": _text(order.get("email")),
            "tax_id": _text(order.get("customerTaxId")),
        },
        "shipping": {
            "address": address_lines(ship_to),
            "method": _text(shipping.get("shippingMethodName")),
            "pickup": bool(shipping.get("isPickup")),
            "tracking": _text(order.get("trackingNumber")),
        },
        "comments": _text(order.get("orderComments")),
        "offline_notice": "",
    }


def render_invoice(
    order: Mapping[str, Any],
    display: StoreDisplay | None,
    letterhead: Letterhead | None,
    *,
    number: str,
    offline_notice: str,
) -> str:
    """Our invoice of ``order``; ``offline_notice`` (non-empty) is shown under
    the :data:`OFFLINE_MARK` banner."""
    money = _money(display, letterhead)
    context = _common(order, display, letterhead, number)
    context.update(
        title=f"Invoice {number}",
        heading="Invoice",
        billing=address_lines(order.get("billingPerson")),
        payment={
            "method": _text(order.get("paymentMethod")),
            "status": status_name(order.get("paymentStatus"), display),
            "fulfillment": status_name(order.get("fulfillmentStatus"), display),
        },
        items=_items(order, money),
        totals=_totals(order, money),
        offline_notice=offline_notice,
        footer=f"{OFFLINE_MARK} from the order as last synced." if offline_notice else "",
    )
    return environment().get_template("invoice.html.j2").render(context)


def render_packing_slip(
    order: Mapping[str, Any],
    display: StoreDisplay | None,
    letterhead: Letterhead | None,
    *,
    number: str,
) -> str:
    """The packing slip of ``order``: items and quantities, no prices."""
    context = _common(order, display, letterhead, number)
    items = _items(order, None)
    total = sum(
        (_decimal(item.get("quantity")) for item in map(_dict, _list(order.get("items")))),
        Decimal(0),
    )
    context.update(
        title=f"Packing slip {number}",
        heading="Packing slip",
        items=items,
        quantity=_quantity(total),
        footer="Thank you for your order.",
    )
    return environment().get_template("packing_slip.html.j2").render(context)
