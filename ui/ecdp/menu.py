"""The main window's ECDP menu: send orders to ECDP, push automatically after
each sync, the ECDP panel, and the ECDP accounts.

:class:`EcdpCommands` owns the menu's actions, the automatic push
(:class:`~ui.ecdp.auto_push.EcdpAutoPush`) and which ECDP account the window
works with: the one chosen in the menu (remembered in QSettings), else the
first one; while the demo store is shown, only the demo's own ECDP side (its
orders never go to a real account; with several demo stores, each store's
orders go to its own side). Every store is pushed with its own mapping (its
website id and currency) and, when every store is shown, the orders chosen
are split by store. It tells the table's model which
account the ECDP column is about, and hides that column while there is none.
Nothing here builds a request or a query; the long steps are owned tasks.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu

from app.services.accounts import ConfigError
from app.services.ecdp.destinations import EcdpDestination, demo_destination, ecdp_destinations
from ui.common.icons import icon
from ui.ecdp.auto_push import EcdpAutoPush
from ui.ecdp.connect_dialog import EcdpConnectDialog
from ui.ecdp.panel import EcdpPanel
from ui.ecdp.push_dialog import EcdpPushDialog

if TYPE_CHECKING:
    from app.services.accounts import Account
    from app.services.session import StoreSession
    from ui.window.main_window import MainWindow

log = logging.getLogger(__name__)

CHOSEN_KEY = "ecdp/account"  # QSettings: the name of the ECDP account chosen in the menu
COLUMN_HIDDEN_KEY = "table/ecdp_column_auto_hidden"  # we hid the column (no ECDP account)
STATUS_MS = 15_000


class EcdpCommands(QObject):
    """The ECDP actions of one main window."""

    def __init__(self, window: MainWindow, menu: QMenu) -> None:
        super().__init__(window)
        self.window = window
        self.menu = menu
        self.destinations: list[EcdpDestination] = []
        self.destination: EcdpDestination | None = None
        self.dialogs: list[QObject] = []
        self.auto_push = EcdpAutoPush(window.tasks, self)
        self.auto_push.message.connect(self._on_auto_push_message)

        self._setup_actions()

    def _setup_actions(self) -> None:
        menu = self.menu
        self.send_action = self._add(
            "&Send selected orders to ECDP…", self.send_selected, "Ctrl+Shift+E"
        )
        self.send_action.setIcon(icon("ecdp-push"))
        self.send_filter_action = self._add(
            "Send the orders the &filter shows to ECDP…", self.send_filtered, "Ctrl+Shift+F"
        )
        menu.addSeparator()
        # (a switch, not a command: no key; the account's settings keep it)
        self.auto_action = self._add("&Push new and changed orders after each sync", None)
        self.auto_action.setCheckable(True)
        self.auto_action.toggled.connect(self._on_auto_toggled)
        menu.addSeparator()
        self.panel_action = self._add("ECDP &orders…", self.show_panel, "Ctrl+Shift+G")
        self.account_menu = menu.addMenu("ECDP &account")  # one choice per account
        self.account_group = QActionGroup(self)
        self.connect_action = self._add(
            "&Connect an ECDP account…", self.connect_account, "Ctrl+Shift+Y"
        )
        self.store_actions = [self.send_action, self.send_filter_action, self.auto_action]
        self.set_enabled(False)

    def _add(self, text: str, slot, shortcut: str | None = None) -> QAction:
        action = QAction(text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        if slot is not None:
            action.triggered.connect(lambda _checked=False: slot())
        self.menu.addAction(action)
        return action

    # -- the window's state -----------------------------------------------------------

    def set_enabled(self, enabled: bool) -> None:
        """Store actions on or off (a store is shown or not)."""
        has_target = self.destination is not None
        for action in self.store_actions:
            action.setEnabled(enabled and has_target)
        self.panel_action.setEnabled(bool(self.destinations))
        self.account_menu.setEnabled(len(self.destinations) > 1)

    def session_changed(self, session: StoreSession | None) -> None:
        """A store was opened (or closed): its auto-push setting and the ECDP accounts."""
        self.accounts_changed()
        if session is not None:
            self.auto_action.blockSignals(True)
            self.auto_action.setChecked(session.account.settings.auto_push_to_ecdp)
            self.auto_action.blockSignals(False)

    def accounts_changed(self) -> None:
        """ECDP accounts were connected or removed: list them again."""
        window = self.window
        if window.store.demos:  # the demo's orders go to the demo's ECDP side only
            self.destinations = [demo_destination(demo) for demo in window.store.demos]
        else:
            self.destinations = ecdp_destinations(window.accounts, window.secrets)
        chosen = str(window.settings.value(CHOSEN_KEY, "") or "")
        by_name = {destination.name: destination for destination in self.destinations}
        self.destination = by_name.get(chosen) or (
            self.destinations[0] if self.destinations else None
        )
        self._fill_account_menu()
        self.auto_push.set_session(window.session, self.destination, self.destination_for)
        self._show_column()
        self.set_enabled(window.session is not None)

    def _fill_account_menu(self) -> None:
        self.account_menu.clear()
        for action in self.account_group.actions():
            self.account_group.removeAction(action)
        for destination in self.destinations:
            action = QAction(destination.name, self.window, checkable=True)
            action.setChecked(destination is self.destination)
            action.triggered.connect(lambda _c=False, name=destination.name: self.choose(name))
            self.account_group.addAction(action)
            self.account_menu.addAction(action)

    def choose(self, name: str) -> None:
        """Work with the ECDP account ``name`` (remembered for next time)."""
        self.window.settings.setValue(CHOSEN_KEY, name)
        self.accounts_changed()

    def _show_column(self) -> None:
        orders = getattr(self.window, "orders", None)
        if orders is None:
            return
        target = self.destination.target if self.destination else None
        orders.model.set_ecdp_target(target if self.window.session is not None else None)
        column = orders.model.ECDP
        settings = self.window.settings
        if target is None and not orders.table.isColumnHidden(column):
            orders.table.setColumnHidden(column, True)
            settings.setValue(COLUMN_HIDDEN_KEY, True)
        elif target is not None and settings.value(COLUMN_HIDDEN_KEY, False, type=bool):
            orders.table.setColumnHidden(column, False)  # we hid it: show it again
            settings.setValue(COLUMN_HIDDEN_KEY, False)

    def destination_for(self, session: StoreSession) -> EcdpDestination | None:
        """Where ``session``'s orders go: a demo store's own ECDP side, else
        the ECDP account the window works with."""
        demo = self.window.store.demo_of(session)
        if demo is not None:
            return demo_destination(demo)
        return self.destination

    async def before_close_session(self) -> None:
        """Stop an automatic push (ECDP's confirmations so far stay recorded)."""
        await self.auto_push.stop()

    def on_sync_finished(self, result: object = None, session: StoreSession | None = None) -> None:
        """For a sync controller's ``finished`` signal (``session``: whose)."""
        self.auto_push.on_sync_finished(result, session)

    # -- actions ----------------------------------------------------------------------

    def _selected(self) -> list[str]:
        table = self.window.orders.table
        keys = table.selected_keys()
        current = table.current_key()
        return keys or ([current] if current else [])

    def send_selected(self) -> EcdpPushDialog | None:
        """Send the selected orders (or the current one) at once, in a dialog."""
        keys = self._selected()
        if not keys:
            return None
        dialog = self._open_push_dialog(keys=keys)
        dialog.start()
        return dialog

    def send_filtered(self) -> EcdpPushDialog:
        """Offer to send every order the filter shows (the dialog's Send starts it)."""
        return self._open_push_dialog(query=self.window.orders.model.query)

    def _open_push_dialog(self, **what: Any) -> EcdpPushDialog:
        shown, destination = self.window.shown, self.destination
        if shown is not None and not self.window.store.across:
            destination = self.destination_for(shown)  # type: ignore[arg-type]
        if shown is None or destination is None:
            raise RuntimeError("no store or no ECDP account")
        dialog = EcdpPushDialog(
            shown,  # one store, or every store (split by store, each to its destination)
            destination,
            self.window.tasks,
            parent=self.window,
            destination_for=self.destination_for if self.window.store.across else None,
            **what,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        self._keep(dialog)
        dialog.open()
        return dialog

    def show_panel(self) -> EcdpPanel:
        order_id = ""
        found = self.window.store.resolve(self.window.orders.table.current_key() or "")
        if found is not None:
            order_id = found[1]  # the ECDP id of a pushed order is its Ecwid id
        panel = EcdpPanel(self.destinations, self.window.tasks, self.window, order_id=order_id)
        if self.destination in self.destinations:
            panel.account_combo.setCurrentIndex(self.destinations.index(self.destination))
        panel.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._keep(panel)
        panel.open()
        return panel

    def connect_account(self) -> EcdpConnectDialog | None:
        window = self.window
        if window.accounts is None or window.secrets is None:
            return None
        dialog = EcdpConnectDialog(window.accounts, window.secrets, window.tasks, window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accountConnected.connect(self._on_account_connected)
        self._keep(dialog)
        dialog.open()
        return dialog

    def _on_account_connected(self, account: Account) -> None:
        self.choose(account.name)
        self.window.statusBar().showMessage(
            f"The ECDP account “{account.name}” is connected.", STATUS_MS
        )

    def _keep(self, dialog: QObject) -> None:
        self.dialogs.append(dialog)
        dialog.destroyed.connect(lambda _=None, d=dialog: self._forget(d))

    def _forget(self, dialog: QObject) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)

    # -- slots ------------------------------------------------------------------------

    def _on_auto_toggled(self, on: bool) -> None:
        session, accounts = self.window.session, self.window.accounts
        if session is None:
            return
        account = session.account
        updated = account.model_copy(
            update={"settings": account.settings.model_copy(update={"auto_push_to_ecdp": on})}
        )
        session.account = updated
        if accounts is not None and any(a.name == account.name for a in accounts.accounts()):
            try:
                accounts.update(updated)
            except ConfigError as error:
                self.window.statusBar().showMessage(
                    f"The setting could not be saved: {error}", STATUS_MS
                )
        if on:
            self.auto_push.on_sync_finished()  # what is new or changed goes now

    def _on_auto_push_message(self, text: str) -> None:
        self.window.statusBar().showMessage(text, STATUS_MS)
