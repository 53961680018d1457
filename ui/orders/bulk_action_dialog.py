"""Choosing a bulk action for the selected orders, and confirming it.

:class:`BulkActionDialog` sets a payment or fulfillment status (by the
store's names, with a warning when the store emails customers about that
status), adds tracking numbers from a pattern (placeholders explained, the
first three results previewed), or hides/unhides. Its OK button names the
count ("Apply to 12 orders"). :func:`fill_bulk_menu` lists the same choices
in a menu (statuses one by one), each opening the dialog ready to confirm.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from app.domain.references import shown_number
from app.domain.statuses import FulfillmentStatus, PaymentStatus, is_user_settable
from app.services.orders.bulk import BulkAction, tracking_from_pattern
from ui.common.keys import add_close_keys
from ui.orders.status_filter_button import status_name

KINDS = {
    "payment": "Set payment status",
    "fulfillment": "Set fulfillment status",
    "tracking": "Add tracking numbers",
    "hide": "Hide",
    "unhide": "Unhide",
}
PREVIEWED = 3
DEFAULT_PATTERN = "{number}"
PLACEHOLDERS = (
    "Placeholders: <b>{number}</b> the order number, <b>{id}</b> the order id, "
    "<b>{n}</b> 1, 2, 3… in the order of the selection (<b>{n:03}</b>: 001, 002…). "
    "Anything else is copied as typed, e.g. <tt>DHL-{number}</tt>."
)


def status_choices(
    kind: str, names: Mapping[str, str], disabled: Collection[str] = ()
) -> list[str]:
    """The statuses a bulk action can set: the standard ones (not "unfinished")
    and the custom ones the store has named and not switched off."""
    enum = PaymentStatus if kind == "payment" else FulfillmentStatus
    codes = [
        status.value
        for status in enum
        if is_user_settable(status.value) and status.value not in disabled
    ]
    return [code for code in codes if not code.startswith("CUSTOM_") or names.get(code)]


def problem_colour(widget: QWidget) -> str:
    dark = widget.palette().color(QPalette.ColorRole.Window).lightness() < 128
    return "#ff8a80" if dark else "#b3261e"


class BulkActionDialog(QDialog):
    """Choose and confirm what to do to ``count`` orders; :meth:`action` after accept."""

    def __init__(
        self,
        count: int,
        sample: Sequence[Mapping[str, Any]],
        *,
        kind: str = "fulfillment",
        value: str | None = None,
        status_names: Mapping[str, str] | None = None,
        status_notifies: Mapping[str, bool] | None = None,
        status_disabled: Collection[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        add_close_keys(self)
        self.disabled = tuple(status_disabled)
        self.count = count
        self.sample = list(sample[:PREVIEWED])
        self.names = dict(status_names or {})
        self.notifies = dict(status_notifies or {})
        self._setup_ui()
        self.kind_box.setCurrentIndex(max(0, list(KINDS).index(kind) if kind in KINDS else 0))
        if value is not None:
            box = self.payment_box if kind == "payment" else self.fulfillment_box
            box.setCurrentIndex(max(0, box.findData(value)))
        self._refresh()

    def _setup_ui(self) -> None:
        noun = "order" if self.count == 1 else "orders"
        self.setWindowTitle(f"Change {self.count} {noun}")
        self.setMinimumWidth(540)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.kind_box = QComboBox(accessibleName="What to do")
        for kind, label in KINDS.items():
            self.kind_box.addItem(label, kind)
        self.kind_box.currentIndexChanged.connect(self._refresh)
        form.addRow("&What to do:", self.kind_box)
        layout.addLayout(form)

        self.payment_box = self._status_box("payment")
        self.fulfillment_box = self._status_box("fulfillment")
        self.hide_note = QLabel(wordWrap=True)
        self.pages = [  # one per kind of action; only the chosen one shows
            self._page("New payment &status:", self.payment_box),
            self._page("New fulfillment &status:", self.fulfillment_box),
            self._tracking_page(),
            self.hide_note,
        ]
        for page in self.pages:
            layout.addWidget(page)

        self.warning = QLabel(wordWrap=True)
        self.warning.setAccessibleName("Warning")
        layout.addWidget(self.warning)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _status_box(self, kind: str) -> QComboBox:
        box = QComboBox(accessibleName=f"New {kind} status")
        for code in status_choices(kind, self.names, self.disabled):
            box.addItem(status_name(code, self.names), code)
        box.currentIndexChanged.connect(self._refresh)
        return box

    def _page(self, label: str, field: QWidget) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(label, field)
        return page

    def _tracking_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.setContentsMargins(0, 0, 0, 0)
        self.pattern_edit = QLineEdit(DEFAULT_PATTERN, accessibleName="Tracking number pattern")
        self.pattern_edit.textChanged.connect(self._refresh)
        form.addRow("Tracking number &pattern:", self.pattern_edit)
        self.placeholders = QLabel(PLACEHOLDERS, wordWrap=True)
        form.addRow(self.placeholders)
        self.preview = QLabel(wordWrap=True)
        self.preview.setAccessibleName("Preview")
        form.addRow("Preview:", self.preview)
        return page

    # -- public ----------------------------------------------------------------------

    def kind(self) -> str:
        return str(self.kind_box.currentData())

    def action(self) -> BulkAction:
        """The chosen action (meaningful once accepted)."""
        kind = self.kind()
        if kind == "payment":
            return BulkAction("payment", str(self.payment_box.currentData()))
        if kind == "fulfillment":
            return BulkAction("fulfillment", str(self.fulfillment_box.currentData()))
        if kind == "tracking":
            return BulkAction("tracking", self.pattern_edit.text().strip())
        return BulkAction("hidden", kind == "hide")

    def preview_lines(self) -> list[str]:
        """ "#1042 → DHL-1042" for the first orders (raises ValueError for a bad pattern)."""
        pattern = self.pattern_edit.text().strip()
        lines = []
        for n, order in enumerate(self.sample, start=1):
            number = tracking_from_pattern(pattern, order, index=n)
            lines.append(f"#{shown_number(order)} → {number}")
        return lines

    # -- slots -----------------------------------------------------------------------

    def _refresh(self) -> None:
        kind = self.kind()
        shown = self.pages[min(list(KINDS).index(kind), len(self.pages) - 1)]
        for page in self.pages:
            page.setVisible(page is shown)
        noun = "order" if self.count == 1 else "orders"
        ok, warning = True, ""
        if kind in ("payment", "fulfillment"):
            box = self.payment_box if kind == "payment" else self.fulfillment_box
            code = str(box.currentData())
            if self.notifies.get(code):
                people = "customer" if self.count == 1 else "customers"
                warning = (
                    f"The store emails the customer when an order becomes “{box.currentText()}”: "
                    f"this emails {self.count} {people}."
                )
        elif kind == "tracking":
            ok = self._refresh_preview()
        else:
            self.hide_note.setText(
                f"{'Hides' if kind == 'hide' else 'Unhides'} {self.count} {noun}: hidden orders "
                "are left out of the store's order list; unhiding brings them back."
            )
        self.warning.setText(warning)
        self.warning.setStyleSheet(f"color: {problem_colour(self)};")
        self.warning.setVisible(bool(warning))
        self.ok_button.setText(f"Apply to {self.count} {noun}")
        self.ok_button.setEnabled(ok)
        self.layout().activate()
        self.adjustSize()

    def _refresh_preview(self) -> bool:
        if not self.pattern_edit.text().strip():
            self.preview.setText("Type a pattern, e.g. DHL-{number}.")
            return False
        try:
            lines = self.preview_lines()
        except ValueError as error:
            self.preview.setStyleSheet(f"color: {problem_colour(self)};")
            self.preview.setText(str(error))
            return False
        self.preview.setStyleSheet("")
        more = self.count - len(lines)
        self.preview.setText("\n".join(lines) + (f"\n… and {more} more" if more > 0 else ""))
        return True


def fill_bulk_menu(
    menu: QMenu,
    status_names: Mapping[str, str],
    chosen: Callable[[str, str | None], None],
    status_disabled: Collection[str] = (),
) -> None:
    """Add the bulk actions to ``menu``; ``chosen(kind, value)`` is called with
    one of :data:`KINDS` and a status code (or None)."""
    for kind, title in (
        ("payment", "Set &payment status"),
        ("fulfillment", "Set &fulfillment status"),
    ):
        sub = menu.addMenu(title)
        for code in status_choices(kind, status_names, status_disabled):
            action = sub.addAction(status_name(code, status_names) + "…")
            action.triggered.connect(lambda _=False, k=kind, c=code: chosen(k, c))
    for kind, title in (
        ("tracking", "Add &tracking numbers…"),
        ("hide", "&Hide…"),
        ("unhide", "&Unhide…"),
    ):
        action = menu.addAction(title)
        action.triggered.connect(lambda _=False, k=kind: chosen(k, None))
