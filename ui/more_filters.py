"""The "More filters" panel that opens from the filter bar: every other filter
Ecwid offers (order and vendor numbers, customer, email, keywords, coupon,
payment and shipping method, and the updated-date range), and whether the
invoice was printed on this computer.

The panel checks what was typed and shows a message beside the field; a bad
value is never dropped silently and never raises. It hands over values for
:class:`~app.store.OrderQuery` fields; dates become aware datetimes (the
start or end of the day) in its ``zone`` (``None`` = the computer's own
zone). The range editors live in :mod:`ui.range_editors`.
"""

from __future__ import annotations

from datetime import tzinfo

from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.store import OrderQuery
from ui.filter_values import day_end, day_of, day_start, parse_order_numbers
from ui.range_editors import DateRangeFields, ValidationMessage, buddy_label

MORE_FIELDS = (
    "order_number",
    "vendor_order_number",
    "customer",
    "email",
    "keywords",
    "coupon_code",
    "payment_method",
    "shipping_method",
    "updated_from",
    "updated_to",
    "invoice_printed",
)
PRINTED_CHOICES = (("Any", None), ("Printed", True), ("Not printed yet", False))


class MoreFiltersPanel(QWidget):
    """Every filter the bar has no room for; ``applied`` carries a dict of
    :data:`MORE_FIELDS` (``None`` = not set) once all of them are valid."""

    applied = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.zone: tzinfo | None = None
        self.texts: dict[str, QLineEdit] = {}
        self.updated = DateRangeFields("Updated")
        self._setup_ui()

    def _setup_ui(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for field, label, hint in (
            ("order_number", "Order numbers", "e.g. 1021, 1022"),
            ("vendor_order_number", "Vendor order number", ""),
            ("customer", "Customer", "Name, email or phone"),
            ("email", "Email", "The whole address"),
            ("keywords", "Keywords", "Words in items, names or numbers"),
            ("coupon_code", "Coupon code", ""),
            ("payment_method", "Payment method", "e.g. PayPal"),
            ("shipping_method", "Shipping method", "e.g. Courier"),
        ):
            edit = QLineEdit(placeholderText=hint, accessibleName=label)
            edit.setMinimumWidth(240)
            edit.returnPressed.connect(self.apply)
            self.texts[field] = edit
            if field != "order_number":
                form.addRow(buddy_label(f"{label}:", edit), edit)
                continue
            self.number_message = ValidationMessage(edit)
            note = QLabel("Other filters are ignored when order numbers are given.")
            note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            column = QVBoxLayout()
            column.setSpacing(2)
            for widget in (edit, self.number_message, note):
                column.addWidget(widget)
            form.addRow(buddy_label(f"{label}:", edit), column)
        form.addRow(QLabel("Updated:"), self.updated)
        self.printed = QComboBox(accessibleName="Invoice printed")
        for label, value in PRINTED_CHOICES:
            self.printed.addItem(label, value)
        form.addRow(buddy_label("Invoice:", self.printed), self.printed)
        buttons = QDialogButtonBox()
        self.reset_button = buttons.addButton("Reset", QDialogButtonBox.ButtonRole.ResetRole)
        self.apply_button = buttons.addButton("Apply", QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setDefault(True)
        self.reset_button.clicked.connect(self.reset)
        self.apply_button.clicked.connect(self.apply)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setFocusProxy(self.texts["order_number"])

    def set_query(self, query: OrderQuery) -> None:
        """Show the values of ``query``."""
        for field, edit in self.texts.items():
            value = getattr(query, field)
            if isinstance(value, list):
                value = ", ".join(str(item) for item in value)
            edit.setText("" if value is None else str(value))
        self.number_message.clear_problem()
        self.printed.setCurrentIndex(
            [value for _label, value in PRINTED_CHOICES].index(query.invoice_printed)
        )
        self.updated.set_days(
            None if query.updated_from is None else day_of(query.updated_from, self.zone),
            None if query.updated_to is None else day_of(query.updated_to, self.zone),
        )

    def values(self) -> dict[str, object] | None:
        """The fields as typed, or ``None`` (messages shown) when one is wrong."""
        values: dict[str, object] = {
            field: edit.text().strip() or None for field, edit in self.texts.items()
        }
        valid = True
        try:
            values["order_number"] = parse_order_numbers(self.texts["order_number"].text())
            self.number_message.clear_problem()
        except ValueError as error:
            self.number_message.show_problem(str(error))
            valid = False
        days = self.updated.days()
        if days is None or not valid:
            return None
        values["updated_from"] = None if days[0] is None else day_start(days[0], self.zone)
        values["updated_to"] = None if days[1] is None else day_end(days[1], self.zone)
        values["invoice_printed"] = self.printed.currentData()
        return values

    def apply(self) -> None:
        """Hand over the filters (nothing happens while one is wrong)."""
        values = self.values()
        if values is not None:
            self.applied.emit(values)

    def reset(self) -> None:
        """Clear every field and hand over "no filters"."""
        self.set_query(OrderQuery())
        self.applied.emit(dict.fromkeys(MORE_FIELDS))
