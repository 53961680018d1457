"""The "More filters" panel that opens from the filter bar: every other filter
Ecwid offers, and whether the invoice was printed on this computer.

Two columns: the order and its customer (order numbers and IDs, vendor
number, customer, customer ID, email, keywords, product and subscription
IDs), and payment, delivery and the rest (coupon, payment method and module,
shipping method, referrer ID, marketing consent, pre-order items, invoice,
the updated and pickup dates).

The panel checks what was typed and shows a message under the field; a bad
value is never dropped silently and never raises. It hands over values for
:class:`~app.cache.OrderQuery` fields; dates become aware datetimes (the
start or end of the day) in its ``zone`` (``None`` = the computer's own
zone). The range editors live in :mod:`ui.orders.range_editors`, the parsing in
:mod:`ui.orders.filter_values`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo
from typing import Any, NamedTuple

from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.queries import OrderQuery
from ui.orders.filter_values import (
    day_end,
    day_of,
    day_start,
    parse_order_ids,
    parse_order_numbers,
    parse_referrer_id,
    parse_store_id,
    parse_store_ids,
)
from ui.orders.range_editors import DateRangeFields, ValidationMessage, buddy_label

Parser = Callable[[str], Any]


class TextFilter(NamedTuple):
    """A typed filter: its query field, label, placeholder, column (0 or 1)
    and the parser that checks it (``None``: the text as typed)."""

    field: str
    label: str
    hint: str
    column: int
    parse: Parser | None = None


TEXT_FILTERS = (
    TextFilter("order_number", "Order numbers", "e.g. 1021, 1022", 0, parse_order_numbers),
    TextFilter("ids", "Order IDs", "e.g. DEMO-X8UYE, DEMO-K8XTQ", 0, parse_order_ids),
    TextFilter("vendor_order_number", "Vendor order number", "", 0),
    TextFilter("customer", "Customer", "Name, email or phone", 0),
    TextFilter(
        "customer_id", "Customer ID", "e.g. 15319410", 0, lambda t: parse_store_id(t, "customer ID")
    ),
    TextFilter("email", "Email", "The whole address", 0),
    TextFilter("keywords", "Keywords", "Words in items, names or numbers", 0),
    TextFilter(
        "product_id",
        "Product ID",
        "e.g. 71011, 71020",
        0,
        lambda t: parse_store_ids(t, "product ID"),
    ),
    TextFilter(
        "subscription_id",
        "Subscription ID",
        "e.g. 260011",
        0,
        lambda t: parse_store_id(t, "subscription ID", "260011"),
    ),
    TextFilter("coupon_code", "Coupon code", "", 1),
    TextFilter("payment_method", "Payment method", "e.g. PayPal", 1),
    TextFilter("payment_module", "Payment module", "e.g. Stripe", 1),
    TextFilter("shipping_method", "Shipping method", "e.g. Courier", 1),
    TextFilter("referer_id", "Referrer ID", "e.g. 1207", 1, parse_referrer_id),
)
YES_NO = (("Any", None), ("Yes", True), ("No", False))
CHOICE_FILTERS = (
    # field, label, accessible name, choices
    ("accept_marketing", "Accepts marketing", "Accepts marketing", YES_NO),
    ("contains_preorder_items", "Has pre-order items", "Has pre-order items", YES_NO),
    (
        "invoice_printed",
        "Invoice",
        "Invoice printed",
        (("Any", None), ("Printed", True), ("Not printed yet", False)),
    ),
)
DATE_RANGES = (
    # label, from field, to field
    ("Updated", "updated_from", "updated_to"),
    ("Pickup", "pickup_time_from", "pickup_time_to"),
)
MORE_FIELDS = (
    *(text.field for text in TEXT_FILTERS),
    *(field for field, *_ in CHOICE_FILTERS),
    *(field for _, start, end in DATE_RANGES for field in (start, end)),
)
"""Every query field the panel sets."""
MORE_RANGES = tuple((start, end) for _, start, end in DATE_RANGES)
"""Pairs of fields that are one filter each (a date range)."""


class MoreFiltersPanel(QWidget):
    """Every filter the bar has no room for; ``applied`` carries a dict of
    :data:`MORE_FIELDS` (``None`` = not set) once all of them are valid."""

    applied = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.zone: tzinfo | None = None
        self.texts: dict[str, QLineEdit] = {}
        self.messages: dict[str, ValidationMessage] = {}
        self.choices: dict[str, QComboBox] = {}
        self.ranges = {label: DateRangeFields(label) for label, _, _ in DATE_RANGES}
        self.updated, self.pickup = self.ranges["Updated"], self.ranges["Pickup"]
        self._setup_ui()
        self.number_message = self.messages["order_number"]
        self.printed = self.choices["invoice_printed"]

    def _setup_ui(self) -> None:
        forms = [QFormLayout(), QFormLayout()]
        for form in forms:
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for text in TEXT_FILTERS:
            edit = QLineEdit(placeholderText=text.hint, accessibleName=text.label)
            edit.setMinimumWidth(200)
            edit.returnPressed.connect(self.apply)
            self.texts[text.field] = edit
            label = buddy_label(f"{text.label}:", edit)
            if text.parse is None:
                forms[text.column].addRow(label, edit)
                continue
            self.messages[text.field] = ValidationMessage(edit)
            column = QVBoxLayout()
            column.setSpacing(2)
            column.addWidget(edit)
            column.addWidget(self.messages[text.field])
            if text.field == "order_number":
                note = QLabel("Other filters are ignored when order numbers are given.")
                note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
                note.setWordWrap(True)
                column.addWidget(note)
            forms[text.column].addRow(label, column)
        for field, label, name, options in CHOICE_FILTERS:
            combo = QComboBox(accessibleName=name)
            for text, value in options:
                combo.addItem(text, value)
            self.choices[field] = combo
            forms[1].addRow(buddy_label(f"{label}:", combo), combo)
        for label, fields in self.ranges.items():
            forms[1].addRow(QLabel(f"{label}:"), fields)

        buttons = QDialogButtonBox()
        self.reset_button = buttons.addButton("Reset", QDialogButtonBox.ButtonRole.ResetRole)
        self.apply_button = buttons.addButton("Apply", QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setDefault(True)
        self.reset_button.clicked.connect(self.reset)
        self.apply_button.clicked.connect(self.apply)
        columns = QHBoxLayout()
        columns.addLayout(forms[0])
        columns.addWidget(QFrame(frameShape=QFrame.Shape.VLine, frameShadow=QFrame.Shadow.Sunken))
        columns.addLayout(forms[1])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(columns)
        layout.addWidget(buttons)
        self.setFocusProxy(self.texts["order_number"])

    def set_query(self, query: OrderQuery) -> None:
        """Show the values of ``query``."""
        for field, edit in self.texts.items():
            value = getattr(query, field)
            if isinstance(value, list):
                value = ", ".join(str(item) for item in value)
            edit.setText("" if value is None else str(value))
        for message in self.messages.values():
            message.clear_problem()
        for field, _label, _name, options in CHOICE_FILTERS:
            wanted = getattr(query, field)
            index = next(i for i, (_text, value) in enumerate(options) if value is wanted)
            self.choices[field].setCurrentIndex(index)
        for label, start, end in DATE_RANGES:
            low, high = getattr(query, start), getattr(query, end)
            self.ranges[label].set_days(
                None if low is None else day_of(low, self.zone),
                None if high is None else day_of(high, self.zone),
            )

    def values(self) -> dict[str, object] | None:
        """The fields as typed, or ``None`` (messages shown) when one is wrong."""
        values: dict[str, object] = {}
        valid = True
        for text in TEXT_FILTERS:
            typed = self.texts[text.field].text()
            if text.parse is None:
                values[text.field] = typed.strip() or None
                continue
            try:
                values[text.field] = text.parse(typed)
                self.messages[text.field].clear_problem()
            except ValueError as error:
                self.messages[text.field].show_problem(str(error))
                valid = False
        for field, combo in self.choices.items():
            values[field] = combo.currentData()
        for label, start, end in DATE_RANGES:
            days = self.ranges[label].days()  # (shows its own message)
            if days is None:
                valid = False
                continue
            values[start] = None if days[0] is None else day_start(days[0], self.zone)
            values[end] = None if days[1] is None else day_end(days[1], self.zone)
        return values if valid else None

    def apply(self) -> None:
        """Hand over the filters (nothing happens while one is wrong)."""
        values = self.values()
        if values is not None:
            self.applied.emit(values)

    def reset(self) -> None:
        """Clear every field and hand over "no filters"."""
        self.set_query(OrderQuery())
        self.applied.emit(dict.fromkeys(MORE_FIELDS))
