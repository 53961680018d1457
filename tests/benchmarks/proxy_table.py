"""The naive alternative the window is compared with: every cached row held
in memory by a plain table model, filtered and sorted by a
QSortFilterProxyModel (what the demo-stage window did)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.cache import CachedOrderRow

COLUMNS = (
    "number",
    "created",
    "customer",
    "email",
    "item_count",
    "total",
    "payment_status",
    "fulfillment_status",
    "tracking_number",
)


class InMemoryOrderModel(QAbstractTableModel):
    def __init__(self, rows: list[CachedOrderRow]) -> None:
        super().__init__()
        self._rows = rows

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        value = getattr(self._rows[index.row()], COLUMNS[index.column()])
        return "" if value is None else str(value)
