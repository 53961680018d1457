"""The detail pane's "Technical details": what the order holds for developers
and integrations rather than for the shop (the order's and customer's ids,
the items' product and category ids, image addresses, option types, the IP
address and browser, the payment module's code, fields no section shows).

The pane shows it last, folded; a click on its heading (or Tab to it and
Enter) opens it. Nothing is left out: every value the store sent is still
one click away.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ui.detail.blocks import (
    Order,
    Row,
    Rows,
    friendly,
    generic_rows,
    inline,
    is_missing,
    is_zero,
    mapping,
    mappings,
    text,
)

if TYPE_CHECKING:
    from ui.detail.pane import OrderFormat

TOGGLE_URL = "backroom:technical"
HEADING = "Technical details"

ITEM_KEYS = frozenset(
    """id productId categoryId combinationId subscriptionId externalReferenceId imageUrl
    smallThumbnailUrl hdThumbnailUrl originalImageUrl thumbnailUrl shortDescription
    trackQuantity fixedShippingRateOnly fixedShippingRate productAvailable isGiftCard
    couponApplied nameTranslated shortDescriptionTranslated""".split()
)
"""Item fields for developers: shown here, not under the item."""
ORDER_KEYS = ("id", "internalId", "customerId", "customerGroupId", "paymentModule")
ORDER_KEYS += ("ipAddress", "userAgent", "customerUserAgent")
"""Order fields shown here only (their sections leave them out)."""


def technical_rows(order: Order, fmt: OrderFormat, other: Mapping[str, Any]) -> list[Row]:
    """The rows of the section: the order's ids, each item's, then ``other``
    (the top-level fields no section shows)."""
    rows = Rows(fmt)
    rows.text("Order ID", order.get("id"))
    rows.text("Internal ID", order.get("internalId"))
    number, vendor = order.get("orderNumber"), order.get("vendorOrderNumber")
    if not is_missing(number) and not is_missing(vendor) and str(number) != str(vendor):
        rows.text("Order number in the API", number)
    rows.text("Customer ID", order.get("customerId"))
    group_id = order.get("customerGroupId")
    if not is_missing(group_id) and not is_zero(group_id):
        rows.text("Customer group ID", group_id)
    rows.value("Payment module", "paymentModule", order.get("paymentModule"))
    rows.value("IP address", "ipAddress", order.get("ipAddress"))
    for key in ("userAgent", "customerUserAgent"):
        rows.value("Browser", key, order.get(key))
    rows.value("Mailchimp ID", "mcEid", mapping(order.get("utmData")).get("mcEid"))
    items = mappings(order.get("items"))
    for index, item in enumerate(items, start=1):
        facts = generic_rows({k: v for k, v in item.items() if k in ITEM_KEYS}, fmt)
        types = [
            f"{option.get('name') or 'Option'}: {friendly(option['type'])}"
            for option in mappings(item.get("selectedOptions"))
            if not is_missing(option.get("type"))
        ]
        if types:
            facts.append(("Option types", text(", ".join(types))))
        name = item.get("name") or "Unnamed item"
        label = f"Item {index}: {name}" if len(items) > 1 else f"Item: {name}"
        rows.html(label, f'<span class="small">{inline(facts)}</span>' if facts else None)
    for invoice in mappings(order.get("invoices")):
        if not is_missing(invoice.get("internalId")):
            rows.text(
                f"Invoice {invoice.get('id') or ''} internal ID".replace("  ", " "),
                invoice["internalId"],
            )
    rows.extend(generic_rows(other, fmt))
    return rows.rows


def technical_section(rows: list[Row], open_: bool) -> str:
    """The folded section: a heading that opens or closes it, then (open) its rows."""
    if not rows:
        return ""
    mark = "▾" if open_ else "▸"
    link = f'<a class="toggle" href="{TOGGLE_URL}">{mark} {text(HEADING)}</a>'
    if not open_:
        return f'<h3>{link} <span class="muted">({len(rows)})</span></h3>'
    heading = f"<h3>{link}</h3>"
    body = "".join(
        f'<tr><td class="label" width="36%">{text(label)}</td><td class="value">{value}</td></tr>'
        for label, value in rows
    )
    table = '<table class="fields" width="100%" cellspacing="0" cellpadding="0">'
    return f"{heading}{table}{body}</table>"
