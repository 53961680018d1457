"""The customer view: every order of the customer of an order, from the
local cache — offline and at once — with what they spent, their first and
last order, the average order and their addresses; double-click (or Enter)
on an order to open it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.domain.words import status_words
from ui.common.dates import short_date_time
from ui.common.keys import add_close_keys
from ui.common.result_table import result_table
from ui.detail.pane import OrderFormat

if TYPE_CHECKING:
    from app.services.orders.customers import CustomerSummary

KEY_ROLE = Qt.ItemDataRole.UserRole + 1


def orders_words(count: int) -> str:
    return "1 order" if count == 1 else f"{count:,} orders"


class CustomerView(QDialog):
    """One customer's orders; :attr:`orderRequested` when one is opened."""

    orderRequested = Signal(str)  # noqa: N815 - an order's key

    HEADERS = ("Order", "Date", "Total", "Payment", "Fulfillment")

    def __init__(
        self, summary: CustomerSummary, fmt: OrderFormat, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.summary = summary
        self.fmt = fmt
        self.model = QStandardItemModel(0, len(self.HEADERS), self)
        self.model.setHorizontalHeaderLabels(list(self.HEADERS))
        self._setup_ui()

    def _setup_ui(self) -> None:
        summary, fmt = self.summary, self.fmt
        who = summary.name or summary.email or "This customer"
        self.setWindowTitle(f"{who} — customer")
        self.resize(720, 560)
        layout = QVBoxLayout(self)
        title = QLabel(who)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        known = "customer account" if summary.found_by == "customer id" else "guest, by e-mail"
        subtitle = QLabel(f"{summary.email} · {known}" if summary.email else known)
        subtitle.setForegroundRole(subtitle.foregroundRole())
        layout.addWidget(subtitle)
        figures = QFormLayout()
        self.figures = {
            "Orders": f"{orders_words(len(summary.orders))} ({summary.paid_orders:,} paid)",
            "Spent": fmt.money(summary.spent),
            "Average order": fmt.money(summary.average) if summary.average is not None else "—",
            "First order": self._date(summary.first),
            "Last order": self._date(summary.last),
        }
        for label, value in self.figures.items():
            shown = QLabel(value)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            figures.addRow(f"{label}:", shown)
        if summary.addresses:
            addresses = QLabel("\n".join(summary.addresses))
            addresses.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            addresses.setWordWrap(True)
            figures.addRow("Addresses:", addresses)
        layout.addLayout(figures)
        for row in summary.orders:
            cells = [
                f"#{row.number}",
                self._date(row.created),
                fmt.money(row.total) if row.total is not None else "",
                status_words(row.payment_status, fmt.status_names),
                status_words(row.fulfillment_status, fmt.status_names),
            ]
            items = [QStandardItem(text) for text in cells]
            items[0].setData(row.key, KEY_ROLE)
            items[2].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.model.appendRow(items)
        self.table = result_table(self.model, "The customer's orders")
        self.table.doubleClicked.connect(lambda index: self._open(index.row()))
        layout.addWidget(self.table, 1)
        hint = QLabel("Double-click an order (or press Enter) to open it.")
        hint.setForegroundRole(hint.foregroundRole())
        layout.addWidget(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for keys in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(keys), self.table)
            shortcut.activated.connect(lambda: self._open(self.table.currentIndex().row()))
        add_close_keys(self, self.reject)
        if self.model.rowCount():
            self.table.selectRow(0)
        self.table.setFocus()

    def _date(self, moment: object) -> str:
        return short_date_time(moment, self.fmt.locale) if moment is not None else "—"  # type: ignore[arg-type]

    def _open(self, row: int) -> None:
        item = self.model.item(row, 0)
        if item is not None:
            self.orderRequested.emit(item.data(KEY_ROLE))
