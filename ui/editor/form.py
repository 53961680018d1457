"""The field sections of the order editor, in one aligned form: Status, Items
(the items editor, given), Shipping & tracking, Customer, the billing and
shipping addresses, Notes and Visibility. Labels sit right-aligned in one
column, inputs in the other, each section under a heading.

The form edits a working copy of the order in place (API paths such as
``("shippingPerson", "countryCode")``) and says which path the user changed;
validation and drafts are the editor's business.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QSizePolicy, QWidget

from app.domain.statuses import FulfillmentStatus, PaymentStatus, is_user_settable
from app.services.orders.changes import get_value, set_value
from ui.editor.fields import (
    ChoiceField,
    FieldEditor,
    FieldPath,
    FlagField,
    LineField,
    NoteField,
)
from ui.editor.items_editor import OrderItemsEditor
from ui.orders.status_filter_button import status_name

PERSON_FIELDS: list[tuple[str, str, str]] = [
    ("name", "Name", ""),
    ("companyName", "Company", ""),
    ("street", "Street", ""),
    ("city", "City", ""),
    ("postalCode", "Postal code", ""),
    ("stateOrProvinceCode", "State or province", "Code, e.g. NY"),
    ("countryCode", "Country", "Two letters, e.g. US"),
    ("phone", "Phone", ""),
]
NOTIFY_NOTE = "✉ Setting this status emails the customer."
HIDDEN_NOTE = "Hides an unfinished order from the store's order list."
FINISHED_NOTE = "Only unfinished orders can be hidden; this one is finished."
SECTION_GAP = 14  # pixels above a section heading


def status_choices(
    kind: str, current: Any, names: Mapping[str, str], disabled: Collection[str] = ()
) -> list[tuple[str, str]]:
    """The statuses to offer for ``kind`` ("payment" or "fulfillment"): the
    standard ones, the store's custom ones it has not switched off
    (``disabled``), and the current value as it came."""
    enum = PaymentStatus if kind == "payment" else FulfillmentStatus
    codes = [
        code
        for code in enum.__members__
        if (is_user_settable(code) and code not in disabled) or current == code
    ]
    prefix = f"CUSTOM_{kind.upper()}_STATUS_"
    codes = [code for code in codes if not code.startswith(prefix) or code in names]
    if isinstance(current, str) and current and current not in codes:
        codes.append(current)
    return [(code, status_name(code, dict(names))) for code in codes]


class OrderEditorForm(QWidget):
    """Every editable field except the items, grouped under headings."""

    edited = Signal(tuple)  # the path the user changed (the working copy holds the value)
    left = Signal()  # the focus left a field

    def __init__(self, items_editor: OrderItemsEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items_editor = items_editor
        self._order: dict[str, Any] = {}
        self._initial: dict[FieldPath, Any] = {}
        self._notifies: Mapping[str, bool] = {}
        self._fields: list[FieldEditor] = []
        self.headings: list[QLabel] = []
        self._setup_ui(items_editor)

    def _setup_ui(self, items_editor: OrderItemsEditor) -> None:
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.form.setHorizontalSpacing(14)
        self.form.setVerticalSpacing(8)

        self._heading("Status")
        self.payment = self._add(ChoiceField(("paymentStatus",), "Payment"))
        self.fulfillment = self._add(ChoiceField(("fulfillmentStatus",), "Fulfillment"))

        self._heading("Items")
        self.form.addRow(items_editor)

        self._heading("Shipping & tracking")
        self.tracking = self._add(LineField(("trackingNumber",), "Tracking number"))
        self._add(LineField(("shippingOption", "shippingMethodName"), "Shipping method"))
        self._add(
            LineField(("shippingOption", "shippingRate"), "Shipping rate", number=True),
        )

        self._heading("Customer")
        self.email = self._add(
            LineField(("email",), "Email", placeholder="name@example.com"),
        )
        for key, prefix in (("billingPerson", "Billing"), ("shippingPerson", "Shipping")):
            self._heading(f"{prefix} address")
            for name, label, placeholder in PERSON_FIELDS:
                field = LineField((key, name), label, placeholder=placeholder)
                field.set_accessible_label(f"{prefix} {label.lower()}")
                self._add(field)

        self._heading("Notes")
        self._add(NoteField(("privateAdminNotes",), "Private notes"))
        self.fields()[-1].set_hint("Only you and your staff see these.")
        self._add(NoteField(("orderComments",), "Order comments"))
        self.fields()[-1].set_hint("The customer's comments; shown on the invoice.")

        self._heading("Visibility")
        self.hidden = self._add(FlagField(("hidden",), "Hidden"))

    def _heading(self, text: str) -> None:
        label = QLabel(text)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        label.setAccessibleName(f"{text} section")
        label.setContentsMargins(0, SECTION_GAP if self.headings else 0, 0, 2)
        self.headings.append(label)
        self.form.addRow(label)

    def _add[F: FieldEditor](self, field: F) -> F:
        label = QLabel(field.label if not isinstance(field, FlagField) else "")
        label.setBuddy(field)
        # beside the input's first line, however tall the field grows (a hint, a problem)
        label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        gap = field.input.sizeHint().height() - label.sizeHint().height()
        top = 4 if isinstance(field, NoteField) else max(0, (gap + 1) // 2)
        label.setContentsMargins(0, top, 0, 0)
        self.form.addRow(label, field)
        field.edited.connect(lambda f=field: self._on_field_edited(f))
        field.left.connect(self.left)
        self._fields.append(field)
        return field

    # -- our API ---------------------------------------------------------------------

    def load(
        self,
        order: dict[str, Any],
        *,
        initial: Mapping[str, Any] | None = None,
        status_names: Mapping[str, str] | None = None,
        status_notifies: Mapping[str, bool] | None = None,
        status_disabled: Collection[str] = (),
    ) -> None:
        """Edit ``order`` (changed in place); ``initial`` is the order as it was
        before any edit (a restored draft differs from it)."""
        self._order = order
        names = status_names or {}
        self._notifies = status_notifies or {}
        before = initial if initial is not None else order
        self._initial = {field.path: get_value(before, field.path) for field in self._fields}
        self.payment.set_choices(
            status_choices("payment", order.get("paymentStatus"), names, status_disabled),
        )
        self.fulfillment.set_choices(
            status_choices("fulfillment", order.get("fulfillmentStatus"), names, status_disabled),
        )
        for field in self._fields:
            field.set_value(get_value(order, field.path))
            field.set_problem(None)
        self._update_hidden(before)
        self._update_notes()

    def fields(self) -> list[FieldEditor]:
        """Every field, in the order they are shown."""
        return list(self._fields)

    def focus_widgets(self) -> list[QWidget]:
        """The widgets Tab visits, in the order they are shown (the items after the statuses)."""
        inputs = [field.input for field in self._fields]
        return inputs[:2] + self.items_editor.focus_widgets() + inputs[2:]

    def field(self, path: FieldPath) -> FieldEditor | None:
        return next((field for field in self._fields if field.path == tuple(path)), None)

    def show_problems(self, problems: Mapping[FieldPath, str]) -> set[FieldPath]:
        """Show each problem next to its field; returns the paths that have one here."""
        shown: set[FieldPath] = set()
        for field in self._fields:
            message = problems.get(field.path)
            field.set_problem(message)
            if message:
                shown.add(field.path)
        return shown

    def set_status(self, kind: str, value: str) -> None:
        """Choose a status as the user would (a keyboard shortcut)."""
        field = self.payment if kind == "payment" else self.fulfillment
        if field.isEnabled():
            field.choose(value)

    # -- helpers ---------------------------------------------------------------------

    def _update_hidden(self, before: Mapping[str, Any]) -> None:
        unfinished = before.get("paymentStatus") == "INCOMPLETE"
        usable = unfinished or before.get("hidden") is True
        self.hidden.setEnabled(usable)
        self.hidden.set_hint(HIDDEN_NOTE if usable else FINISHED_NOTE)

    def _update_notes(self) -> None:
        for field in (self.payment, self.fulfillment):
            value = field.value()
            notifies = bool(self._notifies.get(value)) and value != self._initial.get(field.path)
            field.set_hint(NOTIFY_NOTE if notifies else None)

    # -- slots -------------------------------------------------------------------------

    def _on_field_edited(self, field: FieldEditor) -> None:
        set_value(self._order, field.path, field.value())
        if field in (self.payment, self.fulfillment):
            self._update_notes()
        self.edited.emit(field.path)
