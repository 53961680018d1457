"""The invoice preview: one order's invoice in a window of its own, with zoom,
Print… and Save as PDF….

The invoice comes from the store's invoices
(:class:`~app.services.invoices.source.StoreInvoices`): the store's own page,
the copy saved on this computer, or (offline, never fetched) one generated
by Backroom; a banner says when it is not the store's page fetched
just now. An order that has no invoice (unfinished) says so in plain words.
Printing or saving a PDF records the order as "invoice printed".
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.services.invoices.documents import InvoiceDocument, InvoiceUnavailable
from ui.common.keys import add_close_keys
from ui.common.tasks import TaskRunner
from ui.invoices.print_invoice import InvoicePrinting, default_pdf_name
from ui.invoices.view import InvoiceView

if TYPE_CHECKING:
    from app.services.invoices.source import StoreInvoices

log = logging.getLogger(__name__)

OFFLINE_NOTICE = (
    "Generated offline by Backroom from the order saved on this computer: "
    "this is not the store's own invoice."
)
CACHE_NOTICE = "The store's invoice as saved on this computer."


PREFERRED_SIZE = QSize(860, 960)


def fitting_size(screen: QSize | None) -> QSize:
    """The window's first size: an A4 page wide and tall, but never more than
    nine tenths of the screen (a 768 px laptop screen too)."""
    if screen is None or not screen.isValid():
        return PREFERRED_SIZE
    return QSize(
        min(PREFERRED_SIZE.width(), int(screen.width() * 0.9)),
        min(PREFERRED_SIZE.height(), int(screen.height() * 0.9)),
    )


class InvoiceWindow(QDialog):
    """Preview of one order's invoice.

    ``documentShown`` carries the order key once its invoice is laid out;
    ``printed`` the key after it was printed or saved as PDF (and recorded)."""

    documentShown = Signal(str)
    printed = Signal(str)

    def __init__(
        self,
        invoices: StoreInvoices,
        tasks: TaskRunner,
        *,
        online: bool = True,
        paper: str = "A4",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.invoices = invoices
        self.tasks = tasks
        self.online = online
        self.folder: Path | None = None  # where Save as PDF and Print to file start
        self.document: InvoiceDocument | None = None
        self._load_task: asyncio.Task[None] | None = None
        self._setup_ui()
        self.printing = InvoicePrinting(self.view, paper=paper, parent=self)
        self.printing.printed.connect(self._on_printed)
        self.printing.pdfSaved.connect(self._on_pdf_saved)
        self.printing.failed.connect(self._on_printing_failed)
        self._set_document_actions_enabled(False)
        self.finished.connect(self._on_finished)
        self._print_when_shown = False
        add_close_keys(self, escape=True)  # as shortcuts: the page must not eat Esc

    def _setup_ui(self) -> None:
        self.setWindowTitle("Invoice")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.resize(
            fitting_size(self.screen().availableGeometry().size() if self.screen() else None)
        )

        self.toolbar = QToolBar("Invoice")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        standard = QKeySequence.StandardKey
        self.zoom_out_action = self._action(
            "Zoom out", self._on_zoom_out, standard.ZoomOut, short="−"
        )
        self.zoom_label = QLabel("100 %")
        self.zoom_label.setAccessibleName("Zoom")
        metrics = self.zoom_label.fontMetrics()
        self.zoom_label.setMinimumWidth(metrics.horizontalAdvance("400 %") + 16)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.toolbar.addWidget(self.zoom_label)
        self.zoom_in_action = self._action(
            "Zoom in", self._on_zoom_in, standard.ZoomIn, "Ctrl+=", short="+"
        )
        self.fit_action = self._action("Fit width", self._on_fit_width, "Ctrl+9")
        self.actual_size_action = self._action("Actual size", self._on_actual_size, "Ctrl+0")
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(spacer)
        self.print_action = self._action("Print…", self._on_print, standard.Print)
        self.pdf_action = self._action("Save as PDF…", self._on_save_pdf, standard.Save)

        self.banner = QLabel()
        self.banner.setObjectName("invoiceBanner")
        self.banner.setWordWrap(True)
        self.banner.setAutoFillBackground(True)
        self.banner.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        self.banner.setForegroundRole(QPalette.ColorRole.ToolTipText)
        self.banner.setContentsMargins(12, 8, 12, 8)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.hide()

        self.view = InvoiceView(online=self.online)
        self.view.zoomChanged.connect(self._on_zoom_changed)
        self.view.loadFinished.connect(self._on_load_finished)
        self.message = QLabel()
        self.message.setObjectName("invoiceMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setContentsMargins(24, 24, 24, 24)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.message)
        self.stack.addWidget(self.view)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.banner)
        layout.addWidget(self.stack, 1)

    def _action(
        self,
        text: str,
        slot: Callable[[], None],
        *shortcuts: str | QKeySequence.StandardKey,
        short: str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        action.setIconText(short or text)  # (given: Qt would drop the "…" of "Print…")
        action.setShortcuts([QKeySequence(shortcut) for shortcut in shortcuts])
        native = QKeySequence.SequenceFormat.NativeText
        action.setToolTip(f"{text} ({QKeySequence(shortcuts[0]).toString(native)})")
        action.triggered.connect(lambda _checked=False: slot())
        self.toolbar.addAction(action)
        self.toolbar.widgetForAction(action).setAccessibleName(text)
        self.addAction(action)  # the shortcut works wherever the focus is
        return action

    # -- our API ------------------------------------------------------------------

    def open_order(self, key: str) -> asyncio.Task[None]:
        """Fetch (or take from the cache, or generate) the invoice of ``key`` and show it."""
        self._show_message("Loading the invoice…")  # (plain words: safe as rich text)
        self._load_task = self.tasks.run(self._load(key), name=f"invoice-{id(self)}")
        return self._load_task

    async def _load(self, key: str) -> None:
        try:
            document = await self.invoices.document(key, online=self.online)
        except InvoiceUnavailable as error:
            self.show_unavailable(str(error))
            return
        except Exception as error:  # a damaged cache, say: tell, keep the window
            log.exception("invoice of %s not shown", key)
            self.show_unavailable(f"The invoice could not be shown: {error}")
            return
        self.show_document(document)

    def show_document(self, document: InvoiceDocument) -> None:
        """Show ``document`` (``documentShown`` follows once it is laid out)."""
        self.document = document
        self.setWindowTitle(document.title or f"Invoice {document.number}")
        notice = self._notice_for(document)
        self.banner.setText(notice or "")
        self.banner.setVisible(bool(notice))
        self.view.set_online(self.online and document.source != "offline")
        self._set_document_actions_enabled(False)
        self.view.show_html(document.html)

    def show_unavailable(self, message: str) -> None:
        """Say plainly that there is no invoice to show."""
        self.document = None
        self.banner.hide()
        self.setWindowTitle("No invoice")
        self._show_message(f"<p><big><b>No invoice to show</b></big></p><p>{escape(message)}</p>")

    @staticmethod
    def _notice_for(document: InvoiceDocument) -> str | None:
        if document.source == "offline":
            return OFFLINE_NOTICE  # the page itself says why
        if document.source == "cache":
            return " ".join(part for part in (CACHE_NOTICE, document.notice) if part)
        return document.notice

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)
        self._set_document_actions_enabled(False)

    def _set_document_actions_enabled(self, enabled: bool) -> None:
        self.zoom_label.setEnabled(enabled)
        for action in (
            self.zoom_in_action,
            self.zoom_out_action,
            self.fit_action,
            self.actual_size_action,
            self.print_action,
            self.pdf_action,
        ):
            action.setEnabled(enabled)

    # -- slots --------------------------------------------------------------------

    def print_when_shown(self) -> None:
        """Open the print dialog as soon as the invoice is shown."""
        self._print_when_shown = True

    def _on_load_finished(self, _ok: bool) -> None:
        if self.document is None:
            return
        self.stack.setCurrentWidget(self.view)
        self._set_document_actions_enabled(True)
        self.documentShown.emit(self.document.key)
        if self._print_when_shown:
            self._print_when_shown = False
            self._on_print()

    def _on_finished(self, _result: int) -> None:
        if self._load_task is not None:
            self._load_task.cancel()  # closed while loading: nothing left to show it in

    def _on_zoom_in(self) -> None:
        self.view.zoom_in()

    def _on_zoom_out(self) -> None:
        self.view.zoom_out()

    def _on_fit_width(self) -> None:
        self.view.fit_width()

    def _on_actual_size(self) -> None:
        self.view.reset_zoom()

    def _on_zoom_changed(self, factor: float) -> None:
        self.zoom_label.setText(f"{round(factor * 100)} %")

    def _on_print(self) -> None:
        if self.document is not None:
            self.printing.ask_and_print(default_pdf_name(self.document.number), self.folder)

    def _on_save_pdf(self) -> None:
        if self.document is not None:
            self.printing.ask_and_save_pdf(self.document.number, self.folder)

    def _on_printed(self) -> None:
        self._record_printed()

    def _on_pdf_saved(self, path: str) -> None:
        self._record_printed()
        self.banner.setText(f"Saved as {path}")
        self.banner.show()

    def _on_printing_failed(self, message: str) -> None:
        notice = self._notice_for(self.document) if self.document is not None else None
        self.banner.setText("\n".join(part for part in (notice, message) if part))
        self.banner.show()

    def _record_printed(self) -> None:
        if self.document is not None:
            self.tasks.run(self._record(self.document.key))

    async def _record(self, key: str) -> None:
        await self.invoices.record_printed([key])
        self.printed.emit(key)
