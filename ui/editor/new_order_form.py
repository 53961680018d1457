"""The new-order form: customer, billing and shipping addresses, items with
the running total, statuses, payment method and private notes.

:meth:`NewOrderForm.order` assembles the order as typed; :meth:`check`
validates it with :func:`app.services.orders.changes.validate` and shows each
problem under its field, in plain words — only for fields the user has left
(``touch``) until :meth:`reveal_all` (the dialog calls it on "Create").
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.orders.changes import FieldProblem, propose_totals, validate
from ui.common.dates import display_locale
from ui.detail.pane import OrderFormat
from ui.editor.new_order_fields import ItemRows, PersonFields, sentence
from ui.orders.bulk_action_dialog import status_choices
from ui.orders.range_editors import ValidationMessage
from ui.orders.status_filter_button import status_name

ADDRESS_FIELDS = ("companyName", "street", "city", "postalCode", "stateOrProvinceCode")
SHIPPING_FIELDS = ("name", "companyName", "street", "city", "postalCode")
REGION_FIELDS = ("stateOrProvinceCode", "countryCode", "phone")
TOP_LABELS = {
    "paymentStatus": "Payment status",
    "fulfillmentStatus": "Fulfillment status",
    "paymentMethod": "Payment method",
    "privateAdminNotes": "Notes",
}
NO_ITEMS = "Add at least one item: an order needs something to sell."
Path = tuple[Any, ...]


def group(title: str, *widgets: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    for widget in widgets:
        layout.addWidget(widget)
    return box


class NewOrderForm(QWidget):
    """Every field of a new order; ``edited`` on each change."""

    edited = Signal()

    def __init__(
        self,
        status_names: Mapping[str, str] | None = None,
        currency: str | None = None,
        parent: QWidget | None = None,
        status_disabled: Collection[str] = (),
    ) -> None:
        super().__init__(parent)
        self._names = dict(status_names or {})
        self._disabled = tuple(status_disabled)
        self._format = OrderFormat(display_locale(), currency)
        self._touched: set[Path] = set()
        self._show_all = False
        self._setup_ui()
        self.edited.connect(self._on_edited)
        self._show_total()

    def _setup_ui(self) -> None:
        self.email = QLineEdit(accessibleName="Customer email", placeholderText="name@example.com")
        self.email_message = ValidationMessage(self.email)
        self.customer = PersonFields("Customer", ("name", "phone"))
        customer_box = QGroupBox("Customer")
        customer_form = QFormLayout(customer_box)
        customer_form.addRow("&Email", self.email)
        customer_form.addRow("", self.email_message)
        customer_form.addRow(self.customer)
        self.billing = PersonFields("Billing", (*ADDRESS_FIELDS, "countryCode"))
        self.same_as_billing = QCheckBox("&Same as billing", checked=True)
        self.same_as_billing.toggled.connect(self._on_same_as_billing_toggled)
        self.shipping = PersonFields("Shipping", (*SHIPPING_FIELDS, *REGION_FIELDS))
        self.shipping.hide()

        self.items = ItemRows()
        self.total_label = QLabel(alignment=Qt.AlignmentFlag.AlignRight)
        self.total_label.setAccessibleName("Order total")
        self.payment_status = self._status_box("payment", "AWAITING_PAYMENT")
        self.fulfillment_status = self._status_box("fulfillment", "AWAITING_PROCESSING")
        self.payment_method = QLineEdit(accessibleName="Payment method")
        self.payment_method.setPlaceholderText("e.g. Cash on delivery, Bank transfer")
        self.notes = QPlainTextEdit(accessibleName="Private notes")
        self.notes.setPlaceholderText("Only you and your staff see these notes.")
        self.notes.setTabChangesFocus(True)
        self.notes.setMinimumHeight(70)
        self.top_messages = {
            "paymentStatus": ValidationMessage(self.payment_status),
            "fulfillmentStatus": ValidationMessage(self.fulfillment_status),
            "paymentMethod": ValidationMessage(self.payment_method),
            "privateAdminNotes": ValidationMessage(self.notes),
        }
        status_box = QGroupBox("Payment and fulfillment")
        status_form = QFormLayout(status_box)
        for label, field, name in (
            ("Pa&yment status", self.payment_status, "paymentStatus"),
            ("&Fulfillment status", self.fulfillment_status, "fulfillmentStatus"),
            ("Payment &method", self.payment_method, "paymentMethod"),
        ):
            status_form.addRow(label, field)
            status_form.addRow("", self.top_messages[name])

        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(customer_box)
        left.addWidget(group("Billing address", self.billing))
        left.addWidget(group("Shipping address", self.same_as_billing, self.shipping))
        left.addStretch(1)
        right.addWidget(group("Items", self.items, self.total_label))
        right.addWidget(status_box)
        right.addWidget(group("Notes", self.notes, self.top_messages["privateAdminNotes"]))
        right.addStretch(1)
        row = QHBoxLayout(self)
        row.addLayout(left, 4)
        row.addLayout(right, 5)
        self._connect_edits()

    def _connect_edits(self) -> None:
        for signal in (
            self.email.textEdited,
            self.customer.edited,
            self.billing.edited,
            self.shipping.edited,
            self.items.edited,
            self.payment_method.textEdited,
            self.notes.textChanged,
        ):
            signal.connect(self.edited)
        self.email.editingFinished.connect(lambda: self.touch(("email",)))
        self.payment_method.editingFinished.connect(lambda: self.touch(("paymentMethod",)))
        for person, path in (
            (self.customer, "billingPerson"),
            (self.billing, "billingPerson"),
            (self.shipping, "shippingPerson"),
        ):
            for field, edit in person.edits.items():
                edit.editingFinished.connect(lambda p=path, f=field: self.touch((p, f)))

    def _status_box(self, kind: str, default: str) -> QComboBox:
        box = QComboBox(accessibleName=f"{kind.capitalize()} status")
        for code in status_choices(kind, self._names, self._disabled):
            box.addItem(status_name(code, self._names), code)
        box.setCurrentIndex(max(0, box.findData(default)))
        return box

    # -- the order -------------------------------------------------------------------

    def order(self) -> dict[str, Any]:
        """The order as typed (numbers that do not read as numbers stay as typed)."""
        billing = {**self.customer.values(), **self.billing.values()}
        shipping = billing if self.same_as_billing.isChecked() else self.shipping.values()
        order: dict[str, Any] = {
            "email": self.email.text().strip(),
            "paymentStatus": self.payment_status.currentData(),
            "fulfillmentStatus": self.fulfillment_status.currentData(),
            "items": self.items.items(),
        }
        if billing:
            order["billingPerson"] = dict(billing)
        if shipping:
            order["shippingPerson"] = dict(shipping)
        if self.payment_method.text().strip():
            order["paymentMethod"] = self.payment_method.text().strip()
        if self.notes.toPlainText().strip():
            order["privateAdminNotes"] = self.notes.toPlainText().strip()
        return order

    def problems(self) -> list[FieldProblem]:
        """What is wrong with the order as typed (nothing may be sent while there is any)."""
        order = self.order()
        found = validate(order)
        if self.same_as_billing.isChecked():  # the shipping person is the billing one
            found = [problem for problem in found if problem.path[:1] != ("shippingPerson",)]
        if not order["items"]:
            found.append(FieldProblem(("items",), NO_ITEMS))
        return found

    # -- problems --------------------------------------------------------------------

    def touch(self, path: Path) -> None:
        """The user left the field at ``path``: its problems show from now on."""
        self._touched.add(path)
        self.check()

    def reveal_all(self) -> None:
        """Show every problem from now on (not only those of fields left)."""
        self._show_all = True

    def check(self) -> list[FieldProblem]:
        """Validate, show the problems due, and return all of them."""
        problems = self.problems()
        for fields in (self.customer, self.billing, self.shipping, self.items):
            fields.clear_problems()
        for message in (self.email_message, *self.top_messages.values()):
            message.clear_problem()
        for problem in problems:
            if self._show_all or any(problem.path[: len(p)] == p for p in self._touched):
                self.show_problem(problem)
        return problems

    def show_problem(self, problem: FieldProblem) -> bool:
        """Show ``problem`` under its field; False when no field of the form is its."""
        path, message = problem.path, problem.message
        head = path[0] if path else ""
        if head == "email":
            self.email_message.show_problem(sentence("Email", message))
        elif head == "items":
            if len(path) >= 2 and isinstance(path[1], int):
                field = path[2] if len(path) > 2 and isinstance(path[2], str) else None
                self.items.show_problem(path[1], field, message)
            else:
                self.items.show_empty_problem(message)
        elif head in ("billingPerson", "shippingPerson") and len(path) > 1:
            return self._show_person_problem(head, str(path[1]), message)
        elif head in self.top_messages:
            self.top_messages[head].show_problem(sentence(TOP_LABELS[head], message))
        else:
            return False
        return True

    def _show_person_problem(self, head: str, field: str, message: str) -> bool:
        if head == "shippingPerson" and not self.same_as_billing.isChecked():
            return self.shipping.show_problem(field, message)
        return self.customer.show_problem(field, message) or self.billing.show_problem(
            field, message
        )

    def widget_of(self, path: Path) -> QWidget | None:
        """The field a problem at ``path`` is about (to put the cursor there)."""
        head = path[0] if path else ""
        if head == "email":
            return self.email
        if head == "items":
            if len(path) >= 2 and isinstance(path[1], int):
                return self.items.field_widget(path[1], path[2] if len(path) > 2 else None)
            return self.items.add_button
        if head in ("billingPerson", "shippingPerson") and len(path) > 1:
            field = str(path[1])
            if head == "shippingPerson" and not self.same_as_billing.isChecked():
                return self.shipping.field_widget(field)
            return self.customer.field_widget(field) or self.billing.field_widget(field)
        return {
            "paymentStatus": self.payment_status,
            "fulfillmentStatus": self.fulfillment_status,
            "paymentMethod": self.payment_method,
            "privateAdminNotes": self.notes,
        }.get(str(head))

    # -- slots -----------------------------------------------------------------------

    def _on_edited(self) -> None:
        if self._show_all or self._touched:
            self.check()
        self._show_total()

    def _show_total(self) -> None:
        try:
            proposal = propose_totals(self.order())
        except (ValueError, ArithmeticError):
            self.total_label.setText("Total: —")
            return
        self.total_label.setText(f"Total: <b>{self._format.money(proposal.total)}</b>")

    def _on_same_as_billing_toggled(self, same: bool) -> None:
        self.shipping.setVisible(not same)
        if not same and not self.shipping.values():
            billing = {**self.customer.values(), **self.billing.values()}
            for field, edit in self.shipping.edits.items():
                edit.setText(billing.get(field, ""))
        self.edited.emit()
