"""The dialog that connects an ECDP account: name, API address, API key and
the website id orders are sent with; the key is checked with one request to
ECDP before anything is saved.

The key goes from the field to the keyring (through
:func:`app.services.ecdp.push.connect_ecdp_account`) and nowhere else: it is
never logged, never shown again, and the field is cleared once it is saved.
A refused key is reported in the server's own words.
"""

from __future__ import annotations

from pydantic import ValidationError
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QSpinBox

from app.domain.errors import StoreServiceError
from app.services.accounts import (
    Account,
    AccountSettings,
    ConfigError,
    SecretSaved,
    SecretStoreError,
)
from app.services.accounts import describe_validation_error as describe_invalid
from app.services.accounts.account_actions import name_is_taken, unused_account_name
from app.services.ecdp import ECDP_API_URL as DEFAULT_BASE_URL
from app.services.ecdp.destinations import describe_ecdp_error
from app.services.ecdp.push import connect_ecdp_account
from ui.common.appearance import paint_as_error
from ui.common.connect_dialog_base import ConnectDialogBase

CHECKING_TEXT = "Checking the key with ECDP…"
MAX_WEBSITE_ID = 2_147_483_647


class EcdpConnectDialog(ConnectDialogBase):
    """Asks for an ECDP account's address and key, checks the key, saves the account."""

    accountConnected = Signal(object)  # noqa: N815 - the saved Account

    checking_text = CHECKING_TEXT
    internal_error_text = "The account could not be connected because of an internal error."
    connected_title = "ECDP account connected"
    task_name = "connect-ecdp"
    secret_word = "key"
    secret: SecretSaved | None = None  # how the key was kept, once saved

    @property
    def account(self) -> Account | None:
        """The account connected and saved (None until then)."""
        return self._outcome

    def _setup_ui(self, api_url: str | None) -> None:
        self.setWindowTitle("Connect an ECDP account")
        self.setMinimumWidth(500)
        self.name_edit = QLineEdit(unused_account_name(self._accounts, "ECDP"), maxLength=100)
        self.name_edit.setAccessibleName("Account name")
        self.api_url_edit = QLineEdit(api_url or DEFAULT_BASE_URL, placeholderText=DEFAULT_BASE_URL)
        self.api_url_edit.setAccessibleName("API address")
        self.key_edit, self.show_key_button, key_row = self._secret_field(
            "the business unit's API key", "API key", "Show the key while you type it"
        )
        self.website_spin = QSpinBox(minimum=0, maximum=MAX_WEBSITE_ID)
        self.website_spin.setSpecialValueText("None (not sent)")
        self.website_spin.setAccessibleName("Website ID")
        self.website_spin.setToolTip("The ECDP website the orders belong to (0: none)")

        form = self._new_form()
        form.addRow("Account &name:", self.name_edit)
        form.addRow("API &address:", self.api_url_edit)
        key_label = QLabel("API &key:")
        key_label.setBuddy(self.key_edit)
        form.addRow(key_label, key_row)
        form.addRow("&Website ID:", self.website_spin)

        self.problem_label = QLabel(wordWrap=True)
        self.problem_label.setAccessibleName("Form problem")
        paint_as_error(self.problem_label)
        self._build(
            "Orders are pushed to ExpertSender CDP with the API key of one business unit "
            "(ECDP → Settings → API). The key is checked once with ECDP, then kept in "
            "the system keyring.",
            form,
            below_form=[self.problem_label],
        )
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
        self._enable_connect(account is not None)
        return account is not None

    def _on_text_edited(self, _text: str) -> None:
        self._on_form_edited()

    # -- checking ------------------------------------------------------------------

    def _account_to_check(self) -> Account | None:
        return self.form_account()[0]

    async def _connect(self, account: Account, key: str) -> Account | str:
        try:
            self.secret = await connect_ecdp_account(self._accounts, self._secrets, account, key)
        except StoreServiceError as error:  # ECDP refused the key, or could not be reached
            return f"Not connected: {describe_ecdp_error(error)} Nothing was saved."
        except (ConfigError, SecretStoreError, ValueError) as error:
            return f"Not connected: {error} Nothing was saved."
        return account

    def _show_notices(self, account: Account) -> bool:
        if self.secret is None or self.secret.persisted:
            return False
        self._show_session_notice("ECDP", self.secret.message)
        return True

    def _announce(self, account: Account) -> None:
        self.accountConnected.emit(account)
