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

from html import escape

from pydantic import ValidationError
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QLineEdit, QStyle, QToolButton

from app.services.accounts import ECWID_API_URL as DEFAULT_BASE_URL
from app.services.accounts import Account
from app.services.accounts.account_actions import (
    Connected,
    describe_connect_failure,
    name_is_taken,
    try_connect_ecwid_store,
    unused_account_name,
)
from ui.common.appearance import paint_as_error
from ui.common.connect_dialog_base import ConnectDialogBase

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


class ConnectStoreDialog(ConnectDialogBase):
    """Asks for a store's ID and token, checks them with Ecwid, saves the account."""

    storeConnected = Signal(object)  # the Connected result

    checking_text = CHECKING_TEXT
    internal_error_text = "The store could not be connected because of an internal error."
    connected_title = "Store connected"
    task_name = "connect-store"
    secret_word = "token"

    @property
    def connected(self) -> Connected | None:
        """The store connected and saved (None until then)."""
        return self._outcome

    # -- set-up ------------------------------------------------------------------

    def _setup_ui(self, api_url: str | None) -> None:
        self._touched: set[str] = set()  # the fields whose messages are shown
        self.setWindowTitle("Connect an Ecwid store")
        self.setMinimumWidth(480)

        self.name_edit = QLineEdit(unused_account_name(self._accounts), maxLength=100)
        self.name_edit.setAccessibleName("Account name")
        self.store_id_edit = QLineEdit(placeholderText="e.g. 4870020")
        self.store_id_edit.setAccessibleName("Store ID")
        self.token_edit, self.show_token_button, token_row = self._secret_field(
            "secret_…", "API token", "Show the token while you type it"
        )

        self.api_url_edit = QLineEdit(api_url or "", placeholderText=DEFAULT_BASE_URL)
        self.api_url_edit.setAccessibleName("API address")
        self.advanced_button = QToolButton(text="Advanced")
        self.advanced_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.advanced_button.setAutoRaise(True)
        self.advanced_button.clicked.connect(self._on_advanced_clicked)

        self.error_labels = {field: self._error_label() for field in (*_FIELDS, "token")}
        self._form = form = self._new_form()
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

        self.scope_label = QLabel(wordWrap=True)
        self.scope_label.setAccessibleName("What this token cannot read")
        self.scope_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.scope_box = self._notice_box(
            QStyle.StandardPixmap.SP_MessageBoxInformation, self.scope_label
        )
        self._build(
            "Backroom needs your store ID and an API token of your Ecwid app "
            "(Ecwid admin → Apps → My apps). The token is checked once with Ecwid, "
            "then kept in the system keyring.",
            form,
            notices=[self.scope_box],
        )

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
        self._enable_connect(plausible)
        return plausible

    def _on_field_edited(self, field: str) -> None:
        self._touched.add(field)
        self._on_form_edited()

    # -- checking ----------------------------------------------------------------

    def _account_to_check(self) -> Account | None:
        self._touched.update((*_FIELDS, "token"))
        account, _errors = self._form_account()
        return account if self._validate() else None

    async def _connect(self, account: Account, token: str) -> Connected | str:
        outcome = await try_connect_ecwid_store(self._accounts, self._secrets, account, token)
        if isinstance(outcome, Connected):
            return outcome
        return describe_connect_failure(outcome, account)

    def _show_notices(self, connected: Connected) -> bool:
        persisted = connected.secret.persisted
        if persisted and not connected.scope_notice:
            return False
        if not persisted:
            self._show_session_notice(connected.store_name, connected.secret.message)
        if connected.scope_notice:
            name = escape(connected.store_name)
            heading = f"<p><b>Connected to {name}.</b></p>" if persisted else ""
            self.scope_label.setText(f"{heading}<p>{escape(connected.scope_notice)}</p>")
            self.scope_box.show()
        return True

    def _announce(self, connected: Connected) -> None:
        self.storeConnected.emit(connected)

    # -- the advanced rows ---------------------------------------------------------

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
