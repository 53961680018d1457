"""The table model of the order editor's items: one row per item of the
working copy (name, SKU, options, quantity, price, line total).

Name, SKU, quantity and price are edited in place as text; the model writes
what was typed into the working copy (``("items", row, "price")``) and says
so with ``itemEdited``. Options are summarised (files with their names and
sizes) and edited in the panel under the table. A cell with a problem is
tinted in the palette's error colour and says the problem in its tooltip.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication

from app.services.orders.changes import new_item, set_value
from ui.editor.fields import error_color, is_dark, raw_text

if TYPE_CHECKING:
    from ui.detail.pane import OrderFormat

Index = QModelIndex | QPersistentModelIndex
ItemProblems = Mapping[tuple[int, str], str]
"""``(row, field)`` → message; field "" for the item as a whole."""


def option_text(option: Mapping[str, Any], fmt: OrderFormat | None) -> str:
    """ "Colour: Red"; a files option lists its files with their sizes."""
    name = str(option.get("name") or "Option")
    files = [file for file in option.get("files") or [] if isinstance(file, Mapping)]
    if files or option.get("type") == "FILES":
        shown = ", ".join(file_text(file, fmt) for file in files) or "no files"
        return f"{name}: {shown}"
    value = option.get("value")
    if value is None and isinstance(option.get("valuesArray"), list):
        value = ", ".join(str(v) for v in option["valuesArray"])
    return f"{name}: {raw_text(value)}"


def file_text(file: Mapping[str, Any], fmt: OrderFormat | None) -> str:
    name = str(file.get("name") or file.get("url") or "file")
    size = file.get("size")
    if isinstance(size, int) and not isinstance(size, bool) and fmt is not None:
        return f"{name} ({fmt.file_size(size)})"
    return name


def number_of(value: Any) -> Decimal | None:
    """A stored or typed number ("12,50", 3) as a Decimal; None if it is not one."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        value = repr(value)
    text = str(value).strip().replace(" ", "")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


class OrderItemsModel(QAbstractTableModel):
    """The items of the order being edited."""

    NAME, SKU, OPTIONS, QUANTITY, PRICE, TOTAL = range(6)
    HEADERS = ("Item", "SKU", "Options", "Qty", "Price", "Line total")
    FIELDS = {NAME: "name", SKU: "sku", QUANTITY: "quantity", PRICE: "price"}
    NUMBERS = (QUANTITY, PRICE, TOTAL)

    itemEdited = Signal(tuple)  # noqa: N815 - the path written, e.g. ("items", 2, "price")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._order: dict[str, Any] = {}
        self._fmt: OrderFormat | None = None
        self._problems: dict[tuple[int, str], str] = {}

    # -- our API --------------------------------------------------------------------

    def set_order(self, order: dict[str, Any], fmt: OrderFormat | None) -> None:
        """Edit the items of ``order`` (in place)."""
        self.beginResetModel()
        self._order = order
        self._fmt = fmt
        self._problems = {}
        self.endResetModel()

    def items(self) -> list[dict[str, Any]]:
        items = self._order.get("items")
        return items if isinstance(items, list) else []

    def item(self, row: int) -> dict[str, Any]:
        item = self.items()[row]
        return item if isinstance(item, dict) else {}

    def add_item(self) -> int:
        """Append a new, empty item; returns its row."""
        items = self._order.get("items")
        if not isinstance(items, list):
            items = self._order["items"] = []
        row = len(items)
        self.beginInsertRows(QModelIndex(), row, row)
        items.append(new_item(name=""))
        self.endInsertRows()
        self.itemEdited.emit(("items",))
        return row

    def remove_item(self, row: int) -> None:
        items = self.items()
        if not 0 <= row < len(items):
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del items[row]
        self.endRemoveRows()
        self.itemEdited.emit(("items",))

    def refresh_row(self, row: int) -> None:
        """Show again what the working copy holds for ``row`` (its options changed)."""
        if 0 <= row < self.rowCount():
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.TOTAL))

    def set_problems(self, problems: ItemProblems) -> None:
        self._problems = dict(problems)
        if self.rowCount():
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(self.rowCount() - 1, self.TOTAL),
                [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole],
            )

    def line_total(self, row: int) -> Decimal | None:
        item = self.item(row)
        quantity, price = number_of(item.get("quantity")), number_of(item.get("price"))
        if quantity is None or price is None:
            return None
        return quantity * price

    # -- Qt's API ---------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.items())

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section in self.NUMBERS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() in self.FIELDS:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self.rowCount():
            return None
        row, column = index.row(), index.column()
        item = self.item(row)
        field = self.FIELDS.get(column, "")
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == self.OPTIONS:
                return "; ".join(self._options(item))
            if column == self.TOTAL:
                total = self.line_total(row)
                if total is None:
                    return "—"
                return self._fmt.money(float(total)) if self._fmt else f"{total:.2f}"
            return raw_text(item.get(field))
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self.NUMBERS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        problem = self._problems.get((row, field)) if field else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if problem:
                return problem
            return "\n".join(self._options(item)) if column == self.OPTIONS else None
        if role == Qt.ItemDataRole.BackgroundRole and problem:
            palette = QGuiApplication.palette()
            tint = QColor(error_color(palette))
            tint.setAlpha(90 if is_dark(palette) else 45)
            return tint
        if role == Qt.ItemDataRole.AccessibleDescriptionRole and problem:
            return problem
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        field = self.FIELDS.get(index.column())
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or field is None:
            return False
        text = "" if value is None else str(value)
        if text == raw_text(self.item(index.row()).get(field)):
            return False  # unchanged: the stored value (a number) stays as it was
        path = ("items", index.row(), field)
        set_value(self._order, path, text)
        self.refresh_row(index.row())
        self.itemEdited.emit(path)
        return True

    def _options(self, item: Mapping[str, Any]) -> list[str]:
        options = item.get("selectedOptions") or []
        return [option_text(option, self._fmt) for option in options if isinstance(option, Mapping)]
