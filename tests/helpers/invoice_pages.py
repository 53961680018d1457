"""Telling Backroom's packing slips from invoices in a PDF's text, in any
language the slip is written in (the order's)."""

from __future__ import annotations

from app.services.invoices.labels import LANGUAGES, labels_for

SLIP_HEADINGS = frozenset(labels_for(language)["packing_slip"] for language in LANGUAGES)


def is_packing_slip(text: str) -> bool:
    """Whether ``text`` (a page's text) is one of our packing slips."""
    return any(heading in text for heading in SLIP_HEADINGS)
