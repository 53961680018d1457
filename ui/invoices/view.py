"""The invoice preview's web view: :class:`InvoiceView` shows one
:class:`~ui.printing.page.InvoicePage` (the page untrusted invoice HTML is
rendered in: scripts off, requests gated, links opened outside), with zoom
in, out and back, fit to width, and a small context menu.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QMenu, QWidget

from ui.printing.page import InvoicePage

ZOOM_STEPS = (0.33, 0.5, 0.67, 0.75, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0)
MIN_ZOOM, MAX_ZOOM = 0.25, 5.0
FIT_GUTTER_PX = 24  # room kept beside the page when fitting its width


class InvoiceView(QWebEngineView):
    """Shows one invoice page; zoom in/out/reset and fit to width.

    ``zoomChanged`` carries the new zoom factor (1.0 = 100 %)."""

    zoomChanged = Signal(float)

    def __init__(
        self,
        profile: QWebEngineProfile | None = None,
        *,
        online: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.invoice_page = InvoicePage(profile, online=online, parent=self)
        self.setPage(self.invoice_page)
        self.setAccessibleName("Invoice")
        self.setAcceptDrops(False)

    # -- content ------------------------------------------------------------------

    def show_html(self, html: str) -> None:
        self.invoice_page.show_html(html)

    def set_online(self, online: bool) -> None:
        self.invoice_page.set_online(online)

    # -- zoom ---------------------------------------------------------------------

    def set_zoom(self, factor: float) -> None:
        factor = min(MAX_ZOOM, max(MIN_ZOOM, factor))
        if abs(factor - self.zoomFactor()) > 1e-3:
            self.setZoomFactor(factor)
            self.zoomChanged.emit(factor)

    def zoom_in(self) -> None:
        current = self.zoomFactor()
        self.set_zoom(next((step for step in ZOOM_STEPS if step > current + 1e-3), MAX_ZOOM))

    def zoom_out(self) -> None:
        current = self.zoomFactor()
        lower = [step for step in ZOOM_STEPS if step < current - 1e-3]
        self.set_zoom(lower[-1] if lower else MIN_ZOOM)

    def reset_zoom(self) -> None:
        self.set_zoom(1.0)

    def fit_width(self) -> None:
        """Zoom so that the invoice's width fills the view (measured once laid out)."""
        self.invoice_page.content_width(self._on_content_width)

    def _on_content_width(self, css_width: float) -> None:
        if css_width <= 0:
            return
        self.set_zoom((self.width() - FIT_GUTTER_PX) / css_width)

    # -- context menu -------------------------------------------------------------

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802
        """Copy and select all, and zoom; no back, reload, save page or view source."""
        action = QWebEnginePage.WebAction
        menu = QMenu(self)
        menu.addAction(self.pageAction(action.Copy))
        menu.addAction(self.pageAction(action.SelectAll))
        menu.addSeparator()
        menu.addAction("Zoom in", self.zoom_in)
        menu.addAction("Zoom out", self.zoom_out)
        menu.addAction("Actual size", self.reset_zoom)
        menu.addAction("Fit width", self.fit_width)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(event.globalPos())
