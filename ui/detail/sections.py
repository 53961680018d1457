"""The sections of the order detail HTML other than Items and Shipping.

One function per section (summary, totals, customer, the addresses,
payment, discounts, refunds, extra fields, referrer and UTM), each taking
the order and an ``OrderFormat`` and returning a headed table ("" when the
order has nothing for it), plus the key sets that say which top-level keys
each section shows. :mod:`ui.detail.html` puts them in order.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ui.detail.blocks import (
    Field,
    Order,
    Rows,
    SectionBuilder,
    friendly,
    generic_rows,
    inline,
    is_missing,
    is_zero,
    mapping,
    mappings,
    money_or_blank,
    section,
    text,
)

if TYPE_CHECKING:
    from ui.detail.pane import OrderFormat


def summary(order: Order, fmt: OrderFormat) -> str:
    """Number, dates and statuses (the ids are under Technical details)."""
    rows = Rows(fmt)
    vendor, number = order.get("vendorOrderNumber"), order.get("orderNumber")
    rows.text("Order number", number if is_missing(vendor) else vendor)
    created = order.get("createDate") or order.get("createTimestamp")
    updated = order.get("updateDate") or order.get("updateTimestamp")
    rows.date("Created", created)
    rows.date("Updated", updated)
    for label, key in (("Payment", "paymentStatus"), ("Fulfillment", "fulfillmentStatus")):
        # (the store's name, else the status in words: never the API's code)
        if not is_missing(order.get(key)):
            rows.text(label, fmt.status(str(order[key])))
    rows.value("Hidden", "hidden", order.get("hidden"))
    return section("Summary", rows.rows)


def totals(order: Order, fmt: OrderFormat) -> str:
    rows = Rows(fmt)
    rows.money("Subtotal", order.get("subtotal"))
    if order.get("subtotalWithoutTax") != order.get("subtotal"):
        rows.money("Subtotal excl. tax", order.get("subtotalWithoutTax"))
    rows.money("Shipping", mapping(order.get("shippingOption")).get("shippingRate"))
    fee = mapping(order.get("handlingFee"))
    rows.money(str(fee.get("name") or "Handling fee"), fee.get("value"), skip_zero=True)
    for surcharge in mappings(order.get("customSurcharges")):
        label = surcharge.get("descriptionTranslated") or surcharge.get("description")
        amount = surcharge.get("total", surcharge.get("value"))
        rows.money(str(label or surcharge.get("id") or "Surcharge"), amount)
    discount = sum(
        value
        for value in (order.get("couponDiscount"), order.get("discount"))
        if isinstance(value, int | float) and not isinstance(value, bool)
    )
    if discount:
        rows.html("Discount", text(f"−{fmt.money(discount)}"))
    rows.money("Tax", order.get("tax"))
    rows.value("Prices include tax", "pricesIncludeTax", order.get("pricesIncludeTax"))
    rows.money("Gift card", order.get("giftCardRedemption"), skip_zero=True)
    if order.get("totalBeforeGiftCardRedemption") != order.get("total"):
        rows.money("Total before gift card", order.get("totalBeforeGiftCardRedemption"))
    if not is_missing(order.get("total")):
        rows.html("Total", f"<b>{text(fmt.money(order['total']))}</b>")
    if order.get("usdTotal") != order.get("total") and not is_missing(order.get("usdTotal")):
        rows.text("Total in USD", fmt.usd(order["usdTotal"]))
    rows.money("Refunded", order.get("refundedAmount"), skip_zero=True)
    return section("Totals", rows.rows)


def customer(order: Order, fmt: OrderFormat) -> str:
    rows = Rows(fmt)
    rows.text("Email", order.get("email"))
    rows.text("Customer group", order.get("customerGroup"))
    tax_id, valid = order.get("customerTaxId"), order.get("customerTaxIdValid")
    if not is_missing(tax_id):
        state = {True: " (valid)", False: " (not valid)"}.get(valid, "")
        rows.text("Tax ID", f"{tax_id}{state}")
    rows.fields(order, CUSTOMER_FIELDS)
    if not is_missing(order.get("lang")):
        rows.text("Language", fmt.language(str(order["lang"])))
    kind = order.get("b2b_b2c")
    rows.text("Customer type", None if is_missing(kind) else str(kind).upper())
    return section("Customer", rows.rows)


CUSTOMER_FIELDS: list[Field] = [
    ("Tax exempt", "customerTaxExempt", "value"),
    ("Reverse charge", "reversedTaxApplied", "value"),
    ("Accepts marketing", "acceptMarketing", "value"),
]
CUSTOMER_KEYS = {"email", "customerId", "customerGroup", "customerGroupId", "customerTaxId"}
CUSTOMER_KEYS |= {"customerTaxIdValid", "lang", "b2b_b2c"} | {f[1] for f in CUSTOMER_FIELDS}
CUSTOMER_KEYS |= {"ipAddress", "userAgent", "customerUserAgent"}  # (under Technical details)


def address(title: str, key: str) -> SectionBuilder:
    def build(order: Order, fmt: OrderFormat) -> str:
        person = mapping(order.get(key))
        rows = Rows(fmt)
        name = str(person.get("name") or "")
        rows.text("Name", name)
        for label, part in (("First name", "firstName"), ("Last name", "lastName")):
            if not is_missing(person.get(part)) and str(person[part]) not in name:
                rows.text(label, person[part])
        rows.text("Company", person.get("companyName"))
        rows.text("Street", person.get("street"))
        rows.text("City", person.get("city"))
        rows.text("Postal code", person.get("postalCode"))
        for label, prefix in (("State", "stateOrProvince"), ("Country", "country")):
            rows.text(
                label, name_and_code(person.get(f"{prefix}Name"), person.get(f"{prefix}Code"))
            )
        rows.text("Phone", person.get("phone"))
        rows.extend(generic_rows(person, fmt, skip=PERSON_KEYS))
        return section(title, rows.rows)

    return build


PERSON_KEYS = set(
    """name firstName lastName companyName street city postalCode stateOrProvinceName
    stateOrProvinceCode countryName countryCode phone""".split()
)


def name_and_code(name: Any, code: Any) -> str | None:
    """ "Texas (TX)", or whichever of the two is there."""
    if is_missing(name):
        return None if is_missing(code) else str(code)
    return f"{name} ({code})" if not is_missing(code) and code != name else str(name)


def payment(order: Order, fmt: OrderFormat) -> str:
    rows = Rows(fmt)
    rows.fields(order, PAYMENT_FIELDS)
    rows.extend(generic_rows(order.get("paymentParams"), fmt))
    card = order.get("creditCardStatus")
    rows.extend(generic_rows(card, fmt, prefix="Card "))
    for index, invoice in enumerate(mappings(order.get("invoices")), start=1):
        facts = Rows(fmt)
        facts.text("Type", invoice.get("type"))
        facts.date("Created", invoice.get("created"))
        skip = ("id", "type", "created", "internalId")  # (internalId: Technical details)
        facts.extend(generic_rows(invoice, fmt, skip=skip))
        name = f"Invoice {invoice.get('id') or index}"
        rows.html(name, inline(facts.rows) or text(invoice.get("id")))
    shown = {key for _, key, _ in PAYMENT_FIELDS} | {"paymentParams", "creditCardStatus"}
    shown.add("paymentModule")  # (its code is under Technical details)
    rest = {key: value for key, value in order.items() if is_payment_key(key) and key not in shown}
    rows.extend(generic_rows(rest, fmt))
    return section("Payment", rows.rows)


PAYMENT_FIELDS: list[Field] = [
    ("Method", "paymentMethod", "value"),
    ("Transaction ID", "externalTransactionId", "value"),
    ("Reference", "paymentReference", "value"),
    ("Message", "paymentMessage", "value"),
]


def is_payment_key(key: str) -> bool:
    return key != "paymentStatus" and key.startswith(("payment", "creditCard", "card"))


def discounts(order: Order, fmt: OrderFormat) -> str:
    rows = Rows(fmt)
    coupon = mapping(order.get("discountCoupon"))
    if coupon:
        code, name = coupon.get("code"), coupon.get("name")
        rows.html("Coupon", " — ".join(text(v) for v in (code, name) if not is_missing(v)) or "Yes")
        rows.text(
            "Coupon value", coupon_value(coupon.get("discountType"), coupon.get("discount"), fmt)
        )
        rows.fields(coupon, COUPON_FIELDS)
        skip = {"code", "name", "discountType", "discount"} | {key for _, key, _ in COUPON_FIELDS}
        rows.extend(generic_rows(coupon, fmt, skip=skip, prefix="Coupon "))
    rows.fields(order, DISCOUNT_FIELDS)
    entries = mappings(order.get("discountInfo"))
    for index, info in enumerate(entries, start=1):
        rows.html(
            f"Discount {index}" if len(entries) > 1 else "Discount rule", discount_rule(info, fmt)
        )
    return section("Discounts", rows.rows)


def coupon_value(kind: Any, amount: Any, fmt: OrderFormat) -> str | None:
    """ "10%", "$5.00 and free shipping", "Free shipping"…"""
    kind = str(kind or "")
    parts = []
    if not is_missing(amount) and kind != "SHIPPING":
        parts.append(f"{fmt.number(amount)}%" if kind.startswith("PERCENT") else fmt.money(amount))
    if kind.endswith("SHIPPING"):
        parts.append("free shipping")
    elif kind not in ("", "ABS", "PERCENT"):
        parts.append(f"({kind})")
    shown = " and ".join(parts) if kind.endswith("SHIPPING") else " ".join(parts)
    return shown[:1].upper() + shown[1:] if shown else None


COUPON_FIELDS: list[Field] = [
    ("Coupon status", "status", "friendly"),
    ("Coupon uses", "usesLimit", "friendly"),
    ("Coupon used", "orderCount", "value"),
    ("Coupon minimum", "totalLimit", "nonzero"),
    ("Repeat buyers only", "repeatCustomerOnly", "value"),
    ("Coupon launched", "launchDate", "date"),
    ("Coupon expires", "expirationDate", "date"),
    ("Coupon created", "creationDate", "date"),
]
DISCOUNT_FIELDS: list[Field] = [
    ("Coupon discount", "couponDiscount", "nonzero"),
    ("Discount", "discount", "nonzero"),
    ("Volume discount", "volumeDiscount", "nonzero"),
    ("Membership discount", "membershipBasedDiscount", "nonzero"),
    ("Volume and membership", "totalAndMembershipBasedDiscount", "nonzero"),
]
DISCOUNT_KEYS = {"discountCoupon", "discountInfo"} | {key for _, key, _ in DISCOUNT_FIELDS}


def discount_rule(info: Mapping[str, Any], fmt: OrderFormat) -> str:
    """ "5% on subtotal, from $150.00 — description"."""
    value, kind = info.get("value"), info.get("type")
    parts = []
    if not is_missing(value):
        parts.append(f"{fmt.number(value)}%" if kind == "PERCENT" else fmt.money(value))
    if not is_missing(info.get("base")):
        parts.append(friendly(info["base"]))
    head = " ".join(parts)
    if not is_missing(info.get("orderTotal")) and not is_zero(info.get("orderTotal")):
        head += f", from {fmt.money(info['orderTotal'])}"
    out = text(head)
    if not is_missing(info.get("description")):
        out += f" — {text(info['description'])}"
    rest = generic_rows(info, fmt, skip=("value", "type", "base", "orderTotal", "description"))
    return " · ".join(filter(None, [out, inline(rest)]))


def refunds(order: Order, fmt: OrderFormat) -> str:
    rows = Rows(fmt)
    rows.money("Refunded", order.get("refundedAmount"))
    for refund in mappings(order.get("refunds")):
        value = money_or_blank(refund.get("amount"), fmt)
        if not is_missing(refund.get("reason")):
            value += f" — {text(refund['reason'])}"
        rest = generic_rows(refund, fmt, skip=("date", "amount", "reason"))
        label = fmt.date(refund["date"]) if not is_missing(refund.get("date")) else "Refund"
        rows.html(label, " · ".join(filter(None, [value, inline(rest)])))
    return section("Refunds", rows.rows)


def extra_fields(order: Order, fmt: OrderFormat) -> str:
    rows = Rows(fmt)
    for field in mappings(order.get("orderExtraFields")):
        label = field.get("title") or field.get("id") or "Extra field"
        rows.value(str(label), "value", field.get("value"))
    rows.extend(generic_rows(order.get("extraFields"), fmt))
    rows.extend(generic_rows(order.get("additionalInfo"), fmt))
    return section("Extra fields", rows.rows)


def referrer(order: Order, fmt: OrderFormat) -> str:
    rows = Rows(fmt)
    rows.value("Order page", "refererUrl", order.get("refererUrl"))
    rows.value("Came from", "globalReferer", order.get("globalReferer"))
    rows.value("Affiliate ID", "affiliateId", order.get("affiliateId"))
    utm = mapping(order.get("utmData"))
    for key in ("source", "medium", "campaign", "term", "content"):
        rows.value(f"UTM {key}", key, utm.get(key))
    skip = ("source", "medium", "campaign", "term", "content", "mcEid")
    rows.extend(generic_rows(utm, fmt, skip=skip, prefix="UTM "))
    return section("Referrer & UTM", rows.rows)
