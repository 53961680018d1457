"""The dialog that connects an Ecwid store: name, store ID and API token,
checked with one request to Ecwid before anything is saved.

The token goes from the field to the keyring (through
:func:`app.services.accounts.account_actions.try_connect_ecwid_store`) and nowhere else: it is
never logged, never shown again, and the field is cleared once it is saved.

When the token is kept for this session only, or its app lacks a scope (it
cannot read the store profile, say), the dialog says so once, after
connecting, and closes on OK.
"""

from __future__ import annotations

import asyncio
from html import escape
from typing import Any

import shiboken6
from pydantic import ValidationError
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.config import Account, AccountStore
from app.ecwid import DEFAULT_BASE_URL
from app.secrets import SecretStore
from app.services.accounts.account_actions import (
    Connected,
    describe_connect_failure,
    name_is_taken,
    try_connect_ecwid_store,
    unused_account_name,
)
from ui.common.appearance import paint_as_error
from ui.common.keys import add_close_keys
from ui.common.tasks import TaskRunner

CHECKING_TEXT = "Checking the token with Ecwid…"
_FIELDS = ("name", "store_id", "api_url")


def _field_errors(error: ValidationError) -> dict[str, str]:
    """One message per form field from the model's validation errors."""
    found: dict[str, str] = {}
    for item in error.errors(include_input=False, include_url=False):
        field = str(item["loc"][0]) if item["loc"] else "store_id"  # the model-level rule
        message = item["msg"].removeprefix("Value error, ")
        found.setdefault(field if field in _FIELDS else "name", message[:1].upper() + message[1:])
    return found


class ConnectStoreDialog(QDialog):
    """Asks for a store's ID and token, checks them with Ecwid, saves the account."""

    storeConnected = Signal(object)  # the Connected result

    def __init__(
        self,
        accounts: AccountStore,
        secrets: SecretStore,
        tasks: TaskRunner,
        parent: QWidget | None = None,
        *,
        api_url: str | None = None,
    ) -> None:
        super().__init__(parent)
        add_close_keys(self)
        self._accounts = accounts
        self._secrets = secrets
        self._tasks = tasks
        self._check: asyncio.Task[Any] | None = None
        self._checked_account: Account | None = None
        self._touched: set[str] = set()
        self.connected: Connected | None = None
        self._setup_ui(api_url)
        self._validate()

    # -- set-up ------------------------------------------------------------------

    def _setup_ui(self, api_url: str | None) -> None:
        self.setWindowTitle("Connect an Ecwid store")
        self.setMinimumWidth(480)

        intro = QLabel(
            "Backroom needs your store ID and an API token of your Ecwid app "
            "(Ecwid admin → Apps → My apps). The token is checked once with Ecwid, "
            "then kept in the system keyring."
        )
        intro.setWordWrap(True)

        self.name_edit = QLineEdit(unused_account_name(self._accounts), maxLength=100)
        self.name_edit.setAccessibleName("Account name")
        self.store_id_edit = QLineEdit(placeholderText="e.g. 4870020")
        self.store_id_edit.setAccessibleName("Store ID")
        self.token_edit = QLineEdit(placeholderText="secret_…")
        self.token_edit.setAccessibleName("API token")
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.show_token_button = QToolButton(text="Show", checkable=True)
        self.show_token_button.setToolTip("Show the token while you type it")
        self.show_token_button.toggled.connect(self._on_show_token_toggled)
        token_row = QHBoxLayout()
        token_row.setContentsMargins(0, 0, 0, 0)
        token_row.addWidget(self.token_edit, 1)
        token_row.addWidget(self.show_token_button)

        self.api_url_edit = QLineEdit(api_url or "", placeholderText=DEFAULT_BASE_URL)
        self.api_url_edit.setAccessibleName("API address")
        self.advanced_button = QToolButton(text="Advanced")
        self.advanced_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.advanced_button.setAutoRaise(True)
        self.advanced_button.clicked.connect(self._on_advanced_clicked)

        self.error_labels = {field: self._error_label() for field in (*_FIELDS, "token")}
        self._form = form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Account &name:", self.name_edit)
        form.addRow("", self.error_labels["name"])
        form.addRow("&Store ID:", self.store_id_edit)
        form.addRow("", self.error_labels["store_id"])
        token_label = QLabel("API &token:")
        token_label.setBuddy(self.token_edit)
        form.addRow(token_label, token_row)
        form.addRow("", self.error_labels["token"])
        form.addRow(self.advanced_button)
        form.addRow("API &address:", self.api_url_edit)
        form.addRow("", self.error_labels["api_url"])
        self.api_url_hint = QLabel(
            "Leave empty for Ecwid itself; set it for the demo store or a test server.",
            wordWrap=True,
        )
        self.api_url_hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        form.addRow("", self.api_url_hint)
        self.show_advanced(bool(api_url))

        self.form_box = QWidget()
        form_layout = QVBoxLayout(self.form_box)
        form_layout.setContentsMargins(0, 0, 0, 0)
        form_layout.addWidget(intro)
        form_layout.addSpacing(4)
        form_layout.addLayout(form)

        self.progress = QProgressBar(textVisible=False, maximumHeight=8)
        self.progress.setRange(0, 0)  # busy
        self.progress_label = QLabel(CHECKING_TEXT)
        self.failure_label = QLabel(wordWrap=True)
        self.failure_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.failure_label.setAccessibleName("Connection problem")
        paint_as_error(self.failure_label)
        self.session_box = self._session_warning_box()
        self.scope_box = self._scope_notice_box()

        self.buttons = QDialogButtonBox()
        self.connect_button = self.buttons.addButton(
            "&Connect", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.connect_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Ok)
        self.connect_button.clicked.connect(self._on_connect_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self.ok_button.clicked.connect(self._finish)
        self.ok_button.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(self.form_box)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress)
        layout.addWidget(self.failure_label)
        layout.addWidget(self.session_box)
        layout.addWidget(self.scope_box)
        layout.addStretch(1)
        layout.addSpacing(8)
        layout.addWidget(self.buttons)
        self._set_busy(False)
        self.failure_label.hide()
        self.session_box.hide()
        self.scope_box.hide()

        for field, edit in self._edits().items():
            edit.textEdited.connect(lambda _text, field=field: self._on_field_edited(field))
        self.token_edit.textEdited.connect(lambda _text: self._on_field_edited("token"))

    def _edits(self) -> dict[str, QLineEdit]:
        edits = (self.name_edit, self.store_id_edit, self.api_url_edit)
        return dict(zip(_FIELDS, edits, strict=True))

    def _error_label(self) -> QLabel:
        label = QLabel(wordWrap=True)
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        paint_as_error(label)
        return label

    def _session_warning_box(self) -> QWidget:
        self.session_label = QLabel(wordWrap=True)
        self.session_label.setAccessibleName("Token kept for this session only")
        return self._notice_box(QStyle.StandardPixmap.SP_MessageBoxWarning, self.session_label)

    def _scope_notice_box(self) -> QWidget:
        self.scope_label = QLabel(wordWrap=True)
        self.scope_label.setAccessibleName("What this token cannot read")
        self.scope_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return self._notice_box(QStyle.StandardPixmap.SP_MessageBoxInformation, self.scope_label)

    def _notice_box(self, pixmap: QStyle.StandardPixmap, label: QLabel) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(self.style().standardIcon(pixmap).pixmap(size))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        row.addWidget(icon)
        row.addWidget(label, 1)
        return box

    # -- validation --------------------------------------------------------------

    def _form_account(self) -> tuple[Account | None, dict[str, str]]:
        """The account the form describes, or the message for each field."""
        data = {field: edit.text() for field, edit in self._edits().items()}
        try:
            account = Account(kind="ecwid", **data)
        except ValidationError as error:
            return None, _field_errors(error)
        if name_is_taken(self._accounts, account.name):
            return account, {
                "name": f"An account named {account.name!r} already exists; choose another name."
            }
        return account, {}

    def _token_error(self) -> str:
        token = self.token_edit.text().strip()
        if not token:
            return "Paste the API token of your Ecwid app."
        if any(ch.isspace() for ch in token):
            return "The token has spaces in it; copy it again, without spaces."
        return ""

    def _validate(self) -> bool:
        """Show the messages of touched fields; enable Connect when all is plausible."""
        account, errors = self._form_account()
        token_error = self._token_error()
        if token_error:
            errors["token"] = token_error
        for field, label in self.error_labels.items():
            label.setText(errors.get(field, "") if field in self._touched else "")
        self._show_rows()
        if errors.get("api_url"):
            self.show_advanced(True)
        plausible = account is not None and not errors
        self.connect_button.setEnabled(plausible and self._check is None)
        return plausible

    def _on_field_edited(self, field: str) -> None:
        self._touched.add(field)
        self.failure_label.hide()
        self._validate()

    # -- checking ----------------------------------------------------------------

    def _on_connect_clicked(self) -> None:
        self._touched.update((*_FIELDS, "token"))
        account, _errors = self._form_account()
        if not self._validate() or account is None or self._check is not None:
            return
        self._checked_account = account
        self.failure_label.hide()
        self._check = self._tasks.run(
            try_connect_ecwid_store(
                self._accounts, self._secrets, account, self.token_edit.text().strip()
            ),
            name=f"connect-store-{id(self)}",
        )
        self._check.add_done_callback(self._on_check_done)
        self.show_token_button.setChecked(False)
        self._set_busy(True)

    def _on_check_done(self, task: asyncio.Task[Any]) -> None:
        if not shiboken6.isValid(self) or task is not self._check:
            return  # the dialog is gone, or this check was called off
        self._check = None
        self._set_busy(False)
        if task.cancelled():
            self._show_failure("The check was cancelled; nothing was saved.")
            return
        if task.exception() is not None:  # unexpected; the TaskRunner logs and reports it
            self._show_failure("The store could not be connected because of an internal error.")
            return
        outcome = task.result()
        if isinstance(outcome, Connected):
            self._on_connected(outcome)
        else:
            assert self._checked_account is not None
            self._show_failure(describe_connect_failure(outcome, self._checked_account))

    def _on_connected(self, connected: Connected) -> None:
        self.connected = connected
        self.token_edit.clear()
        if connected.secret.persisted and not connected.scope_notice:
            self._finish()
            return
        self.setWindowTitle("Store connected")
        self.form_box.hide()
        self.failure_label.hide()
        name = escape(connected.store_name)
        if not connected.secret.persisted:
            self.session_label.setText(
                f"<p><b>Connected to {name}, but the token is kept for "
                f"this session only.</b></p><p>{escape(connected.secret.message)}</p>"
            )
            self.session_box.show()
        if connected.scope_notice:
            heading = f"<p><b>Connected to {name}.</b></p>" if connected.secret.persisted else ""
            self.scope_label.setText(f"{heading}<p>{escape(connected.scope_notice)}</p>")
            self.scope_box.show()
        self._fit_height()
        self.connect_button.hide()
        self.cancel_button.hide()
        self.ok_button.show()
        self.ok_button.setDefault(True)
        self.ok_button.setFocus()
        self.adjustSize()
        self._fit_height()

    def _finish(self) -> None:
        if self.connected is None:
            return
        self.storeConnected.emit(self.connected)
        super().accept()

    def _show_failure(self, text: str) -> None:
        self.failure_label.setText(text)
        self.failure_label.show()
        self._fit_height()

    def _fit_height(self) -> None:
        """Grow to fit wrapped messages (a window's minimum size ignores word wrap)."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        needed = self.heightForWidth(self.width()) if self.hasHeightForWidth() else -1
        if needed > self.height():
            self.resize(self.width(), needed)

    def _set_busy(self, busy: bool) -> None:
        self.form_box.setEnabled(not busy)
        self.progress.setVisible(busy)
        self.progress_label.setVisible(busy)
        if busy:
            self.connect_button.setEnabled(False)
            self.cancel_button.setFocus()
        else:
            self._validate()
        self._fit_height()

    @property
    def busy(self) -> bool:
        """Whether the token is being checked right now."""
        return self._check is not None

    # -- closing -----------------------------------------------------------------

    def _on_cancel_clicked(self) -> None:
        if self._check is not None:
            self._check.cancel()  # back to the form; _on_check_done says so
        else:
            self.reject()

    def reject(self) -> None:
        if self.connected is not None:  # saved already: closing means OK
            self._finish()
            return
        if self._check is not None:
            self._check.cancel()
            self._check = None
        self.token_edit.clear()
        super().reject()

    def _on_show_token_toggled(self, shown: bool) -> None:
        self.token_edit.setEchoMode(
            QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        )
        self.show_token_button.setText("Hide" if shown else "Show")

    def _on_advanced_clicked(self) -> None:
        self.show_advanced(not self.advanced_shown)

    def show_advanced(self, shown: bool) -> None:
        """Unfold (or fold) the advanced settings: the API address."""
        self.advanced_shown = shown
        self.advanced_button.setArrowType(
            Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        )
        self.advanced_button.setAccessibleDescription("shown" if shown else "hidden")
        self._show_rows()

    def _show_rows(self) -> None:
        """Show the advanced rows when unfolded, and the messages that have text."""
        self._form.setRowVisible(self.api_url_edit, self.advanced_shown)
        self._form.setRowVisible(self.api_url_hint, self.advanced_shown)
        for field, label in self.error_labels.items():
            folded = field == "api_url" and not self.advanced_shown
            self._form.setRowVisible(label, bool(label.text()) and not folded)
        self._fit_height()


__all__ = ["CHECKING_TEXT", "ConnectStoreDialog"]
