"""The totals of Backroom's own invoice: subtotal, discounts, coupon,
shipping, fees and surcharges, each tax once (its rate printed once, also
when the store's tax name already shows it), gift card and total; then the
order's refunds and the total after them.

Each line is ``{"label", "amount", "kind"}``, the amount formatted in the
store's money, the label in the invoice's language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from app.services.invoices.labels import Labels
from app.services.invoices.money_format import MoneyFormat
from app.services.invoices.order_facts import amount, listing, mapping, quantity_text, text
from app.services.invoices.order_facts import refunds as order_refunds


def tax_label(name: str, rate: Any, labels: Labels) -> str:
    """A tax's name with its rate, the rate once: ``GST 10%``; a name that
    already shows its rate (``10% Tax``, ``VAT 19 %``, ``MwSt. 19,0%``) is kept."""
    name = name or labels["tax"]
    if not amount(rate):
        return name
    percent = quantity_text(rate)
    number = re.escape(percent).replace(r"\.", "[.,]")
    zeros = "0*" if "." in percent else "(?:[.,]0+)?"  # 7.5 is 7.50; 19 is 19,0
    if re.search(rf"(?<![0-9.,]){number}{zeros}\s*%", name):
        return name
    return f"{name} {percent}%"


def _line(label: str, value: Any, money: MoneyFormat, kind: str = "") -> dict[str, str]:
    return {"label": label, "amount": money.format(value), "kind": kind}


def _tax_lines(
    order: Mapping[str, Any], money: MoneyFormat, labels: Labels
) -> list[dict[str, str]]:
    """One line per tax (from the items' taxes) when they add up to the order's
    tax, else one line with the order's tax."""
    tax = amount(order.get("tax"))
    included = f" ({labels['included']})" if order.get("pricesIncludeTax") else ""
    by_name: dict[str, Decimal] = {}
    for item in map(mapping, listing(order.get("items"))):
        for entry in map(mapping, listing(item.get("taxes"))):
            label = tax_label(text(entry.get("name")), entry.get("value"), labels)
            by_name[label] = by_name.get(label, Decimal(0)) + amount(entry.get("total"))
    if by_name and abs(sum(by_name.values()) - tax) < Decimal("0.01"):
        return [
            _line(f"{label}{included}", value, money, "tax") for label, value in by_name.items()
        ]
    return [_line(f"{labels['tax']}{included}", tax, money, "tax")]


def totals(order: Mapping[str, Any], money: MoneyFormat, labels: Labels) -> list[dict[str, str]]:
    def line(label: str, value: Any, kind: str = "") -> dict[str, str]:
        return _line(label, value, money, kind)

    lines = [line(labels["subtotal"], amount(order.get("subtotal")), "subtotal")]
    discount = amount(order.get("discount"))
    if discount:
        names = [text(mapping(d).get("description")) for d in listing(order.get("discountInfo"))]
        names = [name for name in names if name]
        label = labels["discount"]
        lines.append(line(f"{label} ({', '.join(names)})" if names else label, -discount))
    coupon = amount(order.get("couponDiscount"))
    if coupon:
        code = text(mapping(order.get("discountCoupon")).get("code"))
        lines.append(line(f"{labels['coupon']} ({code})" if code else labels["coupon"], -coupon))
    shipping = mapping(order.get("shippingOption"))
    if shipping:
        method = text(shipping.get("shippingMethodName"))
        label = f"{labels['shipping']} ({method})" if method else labels["shipping"]
        lines.append(line(label, amount(shipping.get("shippingRate"))))
    fee = mapping(order.get("handlingFee"))
    if amount(fee.get("value")):
        lines.append(line(text(fee.get("name")) or labels["handling"], amount(fee.get("value"))))
    for surcharge in map(mapping, listing(order.get("customSurcharges"))):
        label = text(surcharge.get("description")) or text(surcharge.get("id"))
        lines.append(line(label or labels["surcharge"], amount(surcharge.get("total"))))
    lines += _tax_lines(order, money, labels)
    gift_card = amount(order.get("giftCardRedemption"))
    if gift_card:
        lines.append(line(labels["gift_card"], -gift_card))
    lines.append(line(labels["total"], amount(order.get("total")), "total"))
    return lines


def refund_lines(
    order: Mapping[str, Any], money: MoneyFormat, labels: Labels, day: Callable[[int | None], str]
) -> list[dict[str, str]]:
    """A line per refund (dated with ``day``, with its reason), then the total
    after them; none when nothing was refunded."""
    refunds, refunded = order_refunds(order)
    if not refunded:
        return []
    lines = []
    for refund in refunds:
        when = day(refund.when)
        details = ", ".join(part for part in (when, refund.reason) if part)
        label = f"{labels['refund']} ({details})" if details else labels["refund"]
        lines.append(_line(label, -refund.amount, money, "refund"))
    if not refunds:
        lines.append(_line(labels["refunded"], -refunded, money, "refund"))
    net = amount(order.get("total")) - refunded
    lines.append(_line(labels["total_after_refunds"], net, money, "net"))
    return lines
