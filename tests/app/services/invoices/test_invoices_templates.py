"""Our own invoice and packing slip (resources/invoice/): every field of the
order is on the page, in the store's money and time zone, and markup in any
value is escaped; the packing slip carries no prices."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from app.sandbox.profile import store_profile
from app.services.accounts.store_display import StoreDisplay
from app.services.invoices.documents import (
    OFFLINE_MARK,
    render_offline_invoice,
    render_packing_slip,
)
from app.services.invoices.letterhead import Letterhead
from app.services.invoices.money_format import MoneyFormat
from app.services.invoices.templates import TEMPLATE_DIR

EVIL = '<script>alert("x")</script>'


def hostile_order() -> dict:
    """An order with every field the invoice prints, each holding markup."""

    def person(name: str) -> dict:
        return {
            "name": f"{name} {EVIL} & 'Sons'",
            "companyName": 'Acme "Quotes" & <b>Co</b>',
            "street": "1 <i>Main</i> St\nFloor 2 & 3",
            "city": "Spring<field>",
            "stateOrProvinceCode": "IL",
            "postalCode": "62701",
            "countryCode": "US",
            "countryName": "United <States>",
            "phone": "+1 555 <0100>",
        }

    return {
        "id": "SHOP-<X1>",
        "orderNumber": 1042,
        "vendorOrderNumber": "1042",
        "createDate": "2026-03-01 23:30:00 +0000",
        "createTimestamp": 1772407800,  # 2026-03-01 23:30 UTC = 2026-03-02 00:30 in Berlin
        "updateTimestamp": 1772407900,
        "email": "ada+<x>@example.org",
        "customerTaxId": "DE<123>",
        "paymentMethod": "Card <Stripe> & co",
        "paymentStatus": "PAID",
        "fulfillmentStatus": "AWAITING_PROCESSING",
        "billingPerson": person("Ada"),
        "shippingPerson": person("Bob"),
        "shippingOption": {"shippingMethodName": "DHL <Express>", "shippingRate": 7.5},
        "items": [
            {
                "name": f"Walnut board {EVIL}",
                "sku": "WB-<1>",
                "price": 1234.5,
                "quantity": 2,
                "selectedOptions": [
                    {"name": "Engraving <text>", "value": 'A & B "forever"', "type": "TEXT"},
                    {
                        "name": "Artwork",
                        "type": "FILES",
                        "files": [{"name": "<logo>.png"}],
                    },
                ],
                "taxes": [{"name": "VAT <DE>", "value": 19.0, "total": 100.0}],
            },
            {"name": "Linen napkin", "sku": "LN-1", "price": 5, "quantity": 3},
        ],
        "subtotal": 2484.0,
        "discount": 10.0,
        "discountInfo": [{"description": "Loyal <customer>"}],
        "couponDiscount": 20.25,
        "discountCoupon": {"code": "SAVE<20>"},
        "handlingFee": {"name": "Gift <wrap>", "value": 4.0},
        "customSurcharges": [{"description": "Eco <fee>", "total": 1.5}],
        "tax": 100.0,
        "pricesIncludeTax": False,
        "total": 2566.75,
        "orderComments": f"Leave at door {EVIL}\nThanks & bye",
    }


LETTERHEAD = Letterhead(
    store_name=f"Walnut {EVIL} & Linen",
    company_name="Walnut LLC",
    address=["42 Kent <Ave>", "Brooklyn NY 11249", "US"],
    email="hello@<walnut>.example",
    phone="+1 718 555 0142",
    time_zone="Europe/Berlin",
    money=MoneyFormat(prefix="€", group_separator=".", decimal_separator=","),
)
DISPLAY = StoreDisplay("Walnut", "EUR", "€", {"PAID": "Bezahlt <ok>"})


def text_of(page: str) -> str:
    """The page's text as a person reads it (tags dropped, entities decoded)."""
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.fixture(scope="module")
def invoice() -> str:
    return render_offline_invoice(hostile_order(), DISPLAY, letterhead=LETTERHEAD)


def test_markup_in_any_field_is_escaped(invoice):
    assert "<script" not in invoice.lower()
    assert invoice.count("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") >= 5
    for raw in ("<b>Co</b>", "<i>Main</i>", "<Express>", "<logo>", "<Stripe>", "<DE>"):
        assert raw not in invoice
    assert "Acme &#34;Quotes&#34; &amp; &lt;b&gt;Co&lt;/b&gt;" in invoice
    assert "&amp; &#39;Sons&#39;" in invoice
    # nothing remote, nothing active
    assert not re.search(r"<(img|link|iframe|object|embed)\b|\bsrc=|\bon\w+=", invoice, re.I)
    assert "http://" not in invoice and "https://" not in invoice


def test_every_field_of_the_order_is_on_the_invoice(invoice):
    text = " ".join(text_of(invoice).split())
    for expected in (
        OFFLINE_MARK,
        # the store
        f"Walnut {EVIL} & Linen",
        "Walnut LLC",
        "42 Kent <Ave>",
        "hello@<walnut>.example",
        "+1 718 555 0142",
        # the order, dated in the store's time zone
        "Order 1042",
        "Order ID SHOP-<X1>",
        "Mar 2, 2026, 00:30 CET",
        # customer, billing and shipping
        f"Ada {EVIL} & 'Sons'",
        f"Bob {EVIL} & 'Sons'",
        "ada+<x>@example.org",
        "Tax ID: DE<123>",
        "1 <i>Main</i> St Floor 2 & 3",
        "Spring<field> IL 62701",
        "United <States>",
        "+1 555 <0100>",
        "DHL <Express>",
        # items: name, options, SKU, quantity, price, line total
        f"Walnut board {EVIL}",
        'Engraving <text>: A & B "forever"',
        "Artwork: <logo>.png",
        "WB-<1> 2 €1.234,50 €2.469,00",
        "Linen napkin",
        "LN-1 3 €5,00 €15,00",
        # totals
        "Subtotal €2.484,00",
        "Discount (Loyal <customer>) -€10,00",
        "Coupon (SAVE<20>) -€20,25",
        "Shipping (DHL <Express>) €7,50",
        "Gift <wrap> €4,00",
        "Eco <fee> €1,50",
        "VAT <DE> 19% €100,00",
        "Total €2.566,75",
        # payment
        "Card <Stripe> & co",
        "Status: Bezahlt <ok>",
        "Fulfillment: Awaiting processing",
        # notes for the customer
        f"Leave at door {EVIL} Thanks & bye",
    ):
        assert expected in text, expected


def test_without_a_letterhead_the_display_and_utc_are_used():
    page = render_offline_invoice(hostile_order(), StoreDisplay("Shop & Co", "USD", "$"))
    text = " ".join(text_of(page).split())
    assert "Shop & Co" in text
    assert "Mar 1, 2026, 23:30 UTC" in text
    assert "Total $2,566.75" in text and "WB-<1> 2 $1,234.50 $2,469.00" in text


def test_an_order_with_nothing_in_it_still_renders():
    page = render_offline_invoice({"orderNumber": 7, "items": None, "total": None}, None)
    assert OFFLINE_MARK in page and "Invoice 7" in page and "No items" in page


def test_the_packing_slip_lists_items_and_quantities_but_no_prices():
    slip = render_packing_slip(hostile_order(), DISPLAY, letterhead=LETTERHEAD)
    text = " ".join(text_of(slip).split())
    assert "<script" not in slip.lower()
    assert "Packing slip" in text and "Order 1042" in text
    for expected in (
        f"Walnut board {EVIL}",
        'Engraving <text>: A & B "forever"',
        "WB-<1> 2",
        "LN-1 3",
        "Items in total 5",
        f"Bob {EVIL} & 'Sons'",  # shipped to
        "DHL <Express>",
        f"Leave at door {EVIL} Thanks & bye",
    ):
        assert expected in text, expected
    for price in ("€", "1.234,50", "2.566,75", "Subtotal", "Total €", "Price"):
        assert price not in text, price
    assert OFFLINE_MARK not in text


def test_the_templates_print_on_any_paper_without_script_or_remote_resources():
    base = (TEMPLATE_DIR / "base.html.j2").read_text(encoding="utf-8")
    assert "@page" in base and "break-inside: avoid" in base
    assert "table-header-group" in base  # item headers repeat on every page
    for path in TEMPLATE_DIR.glob("*.j2"):
        source = path.read_text(encoding="utf-8").lower()
        assert "<script" not in source and "@import" not in source and "url(" not in source


def test_the_letterhead_comes_from_the_store_profile():
    letterhead = Letterhead.from_profile(store_profile(4870020))
    assert letterhead.store_name == "Walnut & Linen (demo)"
    assert letterhead.address == ["42 Kent Ave", "Brooklyn NY 11249", "US"]
    assert letterhead.zone().key == "Europe/Berlin"
    assert letterhead.money.format(-1234.5) == "-$1,234.50"
    assert Letterhead.from_json(letterhead.to_json()) == letterhead
    assert Letterhead.from_profile({"company": None, "formatsAndUnits": []}).zone().key == "UTC"


@pytest.mark.parametrize(
    ("money", "value", "expected"),
    [
        (MoneyFormat.for_currency("USD"), 1234567.891, "$1,234,567.89"),
        (MoneyFormat.for_currency("USD"), "-0.004", "$0.00"),
        (MoneyFormat.for_currency("JPY"), 1234.5, "¥1,235"),
        (MoneyFormat.for_currency("KWD"), 2, "KWD\u00a02.000"),
        (MoneyFormat.for_currency("EUR", "EUR"), 3, "€3.00"),
        (MoneyFormat.for_currency("", ""), 3, "3.00"),
        (MoneyFormat.for_currency("USD"), None, ""),
        (MoneyFormat.for_currency("USD"), "n/a", "n/a"),
        (
            MoneyFormat.from_profile(
                {
                    "currency": "EUR",
                    "currencySuffix": " €",
                    "currencyGroupSeparator": ".",
                    "currencyDecimalSeparator": ",",
                    "currencyPrecision": 2,
                    "currencyTruncateZeroFractional": True,
                }
            ),
            -1234,
            "-1.234 €",
        ),
    ],
)
def test_money_is_written_per_currency(money, value, expected):
    assert money.format(value) == expected


@pytest.mark.parametrize(
    ("name", "rate", "label"),
    [
        ("10% Tax", 10, "10% Tax"),  # a real store's name: the rate printed once
        ("VAT 19 %", 19.0, "VAT 19 %"),
        ("MwSt. 19,0%", 19, "MwSt. 19,0%"),
        ("Tax 7.50%", 7.5, "Tax 7.50%"),
        ("GST", 10, "GST 10%"),
        ("Tax 110%", 10, "Tax 110% 10%"),  # 110 is not 10
        ("", 8.875, "Tax 8.875%"),
    ],
)
def test_a_tax_rate_is_printed_once(name, rate, label):
    order = {
        "orderNumber": 8,
        "items": [
            {
                "name": "Board",
                "price": 10,
                "quantity": 1,
                "taxes": [{"name": name, "value": rate, "total": 1.0}],
            }
        ],
        "subtotal": 10,
        "tax": 1.0,
        "total": 11,
    }
    page = text_of(render_offline_invoice(order, DISPLAY, letterhead=LETTERHEAD))
    assert re.search(rf"\s{re.escape(label)}\s+€", page), page  # the label, then the amount
