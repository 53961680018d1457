"""A new order typed in by hand (a phone order), created in the store.

The fields are :class:`~ui.editor.new_order_form.NewOrderForm`'s. "Create order"
shows every problem under its field and sends nothing while there is any;
otherwise it sends the order through :meth:`StoreSession.create_order` (with
its subtotal and total) and the dialog is accepted with the new order's key
(``created``). When the store refuses it or cannot be reached, the dialog
stays open with everything typed and says why.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.services.orders.changes import changes_between, problem_from_server, propose_totals
from ui.common.keys import add_close_keys
from ui.common.tasks import TaskRunner
from ui.editor.new_order_form import NewOrderForm
from ui.orders.bulk_action_dialog import problem_colour

if TYPE_CHECKING:
    from app.services.session import StoreSession

log = logging.getLogger(__name__)


class NewOrderDialog(QDialog):
    """Type a new order and create it in the store; :meth:`key` once accepted."""

    created = Signal(str)  # the new order's key

    def __init__(
        self, session: StoreSession, tasks: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        add_close_keys(self)
        self.session = session
        self.tasks = tasks
        self._key: str | None = None
        self._busy = False
        self._problems_banner = False
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setWindowTitle("New order")
        self.resize(1000, 660)
        display = self.session.display
        self.banner = QLabel(wordWrap=True)
        self.banner.setAccessibleName("Problem creating the order")
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.hide()
        self.form = NewOrderForm(
            display.status_names,
            display.currency_code or None,
            status_disabled=display.status_disabled,
        )
        self.form.edited.connect(self._on_form_edited)
        scroll = QScrollArea(widgetResizable=True)
        scroll.setWidget(self.form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.create_button = self.buttons.addButton(
            "C&reate order", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.create_button.setDefault(True)
        self.buttons.accepted.connect(self.create)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)

    # -- public ----------------------------------------------------------------------

    def key(self) -> str | None:
        """The created order's key (once accepted)."""
        return self._key

    def order(self) -> dict[str, Any]:
        """The order as typed."""
        return self.form.order()

    def body(self) -> dict[str, Any]:
        """The ``POST /orders`` body: the typed order, numbers as numbers, with totals."""
        order = self.form.order()
        proposal = propose_totals(order)
        order.update({"subtotal": proposal.subtotal, "total": proposal.total})
        return changes_between({}, order)

    def create(self) -> None:
        """Check the order; when it is fine, create it in the store."""
        self.form.reveal_all()
        problems = self.form.check()
        if problems:
            count = len(problems)
            self._problems_banner = True
            self._show_banner(
                f"{count} problem{'s' if count != 1 else ''} to fix before the order can be "
                "created; each is shown under its field."
            )
            widget = self.form.widget_of(problems[0].path)
            if widget is not None:
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        body = self.body()
        self._set_busy(True)
        self.tasks.run(self._create(body), name="create-order")

    def reject(self) -> None:
        if not self._busy:  # while the store is being asked, its answer decides
            super().reject()

    # -- creating --------------------------------------------------------------------

    async def _create(self, body: dict[str, Any]) -> None:
        try:
            key = await self.session.create_order(body)
        except Exception as error:  # noqa: BLE001 - whatever it was, the input is kept
            log.warning("creating an order failed: %s", error)
            self._set_busy(False)
            self._show_server_problem(str(error) or type(error).__name__)
            return
        self._busy = False
        self._key = key
        self.created.emit(key)
        self.accept()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.buttons.setEnabled(not busy)
        self.create_button.setText("Creating…" if busy else "C&reate order")
        if busy:
            self.banner.hide()

    def _show_server_problem(self, message: str) -> None:
        self._problems_banner = False
        self._show_banner(
            f"The order was not created: {message}\nEverything you typed is still here; "
            "fix it or try again."
        )
        problem = problem_from_server(message)
        if problem is not None:
            self.form.show_problem(problem)

    def _show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setStyleSheet(f"color: {problem_colour(self)}; font-weight: bold;")
        self.banner.show()

    # -- slots -----------------------------------------------------------------------

    def _on_form_edited(self) -> None:
        # "N problems to fix" goes once they are fixed; the store's answer stays
        if self._problems_banner and self.banner.isVisible() and not self.form.problems():
            self.banner.hide()
