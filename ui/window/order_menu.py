"""The main window's Order menu and toolbar: what the user does to orders.

:class:`OrderCommands` owns the actions (new order, edit, open in a window,
change the selected orders, delete, invoice preview and bulk PDF), the undo
bar of bulk changes, and the editor and invoice windows it opens. It works on
whatever the window shows (``window.shown``: one store, or every store at
once), and each action reaches each order's own store: one order through
``window.store.resolve`` (its editor, invoice and customer are that store's),
several through the shown stores' bulk calls, which split them by store.
Every long step runs as an owned task of the window; nothing here builds a
request or a query.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QToolBar, QWidget

from ui.common.icons import icon
from ui.orders.bulk_action_dialog import fill_bulk_menu
from ui.orders.bulk_actions import BulkActionRunner
from ui.orders.delete_order import NAMED_AT_MOST, confirm_delete, delete_orders
from ui.orders.undo_bar import UndoBar

if TYPE_CHECKING:
    from app.services.session import StoreSession
    from app.services.shown import ShownOrders
    from ui.editor.window import OrderEditorWindow
    from ui.window.main_window import MainWindow

log = logging.getLogger(__name__)


class OrderCommands(QObject):
    """The order actions of one main window."""

    def __init__(self, window: MainWindow, menu: QMenu) -> None:
        super().__init__(window)
        self.window = window
        self.menu = menu
        self.undo_bar = UndoBar()
        self.bulk = BulkActionRunner(window.tasks, self.undo_bar, window)
        self.editor_windows: list[OrderEditorWindow] = []
        self.invoice_windows: list[QWidget] = []
        self._setup_actions()

    # -- set-up -------------------------------------------------------------------

    def _setup_actions(self) -> None:
        menu = self.menu
        self.new_action = self._add(menu, "&New order…", self.new_order, "Ctrl+N")
        self.edit_action = self._add(menu, "&Edit order", self.edit_current, "F2")
        self.window_action = self._add(
            menu, "&Open in a window", self.open_current_in_window, "Ctrl+O"
        )
        menu.addSeparator()
        self.bulk_menu = menu.addMenu("&Change selected orders")
        self.bulk_menu.aboutToShow.connect(self._fill_bulk_menu)
        # the submenu's statuses are presets of this one dialog, which has them all
        self.change_action = self._add(
            self.bulk_menu, "&Choose a change…", self.change_selected, "Ctrl+Shift+B"
        )
        self.delete_action = self._add(menu, "&Delete…", self.delete_selected)
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        menu.addSeparator()
        self.customer_action = self._add(
            menu, "Show the &customer", self.show_customer, "Ctrl+Shift+C"
        )
        menu.addSeparator()
        self.invoice_action = self._add(menu, "&Invoice preview", self.preview_invoice, "Ctrl+I")
        self.print_action = self._add(menu, "&Print invoice…", self.print_invoice, "Ctrl+P")
        self.bulk_pdf_action = self._add(
            menu, "Invoices as one &PDF…", self.bulk_invoices, "Ctrl+Shift+I"
        )
        self.slips_action = self._add(
            menu, "Invoices with packing &slips…", self.packing_slips, "Ctrl+Shift+L"
        )
        menu.addSeparator()
        self.copy_menu = menu.addMenu("C&opy")
        self.copy_number_action = self._add(
            self.copy_menu, "Order &number", lambda: self.copy("number"), "Ctrl+Shift+N"
        )
        self.copy_email_action = self._add(
            self.copy_menu, "&E-mail", lambda: self.copy("email"), "Ctrl+Shift+M"
        )
        self.copy_address_action = self._add(
            self.copy_menu, "&Shipping address", lambda: self.copy("address"), "Ctrl+Shift+H"
        )
        self.actions = [
            self.new_action,
            self.edit_action,
            self.window_action,
            self.change_action,
            self.delete_action,
            self.customer_action,
            self.invoice_action,
            self.print_action,
            self.bulk_pdf_action,
            self.slips_action,
            self.copy_number_action,
            self.copy_email_action,
            self.copy_address_action,
        ]
        for action, name in (
            (self.new_action, "new-order"),
            (self.edit_action, "edit"),
            (self.window_action, "open-window"),
            (self.delete_action, "delete"),
            (self.customer_action, "customer"),
            (self.invoice_action, "invoice"),
            (self.print_action, "print"),
            (self.bulk_pdf_action, "pdf"),
            (self.slips_action, "packing-slip"),
        ):
            action.setIcon(icon(name))
        self.bulk_menu.setIcon(icon("change-status"))
        self.copy_menu.setIcon(icon("copy"))
        self.set_enabled(False)

    def _add(self, menu: QMenu, text: str, slot, shortcut: str | None = None) -> QAction:
        action = QAction(text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def fill_toolbar(self, toolbar: QToolBar) -> None:
        """The everyday actions as toolbar buttons."""
        for action, label in (
            (self.new_action, "New order"),
            (self.edit_action, "Edit"),
            (self.invoice_action, "Invoice"),
        ):
            button_action = toolbar.addAction(action.icon(), label)
            button_action.setToolTip(
                f"{action.text().replace('&', '').rstrip('…')} "
                f"({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
            )
            button_action.triggered.connect(action.trigger)
            action.changed.connect(lambda a=action, b=button_action: b.setEnabled(a.isEnabled()))
            button_action.setEnabled(action.isEnabled())

    def set_enabled(self, enabled: bool) -> None:
        for action in self.actions:
            action.setEnabled(enabled)
        self.bulk_menu.setEnabled(enabled)

    # -- the store ----------------------------------------------------------------

    def session_changed(self, session: StoreSession | None) -> None:
        """The window shows another store (or all, or none): the actions
        follow. Editor windows keep the store of their order (every open store
        stays open); closing the stores closes them (:meth:`before_close_session`)."""
        self.set_enabled(session is not None)
        if session is None:
            for window in list(self.editor_windows):
                window.set_session(None)

    async def before_close_session(self) -> None:
        """A bulk change still in its undo window is applied (staged for the next
        sync); editor windows keep their drafts and close; invoice windows close."""
        await self.bulk.flush()
        for window in list(self.editor_windows):
            window.close_keeping_draft()
        for window in list(self.invoice_windows):
            window.close()

    # -- helpers ------------------------------------------------------------------

    @property
    def _session(self) -> StoreSession | None:
        return self.window.session

    def _selected(self) -> list[str]:
        table = self.window.orders.table
        keys = table.selected_keys()
        current = table.current_key()
        if not keys and current:
            keys = [current]
        return keys

    def _tell(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=self.window)
        box.open()

    def _online(self, session: StoreSession | None = None) -> bool:
        """Whether ``session``'s store (default: the store in hand) answered last time."""
        if session is not None:
            sync = self.window.store.syncs.get(session.account.name)
        else:
            sync = self.window.sync
        return sync is None or sync.online is not False

    def _resolve(self, key: str | None) -> tuple[StoreSession, str] | None:
        """The store of the order ``key`` names, and its key there."""
        return self.window.store.resolve(key or "")

    # -- actions ------------------------------------------------------------------

    def new_order(self) -> None:
        from ui.editor.new_order_dialog import NewOrderDialog

        session = self._session  # across stores: the store of the order in hand
        if session is None:
            return
        dialog = NewOrderDialog(session, self.window.tasks, self.window)
        if len(self.window.store.sessions) > 1:
            dialog.setWindowTitle(f"{dialog.windowTitle()} — {session.title}")
        dialog.created.connect(lambda key, s=session: self._on_order_created(s, key))
        dialog.open()

    def _on_order_created(self, session: StoreSession, key: str) -> None:
        key = self.window.store.ref(session, key) if self.window.store.across else key
        self.window.tasks.run(self._show_created(key), name="show-created")

    async def _show_created(self, key: str) -> None:
        await self.window.orders.refresh_in_background()
        self.window.orders.table.select_keys([key], key)
        self.window.statusBar().showMessage("The order was created in the store.", 8_000)

    def edit_current(self) -> None:
        self.window.orders.edit_current()

    def open_current_in_window(self) -> None:
        key = self.window.orders.table.current_key()
        if key:
            self.open_in_window(key)

    def show_customer(self, key: str | None = None) -> None:
        """Every order of the current order's customer (from its store's cache)."""
        found = self._resolve(key or self.window.orders.table.current_key())
        if found is None:
            return
        self.window.tasks.run(self._show_customer(*found), name="customer")

    async def _show_customer(self, session: StoreSession, key: str) -> None:
        from app.services.orders.customers import NoCustomer
        from ui.common.dates import display_locale
        from ui.detail.customer_view import CustomerView
        from ui.detail.pane import OrderFormat

        try:
            summary = await session.customer_of(key)
        except (NoCustomer, LookupError) as error:
            self.window.statusBar().showMessage(str(error), 8_000)
            return
        display = session.display
        fmt = OrderFormat(display_locale(), display.currency_code or None, display.status_names)
        view = CustomerView(summary, fmt, self.window)
        view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        view.orderRequested.connect(lambda found, s=session: self.open_order_of(s, found))
        self.customer_view = view
        view.show()

    def open_in_window(self, key: str) -> None:
        """The order's editor in a window of its own (one per order), on its own store."""
        found = self._resolve(key)
        if found is not None:
            self.open_order_of(*found)

    def open_order_of(self, session: StoreSession, key: str) -> None:
        """Order ``key`` of ``session`` in an editor window of its own."""
        from ui.editor.window import OrderEditorWindow

        for window in self.editor_windows:
            if window.editor.key == key and window.editor.session is session:
                window.raise_()
                window.activateWindow()
                return
        window = OrderEditorWindow(self.window.orders.drafts, session, self.window)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.navigateRequested.connect(lambda step, w=window: self._navigate(w, step))
        window.destroyed.connect(lambda _=None, w=window: self._forget(self.editor_windows, w))
        self.editor_windows.append(window)
        window.show()
        window.open_order(key)

    def _navigate(self, window: OrderEditorWindow, step: int) -> None:
        found = self._resolve(self.window.orders.move_current(step))
        if found is not None:
            session, key = found
            if window.editor.session is not session:
                window.set_session(session)  # the next order is another store's
            window.open_order(key)

    @staticmethod
    def _forget(windows: list, window: object) -> None:
        if window in windows:
            windows.remove(window)

    def change_selected(self) -> None:
        """The dialog that chooses and confirms a change of the selected orders."""
        session = self.window.shown  # one store, or every store (the inbox splits)
        keys = self._selected()
        if session is not None and keys:
            self.bulk.choose(session, keys)

    def _fill_bulk_menu(self) -> None:
        self.bulk_menu.clear()  # (the window owns change_action: it is only taken out)
        self.bulk_menu.addAction(self.change_action)
        self.bulk_menu.addSeparator()
        session = self.window.shown  # one store, or every store (the inbox splits)
        if session is None:
            return
        keys = self._selected()
        fill_bulk_menu(
            self.bulk_menu,
            session.display.status_names,
            lambda kind, value: self.bulk.choose(session, self._selected(), kind, value),
            session.display.status_disabled,
        )
        count = len(keys)
        self.bulk_menu.setTitle(
            f"&Change {count} selected order{'s' if count != 1 else ''}"
            if count
            else "&Change selected orders"
        )
        for action in self.bulk_menu.actions():
            if action is not self.change_action:  # (its key works later, on a new selection)
                action.setEnabled(bool(keys))

    def delete_selected(self) -> None:
        session = self.window.shown  # one store, or every store (the inbox splits)
        keys = self._selected()
        if session is None or not keys:
            return
        # the question names at most a few orders and only counts the rest
        reader = session.rows
        orders = [order for key in keys[:NAMED_AT_MOST] if (order := reader.order_json(key))]
        rest = reader.order_numbers(keys[NAMED_AT_MOST:])
        orders += [{"vendorOrderNumber": number} for number in rest.values()]
        if not confirm_delete(self.window, orders, currency=session.display.currency_code or None):
            return
        self.window.tasks.run(self._delete(session, keys), name="delete")

    async def _delete(self, session: ShownOrders[Any], keys: list[str]) -> None:
        results = await delete_orders(session, keys)  # they leave the list at once
        failed = [result for result in results if not result.ok]
        if not failed:
            noun = "order was" if len(results) == 1 else f"{len(results)} orders were"
            self.window.statusBar().showMessage(f"The {noun} deleted in the store.", 8_000)
            return
        lines = "\n".join(f"#{result.number}: {result.reason}" for result in failed[:10])
        self._tell(
            "Not every order was deleted",
            f"{len(failed)} of {len(results)} could not be deleted yet:\n{lines}\n\n"
            "Queued deletions are sent with the next sync; refused ones are back in the list.",
        )

    # -- the table's context menu ---------------------------------------------------

    def context_menu(self) -> QMenu:
        """The menu of the rows right-clicked (or the selection, from the
        keyboard): the same actions as the menus, with their shortcuts."""
        menu = QMenu(self.window)
        menu.setAccessibleName("Order actions")
        menu.addAction(self.window_action)
        menu.addAction(self.edit_action)
        self._fill_bulk_menu()
        menu.addMenu(self.bulk_menu)
        menu.addSeparator()
        menu.addAction(self.invoice_action)
        menu.addAction(self.print_action)
        menu.addAction(self.slips_action)
        menu.addSeparator()
        menu.addMenu(self.copy_menu)
        ecdp = getattr(self.window, "ecdp", None)
        if ecdp is not None:
            menu.addAction(ecdp.send_action)
        menu.addAction(self.customer_action)
        menu.addSeparator()
        menu.addAction(self.delete_action)
        return menu

    def copy(self, what: str) -> None:
        """Copy the selected orders' numbers, e-mails or shipping addresses
        (one a line) to the clipboard."""
        session = self.window.shown
        keys = self._selected()
        if session is None or not keys:
            return
        reader = session.rows
        if what == "number":
            numbers = reader.order_numbers(keys)
            lines = [numbers.get(key, key) for key in keys]
        else:
            orders = [reader.order_json(key) or {} for key in keys]
            lines = [
                str(order.get("email") or "") if what == "email" else shipping_address(order)
                for order in orders
            ]
        text = (
            "\n\n".join(line for line in lines if line)
            if what == "address"
            else "\n".join(line for line in lines if line)
        )
        QApplication.clipboard().setText(text)
        words = {"number": "order number", "email": "e-mail", "address": "shipping address"}
        noun = words[what] + ("es" if what == "address" else "s") if len(keys) > 1 else words[what]
        self.window.statusBar().showMessage(f"Copied the {noun}.", 4_000)

    def print_invoice(self) -> None:
        """The invoice of the current order, straight to the print dialog."""
        window = self.preview_invoice()
        if window is not None:
            window.print_when_shown()

    def packing_slips(self) -> None:
        dialog = self.bulk_invoices()
        if dialog is not None:
            dialog.slips_box.setChecked(True)

    def preview_invoice(self) -> QWidget | None:
        """The current order's invoice, from its own store (letterhead, money)."""
        from ui.invoices.window import InvoiceWindow

        found = self._resolve(self.window.orders.table.current_key())
        if found is None:
            return None
        session, key = found
        window = InvoiceWindow(
            session.invoices,
            self.window.tasks,
            online=self._online(session),
            paper=session.account.settings.invoice_paper,
            parent=self.window,
        )
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.destroyed.connect(lambda _=None, w=window: self._forget(self.invoice_windows, w))
        self.invoice_windows.append(window)
        window.show()
        window.open_order(key)
        return window

    def bulk_invoices(self) -> QWidget | None:
        """The selected orders' invoices as one PDF, each from its own store."""
        from ui.invoices.bulk_dialog import BulkInvoiceDialog, InvoiceSource

        session = self._session
        keys = self._selected()
        if session is None or not keys:
            return None

        def source_of(key: str) -> InvoiceSource | None:
            found = self._resolve(key)
            if found is None:
                return None
            owner, plain = found
            return InvoiceSource(owner.invoices, owner.display, plain, self._online(owner))

        dialog = BulkInvoiceDialog(
            session.invoices,
            self.window.tasks,
            keys,
            online=self._online(session),
            paper=session.account.settings.invoice_paper,
            display=session.display,
            parent=self.window,
            source_of=source_of,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog


def shipping_address(order: dict) -> str:
    """An order's shipping address (else its billing one) as lines, as a label shows it."""
    for kind in ("shippingPerson", "billingPerson"):
        person = order.get(kind)
        if not isinstance(person, dict):
            continue
        city = " ".join(
            str(part)
            for part in (person.get("postalCode"), person.get("city"))
            if part not in (None, "")
        )
        lines = [
            person.get("name"),
            person.get("companyName"),
            person.get("street"),
            city,
            person.get("stateOrProvinceName") or person.get("stateOrProvinceCode"),
            person.get("countryName") or person.get("countryCode"),
        ]
        text = "\n".join(str(line).strip() for line in lines if line not in (None, ""))
        if text:
            return text
    return ""
