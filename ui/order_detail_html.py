"""HTML for the order detail pane: every field of one Ecwid order, grouped.

Orders hold customer-supplied text, so every value goes through :func:`text`
(``html.escape``) on its way in; only http(s) addresses become links. The
``adminUrl`` of product files carries the API token and is never rendered.
Top-level keys no section claims are listed under "Other fields", so nothing
the server sends is ever hidden.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ui.order_detail_pane import OrderFormat

Order = Mapping[str, Any]
Row = tuple[str, str]
"""A label (plain text) and a value (HTML, already escaped)."""
SectionBuilder = Callable[[Order, "OrderFormat"], str]
Field = tuple[str, str, str]
"""``(label, key, kind)``; kind: "value", "money", "nonzero" (money, zero left out),
"date" or "friendly" (an enum value in words)."""

EMPTY_TEXT = "Select an order to see it here"
SECRET_KEYS = frozenset({"adminUrl"})
MONEY_KEYS = frozenset(
    """price productPrice fixedShippingRate shipping tax total subtotal subtotalWithoutTax
    totalWithoutTax discount couponDiscount volumeDiscount membershipBasedDiscount
    totalAndMembershipBasedDiscount shippingRate declaredValue amount refundedAmount
    giftCardRedemption totalBeforeGiftCardRedemption taxOnDiscountedSubtotal taxOnShipping
    orderTotal totalLimit""".split()
)
FRIENDLY_VALUES = {
    "CHOICE": "choice",
    "CHOICES": "checkboxes",
    "TEXT": "text",
    "DATE": "date",
    "FILES": "files",
    "ABS": "amount",
    "PERCENT": "percent",
    "SHIPPING": "shipping",
    "ABS_AND_SHIPPING": "amount and shipping",
    "PERCENT_AND_SHIPPING": "percent and shipping",
    "ON_TOTAL": "on subtotal",
    "ON_MEMBERSHIP": "on customer group",
    "ON_TOTAL_AND_MEMBERSHIP": "on subtotal and customer group",
    "CUSTOM": "custom",
    "ONCEPERCUSTOMER": "once per customer",
    "UNLIMITED": "unlimited",
    "SINGLE": "single use",
    "ACTIVE": "active",
    "PAUSED": "paused",
    "EXPIRED": "expired",
    "USEDUP": "used up",
}
_WORD_BREAK = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|_")
_ACRONYMS = {
    w.lower(): w for w in ("ID", "URL", "IP", "UTM", "USD", "SKU", "B2B", "B2C", "AVS", "CVV")
}


# -- values --------------------------------------------------------------------


def is_missing(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def is_zero(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == 0


def human_label(key: str) -> str:
    """``giftCardRedemption`` → "Gift card redemption"; keys with spaces (names
    a person chose, e.g. payment parameters) stay as they are."""
    if " " in key or not key:
        return key
    words = [_ACRONYMS.get(w.lower(), w.lower()) for w in _WORD_BREAK.split(key) if w]
    label = " ".join(words)
    return label[:1].upper() + label[1:]


def friendly(value: Any) -> str:
    """A known enum value in words; anything else as it came."""
    return FRIENDLY_VALUES.get(value, str(value)) if isinstance(value, str) else str(value)


def text(value: Any) -> str:
    """Plain text as HTML: escaped, line breaks kept."""
    return html.escape(str(value)).replace("\n", "<br>")


def link_or_text(value: str) -> str:
    """A link for an http(s) address, escaped text for anything else."""
    if value.lower().startswith(("http://", "https://")) and not any(c.isspace() for c in value):
        return f'<a href="{html.escape(value, quote=True)}">{text(value)}</a>'
    return text(value)


def generic_value(key: str, value: Any, fmt: OrderFormat) -> str:
    """A scalar or a list of scalars as HTML, formatted by its key and shape."""
    if isinstance(value, bool):
        return fmt.yes_no(value)
    if isinstance(value, int | float) and key in MONEY_KEYS:
        return text(fmt.money(value))
    if isinstance(value, int):
        return text(value)
    if isinstance(value, float):
        return text(fmt.number(value))
    if isinstance(value, str):
        date = fmt.ecwid_date(value)
        return text(date) if date is not None else link_or_text(value)
    if isinstance(value, list):
        return ", ".join(generic_value(key, item, fmt) for item in value if not is_missing(item))
    return text(value)


def flatten(label: str, key: str, value: Any) -> Iterator[tuple[str, str, Any]]:
    """``(label, key, scalar)`` for a value; nested dicts and lists of dicts
    get labels like "External order data › Referer channel"."""
    if is_missing(value) or key in SECRET_KEYS:
        return
    if isinstance(value, Mapping):
        for sub_key, sub_value in value.items():
            yield from flatten(f"{label} › {human_label(sub_key)}", sub_key, sub_value)
    elif isinstance(value, list) and any(isinstance(item, Mapping | list) for item in value):
        numbered = len(value) > 1
        for index, item in enumerate(value, start=1):
            yield from flatten(f"{label} {index}" if numbered else label, key, item)
    else:
        yield label, key, value


def generic_rows(
    values: Any, fmt: OrderFormat, skip: Iterable[str] = (), prefix: str = ""
) -> list[Row]:
    """Rows for every key of ``values`` not in ``skip``, nested values flattened."""
    if not isinstance(values, Mapping):
        return []
    skipped = set(skip)
    return [
        (label, generic_value(key, value, fmt))
        for name, raw in values.items()
        if name not in skipped
        for label, key, value in flatten(f"{prefix}{human_label(name)}", name, raw)
    ]


def inline(rows: Iterable[Row]) -> str:
    """Rows on one wrapping line: "Label: value · Label: value"; links show
    only the last part of their address, to keep the line short."""
    return " · ".join(f"{text(label)}: {_short_link(value)}" for label, value in rows)


_LINK = re.compile(r'(<a href="[^"]*">)([^<]*)(</a>)')


def _short_link(value: str) -> str:
    def shorten(match: re.Match[str]) -> str:
        tail = html.unescape(match.group(2)).rstrip("/").rsplit("/", 1)[-1] or "link"
        return f"{match.group(1)}{text(tail)}{match.group(3)}"

    return _LINK.sub(shorten, value)


def mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def mappings(value: Any) -> list[Mapping[str, Any]]:
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


# -- building blocks -------------------------------------------------------------


class Rows:
    """A section's label/value rows; missing values add nothing."""

    def __init__(self, fmt: OrderFormat) -> None:
        self.fmt = fmt
        self.rows: list[Row] = []

    def html(self, label: str, value: str | None) -> None:
        if value:
            self.rows.append((label, value))

    def text(self, label: str, value: Any) -> None:
        if not is_missing(value):
            self.html(label, text(value))

    def value(self, label: str, key: str, value: Any) -> None:
        if not is_missing(value):
            self.html(label, generic_value(key, value, self.fmt))

    def money(self, label: str, value: Any, *, skip_zero: bool = False) -> None:
        if not is_missing(value) and not (skip_zero and is_zero(value)):
            self.html(label, text(self.fmt.money(value)))

    def date(self, label: str, value: Any, *, long: bool = False) -> None:
        if not is_missing(value):
            self.html(label, text(self.fmt.date(value, long=long)))

    def extend(self, rows: Iterable[Row]) -> None:
        self.rows.extend(rows)

    def fields(self, values: Mapping[str, Any], spec: Iterable[Field]) -> None:
        """One row per ``(label, key, kind)``; kind says how to format the value."""
        for label, key, kind in spec:
            value = values.get(key)
            if kind in ("money", "nonzero"):
                self.money(label, value, skip_zero=kind == "nonzero")
            elif kind == "date":
                self.date(label, value)
            elif kind == "friendly":
                shown = None if is_missing(value) else friendly(value)
                self.text(label, shown[:1].upper() + shown[1:] if shown else None)
            else:
                self.value(label, key, value)


def section(title: str, rows: list[Row]) -> str:
    """A heading over a two-column table of label/value rows ("" without rows)."""
    if not rows:
        return ""
    body = "".join(
        f'<tr><td class="label" width="36%">{text(label)}</td><td class="value">{value}</td></tr>'
        for label, value in rows
    )
    table = '<table class="fields" width="100%" cellspacing="0" cellpadding="0">'
    return f"<h3>{text(title)}</h3>{table}{body}</table>"


def note_section(title: str, note: Any) -> str:
    """A heading over a paragraph of free text (comments, notes)."""
    if is_missing(note):
        return ""
    return f'<h3>{text(title)}</h3><p class="note">{text(note)}</p>'


# -- sections ----------------------------------------------------------------------


def summary(order: Order, fmt: OrderFormat) -> str:
    rows = Rows(fmt)
    rows.text("Order number", order.get("orderNumber"))
    rows.text("Vendor number", order.get("vendorOrderNumber"))
    rows.text("Order ID", order.get("id"))
    rows.text("Internal ID", order.get("internalId"))
    created = order.get("createDate") or order.get("createTimestamp")
    updated = order.get("updateDate") or order.get("updateTimestamp")
    rows.date("Created", created, long=True)
    rows.date("Updated", updated, long=True)
    for label, key in (("Payment", "paymentStatus"), ("Fulfillment", "fulfillmentStatus")):
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
    rows.text("Customer ID", order.get("customerId"))
    group, group_id = order.get("customerGroup"), order.get("customerGroupId")
    if not is_missing(group):
        rows.text("Customer group", f"{group} (ID {group_id})" if group_id else group)
    elif group_id:
        rows.text("Customer group ID", group_id)
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
    ("IP address", "ipAddress", "value"),
    ("User agent", "userAgent", "value"),
    ("User agent", "customerUserAgent", "value"),
    ("Accepts marketing", "acceptMarketing", "value"),
]
CUSTOMER_KEYS = {"email", "customerId", "customerGroup", "customerGroupId", "customerTaxId"}
CUSTOMER_KEYS |= {"customerTaxIdValid", "lang", "b2b_b2c"} | {f[1] for f in CUSTOMER_FIELDS}


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


def items(order: Order, fmt: OrderFormat) -> str:
    """A table: name, SKU and options beside quantity, price and tax; under
    them, across the whole width, the item's other fields in small print."""
    entries = mappings(order.get("items"))
    if not entries:
        return ""
    head = (
        '<tr><th class="first" align="left" width="58%">Item</th>'
        '<th align="right" width="10%">Qty</th><th align="right" width="16%">Price</th>'
        '<th align="right" width="16%">Tax</th></tr>'
    )
    body = "".join(
        f'<tr><td class="first">{item_summary(item, fmt)}</td>'
        f'<td class="number" align="right">{number_or_blank(item.get("quantity"), fmt)}</td>'
        f'<td class="number" align="right">{money_or_blank(item.get("price"), fmt)}</td>'
        f'<td class="number" align="right">{money_or_blank(item.get("tax"), fmt)}</td></tr>'
        f'<tr><td class="details" colspan="4">{item_details(item, fmt)}</td></tr>'
        for item in entries
    )
    table = '<table class="items" width="100%" cellspacing="0" cellpadding="0">'
    return f"<h3>Items</h3>{table}{head}{body}</table>"


def money_or_blank(value: Any, fmt: OrderFormat) -> str:
    return "" if is_missing(value) else text(fmt.money(value))


def number_or_blank(value: Any, fmt: OrderFormat) -> str:
    return "" if is_missing(value) else text(fmt.number(value))


def item_summary(item: Mapping[str, Any], fmt: OrderFormat) -> str:
    """Name, SKU and the options the customer chose."""
    lines = [f"<b>{text(item.get('name') or 'Unnamed item')}</b>"]
    if not is_missing(item.get("sku")):
        lines.append(f'<span class="muted">SKU {text(item["sku"])}</span>')
    lines.extend(option_line(option, fmt) for option in mappings(item.get("selectedOptions")))
    return "<br>".join(lines)


def item_details(item: Mapping[str, Any], fmt: OrderFormat) -> str:
    """Weight, dimensions, taxes, product files and every other field of an item."""
    facts = Rows(fmt)
    facts.value("Weight", "weight", item.get("weight"))
    size = mapping(item.get("dimensions")) or mapping(item.get("productDimensions"))
    facts.text("Dimensions", dimensions(size, fmt))
    if item.get("dimensions") and item.get("dimensions") != item.get("productDimensions"):
        facts.text("Product dimensions", dimensions(mapping(item.get("productDimensions")), fmt))
    facts.value("Shipping required", "isShippingRequired", item.get("isShippingRequired"))
    facts.value("Digital", "digital", item.get("digital"))
    lines = [inline(facts.rows)]
    lines.extend(tax_line(tax, fmt) for tax in mappings(item.get("taxes")))
    for file in mappings(item.get("files")):
        rows = generic_rows(file, fmt, skip=("name", "size", "customerUrl"))
        name = file_link(file.get("name"), file.get("customerUrl"), file.get("size"), fmt)
        lines.append(" · ".join(filter(None, [f"File {name}", inline(rows)])))
    lines.append(inline(generic_rows(item, fmt, skip=ITEM_SHOWN_KEYS)))
    return '<span class="small muted">' + "<br>".join(filter(None, lines)) + "</span>"


ITEM_SHOWN_KEYS = set(
    """name sku selectedOptions quantity price tax weight dimensions productDimensions
    isShippingRequired digital taxes files""".split()
)


def option_line(option: Mapping[str, Any], fmt: OrderFormat) -> str:
    """ "Colour: Charcoal (+$2.00) · choice"; files listed with name and size."""
    files = mappings(option.get("files"))
    if files:
        value = ", ".join(
            file_link(file.get("name"), file.get("url"), file.get("size"), fmt) for file in files
        )
    else:
        values = option.get("valuesArray") or option.get("value")
        value = generic_value("value", values, fmt) if not is_missing(values) else ""
    modifiers = []
    for selection in mappings(option.get("selections")):
        amount = selection.get("selectionModifier")
        if is_missing(amount) or is_zero(amount):
            continue
        sign = "+" if amount > 0 else "−"
        if selection.get("selectionModifierType") == "PERCENT":
            shown = f"{sign}{fmt.number(abs(amount))}%"
        else:
            shown = f"{sign}{fmt.money(abs(amount))}"
        modifiers.append(f"{selection.get('selectionTitle') or ''} {shown}".strip())
    extra = generic_rows(option, fmt, skip=("name", "type", "value", "valuesArray", "files"))
    extra = [row for row in extra if not row[0].startswith("Selections")]
    parts = [f"{text(option.get('name') or 'Option')}: {value}"]
    if modifiers:
        parts.append(f'<span class="muted">({text(", ".join(modifiers))})</span>')
    if not is_missing(option.get("type")):
        parts.append(f'<span class="muted">· {text(friendly(option["type"]))}</span>')
    if extra:
        parts.append(f'<span class="muted">· {inline(extra)}</span>')
    return " ".join(parts)


def tax_line(tax: Mapping[str, Any], fmt: OrderFormat) -> str:
    """ "Sales tax 8.875%: $1.69 · Tax on shipping: $3.00 · Include in price: Yes"."""
    name = text(tax.get("name") or "Tax")
    if not is_missing(tax.get("value")):
        name += f" {text(fmt.number(tax['value']))}%"
    head = f"{name}: {money_or_blank(tax.get('total'), fmt)}"
    rows = generic_rows(tax, fmt, skip=("name", "value", "total"))
    return " · ".join(filter(None, [head, inline(rows)]))


def file_link(name: Any, url: Any, size: Any, fmt: OrderFormat) -> str:
    """A file's name (a link when it has an http(s) URL) and its size."""
    label = text(name or url or "file")
    if isinstance(url, str) and url.lower().startswith(("http://", "https://")):
        label = f'<a href="{html.escape(url, quote=True)}">{label}</a>'
    if isinstance(size, int) and not isinstance(size, bool):
        label += f" ({text(fmt.file_size(size))})"
    return label


def dimensions(size: Mapping[str, Any], fmt: OrderFormat) -> str | None:
    """ "40 × 35 × 18" (length × width × height)."""
    values = [size.get(key) for key in ("length", "width", "height")]
    if all(is_missing(value) for value in values):
        return None
    return " × ".join("?" if is_missing(v) else fmt.number(v) for v in values)


def shipping(order: Order, fmt: OrderFormat) -> str:
    rows = Rows(fmt)
    rows.text("Tracking number", order.get("trackingNumber"))
    option = mapping(order.get("shippingOption"))
    rows.fields(option, SHIPPING_FIELDS)
    transit = option.get("estimatedTransitTime")
    if not is_missing(transit):
        days = str(transit).replace("-", "").isdigit()
        rows.text("Estimated transit", f"{transit} days" if days else transit)
    rows.extend(
        generic_rows(
            option, fmt, skip={key for _, key, _ in SHIPPING_FIELDS} | {"estimatedTransitTime"}
        )
    )
    rows.date("Pickup time", order.get("pickupTime"))
    fee = mapping(order.get("handlingFee"))
    if fee and not (is_zero(fee.get("value")) and is_missing(fee.get("description"))):
        value = f"{text(fee.get('name') or 'Handling')}: {money_or_blank(fee.get('value'), fmt)}"
        if not is_missing(fee.get("description")):
            value += f' <span class="muted">— {text(fee["description"])}</span>'
        rows.html("Handling fee", value)
        rows.extend(
            generic_rows(fee, fmt, skip=("name", "value", "description"), prefix="Handling fee ")
        )
    packages = [("predictedPackages", "Package")]
    if order.get("predictedPackage") != order.get("predictedPackages"):
        packages.append(("predictedPackage", "Predicted package"))
    for key, label in packages:
        boxes = mappings(order.get(key))
        for index, box in enumerate(boxes, start=1):
            facts = Rows(fmt)
            facts.text("Size", dimensions(box, fmt))
            facts.value("Weight", "weight", box.get("weight"))
            facts.money("Declared value", box.get("declaredValue"))
            facts.extend(
                generic_rows(
                    box, fmt, skip=("length", "width", "height", "weight", "declaredValue")
                )
            )
            rows.html(f"{label} {index}" if len(boxes) > 1 else label, inline(facts.rows))
    return section("Shipping", rows.rows)


SHIPPING_FIELDS: list[Field] = [
    ("Carrier", "shippingCarrierName", "value"),
    ("Method", "shippingMethodName", "value"),
    ("Rate", "shippingRate", "money"),
    ("Fulfillment type", "fulfillmentType", "friendly"),
    ("Pickup", "isPickup", "value"),
    ("Pickup instructions", "pickupInstruction", "value"),
]
SHIPPING_KEYS = {"trackingNumber", "shippingOption", "pickupTime", "handlingFee"}
SHIPPING_KEYS |= {"predictedPackages", "predictedPackage"}


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
        facts.extend(generic_rows(invoice, fmt, skip=("id", "type", "created")))
        name = f"Invoice {invoice.get('id') or index}"
        rows.html(name, inline(facts.rows) or text(invoice.get("id")))
    shown = {key for _, key, _ in PAYMENT_FIELDS} | {"paymentParams", "creditCardStatus"}
    rest = {key: value for key, value in order.items() if is_payment_key(key) and key not in shown}
    rows.extend(generic_rows(rest, fmt))
    return section("Payment", rows.rows)


PAYMENT_FIELDS: list[Field] = [
    ("Method", "paymentMethod", "value"),
    ("Module", "paymentModule", "value"),
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
    rows.value("Mailchimp ID", "mcEid", utm.get("mcEid"))
    skip = ("source", "medium", "campaign", "term", "content", "mcEid")
    rows.extend(generic_rows(utm, fmt, skip=skip, prefix="UTM "))
    return section("Referrer & UTM", rows.rows)


# -- the document ------------------------------------------------------------------


def notes(title: str, key: str) -> SectionBuilder:
    return lambda order, fmt: note_section(title, order.get(key))


def claims(*keys: str) -> Callable[[str], bool]:
    return frozenset(keys).__contains__


SUMMARY_KEYS = ("orderNumber", "vendorOrderNumber", "id", "internalId", "hidden")
SUMMARY_KEYS += ("createDate", "createTimestamp", "updateDate", "updateTimestamp")
SUMMARY_KEYS += ("paymentStatus", "fulfillmentStatus")
TOTALS_KEYS = ("subtotal", "subtotalWithoutTax", "tax", "pricesIncludeTax", "customSurcharges")
TOTALS_KEYS += ("giftCardRedemption", "totalBeforeGiftCardRedemption", "total", "usdTotal")
PAYMENT_KEYS = ("externalTransactionId", "invoices")

SECTIONS: list[tuple[Callable[[str], bool], SectionBuilder]] = [
    (claims(*SUMMARY_KEYS), summary),
    (claims(*TOTALS_KEYS), totals),
    (claims("orderComments"), notes("Customer comments", "orderComments")),
    (claims("privateAdminNotes"), notes("Private admin notes", "privateAdminNotes")),
    (claims(*CUSTOMER_KEYS), customer),
    (claims("billingPerson"), address("Billing address", "billingPerson")),
    (claims("shippingPerson"), address("Shipping address", "shippingPerson")),
    (claims("items"), items),
    (claims(*SHIPPING_KEYS), shipping),
    (lambda key: key in PAYMENT_KEYS or is_payment_key(key), payment),
    (claims(*DISCOUNT_KEYS), discounts),
    (claims("refundedAmount", "refunds"), refunds),
    (claims("orderExtraFields", "extraFields", "additionalInfo"), extra_fields),
    (claims("refererUrl", "globalReferer", "affiliateId", "utmData"), referrer),
]
"""``(claims_key, build)`` for every section, in display order."""


SHAPES: dict[str, type] = {
    key: Mapping
    for key in """billingPerson shippingPerson shippingOption handlingFee discountCoupon utmData
    creditCardStatus paymentParams extraFields additionalInfo""".split()
} | {
    key: list
    for key in """items refunds discountInfo orderExtraFields invoices customSurcharges
    predictedPackages predictedPackage""".split()
}
"""The shape a section expects; a value of another shape goes to "Other fields"."""


def is_shown(key: str, value: Any) -> bool:
    """Whether a section shows this top-level key (else "Other fields" does)."""
    shape = SHAPES.get(key)
    if shape is not None and not is_missing(value) and not isinstance(value, shape):
        return False
    return any(claims_key(key) for claims_key, _ in SECTIONS)


def order_html(order: Order, fmt: OrderFormat) -> str:
    """The whole order as an HTML fragment for a QTextBrowser."""
    parts = [build(order, fmt) for _, build in SECTIONS]
    other = {key: value for key, value in order.items() if not is_shown(key, value)}
    parts.append(section("Other fields", generic_rows(other, fmt)))
    return "".join(parts)
