"""Backroom's own invoice and packing slip, rendered from ``resources/invoice/``.

Jinja2 with autoescape and ``StrictUndefined``; the templates receive only
text already formatted here (money per the store's currency, dates in the
store's time zone, labels in the order's language), never the raw order, so
any order (fields missing, ``null`` or holding markup) renders, and every
value is escaped.

The invoice is titled with its number (:func:`~app.services.invoices.order_facts.invoice_number`:
Ecwid's tax invoice id, else the order's number), introduces the seller with
its company details and tax id, and prints the order's items, totals (each
tax once), refunds, pickup time and instructions and the checkout's extra
fields. The packing slip carries the same, without prices.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from app.domain import raw_orders
from app.services.accounts.store_display import StoreDisplay
from app.services.invoices import order_facts as facts
from app.services.invoices.labels import Labels, labels_for
from app.services.invoices.letterhead import Letterhead
from app.services.invoices.money_format import MoneyFormat
from app.services.invoices.order_facts import amount, listing, mapping, quantity_text, text
from app.services.invoices.totals import refund_lines, totals

TEMPLATE_DIR = Path(__file__).resolve().parents[3] / "resources" / "invoice"
"""Beside the ``app`` package, in a source tree and in the frozen bundle alike."""
OFFLINE_MARK = "Generated offline by Backroom"


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def person_name(person: Mapping[str, Any]) -> str:
    name = text(person.get("name"))
    if name:
        return name
    return " ".join(p for p in (text(person.get("firstName")), text(person.get("lastName"))) if p)


def address_lines(person: Any) -> list[str]:
    """A person as the lines of an address label."""
    person = mapping(person)
    region = " ".join(
        text(person.get(name)) for name in ("city", "stateOrProvinceCode", "postalCode")
    )
    lines = [person_name(person), text(person.get("companyName"))]
    lines += text(person.get("street")).splitlines()
    lines += [" ".join(region.split())]
    lines += [text(person.get("countryName")) or text(person.get("countryCode"))]
    lines += [text(person.get("phone"))]
    return [line.strip() for line in lines if line.strip()]


def local_time(
    stamp: int | None, letterhead: Letterhead | None, labels: Labels, *, time: bool = True
) -> str:
    """A UNIX time in the store's time zone, as the labels' language writes it
    (``Nov 28, 2024, 19:41 CET``; ``Nov 28, 2024`` without ``time``); ``""``
    for ``None``."""
    if stamp is None:
        return ""
    local = datetime.fromtimestamp(stamp, UTC).astimezone(letterhead.zone() if letterhead else UTC)
    zone = local.tzname() or ""
    if zone[:1] in "+-":  # zones without an abbreviation: name them
        zone = letterhead.time_zone if letterhead and letterhead.time_zone else f"UTC{zone}"
    return labels.date(local, zone, time=time)


def order_date(
    order: Mapping[str, Any], letterhead: Letterhead | None, labels: Labels | None = None
) -> str:
    """When the order was placed, in the store's time zone, e.g. ``Nov 28, 2024, 19:41 CET``."""
    stamp = raw_orders.placed_timestamp(order.get("createTimestamp"), order.get("createDate"))
    if stamp is None:
        return text(order.get("createDate"))  # in a form Backroom does not read: as it came
    return local_time(stamp, letterhead, labels or labels_for("en"))


def status_name(status: Any, display: StoreDisplay | None, labels: Labels | None = None) -> str:
    """A status in the invoice's language where Backroom has it, else the
    store's name for it; one nobody named made readable
    ("AWAITING_PAYMENT" -> "Awaiting payment")."""
    code = text(status)
    translated = labels.status(code) if labels else None
    if translated:
        return translated
    if display and code in display.status_names:
        return display.status_names[code]
    return code.replace("_", " ").capitalize()


def _options(item: Mapping[str, Any], labels: Labels) -> list[dict[str, str]]:
    options = []
    for option in map(mapping, listing(item.get("selectedOptions"))):
        if option.get("type") == "FILES":
            names = [text(mapping(f).get("name")) for f in listing(option.get("files"))]
            value = ", ".join(name for name in names if name) or labels["no_file"]
        else:
            value = text(option.get("value"))
        if text(option.get("name")) or value:
            options.append({"name": text(option.get("name")), "value": value})
    return options


def _items(
    order: Mapping[str, Any], money: MoneyFormat | None, labels: Labels
) -> list[dict[str, Any]]:
    items = []
    for item in map(mapping, listing(order.get("items"))):
        price, quantity = amount(item.get("price")), amount(item.get("quantity"))
        entry: dict[str, Any] = {
            "name": text(item.get("name")),
            "sku": text(item.get("sku")),
            "options": _options(item, labels),
            "quantity": quantity_text(item.get("quantity")),
        }
        if money is not None:
            entry["price"] = money.format(price)
            entry["total"] = money.format(price * quantity)
        items.append(entry)
    return items


def _money(display: StoreDisplay | None, letterhead: Letterhead | None) -> MoneyFormat:
    if letterhead is not None and letterhead.money is not None:
        return letterhead.money
    if display is None:
        return MoneyFormat.for_currency("")
    return MoneyFormat.for_currency(display.currency_code, display.currency_symbol)


def _pickup(
    order: Mapping[str, Any], letterhead: Letterhead | None, labels: Labels
) -> dict[str, str] | None:
    found = facts.pickup(order)
    if found is None:
        return None
    when = local_time(found.when, letterhead, labels) or found.when_text
    return {"method": found.method, "time": when, "instructions": found.instructions}


def _common(
    order: Mapping[str, Any],
    display: StoreDisplay | None,
    letterhead: Letterhead | None,
    number: str,
) -> dict[str, Any]:
    head = letterhead or Letterhead()
    labels = labels_for(order.get("lang"))
    shipping = mapping(order.get("shippingOption"))
    billing = mapping(order.get("billingPerson"))
    ship_to = mapping(order.get("shippingPerson")) or billing
    shown = facts.order_number(order, head.order_number_prefix, head.order_number_suffix)
    return {
        "lang": labels.language,
        "labels": labels.as_dict(),
        "store": {
            "name": head.store_name or (display.store_name if display else ""),
            "company": head.company_name,
            "address": head.address,
            "email": head.email,
            "phone": head.phone,
            "website": head.website,
            "tax_id": head.tax_id,
            "tax_id_label": head.tax_id_name or labels["seller_tax_id"],
        },
        "order": {
            "number": shown or number,
            "id": text(order.get("id")),
            "date": order_date(order, head, labels),
        },
        "customer": {
            "name": person_name(billing) or person_name(ship_to),
            "email": text(order.get("email")),
            "tax_id": text(order.get("customerTaxId")),
        },
        "shipping": {
            "address": address_lines(ship_to),
            "method": text(shipping.get("shippingMethodName")),
            "pickup": _pickup(order, head, labels),
            "contact": [
                line for line in (person_name(ship_to), text(ship_to.get("phone"))) if line
            ],
            "tracking": text(order.get("trackingNumber")),
        },
        "extra_fields": facts.extra_fields(order),
        "comments": text(order.get("orderComments")),
        "offline_notice": "",
        "invoice": None,
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
    the :data:`OFFLINE_MARK` banner. ``number`` is the order's number where
    the order names none itself."""
    money = _money(display, letterhead)
    context = _common(order, display, letterhead, number)
    labels = labels_for(order.get("lang"))
    head = letterhead or Letterhead()
    found = facts.invoice_number(
        order,
        context["order"]["number"],
        prefix=head.order_number_prefix,
        suffix=head.order_number_suffix,
    )

    def day(stamp: int | None) -> str:
        return local_time(stamp, letterhead, labels, time=False)

    context.update(
        title=f"{labels['invoice']} {found.number}",
        heading=labels["invoice"],
        invoice={
            "number": found.number,
            "date": local_time(found.created, letterhead, labels),
            "cancelled_by": found.cancelled_by,
        },
        billing=address_lines(order.get("billingPerson")),
        payment={
            "method": text(order.get("paymentMethod")),
            "status": status_name(order.get("paymentStatus"), display, labels),
            "fulfillment": status_name(order.get("fulfillmentStatus"), display, labels),
        },
        items=_items(order, money, labels),
        totals=totals(order, money, labels) + refund_lines(order, money, labels, day),
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
    labels = labels_for(order.get("lang"))
    total = sum(
        (amount(item.get("quantity")) for item in map(mapping, listing(order.get("items")))),
        Decimal(0),
    )
    context.update(
        title=f"{labels['packing_slip']} {context['order']['number']}",
        heading=labels["packing_slip"],
        items=_items(order, None, labels),
        quantity=quantity_text(total),
        footer=labels["thank_you"],
    )
    return environment().get_template("packing_slip.html.j2").render(context)
