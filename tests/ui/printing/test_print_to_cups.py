"""Printing an invoice through a real print system: the window's print path
(:meth:`ui.invoices.print_invoice.InvoicePrinting.print_to`, the same call the
print dialog makes) with a ``QPrinter`` set to a CUPS queue — not a file —
and the PDF that queue's printer wrote, read back.

The queue is cups-pdf (Debian ``printer-driver-cups-pdf``) on a private CUPS
scheduler the fixture starts in a fresh folder and a private mount namespace,
so the machine's own CUPS configuration is never touched
(:mod:`tests.helpers.print_server`; it needs root, as CI runs). The test is
never skipped: without the tools it fails and says what to install.

QtWebEngine prints onto a real printer as page images (only "print to file"
keeps text as text), so what the queue printed is read the way a person
reads a sheet of paper: its page is rendered with QtPdf and its words are
read with Tesseract OCR.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QSize
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtWidgets import QWidget

from app.sandbox.profile import store_profile
from app.services.accounts.store_display import StoreDisplay
from app.services.invoices.documents import render_offline_invoice
from app.services.invoices.letterhead import Letterhead
from tests.helpers import real_orders
from tests.helpers.print_server import CupsPdfQueue, cups_pdf_queue
from tests.ui.printing.test_invoice_render import pdf_page_size_mm
from ui.invoices.print_invoice import InvoicePrinting, invoice_printer
from ui.invoices.view import InvoiceView

pytestmark = pytest.mark.slow


@pytest.fixture
def queue() -> Iterator[CupsPdfQueue]:
    with cups_pdf_queue() as running:
        yield running


@pytest.fixture
def invoice_view(qtbot) -> Iterator[InvoiceView]:
    """The invoice of a recorded real order (a tax invoice, extra fields…) on screen."""
    order = real_orders.load("current-2024-out-for-delivery.json")
    letterhead = Letterhead.from_profile(store_profile(4870020))
    html = render_offline_invoice(order, StoreDisplay("Walnut", "USD", "$"), letterhead=letterhead)
    parent = QWidget()
    view = InvoiceView(parent=parent)
    with qtbot.waitSignal(view.loadFinished, timeout=20_000):
        view.show_html(html)
    yield view
    shiboken6.delete(parent)  # now: the shared web profile must outlive no page


def read_printout(qtbot, path: Path, folder: Path) -> tuple[int, str, str]:
    """The page count of the PDF at ``path``, what wrote it (its producer) and
    the words on its first page (rendered at 200 dpi with QtPdf, read with
    Tesseract), on one line."""
    document = QPdfDocument()
    try:
        document.load(str(path))
        ready = QPdfDocument.Status.Ready
        qtbot.waitUntil(
            lambda: document.status() in (ready, QPdfDocument.Status.Error), timeout=10_000
        )
        assert document.status() == ready, document.error()
        points = document.pagePointSize(0)
        image = document.render(
            0, QSize(round(points.width() * 200 / 72), round(points.height() * 200 / 72))
        )
        picture = folder / "page.png"
        assert image.save(str(picture))
        pages = document.pageCount()
        producer = str(document.metaData(QPdfDocument.MetaDataField.Producer))
    finally:
        document.close()
    read = subprocess.run(
        ["tesseract", str(picture), "stdout"], capture_output=True, text=True, timeout=120
    )
    assert read.returncode == 0, read.stderr
    return pages, producer, " ".join(read.stdout.split())


def test_an_invoice_printed_on_a_cups_queue_comes_out_of_its_printer(
    qtbot, tmp_path, queue, invoice_view
):
    assert queue.name in QPrinterInfo.availablePrinterNames()  # Qt sees the queue
    printing = InvoicePrinting(invoice_view, paper="A4", parent=invoice_view.parentWidget())
    printer = invoice_printer("A4")
    printer.setPrinterName(queue.name)
    printer.setDocName("Invoice INV-2024-0411")
    assert printer.isValid() and printer.printerName() == queue.name
    assert printer.outputFormat() == QPrinter.OutputFormat.NativeFormat
    assert not printer.outputFileName()  # a printer, not "print to file"
    failures: list[str] = []
    printing.failed.connect(failures.append)

    with qtbot.waitSignal(printing.printed, timeout=120_000):
        printing.print_to(printer)
    assert failures == []
    qtbot.waitUntil(lambda: queue.printed_pdf() is not None, timeout=120_000)

    printed = queue.printed_pdf()
    assert printed is not None, queue.log_tail()
    assert queue.completed_jobs() == [f"{queue.name}-1"]  # one job, through the queue
    width, height = pdf_page_size_mm(printed)
    assert width == pytest.approx(210, abs=2) and height == pytest.approx(297, abs=2)  # A4
    pages, producer, text = read_printout(qtbot, printed, tmp_path)
    assert pages == 1
    assert "Ghostscript" in producer  # written by cups-pdf (through Ghostscript), not by Qt
    for expected in (
        r"Invoice",
        r"INV-2024-0411",  # the invoice number
        r"WLN-X8UYE",  # the order number
        r"Walnut & Linen LLC",
        r"EIN: 84-2219077",  # the seller's tax id
        r"Ada Okafor",
        r"Linen napkins, set of 4",
        r"How did you hear about us\? Instagram",  # an extra field, by its title
        r"Total \$?70\.90",  # (the dollar sign is the one glyph OCR may miss)
    ):
        assert re.search(expected, text), f"{expected!r} not read from the printed page:\n{text}"
