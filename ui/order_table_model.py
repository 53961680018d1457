"""The order table's model: one row per :class:`~app.services.order_listing.OrderRow`.

Display text, a sort role with native comparable values, a role returning the
row object, and appends in blocks as batches arrive.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QLocale, QModelIndex, QPersistentModelIndex, Qt

from app.services.order_listing import OrderRow, StoreDisplay

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex


class OrderTableModel(QAbstractTableModel):
    NUMBER, DATE, CUSTOMER, EMAIL, ITEMS, TOTAL, PAYMENT, FULFILLMENT, TRACKING = range(9)
    HEADERS = (
        "Order",
        "Date",
        "Customer",
        "Email",
        "Items",
        "Total",
        "Payment",
        "Fulfillment",
        "Tracking",
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[OrderRow] = []
        self._currency_symbol = ""
        self._status_names: dict[str, str] = {}
        self._locale = display_locale()

    # -- Qt API ---------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == SORT_ROLE:
            return self._sort_key(row, column)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.ITEMS, self.TOTAL):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    # -- our API --------------------------------------------------------------

    def append_rows(self, rows: list[OrderRow]) -> None:
        if not rows:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def clear(self) -> None:
        self.beginResetModel()
        self._rows = []
        self.endResetModel()

    def set_store_display(self, display: StoreDisplay) -> None:
        """Show totals in the store's currency (formatted for the user's
        locale) and statuses by the store's own names."""
        self._currency_symbol = display.currency_symbol
        self._status_names = dict(display.status_names)
        if self._rows:
            top = self.index(0, 0)
            bottom = self.index(len(self._rows) - 1, self.columnCount() - 1)
            self.dataChanged.emit(top, bottom, [Qt.ItemDataRole.DisplayRole, SORT_ROLE])

    def row_at(self, row: int) -> OrderRow:
        return self._rows[row]

    # -- helpers --------------------------------------------------------------

    def _display(self, row: OrderRow, column: int) -> str:
        match column:
            case self.NUMBER:
                return row.number
            case self.DATE:
                return _format_date(row.created)
            case self.CUSTOMER:
                return row.customer
            case self.EMAIL:
                return row.email
            case self.ITEMS:
                return str(row.item_count)
            case self.TOTAL:
                if row.total is None:
                    return ""
                return self._locale.toCurrencyString(float(row.total), self._currency_symbol, 2)
            case self.PAYMENT:
                return self._status_name(row.payment_status)
            case self.FULFILLMENT:
                return self._status_name(row.fulfillment_status)
            case self.TRACKING:
                return row.tracking_number
        return ""

    def _status_name(self, status: str) -> str:
        """The store's name for a status; a value nobody named is shown as it came."""
        return self._status_names.get(status, status)

    def _sort_key(self, row: OrderRow, column: int) -> Any:
        match column:
            case self.DATE:
                return row.created.timestamp() if row.created else 0.0
            case self.ITEMS:
                return row.item_count
            case self.TOTAL:
                return float(row.total or Decimal(0))
        return self._display(row, column).casefold()


def display_locale() -> QLocale:
    """The user's locale; the bare "C" locale (no LANG set) reads as US English."""
    locale = QLocale()
    if locale.language() == QLocale.Language.C:
        return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    return locale


def _format_date(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else ""
