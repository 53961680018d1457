"""Printing the invoice on screen: the system print dialog, and Save as PDF.

The printer is set up with the account's paper size (A4 or Letter) and
Backroom's margins (:func:`ui.printing.pdf.page_layout`). When the user
picks "Print to file (PDF)" in the print dialog, the page is printed with
Chromium's own PDF writer (text stays text) instead of being painted onto the
printer; a real printer gets :meth:`QWebEngineView.print`.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Signal
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from ui.invoices.view import InvoiceView
from ui.printing.pdf import page_layout

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def default_pdf_name(number: str) -> str:
    """``Invoice-<number>.pdf``, with characters no file system accepts replaced."""
    safe = _UNSAFE.sub("-", str(number)).strip(" .-") or "order"
    return f"Invoice-{safe}.pdf"


def documents_folder() -> Path:
    """Where files the user saves go by default: their documents folder, else home."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(location) if location else Path.home()
    return folder if folder.is_dir() else Path.home()


def invoice_printer(paper: str = "A4") -> QPrinter:
    """A high-resolution printer set to ``paper`` with Backroom's margins."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(page_layout(paper))
    return printer


class InvoicePrinting(QObject):
    """Print and Save as PDF for one :class:`InvoiceView`, one job at a time.

    ``printed`` follows a finished print job (to a printer or a file),
    ``pdfSaved`` a written PDF (its path), ``failed`` a job that did not
    complete (a message in plain words)."""

    printed = Signal()
    pdfSaved = Signal(str)
    failed = Signal(str)

    def __init__(self, view: InvoiceView, *, paper: str = "A4", parent: QWidget) -> None:
        super().__init__(parent)
        self.view = view
        self.paper = paper
        self._parent = parent
        self._printer: QPrinter | None = None  # kept alive while it prints
        self._pdf_job: tuple[str, Path] | None = None  # ("print" | "save", file)
        view.printFinished.connect(self._on_print_finished)
        view.pdfPrintingFinished.connect(self._on_pdf_printing_finished)

    @property
    def busy(self) -> bool:
        return self._printer is not None or self._pdf_job is not None

    # -- print -------------------------------------------------------------------

    def ask_and_print(
        self, output_name: str | None = None, folder: Path | None = None
    ) -> QPrintDialog:
        """Open the system print dialog (window-modal); printing starts when the
        user accepts. ``output_name`` (in ``folder``, else the documents folder)
        is the file offered for "Print to file"."""
        printer = invoice_printer(self.paper)
        if output_name:
            printer.setOutputFileName(str((folder or documents_folder()) / output_name))
        dialog = QPrintDialog(printer, self._parent)
        dialog.setWindowTitle("Print invoice")
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintToFile, True)
        dialog.accepted.connect(lambda: self.print_to(printer))
        dialog.finished.connect(dialog.deleteLater)
        QDialog.open(dialog)  # (QPrintDialog.open wants a receiver)
        return dialog

    def print_to(self, printer: QPrinter) -> None:
        """Print the invoice on ``printer`` (a PDF printer with a file name gets
        a real PDF, with selectable text)."""
        if self.busy:
            self.failed.emit("The invoice is still being printed.")
            return
        file_name = printer.outputFileName()
        if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and file_name:
            self._start_pdf("print", Path(file_name), printer)
            return
        self._printer = printer
        self.view.print(printer)

    def _on_print_finished(self, ok: bool) -> None:
        self._printer = None
        if ok:
            self.printed.emit()
        else:
            self.failed.emit("The invoice could not be printed.")

    # -- save as PDF -------------------------------------------------------------

    def ask_and_save_pdf(self, number: str, folder: Path | None = None) -> QFileDialog:
        """Ask where to save the PDF (``Invoice-<number>.pdf`` offered); saving
        starts when the user accepts."""
        dialog = QFileDialog(self._parent, "Save invoice as PDF")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setNameFilter("PDF files (*.pdf)")
        dialog.setDefaultSuffix("pdf")
        dialog.setDirectory(str(folder or documents_folder()))
        dialog.selectFile(default_pdf_name(number))
        dialog.fileSelected.connect(lambda path: self.save_pdf(Path(path)))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def save_pdf(self, path: Path) -> None:
        """Write the invoice as PDF to ``path``."""
        if self.busy:
            self.failed.emit("The invoice is still being printed.")
            return
        self._start_pdf("save", path, None)

    def _start_pdf(self, kind: str, path: Path, printer: QPrinter | None) -> None:
        layout = printer.pageLayout() if printer is not None else page_layout(self.paper)
        self._pdf_job = (kind, path)
        self.view.printToPdf(str(path), layout)

    def _on_pdf_printing_finished(self, path: str, ok: bool) -> None:
        job, self._pdf_job = self._pdf_job, None
        if job is None:
            return
        kind, _target = job
        if not ok:
            self.failed.emit(f"The PDF could not be written to {path}.")
        elif kind == "print":
            self.printed.emit()
        else:
            self.pdfSaved.emit(path)
