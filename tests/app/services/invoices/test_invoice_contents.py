"""What our own invoice and packing slip say, from recorded real orders
(tests/fixtures/real_orders) and from the demo store over loopback: the
invoice number (Ecwid's tax invoice id, else the order number with the store's
prefix and suffix), the seller's company and tax id from the store profile,
refunds and the total after them, pickup time and instructions, the checkout's
extra fields by their titles, and labels in the order's language (German,
French; English for any other). The packing slip likewise, without prices."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from app.cache import OrderCache
from app.domain.queries import OrderQuery
from app.sandbox.profile import store_profile
from app.services.accounts.store_display import StoreDisplay
from app.services.invoices.documents import (
    InvoiceUnavailable,
    invoice_for,
    packing_slip_for,
    render_offline_invoice,
    render_packing_slip,
)
from app.services.invoices.labels import labels_for, language_of
from app.services.invoices.letterhead import Letterhead, refresh_letterhead
from app.services.invoices.order_facts import invoice_number, plain_text
from app.services.sync.engine import SyncEngine
from tests.app.services.invoices.test_invoices_templates import EVIL, text_of
from tests.helpers import real_orders
from tests.helpers.aio import run
from tests.helpers.sandbox import client_for

DEMO = Letterhead.from_profile(store_profile(4870020))  # Walnut & Linen, Europe/Berlin, USD
DISPLAY = StoreDisplay("Walnut & Linen (demo)", "USD", "$")


def fixture(name: str, **changes) -> dict:
    order = copy.deepcopy(real_orders.load(f"{name}.json"))
    order.update(changes)
    return order


def words(page: str) -> str:
    """The text of the page's body, as one line."""
    return " ".join(text_of(page.split("<body>", 1)[-1]).split())


def invoice(order: dict, letterhead: Letterhead | None = DEMO) -> str:
    return words(render_offline_invoice(order, DISPLAY, letterhead=letterhead))


def slip(order: dict, letterhead: Letterhead | None = DEMO) -> str:
    return words(render_packing_slip(order, DISPLAY, letterhead=letterhead))


# -- the invoice number ------------------------------------------------------------


def test_a_tax_invoice_gives_the_invoice_its_number_and_date():
    order = fixture("current-2024-out-for-delivery")
    page = render_offline_invoice(order, DISPLAY, letterhead=DEMO)
    text = words(page)
    assert "<title>Invoice INV-2024-0411</title>" in page
    assert "Invoice Invoice no. INV-2024-0411" in text  # titled "Invoice", then its number
    assert "Invoice date Sep 4, 2024, 09:22 CEST" in text  # the tax invoice's, store time
    assert "Order WLN-X8UYE" in text  # the order keeps its own number beside it


def test_without_a_tax_invoice_the_order_number_is_the_invoice_number():
    text = invoice(fixture("current-2023-partially-refunded"))
    assert "Invoice no. K7QRM" in text and "Order K7QRM" in text
    assert "Invoice date" not in text


def tax_invoice(number: str, created: str, kind: str = "SALE") -> dict:
    return {"internalId": 9, "id": number, "created": f"{created} 10:00:00 +0000", "type": kind}


SALE_OLD = tax_invoice("INV-1", "2024-01-02")
SALE_NEW = tax_invoice("INV-7", "2024-03-02")
CANCEL = tax_invoice("CN-2", "2024-04-01", "FULL_CANCEL")
REISSUED = tax_invoice("INV-9", "2024-05-01")


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ({"vendorOrderNumber": "WLN-1042", "orderNumber": 1042}, ("WLN-1042", False, "")),
        ({"orderNumber": 1042}, ("WLN-1042-EU", False, "")),  # the profile's prefix and suffix
        ({"orderNumber": "1042"}, ("WLN-1042-EU", False, "")),
        ({"id": "X8UYE"}, ("X8UYE", False, "")),
        ({}, ("KEY-1", False, "")),  # nothing to go by: the caller's number
        ({"orderNumber": 5, "invoices": [SALE_NEW, SALE_OLD]}, ("INV-7", True, "")),  # latest
        ({"orderNumber": 5, "invoices": [SALE_OLD, CANCEL]}, ("INV-1", True, "CN-2")),
        ({"orderNumber": 5, "invoices": [SALE_OLD, CANCEL, REISSUED]}, ("INV-9", True, "")),
        ({"orderNumber": 5, "invoices": [{"internalId": 88, "type": "SALE"}]}, ("88", True, "")),
        ({"orderNumber": 5, "invoices": [CANCEL]}, ("WLN-5-EU", False, "")),  # no sale left
        ({"orderNumber": 5, "invoices": [None, "x", {"type": "SALE"}]}, ("WLN-5-EU", False, "")),
        ({"orderNumber": 5, "invoices": {"id": "INV-9"}}, ("WLN-5-EU", False, "")),
    ],
)
def test_the_invoice_number_rule(order, expected):
    found = invoice_number(order, "KEY-1", prefix="WLN-", suffix="-EU")
    assert (found.number, found.tax_invoice, found.cancelled_by) == expected


def test_a_cancelled_tax_invoice_says_what_cancelled_it():
    order = fixture("current-2024-out-for-delivery", invoices=[SALE_OLD, CANCEL])
    assert "Invoice no. INV-1 Invoice date Jan 2, 2024, 11:00 CET Cancelled by CN-2" in invoice(
        order
    )


# -- the seller ------------------------------------------------------------------


def test_the_seller_and_its_tax_id_come_from_the_store_profile():
    assert (DEMO.tax_id_name, DEMO.tax_id) == ("EIN", "84-2219077")
    assert Letterhead.from_json(DEMO.to_json()) == DEMO
    text = invoice(fixture("current-2024-out-for-delivery"))
    assert text.startswith(
        "Generated offline by Backroom This invoice was made from the order as last synced. "
        "Walnut & Linen (demo) Walnut & Linen LLC 42 Kent Ave Brooklyn NY 11249 US "
        "hello@walnut-linen.example +1 718 555 0142 https://walnut-linen.example EIN: 84-2219077"
    )
    assert "EIN: 84-2219077" in slip(fixture("current-2024-out-for-delivery"))


def test_a_tax_id_the_store_does_not_name_is_called_tax_id_in_the_order_language():
    profile = store_profile(4870020) | {"businessRegistrationID": {"value": "DE 123 456 789"}}
    head = Letterhead.from_profile(profile)
    assert "Tax ID: DE 123 456 789" in invoice(fixture("current-2023-partially-refunded"), head)
    german = fixture("current-2023-partially-refunded", lang="de")
    assert "Steuernummer: DE 123 456 789" in invoice(german, head)
    # a letterhead remembered before tax ids were read has none
    old = json.loads(DEMO.to_json())
    for name in ("tax_id", "tax_id_name", "order_number_prefix", "order_number_suffix"):
        del old[name]
    assert Letterhead.from_json(json.dumps(old)).tax_id == ""


def test_the_store_profile_prefix_and_suffix_number_an_order_without_a_vendor_number():
    profile = store_profile(4870020)
    profile["formatsAndUnits"] |= {"orderNumberPrefix": "WLN-", "orderNumberSuffix": "-US"}
    order = fixture("current-2023-partially-refunded", vendorOrderNumber=None, id=None)
    text = invoice(order, Letterhead.from_profile(profile))
    assert "Invoice no. WLN-488120991-US Order WLN-488120991-US" in text


# -- refunds, pickup, extra fields -----------------------------------------------


def test_refunds_are_listed_with_the_total_after_them():
    text = invoice(fixture("current-2023-partially-refunded"))
    assert (
        "Total $99.40 Refund (Apr 2, 2023, One mug arrived broken) -$18.50 "
        "Total after refunds $80.90"
    ) in text
    # refunded without the details: one line with the amount
    order = fixture("current-2023-partially-refunded", refunds=None)
    assert "Total $99.40 Refunded -$18.50 Total after refunds $80.90" in invoice(order)
    # nothing refunded: no refund lines
    assert "Refund" not in invoice(fixture("current-2024-out-for-delivery"))


def test_pickup_shows_the_place_and_the_instructions():
    order = fixture("current-2024-custom-statuses")
    for text in (invoice(order), slip(order)):
        assert "Pickup Pickup at the workshop" in text
        assert "Pickup instructions Mon–Fri 9:00–17:00, Gartenweg 75" in text
        assert "Ship to" not in text and "Pickup time" not in text  # none was chosen


def test_pickup_time_is_in_the_store_time_zone():
    order = fixture("current-2024-custom-statuses", pickupTime="2024-11-20 09:30:00 +0000")
    for text in (invoice(order), slip(order)):
        assert "Pickup at the workshop Pickup time: Nov 20, 2024, 10:30 CET" in text
    german = fixture("current-2024-custom-statuses", lang="de", pickupTime=1732095000)
    assert "Abholzeit: 20. Nov. 2024, 10:30 CET" in invoice(german)
    odd = fixture("current-2024-custom-statuses", pickupTime="tomorrow morning")
    assert "Pickup time: tomorrow morning" in invoice(odd)  # as it came


def test_pickup_instructions_written_as_html_print_as_lines():
    assert plain_text("<p>Mon&ndash;Fri 9&ndash;17</p><p>Ring <b>twice</b><br>Gate&nbsp;2</p>") == (
        "Mon–Fri 9–17\nRing twice\nGate 2"
    )
    order = fixture("current-2024-custom-statuses")
    order["shippingOption"]["pickupInstruction"] = f"<p>Back door</p>{EVIL}"
    page = render_offline_invoice(order, DISPLAY, letterhead=DEMO)
    assert "Back door\nalert(&#34;x&#34;)" in page and "<script" not in page


def test_extra_fields_are_shown_by_their_titles():
    text = invoice(fixture("current-2024-out-for-delivery"))
    assert "Additional information How did you hear about us? Instagram" in text
    assert "how_did_you_hear" not in text  # never the internal id
    refunded = fixture("current-2023-partially-refunded")
    assert "Additional information Do you need a VAT invoice? yes" in slip(refunded)

    order = fixture("current-2024-out-for-delivery")
    order["orderExtraFields"] = [
        {"id": "b", "title": "Second", "value": "2", "orderBy": "2"},
        {"id": "a", "title": f"Gift note {EVIL}", "value": "Happy <b>day</b>", "orderBy": "1"},
        {"id": "app_internal_state", "value": "xyz"},  # no title: an app's own data
        {"id": "c", "title": "Empty", "value": ""},
        "junk",
    ]
    page = render_offline_invoice(order, DISPLAY, letterhead=DEMO)
    assert f"Gift note {EVIL} Happy day Second 2" in words(page)
    assert "<script" not in page and "xyz" not in page and "Empty" not in words(page)


# -- languages -------------------------------------------------------------------


def test_a_german_order_gets_german_labels():
    order = fixture("current-2024-out-for-delivery", lang="de")
    page = render_offline_invoice(order, DISPLAY, letterhead=DEMO)
    text = words(page)
    assert '<html lang="de">' in page and "<title>Rechnung INV-2024-0411</title>" in page
    for expected in (
        "Rechnung Rechnungsnr. INV-2024-0411 Rechnungsdatum 4. Sept. 2024, 09:22 CEST "
        "Bestellung WLN-X8UYE Datum 4. Sept. 2024, 09:22 CEST",
        "Rechnungsadresse Ada Okafor",
        "Lieferadresse Ada Okafor",
        "Zahlung Credit or debit card Status: Bezahlt Lieferstatus: In Zustellung",
        "Artikel Art.-Nr. Menge Preis Summe Linen napkins, set of 4",
        "Zwischensumme $64.00",
        "Versand (Tracked 48) $7.40",
        "Geschenkkarte -$5.00",
        "Gesamtbetrag $70.90",
        "Weitere Angaben How did you hear about us? Instagram",  # the store's own words stay
        "Anmerkungen Please leave with the neighbour at no. 12",
    ):
        assert expected in text, expected
    for english in ("Invoice no.", "Subtotal", "Bill to", "Ship to", "Payment", "Paid"):
        assert english not in text, english


def test_a_german_packing_slip_and_refunds_in_german():
    order = fixture("current-2023-partially-refunded", lang="de")
    text = slip(order)
    for expected in (
        "Lieferschein Bestellung K7QRM Datum 21. März 2023, 12:40 CET",
        "Lieferadresse Jan Nowak",
        "Versand InPost Paczkomat Sendungsnummer: 620384001122334455667788",
        "Kunde Jan Nowak",
        "Artikel Art.-Nr. Menge",
        "Artikel insgesamt 5",
        "Weitere Angaben Do you need a VAT invoice? yes",
        "Vielen Dank für Ihre Bestellung.",
    ):
        assert expected in text, expected
    assert "$" not in text and "Erstattung" not in text  # a packing slip shows no money
    assert "Erstattung (2. Apr. 2023, One mug arrived broken) -$18.50" in invoice(order)
    assert "Gesamt nach Erstattungen $80.90" in invoice(order)


def test_french_labels_and_english_for_languages_backroom_has_no_words_for():
    french = invoice(fixture("current-2024-out-for-delivery", lang="fr_CA"))
    assert "Facture Facture n° INV-2024-0411 Date de facture 4 sept. 2024, 09:22 CEST" in french
    assert "Statut : Payée" in french and "Sous-total $64.00" in french
    for lang in ("nl", "ja", None, "", 42, "xx-YY"):
        text = invoice(fixture("current-2024-out-for-delivery", lang=lang))
        assert "Invoice Invoice no. INV-2024-0411" in text and "Subtotal $64.00" in text
    assert [language_of(x) for x in ("de", "DE-at", "de_CH", "fr", "en-GB", "pt")] == [
        "de", "de", "de", "fr", "en", "en"
    ]  # fmt: skip


def test_custom_statuses_keep_the_store_names_in_any_language():
    display = StoreDisplay(
        "Walnut", "USD", "$", {"CUSTOM_PAYMENT_STATUS_2": "Auf Rechnung", "PAID": "Paid"}
    )
    order = fixture("current-2024-custom-statuses", lang="de")
    text = words(render_offline_invoice(order, display, letterhead=DEMO))
    assert "Status: Auf Rechnung" in text
    assert "Lieferstatus: Custom fulfillment status 1" in text  # named by nobody: made readable


def test_every_label_has_a_german_and_a_french_word():
    english = labels_for("en").as_dict()
    for language in ("de", "fr"):
        labels = labels_for(language)
        assert set(labels.words) == set(english), language
        assert all(labels.words.values())


# -- the demo store, end to end -----------------------------------------------------


@pytest.fixture
def demo_cache(sandbox, tmp_path):
    """Every demo order synced, and the letterhead read from the store's profile."""

    async def sync(cache):
        async with client_for(sandbox) as client:
            await SyncEngine(cache, client).sync()
            await refresh_letterhead(cache, client)

    with OrderCache.open(tmp_path / "orders.sqlite3") as cache:
        run(sync(cache))
        yield cache


def _demo_order(cache: OrderCache, wanted) -> tuple[str, dict]:
    for row in cache.rows(OrderQuery(), 0, 1000):
        order = cache.order_json(row.key)
        if order.get("paymentStatus") != "INCOMPLETE" and wanted(order):
            return row.key, order
    raise AssertionError("the demo store has no such order")


def _store_time(value: str, *, time: bool = True) -> str:
    moment = datetime.strptime(value, "%Y-%m-%d %H:%M:%S %z").astimezone(ZoneInfo("Europe/Berlin"))
    day = f"{moment:%b} {moment.day}, {moment.year}"
    return f"{day}, {moment:%H:%M} {moment.tzname()}" if time else day


def test_demo_orders_offline_show_their_tax_invoice_refunds_pickup_and_extra_fields(demo_cache):
    def offline(key: str) -> str:
        return words(run(invoice_for(demo_cache, None, key)).html)

    key, order = _demo_order(demo_cache, lambda o: o.get("invoices") and o.get("lang") == "de")
    text = offline(key)
    tax_invoice = order["invoices"][-1]
    assert f"Rechnung Rechnungsnr. {tax_invoice['id']} Rechnungsdatum" in text
    assert f"Bestellung {order['vendorOrderNumber']}" in text
    assert "Walnut & Linen LLC" in text and "EIN: 84-2219077" in text  # from /profile
    assert "Zwischensumme" in text and "Gesamtbetrag" in text

    key, order = _demo_order(demo_cache, lambda o: o.get("refunds") and o.get("lang") == "en")
    refund = order["refunds"][0]
    assert (
        f"Refund ({_store_time(refund['date'], time=False)}, {refund['reason']}) -$"
    ) in offline(key)
    assert "Total after refunds $" in offline(key)

    key, order = _demo_order(demo_cache, lambda o: o.get("pickupTime") and o.get("lang") == "en")
    instructions = order["shippingOption"]["pickupInstruction"]
    pickup = f"Pickup time: {_store_time(order['pickupTime'])}"
    for text in (offline(key), words(packing_slip_for(demo_cache, key))):
        assert pickup in text and f"Pickup instructions {instructions}" in text

    key, order = _demo_order(demo_cache, lambda o: o.get("orderExtraFields"))
    field = order["orderExtraFields"][0]
    for text in (offline(key), words(packing_slip_for(demo_cache, key))):
        assert f"{field['title']} {field['value']}" in text


def test_demo_packing_slips_are_in_the_order_language_without_prices(demo_cache):
    for lang, heading in (("de", "Lieferschein"), ("fr", "Bon de livraison"), ("en", "Packing")):
        key, order = _demo_order(demo_cache, lambda o, lang=lang: o.get("lang") == lang)
        text = words(packing_slip_for(demo_cache, key))
        assert text.startswith("Walnut & Linen (demo)") and heading in text
        assert "$" not in text and order["vendorOrderNumber"] in text
    with pytest.raises(InvoiceUnavailable, match="not saved on this computer"):
        packing_slip_for(demo_cache, "no-such-order")
