"""The accounts dialog: every connected store (and ECDP account) with where
its token or key is kept, and the ways to connect another one, switch to a
store, or remove one.

Tokens are never shown: at most a masked hint such as ``••••abcd``.
Confirmations sit behind small methods (``_confirm_remove``) that tests may
replace; everything else is the real thing.
"""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.services.accounts import (
    Account,
    AccountStore,
    ConfigError,
    SecretStore,
    SecretStoreError,
)
from app.services.accounts.account_actions import (
    AccountOverview,
    Connected,
    account_overviews,
    remove_account,
)
from ui.accounts.connect_dialog import ConnectStoreDialog
from ui.common.keys import add_close_keys
from ui.common.tasks import TaskRunner
from ui.ecdp.connect_dialog import EcdpConnectDialog

NAME_ROLE = Qt.ItemDataRole.UserRole + 1  # the account's name, on every cell of its row
KIND_ROLE = Qt.ItemDataRole.UserRole + 2  # "ecwid" or "ecdp" (only a store can be switched to)
_KIND_LABELS = {"ecwid": "Ecwid", "ecdp": "ECDP"}
_TOKEN_LABELS = {
    "keyring": "token in keyring",
    "session": "token for this session only",
    "environment": "token from BACKROOM_TOKEN",
    "missing": "no token — reconnect",
}
EMPTY_TEXT = (
    "No accounts yet.\n\nConnect an Ecwid store to see its orders here; "
    "you need the store ID and an API token from the Ecwid admin."
)


def _key(name: str) -> str:
    return unicodedata.normalize("NFKC", name.strip()).casefold()


def token_label(overview: AccountOverview) -> str:
    """Where the token is, in words, with the masked hint when there is one."""
    label = _TOKEN_LABELS[overview.token_state]
    return f"{label} ({overview.token_hint})" if overview.token_hint else label


class AccountsDialog(QDialog):
    """Lists the accounts; connects, switches to and removes them."""

    accountChosen = Signal(str)  # the name of the account to switch to
    accountRemoved = Signal(str)  # the name of an account just removed
    storeConnected = Signal(object)  # a Connected result (from the connect dialog)
    ecdpConnected = Signal(object)  # noqa: N815 - the Account of a newly connected ECDP account

    NAME, KIND, STORE, TOKEN = range(4)

    def __init__(
        self,
        accounts: AccountStore,
        secrets: SecretStore,
        tasks: TaskRunner,
        current: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        add_close_keys(self)
        self._accounts = accounts
        self._secrets = secrets
        self._tasks = tasks
        self._current = current
        self.model = QStandardItemModel(0, 4, self)
        self.connect_dialog: ConnectStoreDialog | None = None
        self.ecdp_dialog: EcdpConnectDialog | None = None
        self.error_box: QMessageBox | None = None
        self._setup_ui()
        self.refresh()

    def _setup_ui(self) -> None:
        self.setWindowTitle("Accounts")
        self.resize(760, 360)
        self.model.setHorizontalHeaderLabels(["Account", "Kind", "Store ID", "Token"])

        self.view = QTreeView()
        self.view.setAccessibleName("Accounts")
        self.view.setModel(self.model)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.view.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in ((self.NAME, 170), (self.KIND, 64), (self.STORE, 90)):
            header.resizeSection(column, width)
        self.view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.view.doubleClicked.connect(self._on_view_double_clicked)

        self.empty_label = QLabel(EMPTY_TEXT, wordWrap=True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.view)
        self.pages.addWidget(self.empty_label)

        self.connect_button = QPushButton("&Connect a store…")
        self.connect_ecdp_button = QPushButton("Connect &ECDP…")
        self.connect_ecdp_button.setToolTip("Connect an ECDP account to push orders to")
        self.switch_button = QPushButton("S&witch to")
        self.remove_button = QPushButton("&Remove…")
        self.connect_button.clicked.connect(self._on_connect_clicked)
        self.connect_ecdp_button.clicked.connect(self._on_connect_ecdp_clicked)
        self.switch_button.clicked.connect(self._on_switch_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        side = QVBoxLayout()
        side.addWidget(self.connect_button)
        side.addWidget(self.connect_ecdp_button)
        side.addWidget(self.switch_button)
        side.addWidget(self.remove_button)
        side.addStretch(1)

        body = QHBoxLayout()
        body.addWidget(self.pages, 1)
        body.addLayout(side)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(buttons)

    # -- the list ----------------------------------------------------------------

    def refresh(self, select: str | None = None) -> None:
        """Read the accounts again; keep (or move) the selection."""
        select = select or self.selected_name() or self._current
        self.model.removeRows(0, self.model.rowCount())
        for overview in account_overviews(self._accounts, self._secrets):
            self.model.appendRow(self._row(overview))
        self.pages.setCurrentWidget(self.view if self.model.rowCount() else self.empty_label)
        for row in range(self.model.rowCount()):
            if select and _key(self.model.item(row).data(NAME_ROLE)) == _key(select):
                self.view.setCurrentIndex(self.model.index(row, 0))
                break
        else:
            self.view.clearSelection()
        self._update_buttons()

    def _row(self, overview: AccountOverview) -> list[QStandardItem]:
        account = overview.account
        is_current = self._is_current(account.name)
        name = QStandardItem(f"{account.name} (current)" if is_current else account.name)
        if is_current:
            font = QFont(name.font())
            font.setBold(True)
            name.setFont(font)
        cells = [
            name,
            QStandardItem(_KIND_LABELS.get(account.kind, account.kind)),
            QStandardItem(account.store_id or ""),
            QStandardItem(token_label(overview)),
        ]
        if account.kind == "ecdp":
            cells[3].setText(cells[3].text().replace("token", "key", 1))
            tip = f"{account.name} — ECDP business unit at {account.api_url or 'ECDP'}"
        else:
            tip = f"{account.name} — store {account.store_id} at {account.api_url or 'Ecwid'}"
        for cell in cells:
            cell.setData(account.name, NAME_ROLE)
            cell.setData(account.kind, KIND_ROLE)
            cell.setToolTip(tip)
        return cells

    def _is_current(self, name: str) -> bool:
        return self._current is not None and _key(name) == _key(self._current)

    def selected_name(self) -> str | None:
        """The name of the selected account, if any."""
        rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        return rows[0].data(NAME_ROLE) if rows else None

    def _selected_is_ecdp(self) -> bool:
        rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        return bool(rows) and rows[0].data(KIND_ROLE) == "ecdp"

    def select(self, name: str) -> None:
        """Select the account with this name (case ignored)."""
        self.refresh(select=name)

    def _update_buttons(self) -> None:
        name = self.selected_name()
        self.switch_button.setEnabled(
            name is not None and not self._is_current(name) and not self._selected_is_ecdp()
        )
        self.remove_button.setEnabled(name is not None)
        if self.model.rowCount() == 0:
            self.connect_button.setDefault(True)
        elif self.switch_button.isEnabled():
            self.switch_button.setDefault(True)

    def _on_selection_changed(self, *_args: object) -> None:
        self._update_buttons()

    def _on_view_double_clicked(self, index: QModelIndex) -> None:
        name = index.data(NAME_ROLE)
        if name and not self._is_current(name) and index.data(KIND_ROLE) != "ecdp":
            self._switch_to(name)

    # -- actions -----------------------------------------------------------------

    def _on_connect_clicked(self) -> None:
        dialog = ConnectStoreDialog(self._accounts, self._secrets, self._tasks, self)
        dialog.storeConnected.connect(self._on_store_connected)
        dialog.finished.connect(self._on_connect_dialog_finished)
        self.connect_dialog = dialog
        dialog.open()

    def _on_connect_dialog_finished(self) -> None:
        if self.connect_dialog is not None:
            self.connect_dialog.deleteLater()
            self.connect_dialog = None

    def _on_connect_ecdp_clicked(self) -> None:
        dialog = EcdpConnectDialog(self._accounts, self._secrets, self._tasks, self)
        dialog.accountConnected.connect(self._on_ecdp_connected)
        dialog.finished.connect(self._on_ecdp_dialog_finished)
        self.ecdp_dialog = dialog
        dialog.open()

    def _on_ecdp_dialog_finished(self) -> None:
        if self.ecdp_dialog is not None:
            self.ecdp_dialog.deleteLater()
            self.ecdp_dialog = None

    def _on_ecdp_connected(self, account: Account) -> None:
        self.refresh(select=account.name)
        self.ecdpConnected.emit(account)

    def _on_store_connected(self, connected: Connected) -> None:
        self.refresh(select=connected.account.name)
        self.storeConnected.emit(connected)

    def _on_switch_clicked(self) -> None:
        name = self.selected_name()
        if name is not None:
            self._switch_to(name)

    def _switch_to(self, name: str) -> None:
        self.accountChosen.emit(name)
        self.accept()

    def _on_remove_clicked(self) -> None:
        name = self.selected_name()
        if name is None:
            return
        try:
            account = self._accounts.get(name)
        except ConfigError as error:
            self._show_error(str(error))
            self.refresh()
            return
        confirmed, purge = self._confirm_remove(account)
        if not confirmed:
            return
        try:
            removed = remove_account(self._accounts, self._secrets, account.name, purge=purge)
        except (ConfigError, SecretStoreError) as error:
            self._show_error(f"{account.name!r} could not be removed. {error}")
            self.refresh()
            return
        if self._is_current(removed.name):
            self._current = None
        self.refresh()
        self.accountRemoved.emit(removed.name)

    # -- confirmations and messages (tests replace these) ------------------------

    def _confirm_remove(self, account: Account) -> tuple[bool, bool]:
        """Ask before removing; returns (remove it, also delete its local cache)."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Remove account")
        box.setText(f"Remove the account “{account.name}”?")
        ecdp = account.kind == "ecdp"
        box.setInformativeText(
            "Its API key is deleted from the system keyring. The orders already in ECDP "
            "are not touched; you can connect it again later."
            if ecdp
            else "Its token is deleted from the system keyring. The store itself and its "
            "orders in Ecwid are not touched; you can connect it again later."
        )
        purge = QCheckBox("Also delete the local copy of its orders")
        if not ecdp:  # an ECDP account has no local copy of orders
            box.setCheckBox(purge)
        remove = box.addButton("Remove", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is remove, purge.isChecked()

    def _show_error(self, text: str) -> None:
        """Say what went wrong in a message box (not modal to the app)."""
        if self.error_box is not None:
            self.error_box.deleteLater()
        self.error_box = QMessageBox(QMessageBox.Icon.Warning, "Accounts", text, parent=self)
        self.error_box.open()


__all__ = ["AccountsDialog", "EMPTY_TEXT", "KIND_ROLE", "NAME_ROLE", "token_label"]
