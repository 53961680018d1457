"""The ECDP panel: look an order up in ECDP by its id, read its fields, change
its status (placed, paid, completed, canceled) or mark it deleted.

Every call goes through the ECDP service (:mod:`app.services.ecdp.orders`)
as an owned task, so the window never waits; what ECDP says when it refuses (title, detail,
per-field errors) is shown in words under the order. Marking deleted asks
first, naming the order (``_confirm_delete``, which tests may replace).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from html import escape
from typing import Any

import shiboken6
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import StoreServiceError
from app.services.accounts.account_actions import MissingTokenError
from app.services.ecdp import EcdpOrderRecord, EcdpStatus
from app.services.ecdp.destinations import EcdpDestination, describe_ecdp_error
from app.services.ecdp.orders import look_up_ecdp_order, mark_ecdp_order_deleted, set_ecdp_status
from app.services.invoices.money_format import MoneyFormat
from ui.common.appearance import paint_as_error
from ui.common.dates import medium_date_time
from ui.common.keys import add_close_keys
from ui.common.tasks import TaskRunner

STATUS_LABELS = {
    EcdpStatus.PLACED: "Placed",
    EcdpStatus.PAID: "Paid",
    EcdpStatus.COMPLETED: "Completed",
    EcdpStatus.CANCELED: "Canceled",
}
Call = Callable[[EcdpDestination], Awaitable[EcdpOrderRecord | None]]


def order_html(order: EcdpOrderRecord) -> str:
    """The order's fields as a small, escaped HTML page."""
    money = MoneyFormat.for_currency(order.currency)

    def amount(value: Any) -> str:
        return "" if value is None else money.format(value)

    status = STATUS_LABELS.get(order.known_status) if order.known_status else order.status
    rows = [
        ("Order id", order.id),
        ("Status", f"{status} — marked deleted" if order.deleted else status),
        ("Date", medium_date_time(order.date) if order.date else None),
        ("Time zone", order.time_zone),
        ("Website id", order.website_id),
        ("Total", amount(order.total_value)),
        ("Returns", amount(order.returns_value)),
    ]
    customer = order.customer
    if customer is not None:
        rows += [("Email", customer.email), ("Phone", customer.phone), ("CRM id", customer.crm_id)]
    html = ["<table cellspacing='0' cellpadding='3'>"]
    html += [
        f"<tr><td><b>{escape(label)}</b></td><td>{escape(str(value))}</td></tr>"
        for label, value in rows
        if value not in (None, "")
    ]
    html.append("</table>")
    if order.products:
        html.append("<p><b>Products</b></p><table cellspacing='0' cellpadding='3'>")
        html.append(
            "<tr><th align='left'>Name</th><th>Qty</th><th>Price</th><th>Returned</th></tr>"
        )
        for product in order.products:
            name = escape(product.name or product.id or "")
            if product.category:
                name += f" <small>({escape(product.category)})</small>"
            for attribute in product.product_attributes or []:
                pair = f"{attribute.name or ''}: {attribute.value or ''}"
                name += f"<br><small>{escape(pair)}</small>"
            html.append(
                f"<tr><td>{name}</td><td align='right'>{product.quantity or ''}</td>"
                f"<td align='right'>{escape(amount(product.price))}</td>"
                f"<td align='right'>{product.returned or ''}</td></tr>"
            )
        html.append("</table>")
    if order.order_attributes:
        html.append("<p><b>Order attributes</b></p><table cellspacing='0' cellpadding='3'>")
        html += [
            f"<tr><td>{escape(item.name or '')}</td><td>{escape(item.value or '')}</td></tr>"
            for item in order.order_attributes
        ]
        html.append("</table>")
    return "".join(html)


class EcdpPanel(QDialog):
    """Look up, re-status and mark deleted one ECDP order at a time."""

    orderChanged = Signal(object)  # noqa: N815 - the EcdpOrderRecord shown (None: none)

    def __init__(
        self,
        destinations: list[EcdpDestination],
        tasks: TaskRunner,
        parent: QWidget | None = None,
        *,
        order_id: str = "",
    ) -> None:
        super().__init__(parent)
        add_close_keys(self)
        self._destinations = list(destinations)
        self._tasks = tasks
        self._task: asyncio.Task[Any] | None = None
        self.order: EcdpOrderRecord | None = None
        self._setup_ui(order_id)

    def _setup_ui(self, order_id: str) -> None:
        self.setWindowTitle("ECDP orders")
        self.resize(560, 520)
        form = QFormLayout()
        self.account_combo = QComboBox()
        self.account_combo.setAccessibleName("ECDP account")
        for destination in self._destinations:
            self.account_combo.addItem(destination.name)
        account_label = QLabel("ECDP &account:")
        account_label.setBuddy(self.account_combo)
        form.addRow(account_label, self.account_combo)
        form.setRowVisible(self.account_combo, len(self._destinations) > 1)
        self.id_edit = QLineEdit(order_id, placeholderText="the order id, e.g. DEMO-X8UYE")
        self.id_edit.setAccessibleName("ECDP order id")
        self.id_edit.returnPressed.connect(self.look_up)
        self.look_up_button = QPushButton("&Look up")
        self.look_up_button.clicked.connect(self.look_up)
        id_row = QHBoxLayout()
        id_row.addWidget(self.id_edit, 1)
        id_row.addWidget(self.look_up_button)
        id_label = QLabel("Order &id:")
        id_label.setBuddy(self.id_edit)
        form.addRow(id_label, id_row)

        self.details = QTextBrowser()
        self.details.setAccessibleName("ECDP order")
        self.details.setOpenLinks(False)
        self.details.setPlaceholderText("Look an order up by its id to see what ECDP holds.")
        self.message = QLabel(wordWrap=True)
        self.message.setAccessibleName("ECDP answer")
        self.message.hide()

        self.status_combo = QComboBox()
        self.status_combo.setAccessibleName("New status")
        for status, label in STATUS_LABELS.items():
            self.status_combo.addItem(label, status.value)
        self.status_button = QPushButton("Set &status")
        self.status_button.clicked.connect(self.set_status)
        self.delete_button = QPushButton("Mark &deleted…")
        self.delete_button.clicked.connect(self.mark_deleted)
        actions = QHBoxLayout()
        status_label = QLabel("S&tatus:")
        status_label.setBuddy(self.status_combo)
        actions.addWidget(status_label)
        actions.addWidget(self.status_combo)
        actions.addWidget(self.status_button)
        actions.addStretch(1)
        actions.addWidget(self.delete_button)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.details, 1)
        layout.addWidget(self.message)
        layout.addLayout(actions)
        layout.addWidget(buttons)
        self._update_buttons()

    # -- actions -------------------------------------------------------------------

    @property
    def destination(self) -> EcdpDestination | None:
        index = self.account_combo.currentIndex()
        return self._destinations[index] if 0 <= index < len(self._destinations) else None

    @property
    def busy(self) -> bool:
        return self._task is not None

    def look_up(self) -> None:
        order_id = self.id_edit.text().strip()
        if order_id:
            self._call(
                lambda ecdp: look_up_ecdp_order(ecdp, order_id), "Looking the order up…", None
            )

    def set_status(self) -> None:
        if self.order is None or not self.order.id:
            return
        order_id, status = self.order.id, str(self.status_combo.currentData())
        label = self.status_combo.currentText()
        self._call(
            lambda ecdp: set_ecdp_status(ecdp, order_id, status, read_back=True),
            f"Setting the status to {label}…",
            f"ECDP order {order_id} is now {label.lower()}.",
        )

    def mark_deleted(self) -> None:
        if self.order is None or not self.order.id or not self._confirm_delete(self.order.id):
            return
        order_id = self.order.id
        self._call(
            lambda ecdp: mark_ecdp_order_deleted(ecdp, order_id),
            "Marking the order deleted…",
            f"ECDP order {order_id} is marked deleted.",
        )

    def _confirm_delete(self, order_id: str) -> bool:
        """Ask before marking ``order_id`` deleted in ECDP."""
        box = QMessageBox(QMessageBox.Icon.Question, "Mark deleted in ECDP", "", parent=self)
        box.setText(f"Mark the ECDP order “{order_id}” deleted?")
        box.setInformativeText(
            "ECDP keeps the order, flagged as deleted; it no longer counts in analytics. "
            "The order in your shop is not touched."
        )
        delete = box.addButton("Mark deleted", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is delete

    # -- running -------------------------------------------------------------------

    def _call(self, call: Call, doing: str, done: str | None) -> None:
        destination = self.destination
        if destination is None or self._task is not None:
            return
        self._say(doing)
        self._task = self._tasks.run(
            self._run(destination, call, done), name=f"ecdp-panel-{id(self)}"
        )
        self._task.add_done_callback(self._on_task_done)
        self._update_buttons()

    async def _run(self, destination: EcdpDestination, call: Call, done: str | None) -> None:
        try:
            order = await call(destination)
        except (StoreServiceError, MissingTokenError) as error:
            if shiboken6.isValid(self):
                if done is None:  # a lookup: the order shown before is not this one
                    self._show_order(None)
                self._say(describe_ecdp_error(error), error=True)
            return
        if shiboken6.isValid(self):
            self._show_order(order)
            self._say(done or "", error=False)

    def _on_task_done(self, task: asyncio.Task[Any]) -> None:
        if not shiboken6.isValid(self) or task is not self._task:
            return
        self._task = None
        if task.cancelled():
            self._say("Cancelled.")
        self._update_buttons()

    def _show_order(self, order: EcdpOrderRecord | None) -> None:
        self.order = order
        self.details.setHtml(order_html(order) if order is not None else "")
        if order is not None and order.known_status is not None:
            self.status_combo.setCurrentIndex(self.status_combo.findData(order.known_status.value))
        self._update_buttons()
        self.orderChanged.emit(order)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setPalette(self.palette())
        if error:
            paint_as_error(self.message)
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _update_buttons(self) -> None:
        idle = self._task is None
        has_order = self.order is not None and bool(self.order.id)
        self.look_up_button.setEnabled(idle and self.destination is not None)
        self.status_button.setEnabled(idle and has_order)
        self.delete_button.setEnabled(idle and has_order and not self.order.deleted)  # type: ignore[union-attr]

    def reject(self) -> None:
        if self._task is not None:
            self._task.cancel()
        super().reject()
