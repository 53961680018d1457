"""The fields of the new-order form: a person's address fields and the item rows.

Each keeps what the user typed as typed (``"12,50"`` stays text until the
order is checked) and shows a problem in plain words under the field it is
about. :class:`PersonFields` is a form of line edits (name, company,
street…); :class:`ItemRows` is a small grid of items (name, SKU, price,
quantity) with "Add item" and a remove button per row.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.services.orders.changes import new_item
from ui.orders.range_editors import ValidationMessage

PERSON_LABELS = {
    "name": "&Name",
    "companyName": "Co&mpany",
    "street": "S&treet",
    "city": "&City",
    "postalCode": "&Postal code",
    "stateOrProvinceCode": "State or pro&vince",
    "countryCode": "C&ountry code",
    "phone": "P&hone",
}
ITEM_FIELDS = ("name", "sku", "price", "quantity")
ITEM_LABELS = {"name": "Name", "sku": "SKU", "price": "Price", "quantity": "Quantity"}
ITEM_WIDTHS = {"sku": 110, "price": 80, "quantity": 64}


def plain(label: str) -> str:
    """A label without its mnemonic marker."""
    return label.replace("&", "")


def sentence(label: str, message: str) -> str:
    """ "Quantity" + "must be a whole number" -> "Quantity must be a whole number"."""
    return f"{plain(label)} {message}".strip()


class PersonFields(QWidget):
    """A person's address as line edits; ``edited`` on every keystroke."""

    edited = Signal()

    def __init__(self, title: str, fields: Iterable[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.edits: dict[str, QLineEdit] = {}
        self.messages: dict[str, ValidationMessage] = {}
        self._setup_ui(list(fields))

    def _setup_ui(self, fields: list[str]) -> None:
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        for field in fields:
            edit = QLineEdit(accessibleName=f"{self.title} {plain(PERSON_LABELS[field]).lower()}")
            edit.textEdited.connect(self.edited)
            if field == "countryCode":
                edit.setMaxLength(2)
                edit.setPlaceholderText("e.g. US")
                edit.setMaximumWidth(80)
            message = ValidationMessage(edit)
            self.edits[field] = edit
            self.messages[field] = message
            form.addRow(PERSON_LABELS[field], edit)
            form.addRow("", message)

    def values(self) -> dict[str, str]:
        """The typed values (stripped); empty fields are left out."""
        found = {}
        for field, edit in self.edits.items():
            text = edit.text().strip()
            if text:
                found[field] = text.upper() if field == "countryCode" else text
        return found

    def show_problem(self, field: str, message: str) -> bool:
        """Show ``message`` under ``field``; False when this form has no such field."""
        if field not in self.messages:
            return False
        self.messages[field].show_problem(sentence(PERSON_LABELS[field], message))
        return True

    def clear_problems(self) -> None:
        for message in self.messages.values():
            message.clear_problem()

    def field_widget(self, field: str) -> QWidget | None:
        return self.edits.get(field)


class ItemRows(QWidget):
    """The order's items, one grid row each, with "Add item" and per-row remove."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[dict[str, QLineEdit]] = []
        self.removers: list[QToolButton] = []
        self.messages: list[ValidationMessage] = []
        self._setup_ui()
        self.add_row()

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(6)
        self.grid.setVerticalSpacing(2)
        self.grid.setColumnStretch(0, 1)
        for column, field in enumerate(ITEM_FIELDS):
            self.grid.addWidget(QLabel(ITEM_LABELS[field]), 0, column)
        layout.addLayout(self.grid)
        self.empty_message = ValidationMessage(self)
        layout.addWidget(self.empty_message)
        self.add_button = QPushButton("&Add item")
        self.add_button.setAccessibleName("Add an item")
        self.add_button.clicked.connect(self._on_add_button_clicked)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)

    def add_row(self, values: dict[str, Any] | None = None) -> dict[str, QLineEdit]:
        """Add an item row (filled with ``values``) and return its fields."""
        row: dict[str, QLineEdit] = {}
        number = len(self.rows) + 1
        for field in ITEM_FIELDS:
            edit = QLineEdit(accessibleName=f"Item {number} {ITEM_LABELS[field].lower()}")
            if field in ITEM_WIDTHS:
                edit.setMaximumWidth(ITEM_WIDTHS[field])
            if field in ("price", "quantity"):
                edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            edit.textEdited.connect(self.edited)
            row[field] = edit
        row["quantity"].setText("1")
        for field, value in (values or {}).items():
            if field in row:
                row[field].setText(str(value))
        remover = QToolButton(text="✕", autoRaise=True)
        remover.clicked.connect(lambda _=False, r=row: self.remove_row(self.rows.index(r)))
        self.rows.append(row)
        self.removers.append(remover)
        self.messages.append(ValidationMessage(row["name"]))
        self._relayout()
        self.edited.emit()
        return row

    def remove_row(self, index: int) -> None:
        """Remove the item row ``index`` (the last row can be removed too)."""
        if not 0 <= index < len(self.rows):
            return
        row = self.rows.pop(index)
        widgets = [*row.values(), self.removers.pop(index), self.messages.pop(index)]
        for widget in widgets:
            self.grid.removeWidget(widget)
            widget.deleteLater()
        self._relayout()
        self.edited.emit()

    def _relayout(self) -> None:
        for index, row in enumerate(self.rows):
            line = 1 + 2 * index
            for column, field in enumerate(ITEM_FIELDS):
                row[field].setAccessibleName(f"Item {index + 1} {ITEM_LABELS[field].lower()}")
                self.grid.addWidget(row[field], line, column)
            remover = self.removers[index]
            remover.setAccessibleName(f"Remove item {index + 1}")
            remover.setToolTip(f"Remove item {index + 1}")
            self.grid.addWidget(remover, line, len(ITEM_FIELDS))
            self.grid.addWidget(self.messages[index], line + 1, 0, 1, len(ITEM_FIELDS))

    def items(self) -> list[dict[str, Any]]:
        """The items as typed, built by :func:`new_item` (numbers parsed where they read
        as numbers, kept as typed otherwise); wholly empty rows are left out."""
        found = []
        for row in self.rows:
            typed = {field: row[field].text().strip() for field in ITEM_FIELDS}
            if not any(typed[field] for field in ("name", "sku", "price")):
                continue
            found.append(
                new_item(
                    name=typed["name"],
                    sku=typed["sku"],
                    price=typed["price"] or 0,
                    quantity=typed["quantity"],
                )
            )
        return found

    def filled_rows(self) -> list[int]:
        """The indexes of the rows :meth:`items` returns, in order."""
        return [
            index
            for index, row in enumerate(self.rows)
            if any(row[field].text().strip() for field in ("name", "sku", "price"))
        ]

    def show_problem(self, item: int, field: str | None, message: str) -> None:
        """Show a problem of the ``item``-th filled row (its ``field``, if known)."""
        rows = self.filled_rows()
        if not 0 <= item < len(rows):
            return
        label = ITEM_LABELS.get(field or "", f"Item {rows[item] + 1}")
        shown = self.messages[rows[item]]
        earlier = shown.text() if shown.isVisible() else ""
        text = sentence(label, message)
        shown.show_problem(f"{earlier}; {text}" if earlier else text)

    def show_empty_problem(self, message: str) -> None:
        self.empty_message.show_problem(message)

    def clear_problems(self) -> None:
        for message in (*self.messages, self.empty_message):
            message.clear_problem()

    def field_widget(self, item: int, field: str | None) -> QWidget | None:
        rows = self.filled_rows()
        if not 0 <= item < len(rows):
            return self.add_button
        return self.rows[rows[item]].get(field or "name", self.rows[rows[item]]["name"])

    def _on_add_button_clicked(self) -> None:
        row = self.add_row()
        row["name"].setFocus(Qt.FocusReason.OtherFocusReason)
