"""The Items and Shipping sections of the order detail HTML.

Items are a table (name, SKU and chosen options beside quantity, price and
tax) with each item's other fields, taxes and product files in small print
under it; options and files get their own one-line renderings. Shipping
shows the carrier and method, the handling fee and the predicted packages
with their dimensions.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ui.detail.blocks import (
    Field,
    Order,
    Rows,
    generic_rows,
    generic_value,
    inline,
    is_missing,
    is_zero,
    mapping,
    mappings,
    money_or_blank,
    section,
    text,
)
from ui.detail.technical import ITEM_KEYS

if TYPE_CHECKING:
    from ui.detail.pane import OrderFormat


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
    lines.append(inline(generic_rows(item, fmt, skip=ITEM_SHOWN_KEYS | ITEM_KEYS)))
    return '<span class="small muted">' + "<br>".join(filter(None, lines)) + "</span>"


ITEM_SHOWN_KEYS = set(
    """name sku selectedOptions quantity price tax weight dimensions productDimensions
    isShippingRequired digital taxes files""".split()
)


def option_line(option: Mapping[str, Any], fmt: OrderFormat) -> str:
    """ "Colour: Charcoal (+$2.00)"; files listed with name and size (the
    option's type is under Technical details)."""
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
