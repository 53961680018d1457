"""The main window's account dialogs: connecting a store (or an ECDP account)
and the Accounts dialog, where the user opens, adds and removes accounts.

:class:`AccountDialogs` opens them on the window's account store and reacts
to what the user did there: a store connected or chosen is opened, a removed
store that is open is closed. Each dialog is imported when first opened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

if TYPE_CHECKING:
    from ui.window.main_window import MainWindow


class AccountDialogs(QObject):
    """The File menu's account dialogs of one main window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def connect_store(self) -> None:
        from ui.accounts.connect_dialog import ConnectStoreDialog

        window, accounts, secrets = self.window, self.window.accounts, self.window.secrets
        if accounts is None or secrets is None:
            window.warn("Accounts are unavailable", window.accounts_error or "")
            return
        dialog = ConnectStoreDialog(accounts, secrets, window.tasks, window)
        dialog.storeConnected.connect(lambda connected: window.open_account(connected.account.name))
        dialog.open()

    def show_accounts(self) -> None:
        from ui.accounts.accounts_dialog import AccountsDialog

        window, accounts, secrets = self.window, self.window.accounts, self.window.secrets
        if accounts is None or secrets is None:
            window.warn("Accounts are unavailable", window.accounts_error or "")
            return
        current = window.session.account.name if window.session else None
        dialog = AccountsDialog(accounts, secrets, window.tasks, current, window)
        dialog.accountChosen.connect(window.open_account)
        dialog.accountRemoved.connect(self._on_account_removed)
        dialog.storeConnected.connect(lambda connected: window.open_account(connected.account.name))
        dialog.ecdpConnected.connect(lambda _account: window.ecdp.accounts_changed())
        dialog.open()

    def _on_account_removed(self, name: str) -> None:
        window = self.window
        if window._built:
            window.ecdp.accounts_changed()
        if window.store.session_named(name) is not None:  # the others stay open
            window.tasks.run(window.store.close_store(name), name="open-store")
