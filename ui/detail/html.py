"""HTML for the order detail pane: every field of one Ecwid order, grouped.

This module assembles the document: it lists the sections in display order
(built in :mod:`ui.detail.sections` and :mod:`ui.detail.items`
from the blocks in :mod:`ui.detail.blocks`, where every value is
escaped) and says which top-level keys each one claims. Developer data (ids,
image addresses, option types, keys no section claims) goes last, into the
folded "Technical details" (:mod:`ui.detail.technical`), so nothing the
server sends is ever hidden, and nothing a shop owner does not need is in
the way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ui.detail.blocks import (
    Order,
    SectionBuilder,
    is_missing,
    note_section,
)
from ui.detail.items import SHIPPING_KEYS, items, shipping
from ui.detail.sections import (
    CUSTOMER_KEYS,
    DISCOUNT_KEYS,
    address,
    customer,
    discounts,
    extra_fields,
    is_payment_key,
    payment,
    referrer,
    refunds,
    summary,
    totals,
)
from ui.detail.technical import technical_rows, technical_section

if TYPE_CHECKING:
    from ui.detail.pane import OrderFormat

EMPTY_TEXT = "Select an order to see it here"


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


def order_html(order: Order, fmt: OrderFormat, *, technical_open: bool = False) -> str:
    """The whole order as an HTML fragment for a QTextBrowser; "Technical
    details" last, folded unless ``technical_open``."""
    parts = [build(order, fmt) for _, build in SECTIONS]
    other = {key: value for key, value in order.items() if not is_shown(key, value)}
    parts.append(technical_section(technical_rows(order, fmt, other), technical_open))
    return "".join(parts)


def activity_html(entries: list[tuple[str, str, str, str]]) -> str:
    """ "Written from this desk": one line per write, newest first (``""`` when none)."""
    from ui.detail.blocks import text

    if not entries:
        return ""
    rows = "".join(
        f'<tr><td class="label" width="36%">{text(when)}<br>{text(desk)}</td>'
        f'<td class="value">{text(what)}<br><i>{text(outcome)}</i></td></tr>'
        for when, desk, what, outcome in entries
    )
    table = '<table class="fields" width="100%" cellspacing="0" cellpadding="0">'
    return f"<h3>Written from Backroom</h3>{table}{rows}</table>"
