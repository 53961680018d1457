"""The words on Backroom's own invoice and packing slip, in the order's language.

An order carries the language its customer shopped in (``lang``: ``"de"``,
``"fr_CA"``…). :func:`labels_for` gives the labels in that language where
Backroom has them (English, German, French), else in English; a label missing
from a translation is the English one. Dates are written the way the
language writes them (``Nov 28, 2024``, ``28. Nov. 2024``, ``28 nov. 2024``).

The store's own words (its name, its tax names, shipping methods, custom
statuses, extra field titles) are printed as the store wrote them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

ENGLISH: dict[str, str] = {
    "invoice": "Invoice",
    "packing_slip": "Packing slip",
    "invoice_number": "Invoice no.",
    "invoice_date": "Invoice date",
    "order": "Order",
    "order_id": "Order ID",
    "date": "Date",
    "bill_to": "Bill to",
    "ship_to": "Ship to",
    "pickup": "Pickup",
    "pickup_time": "Pickup time",
    "pickup_instructions": "Pickup instructions",
    "payment": "Payment",
    "status": "Status",
    "fulfillment": "Fulfillment",
    "customer_tax_id": "Tax ID",
    "seller_tax_id": "Tax ID",
    "shipping": "Shipping",
    "tracking": "Tracking",
    "customer": "Customer",
    "item": "Item",
    "sku": "SKU",
    "quantity": "Qty",
    "price": "Price",
    "line_total": "Total",
    "no_items": "No items",
    "no_file": "no file",
    "items_in_total": "Items in total",
    "subtotal": "Subtotal",
    "discount": "Discount",
    "coupon": "Coupon",
    "handling": "Handling",
    "surcharge": "Surcharge",
    "tax": "Tax",
    "included": "included",
    "gift_card": "Gift card",
    "total": "Total",
    "refund": "Refund",
    "refunded": "Refunded",
    "total_after_refunds": "Total after refunds",
    "additional_information": "Additional information",
    "notes": "Notes",
    "cancelled_by": "Cancelled by",
    "thank_you": "Thank you for your order.",
    "colon": ":",  # after a label
}

GERMAN: dict[str, str] = {
    "invoice": "Rechnung",
    "packing_slip": "Lieferschein",
    "invoice_number": "Rechnungsnr.",
    "invoice_date": "Rechnungsdatum",
    "order": "Bestellung",
    "order_id": "Bestell-ID",
    "date": "Datum",
    "bill_to": "Rechnungsadresse",
    "ship_to": "Lieferadresse",
    "pickup": "Abholung",
    "pickup_time": "Abholzeit",
    "pickup_instructions": "Hinweise zur Abholung",
    "payment": "Zahlung",
    "status": "Status",
    "fulfillment": "Lieferstatus",
    "customer_tax_id": "USt-IdNr.",
    "seller_tax_id": "Steuernummer",
    "shipping": "Versand",
    "tracking": "Sendungsnummer",
    "customer": "Kunde",
    "item": "Artikel",
    "sku": "Art.-Nr.",
    "quantity": "Menge",
    "price": "Preis",
    "line_total": "Summe",
    "no_items": "Keine Artikel",
    "no_file": "keine Datei",
    "items_in_total": "Artikel insgesamt",
    "subtotal": "Zwischensumme",
    "discount": "Rabatt",
    "coupon": "Gutschein",
    "handling": "Bearbeitungsgebühr",
    "surcharge": "Zuschlag",
    "tax": "Steuer",
    "included": "enthalten",
    "gift_card": "Geschenkkarte",
    "total": "Gesamtbetrag",
    "refund": "Erstattung",
    "refunded": "Erstattet",
    "total_after_refunds": "Gesamt nach Erstattungen",
    "additional_information": "Weitere Angaben",
    "notes": "Anmerkungen",
    "cancelled_by": "Storniert durch",
    "thank_you": "Vielen Dank für Ihre Bestellung.",
    "colon": ":",
}

FRENCH: dict[str, str] = {
    "invoice": "Facture",
    "packing_slip": "Bon de livraison",
    "invoice_number": "Facture n°",
    "invoice_date": "Date de facture",
    "order": "Commande",
    "order_id": "ID de commande",
    "date": "Date",
    "bill_to": "Facturer à",
    "ship_to": "Livrer à",
    "pickup": "Retrait",
    "pickup_time": "Heure de retrait",
    "pickup_instructions": "Instructions de retrait",
    "payment": "Paiement",
    "status": "Statut",
    "fulfillment": "Traitement",
    "customer_tax_id": "N° de TVA",
    "seller_tax_id": "N° de TVA",
    "shipping": "Livraison",
    "tracking": "Suivi",
    "customer": "Client",
    "item": "Article",
    "sku": "Réf.",
    "quantity": "Qté",
    "price": "Prix",
    "line_total": "Total",
    "no_items": "Aucun article",
    "no_file": "aucun fichier",
    "items_in_total": "Articles au total",
    "subtotal": "Sous-total",
    "discount": "Remise",
    "coupon": "Code promo",
    "handling": "Frais de traitement",
    "surcharge": "Supplément",
    "tax": "Taxe",
    "included": "incluse",
    "gift_card": "Carte cadeau",
    "total": "Total",
    "refund": "Remboursement",
    "refunded": "Remboursé",
    "total_after_refunds": "Total après remboursements",
    "additional_information": "Informations complémentaires",
    "notes": "Remarques",
    "cancelled_by": "Annulée par",
    "thank_you": "Merci pour votre commande.",
    "colon": "\u00a0:",  # French puts a (no-break) space before a colon
}

# Ecwid's standard statuses in each language (custom statuses carry the store's names)
STATUSES: dict[str, dict[str, str]] = {
    "de": {
        "AWAITING_PAYMENT": "Zahlung ausstehend",
        "PAID": "Bezahlt",
        "CANCELLED": "Storniert",
        "REFUNDED": "Erstattet",
        "PARTIALLY_REFUNDED": "Teilweise erstattet",
        "INCOMPLETE": "Unvollständig",
        "AWAITING_PROCESSING": "Wartet auf Bearbeitung",
        "PROCESSING": "In Bearbeitung",
        "SHIPPED": "Versandt",
        "DELIVERED": "Zugestellt",
        "WILL_NOT_DELIVER": "Wird nicht geliefert",
        "RETURNED": "Zurückgesandt",
        "READY_FOR_PICKUP": "Abholbereit",
        "OUT_FOR_DELIVERY": "In Zustellung",
    },
    "fr": {
        "AWAITING_PAYMENT": "En attente de paiement",
        "PAID": "Payée",
        "CANCELLED": "Annulée",
        "REFUNDED": "Remboursée",
        "PARTIALLY_REFUNDED": "Partiellement remboursée",
        "INCOMPLETE": "Incomplète",
        "AWAITING_PROCESSING": "En attente de traitement",
        "PROCESSING": "En cours de traitement",
        "SHIPPED": "Expédiée",
        "DELIVERED": "Livrée",
        "WILL_NOT_DELIVER": "Ne sera pas livrée",
        "RETURNED": "Retournée",
        "READY_FOR_PICKUP": "Prête pour le retrait",
        "OUT_FOR_DELIVERY": "En cours de livraison",
    },
}

_MONTHS = {
    "en": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(),
    "de": "Jan. Feb. März Apr. Mai Juni Juli Aug. Sept. Okt. Nov. Dez.".split(),
    "fr": "janv. févr. mars avr. mai juin juil. août sept. oct. nov. déc.".split(),
}
_DATE_PATTERNS = {
    "en": "{month} {day}, {year}",
    "de": "{day}. {month} {year}",
    "fr": "{day} {month} {year}",
}
_TRANSLATIONS = {"en": ENGLISH, "de": GERMAN, "fr": FRENCH}
LANGUAGES = tuple(_TRANSLATIONS)
"""The languages Backroom's own invoice and packing slip are written in."""


def language_of(lang: Any) -> str:
    """The language of an order's ``lang`` Backroom writes in (``"de_AT"`` ->
    ``"de"``); English for any other language, or none."""
    code = str(lang or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code in _TRANSLATIONS else "en"


@dataclass(frozen=True)
class Labels:
    """The labels of one language: ``labels["subtotal"]``, :meth:`date`, :meth:`status`."""

    language: str
    words: Mapping[str, str]

    def __getitem__(self, name: str) -> str:
        return self.words.get(name) or ENGLISH[name]

    def date(self, moment: datetime, zone: str = "", *, time: bool = True) -> str:
        """``moment`` (already in the wanted time zone) as this language writes
        a date (and its time, then ``zone``)."""
        text = _DATE_PATTERNS[self.language].format(
            month=_MONTHS[self.language][moment.month - 1], day=moment.day, year=moment.year
        )
        return f"{text}, {moment:%H:%M} {zone}".strip() if time else text

    def as_dict(self) -> dict[str, str]:
        """Every label (English where this language has none)."""
        return {name: self[name] for name in ENGLISH}

    def status(self, code: str) -> str | None:
        """The name of one of Ecwid's standard statuses in this language
        (``None`` in English, and for statuses the store names itself)."""
        return STATUSES.get(self.language, {}).get(code)


def labels_for(lang: Any) -> Labels:
    """The labels for an order whose ``lang`` is ``lang`` (English if Backroom
    has no translation)."""
    language = language_of(lang)
    return Labels(language, _TRANSLATIONS[language])
