"""Invoices of many orders in one PDF, each starting on a new page; packing
slips (items and quantities, no prices) after each invoice or all at the end.

The user picks the file (``Invoices-<date>.pdf`` in their documents folder by
default) and starts; progress shows per order and Cancel stops at once,
leaving no file behind. Orders without an invoice (unfinished) are left out
and named. The orders in the finished PDF are recorded as "invoice printed".

Across stores (*All stores*) the orders may be several stores': ``source_of``
gives each order's own store (its invoices and display), so each invoice
carries its store's letterhead and money.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.services.invoices.documents import InvoiceUnavailable
from ui.common.keys import add_close_keys
from ui.common.tasks import TaskRunner
from ui.invoices.print_invoice import documents_folder
from ui.printing.pdf import PdfBook, PdfRenderer, arrange

if TYPE_CHECKING:
    from app.services.accounts.store_display import StoreDisplay
    from app.services.invoices.source import StoreInvoices

log = logging.getLogger(__name__)

NOTHING_WRITTEN = "No PDF was written: none of these orders has an invoice."


@dataclass(frozen=True)
class InvoiceSource:
    """Where one order's invoice comes from: its store's invoices, how that
    store shows orders, its key there, and whether the store answers."""

    invoices: StoreInvoices
    display: StoreDisplay | None
    key: str
    online: bool = True


def default_bulk_target(folder: Path, today: date | None = None) -> Path:
    """``Invoices-<date>.pdf`` in ``folder``; ``Invoices-<date> (2).pdf`` and so on
    when that file exists already."""
    stem = f"Invoices-{(today or date.today()).isoformat()}"
    candidate = folder / f"{stem}.pdf"
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem} ({number}).pdf"
        number += 1
    return candidate


class BulkInvoiceDialog(QDialog):
    """One PDF of the invoices of ``keys`` (in that order).

    ``progressed(done, total)`` follows each order; ``pdfWritten(path, pages)``
    the finished file."""

    progressed = Signal(int, int)
    pdfWritten = Signal(str, int)

    def __init__(
        self,
        invoices: StoreInvoices,
        tasks: TaskRunner,
        keys: list[str],
        *,
        online: bool = True,
        paper: str = "A4",
        display: StoreDisplay | None = None,
        folder: Path | None = None,
        parent: QWidget | None = None,
        source_of: Callable[[str], InvoiceSource | None] | None = None,
    ) -> None:
        super().__init__(parent)
        add_close_keys(self)
        self.source_of = source_of or (
            lambda key: InvoiceSource(self.invoices, self.display, key, self.online)
        )
        self.invoices = invoices
        self.tasks = tasks
        self.keys = list(keys)
        self.online = online
        self.paper = paper
        self.display = display
        self.written: Path | None = None
        self.skipped: list[str] = []
        self._task: asyncio.Task[None] | None = None
        self._busy = False
        self._setup_ui(folder or documents_folder())

    def _setup_ui(self, folder: Path) -> None:
        count = len(self.keys)
        self.setWindowTitle("Invoices as one PDF")
        self.setMinimumWidth(520)
        intro = QLabel(
            f"The invoices of {count:,} order{'s' if count != 1 else ''} go into one PDF, "
            "each starting on a new page."
        )
        intro.setWordWrap(True)

        self.target_edit = QLineEdit(str(default_bulk_target(folder)))
        self.target_edit.setAccessibleName("PDF file")
        self.browse_button = QPushButton("Browse…")
        self.browse_button.clicked.connect(self._on_browse_clicked)
        target_row = QHBoxLayout()
        target_row.addWidget(self.target_edit, 1)
        target_row.addWidget(self.browse_button)

        self.slips_box = QCheckBox("Add packing slips (items and quantities, no prices)")
        self.interleave_radio = QRadioButton("Each slip after its invoice")
        self.separate_radio = QRadioButton("All slips after the invoices")
        self.interleave_radio.setChecked(True)
        self.placement = QButtonGroup(self)
        self.placement.addButton(self.interleave_radio)
        self.placement.addButton(self.separate_radio)
        placement_box = QVBoxLayout()
        placement_box.setContentsMargins(24, 0, 0, 0)
        placement_box.addWidget(self.interleave_radio)
        placement_box.addWidget(self.separate_radio)
        self.slips_box.toggled.connect(self._on_slips_toggled)
        self._on_slips_toggled(False)

        form = QFormLayout()
        form.addRow("Save to:", target_row)

        self.progress = QProgressBar()
        self.progress.setRange(0, max(count, 1))
        self.progress.setValue(0)
        self.progress.setAccessibleName("Progress")
        self.status = QLabel(" ")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.buttons = QDialogButtonBox()
        self.create_button = self.buttons.addButton(
            "Create PDF", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.open_button = self.buttons.addButton(
            "Open PDF", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.open_button.hide()
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self._on_create_clicked)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_clicked)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.slips_box)
        layout.addLayout(placement_box)
        layout.addSpacing(8)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    # -- our API ------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._busy

    def target(self) -> Path:
        text = self.target_edit.text().strip()
        path = Path(text).expanduser()
        return path if path.suffix.lower() == ".pdf" else path.with_name(f"{path.name}.pdf")

    def start(self) -> asyncio.Task[None] | None:
        """Create the PDF with the options shown (the "Create PDF" button)."""
        if self.running:
            return self._task
        target = self.target()
        if not self.target_edit.text().strip() or not target.parent.is_dir():
            self.status.setText(f"Choose a file in an existing folder (not {target.parent}).")
            return None
        self._busy = True
        self._set_running(True)
        work = self._run(target, self.slips_box.isChecked(), self.interleave_radio.isChecked())
        self._task = self.tasks.run(work, name=f"bulk-invoices-{id(self)}")
        return self._task

    def cancel(self) -> None:
        """Stop creating the PDF; no file is left behind."""
        if self._task is not None and not self._task.done():
            self._task.cancel()

    # -- the work -------------------------------------------------------------------

    async def _run(self, target: Path, slips: bool, interleave: bool) -> None:
        pages: int | None = None
        try:
            pages = await self._create(target, slips, interleave)
        except asyncio.CancelledError:
            self.progress.setValue(0)
            self.status.setText("Cancelled; no PDF was written.")
            raise
        except Exception as error:  # a full disk, a damaged cache: say so, keep the dialog
            log.exception("bulk invoices not written")
            self.status.setText(f"The PDF could not be created: {error}")
        finally:
            self._busy = False
            self._set_running(False)
        if pages is not None:
            self.open_button.show()
            self.pdfWritten.emit(str(target), pages)

    async def _create(self, target: Path, slips: bool, interleave: bool) -> int | None:
        """Write the PDF; returns its page count (None when no order had an invoice)."""
        total = len(self.keys)
        self.written, self.skipped = None, []
        renderer = PdfRenderer(online=self.online, parent=self)
        try:
            with PdfBook(renderer, paper=self.paper) as book:
                invoices: list[Path] = []
                slip_parts: list[Path] = []
                printed: list[InvoiceSource] = []
                for index, key in enumerate(self.keys):
                    self.status.setText(f"Invoice {index + 1:,} of {total:,}…")
                    source = self.source_of(key)
                    if source is None:
                        self._order_done(index + 1, total)
                        continue
                    try:
                        document = await source.invoices.document(source.key, online=source.online)
                    except InvoiceUnavailable as error:
                        self.skipped.append(str(error))
                    else:
                        invoices.append(await book.add(document.html))
                        printed.append(source)
                        if slips:
                            slip_parts.append(await book.add(await self._packing_slip(source)))
                    self._order_done(index + 1, total)
                if not invoices:
                    self.status.setText(self._summary(NOTHING_WRITTEN))
                    return None
                self.status.setText("Writing the PDF…")
                ordered = arrange(invoices, slip_parts, interleave=interleave)
                pages = await book.write(ordered, target)
            for store in {id(source.invoices): source.invoices for source in printed}.values():
                await store.record_printed(
                    source.key for source in printed if source.invoices is store
                )
        finally:
            renderer.close()
        self.written = target
        count = len(printed)
        self.status.setText(
            self._summary(
                f"Saved {count:,} invoice{'s' if count != 1 else ''} "
                f"({pages:,} page{'s' if pages != 1 else ''}) to {target}."
            )
        )
        return pages

    async def _packing_slip(self, source: InvoiceSource) -> str:
        return await source.invoices.packing_slip(source.key, source.display)

    def _order_done(self, done: int, total: int) -> None:
        self.progress.setValue(done)
        self.progressed.emit(done, total)

    def _summary(self, text: str) -> str:
        if not self.skipped:
            return text
        return "\n".join([text, "Left out:", *self.skipped])

    # -- slots --------------------------------------------------------------------

    def _set_running(self, running: bool) -> None:
        for widget in (self.target_edit, self.browse_button, self.slips_box, self.create_button):
            widget.setEnabled(not running)
        self._on_slips_toggled(self.slips_box.isChecked())
        self.cancel_button.setText("Cancel" if running or self.written is None else "Close")

    def _on_slips_toggled(self, on: bool) -> None:
        enabled = on and not self.running
        self.interleave_radio.setEnabled(enabled)
        self.separate_radio.setEnabled(enabled)

    def _on_browse_clicked(self) -> None:
        dialog = QFileDialog(self, "Save invoices as PDF")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter("PDF files (*.pdf)")
        dialog.setDefaultSuffix("pdf")
        current = self.target()
        dialog.setDirectory(str(current.parent))
        dialog.selectFile(current.name)
        dialog.fileSelected.connect(self.target_edit.setText)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _on_create_clicked(self) -> None:
        self.start()

    def _on_open_clicked(self) -> None:
        if self.written is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.written)))

    def _on_cancel_clicked(self) -> None:
        if self.running:
            self.cancel()
        else:
            self.reject()

    def reject(self) -> None:
        """Escape or closing the window while working cancels the work first."""
        self.cancel()
        super().reject()
