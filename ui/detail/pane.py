"""The order detail pane: the whole of one order, read-only, beside the orders table.

The order is rendered as HTML (see :mod:`ui.detail.html`) in a
:class:`QTextBrowser`: fast, selectable, and it scales with the screen. Colours
come from the widget's palette, so the pane reads well in light and dark
themes; links open in the browser only when clicked, and only http(s) ones.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from PySide6.QtCore import QEvent, QLocale, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices, QPalette, QTextOption
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QStackedLayout,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.domain.statuses import FulfillmentStatus, PaymentStatus
from app.domain.words import status_words
from ui.common.dates import display_locale, medium_date_time
from ui.common.sizes import data_size
from ui.detail.edit_marker import EditMarker, EditNote
from ui.detail.html import EMPTY_TEXT, activity_html, order_html
from ui.detail.technical import TOGGLE_URL
from ui.orders.table_model import currency_symbol

KNOWN_STATUSES = frozenset(PaymentStatus.__members__) | frozenset(FulfillmentStatus.__members__)
_ECWID_DATE = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}\Z")
_SHORTEST = QLocale.FloatingPointPrecisionOption.FloatingPointShortest


class OrderDetailPane(QWidget):
    """Shows every field of one order (raw Ecwid JSON as cached), grouped;
    above it a marker while an edit of it is not settled, and below it what
    this desk wrote to it."""

    outboxRequested = Signal(int)  # noqa: N815 - an edit id: show it in the outbox

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._order: Mapping[str, Any] | None = None
        self._activity: list[tuple[str, str, str, str]] = []
        self._locale = display_locale()
        self._format = OrderFormat(self._locale)
        self._technical_open = False  # "Technical details" folded (for every order)
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("Order details")
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.setFrameShape(QFrame.Shape.NoFrame)
        self.browser.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.browser.document().setDocumentMargin(14)
        self.browser.anchorClicked.connect(self._on_anchor_clicked)

        self.empty_label = QLabel(EMPTY_TEXT)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.empty_label.setAutoFillBackground(True)
        self.empty_label.setBackgroundRole(QPalette.ColorRole.Base)

        self.marker = EditMarker()
        self.marker.outboxRequested.connect(self.outboxRequested)
        pages = QWidget()
        self._stack = QStackedLayout(pages)
        self._stack.addWidget(self.empty_label)
        self._stack.addWidget(self.browser)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.marker)
        layout.addWidget(pages, 1)
        self.setFocusProxy(self.browser)
        self._apply_palette()

    # -- our API --------------------------------------------------------------

    def show_order(
        self,
        order: Mapping[str, Any] | None,
        *,
        currency: str | None = None,
        status_names: Mapping[str, str] | None = None,
    ) -> None:
        """Show ``order`` (raw Ecwid JSON), money in ``currency`` (a symbol
        such as "$" or an ISO code such as "EUR") and statuses by the store's
        names; None shows the empty state."""
        same = order is not None and _identity(order) == _identity(self._order)
        scroll = self.browser.verticalScrollBar().value() if same else 0
        if not same:
            self._activity = []
            self.marker.show_notes([])
        self._order = order
        self._format = OrderFormat(self._locale, currency, status_names)
        self._render()
        self.browser.verticalScrollBar().setValue(scroll)

    def show_desk_notes(
        self, notes: list[EditNote], activity: list[tuple[str, str, str, str]]
    ) -> None:
        """The order's open edits (the marker) and what this desk wrote to it
        (``(when, desk, what, outcome)``, newest first) — for the order shown."""
        self.marker.show_notes(notes)
        if activity != self._activity:
            self._activity = activity
            scroll = self.browser.verticalScrollBar().value()
            self._render()
            self.browser.verticalScrollBar().setValue(scroll)

    def current_order(self) -> Mapping[str, Any] | None:
        return self._order

    @property
    def technical_open(self) -> bool:
        return self._technical_open

    def set_technical_expanded(self, open_: bool) -> None:
        """Unfold (or fold) "Technical details"; it stays so for the next orders."""
        if open_ == self._technical_open:
            return
        self._technical_open = open_
        if self._order is not None:
            scroll = self.browser.verticalScrollBar().value()
            self._render()
            self.browser.verticalScrollBar().setValue(scroll)

    def is_empty(self) -> bool:
        return self._order is None

    # -- helpers --------------------------------------------------------------

    def _render(self) -> None:
        if self._order is None:
            self.browser.clear()
            self._stack.setCurrentWidget(self.empty_label)
            return
        self.browser.setHtml(
            order_html(self._order, self._format, technical_open=self._technical_open)
            + activity_html(self._activity)
        )
        self._stack.setCurrentWidget(self.browser)

    def _apply_palette(self) -> None:
        self.browser.document().setDefaultStyleSheet(style_sheet(self.palette()))

    # -- slots ----------------------------------------------------------------

    def _on_anchor_clicked(self, url: QUrl) -> None:
        if url.toString() == TOGGLE_URL:
            self.set_technical_expanded(not self._technical_open)
            return
        if url.scheme().lower() in ("http", "https"):
            QDesktopServices.openUrl(url)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_palette()
            if self._order is not None:
                self._render()


class OrderFormat:
    """How values read in the pane: the user's locale, the store's currency
    and the store's own names for statuses."""

    def __init__(
        self,
        locale: QLocale,
        currency: str | None = None,
        status_names: Mapping[str, str] | None = None,
    ) -> None:
        self.locale = locale
        self.symbol = cached_currency_symbol(currency) if currency else ""
        self.status_names = dict(status_names or {})

    def money(self, value: Any) -> str:
        return self._money(value, self.symbol)

    def usd(self, value: Any) -> str:
        return self._money(value, cached_currency_symbol("USD"))

    def _money(self, value: Any, symbol: str) -> str:
        try:
            amount = float(value)
        except (TypeError, ValueError):
            return str(value)
        if symbol:
            return self.locale.toCurrencyString(amount, symbol, 2)
        return self.locale.toString(amount, "f", 2)

    def number(self, value: Any) -> str:
        if isinstance(value, int) and not isinstance(value, bool):
            return self.locale.toString(value)
        try:
            return self.locale.toString(float(value), "f", _SHORTEST)
        except (TypeError, ValueError):
            return str(value)

    def date(self, value: Any) -> str:
        """Local date and time in the medium form ("Dec 6, 2026 7:43 AM"); a
        value that is no date as it came."""
        return medium_date_time(value, self.locale) if value not in (None, "") else ""

    def ecwid_date(self, value: str) -> str | None:
        """A string in Ecwid's date form as a local short date, else None."""
        return self.date(value) if _ECWID_DATE.match(value) else None

    def file_size(self, size: int) -> str:
        return data_size(size, self.locale)

    def yes_no(self, value: bool) -> str:
        return "Yes" if value else "No"

    def status(self, status: str) -> str:
        """The store's name for a status, else a known status in words
        ("AWAITING_PROCESSING" -> "Awaiting processing"); an unknown one as it came."""
        if status in self.status_names or status in KNOWN_STATUSES:
            return status_words(status, self.status_names)
        return status

    def language(self, code: str) -> str:
        """ "English (en)"; an unknown code as it came."""
        language = QLocale(code).language()
        if language == QLocale.Language.C:
            return code
        return f"{QLocale.languageToString(language)} ({code})"


def _identity(order: Mapping[str, Any] | None) -> object:
    """What tells two versions of the same order apart from another order."""
    if order is None:
        return None
    return order.get("id") or order.get("orderNumber") or order.get("internalId") or id(order)


@lru_cache(maxsize=32)
def cached_currency_symbol(currency: str) -> str:
    """:func:`currency_symbol` for the user's locale, remembered (it scans every
    locale, and the pane renders on every current-row change)."""
    return currency_symbol(currency, display_locale())


def _mix(one: QColor, other: QColor, share: float) -> str:
    """``one`` with ``share`` of ``other`` blended in, as #rrggbb."""
    mixed = QColor(
        round(one.red() * (1 - share) + other.red() * share),
        round(one.green() * (1 - share) + other.green() * share),
        round(one.blue() * (1 - share) + other.blue() * share),
    )
    return mixed.name()


def style_sheet(palette: QPalette) -> str:
    """The document's CSS, in colours taken from ``palette``."""
    text = palette.color(QPalette.ColorRole.Text)
    base = palette.color(QPalette.ColorRole.Base)
    muted = _mix(text, base, 0.42)
    heading = _mix(text, base, 0.25)
    rule = _mix(text, base, 0.85)
    link = palette.color(QPalette.ColorRole.Link).name()
    return f"""
        body {{ color: {text.name()}; }}
        h3 {{ color: {heading}; font-size: small; font-weight: bold;
              text-transform: uppercase; margin-top: 18px; margin-bottom: 6px; }}
        table.fields td {{ padding-top: 3px; padding-bottom: 3px; }}
        td.label {{ color: {muted}; padding-right: 12px; }}
        td.number {{ white-space: nowrap; }}
        table.items {{ border-collapse: collapse; }}
        table.items th {{ color: {muted}; font-size: small; font-weight: normal;
              padding: 0px 0px 4px 8px; border-bottom-style: solid;
              border-bottom-width: 1px; border-bottom-color: {rule}; }}
        table.items td {{ padding: 8px 0px 3px 8px; vertical-align: top; }}
        table.items td.details {{ padding: 0px 0px 8px 0px; border-bottom-style: solid;
              border-bottom-width: 1px; border-bottom-color: {rule}; }}
        table.items .first {{ padding-left: 0px; }}
        p.note {{ margin-top: 0px; margin-bottom: 0px; }}
        .muted {{ color: {muted}; }}
        .small {{ font-size: small; }}
        a {{ color: {link}; text-decoration: none; }}
        a.toggle {{ color: {heading}; }}
    """
