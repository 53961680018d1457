"""The dialog that connects an ECDP account: name, API address, API key and
the website id orders are sent with; the key is checked with one request to
ECDP before anything is saved.

The key goes from the field to the keyring (through
:func:`app.services.ecdp.push.connect_ecdp_account`) and nowhere else: it is
never logged, never shown again, and the field is cleared once it is saved.
A refused key is reported in the server's own words.
"""

from __future__ import annotations

import asyncio
from html import escape
from typing import Any

import shiboken6
from pydantic import ValidationError
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.config import Account, AccountSettings, AccountStore, ConfigError
from app.config import describe_validation_error as describe_invalid
from app.ecdp import DEFAULT_BASE_URL, EcdpError
from app.secrets import SecretSaved, SecretStore, SecretStoreError
from app.services.accounts.account_actions import name_is_taken, unused_account_name
from app.services.ecdp.destinations import describe_ecdp_error
from app.services.ecdp.push import connect_ecdp_account
from ui.common.appearance import paint_as_error
from ui.common.keys import add_close_keys
from ui.common.tasks import TaskRunner

CHECKING_TEXT = "Checking the key with ECDP…"
MAX_WEBSITE_ID = 2_147_483_647


class EcdpConnectDialog(QDialog):
    """Asks for an ECDP account's address and key, checks the key, saves the account."""

    accountConnected = Signal(object)  # noqa: N815 - the saved Account

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
        self.account: Account | None = None
        self.secret: SecretSaved | None = None
        self._setup_ui(api_url or DEFAULT_BASE_URL)
        self._validate()

    def _setup_ui(self, api_url: str) -> None:
        self.setWindowTitle("Connect an ECDP account")
        self.setMinimumWidth(500)
        intro = QLabel(
            "Orders are pushed to ExpertSender CDP with the API key of one business unit "
            "(ECDP → Settings → API). The key is checked once with ECDP, then kept in "
            "the system keyring."
        )
        intro.setWordWrap(True)
        self.name_edit = QLineEdit(unused_account_name(self._accounts, "ECDP"), maxLength=100)
        self.name_edit.setAccessibleName("Account name")
        self.api_url_edit = QLineEdit(api_url, placeholderText=DEFAULT_BASE_URL)
        self.api_url_edit.setAccessibleName("API address")
        self.key_edit = QLineEdit(placeholderText="the business unit's API key")
        self.key_edit.setAccessibleName("API key")
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.show_key_button = QToolButton(text="Show", checkable=True)
        self.show_key_button.setToolTip("Show the key while you type it")
        self.show_key_button.toggled.connect(self._on_show_key_toggled)
        key_row = QHBoxLayout()
        key_row.setContentsMargins(0, 0, 0, 0)
        key_row.addWidget(self.key_edit, 1)
        key_row.addWidget(self.show_key_button)
        self.website_spin = QSpinBox(minimum=0, maximum=MAX_WEBSITE_ID)
        self.website_spin.setSpecialValueText("None (not sent)")
        self.website_spin.setAccessibleName("Website ID")
        self.website_spin.setToolTip("The ECDP website the orders belong to (0: none)")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Account &name:", self.name_edit)
        form.addRow("API &address:", self.api_url_edit)
        key_label = QLabel("API &key:")
        key_label.setBuddy(self.key_edit)
        form.addRow(key_label, key_row)
        form.addRow("&Website ID:", self.website_spin)
        self.form_box = QWidget()
        box_layout = QVBoxLayout(self.form_box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.addWidget(intro)
        box_layout.addSpacing(4)
        box_layout.addLayout(form)

        self.problem_label = QLabel(wordWrap=True)
        self.problem_label.setAccessibleName("Form problem")
        paint_as_error(self.problem_label)
        self.progress_label = QLabel(CHECKING_TEXT)
        self.progress = QProgressBar(textVisible=False, maximumHeight=8)
        self.progress.setRange(0, 0)
        self.failure_label = QLabel(wordWrap=True)
        self.failure_label.setAccessibleName("Connection problem")
        self.failure_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        paint_as_error(self.failure_label)
        self.session_label = QLabel(wordWrap=True)
        self.session_label.setAccessibleName("Key kept for this session only")

        self.buttons = QDialogButtonBox()
        self.connect_button = self.buttons.addButton(
            "&Connect", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.connect_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.hide()
        self.connect_button.clicked.connect(self._on_connect_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self.ok_button.clicked.connect(self._finish)

        layout = QVBoxLayout(self)
        layout.addWidget(self.form_box)
        for widget in (self.problem_label, self.progress_label, self.progress):
            layout.addWidget(widget)
        layout.addWidget(self.failure_label)
        layout.addWidget(self.session_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        for widget in (self.failure_label, self.session_label):
            widget.hide()
        self._set_busy(False)
        for edit in (self.name_edit, self.api_url_edit, self.key_edit):
            edit.textEdited.connect(self._on_text_edited)

    # -- the form ------------------------------------------------------------------

    def form_account(self) -> tuple[Account | None, str]:
        """The account the form describes, or what is wrong with it."""
        website = self.website_spin.value() or None
        try:
            account = Account(
                name=self.name_edit.text(),
                kind="ecdp",
                api_url=self.api_url_edit.text(),
                settings=AccountSettings(ecdp_website_id=website),
            )
        except ValidationError as error:
            return None, describe_invalid(error)
        if name_is_taken(self._accounts, account.name):
            return None, f"An account named {account.name!r} already exists; choose another name."
        key = self.key_edit.text().strip()
        if not key:
            return None, "Paste the API key of the ECDP business unit."
        if any(ch.isspace() for ch in key):
            return None, "The key has spaces in it; copy it again, without spaces."
        return account, ""

    def _validate(self) -> bool:
        account, problem = self.form_account()
        touched = bool(self.key_edit.text()) or self.name_edit.isModified()
        self.problem_label.setText(problem if touched else "")
        self.problem_label.setVisible(bool(problem) and touched)
        self.connect_button.setEnabled(account is not None and self._check is None)
        return account is not None

    def _on_text_edited(self, _text: str) -> None:
        self.failure_label.hide()
        self._validate()

    # -- checking ------------------------------------------------------------------

    def _on_connect_clicked(self) -> None:
        account, _problem = self.form_account()
        if account is None or self._check is not None:
            return
        self.failure_label.hide()
        self._check = self._tasks.run(
            self._connect(account, self.key_edit.text().strip()),
            name=f"connect-ecdp-{id(self)}",
        )
        self._check.add_done_callback(self._on_check_done)
        self.show_key_button.setChecked(False)
        self._set_busy(True)

    async def _connect(self, account: Account, key: str) -> Account | str:
        try:
            self.secret = await connect_ecdp_account(self._accounts, self._secrets, account, key)
        except EcdpError as error:
            return describe_ecdp_error(error)
        except (ConfigError, SecretStoreError, ValueError) as error:
            return str(error)
        return account

    def _on_check_done(self, task: asyncio.Task[Any]) -> None:
        if not shiboken6.isValid(self) or task is not self._check:
            return
        self._check = None
        self._set_busy(False)
        if task.cancelled():
            self._show_failure("The check was cancelled; nothing was saved.")
        elif task.exception() is not None:  # the TaskRunner reports it
            self._show_failure("The account could not be connected because of an internal error.")
        elif isinstance(outcome := task.result(), Account):
            self._on_connected(outcome)
        else:
            self._show_failure(f"Not connected: {outcome} Nothing was saved.")

    def _on_connected(self, account: Account) -> None:
        self.account = account
        self.key_edit.clear()
        if self.secret is None or self.secret.persisted:
            self._finish()
            return
        self.setWindowTitle("ECDP account connected")
        self.form_box.hide()
        self.session_label.setText(
            f"<p><b>Connected to ECDP, but the key is kept for this session only.</b></p>"
            f"<p>{escape(self.secret.message)}</p>"
        )
        self.session_label.show()
        self.connect_button.hide()
        self.cancel_button.hide()
        self.ok_button.show()
        self.ok_button.setDefault(True)

    def _finish(self) -> None:
        if self.account is None:
            return
        self.accountConnected.emit(self.account)
        super().accept()

    def _show_failure(self, text: str) -> None:
        self.failure_label.setText(text)
        self.failure_label.show()

    def _set_busy(self, busy: bool) -> None:
        self.form_box.setEnabled(not busy)
        self.progress.setVisible(busy)
        self.progress_label.setVisible(busy)
        if busy:
            self.connect_button.setEnabled(False)
        else:
            self._validate()

    @property
    def busy(self) -> bool:
        return self._check is not None

    def _on_cancel_clicked(self) -> None:
        if self._check is not None:
            self._check.cancel()
        else:
            self.reject()

    def reject(self) -> None:
        if self.account is not None:
            self._finish()
            return
        if self._check is not None:
            self._check.cancel()
            self._check = None
        self.key_edit.clear()
        super().reject()

    def _on_show_key_toggled(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.key_edit.setEchoMode(mode)
        self.show_key_button.setText("Hide" if shown else "Show")
