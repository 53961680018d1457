"""Printing invoices to one PDF, through whatever printer the caller has.

Turning HTML into PDF pages needs a browser engine (QtWebEngine), which
lives in the window's layer (``ui/printing/``); the services never import
Qt. So printing takes a :class:`PdfPrinter` — the small interface the Qt
adapter (:class:`ui.printing.pdf.WebEnginePdfPrinter`) implements — and the
command line hands one in by a plain import where it prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from app.cache import OrderCache

from .documents import InvoiceDocument, record_printed


class PdfPrinter(Protocol):
    """Prints HTML documents into one PDF."""

    def print_pdf(
        self,
        documents: Sequence[InvoiceDocument],
        target: Path,
        *,
        packing_slips: list[str] | None = None,
        paper: str = "A4",
    ) -> int:
        """Write ``documents`` (each followed by its packing slip, if given) to
        ``target``; the number of pages."""
        ...


def print_invoices(
    printer: PdfPrinter,
    cache: OrderCache,
    documents: Sequence[InvoiceDocument],
    target: Path,
    *,
    packing_slips: list[str] | None = None,
    paper: str = "A4",
) -> int:
    """Print the invoices into ``target`` and record them as printed on this
    computer (the *Invoice printed* column); the number of pages."""
    pages = printer.print_pdf(documents, target, packing_slips=packing_slips, paper=paper)
    record_printed(cache, [document.key for document in documents])
    return pages
