"""Connecting an ECDP account in the GUI, against the demo store's ECDP side
over loopback: a refused key is reported in the server's words and nothing
is saved; an accepted key goes to the keyring only; the accounts dialog
lists ECDP accounts by their key and never offers to "switch" to one."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.config import AccountStore
from app.secrets import SecretStore
from ui.accounts.accounts_dialog import AccountsDialog
from ui.common.tasks import TaskRunner
from ui.ecdp.connect_dialog import EcdpConnectDialog

pytestmark = pytest.mark.usefixtures("qt_loop")


@pytest.fixture
def accounts(tmp_path):
    return AccountStore.load(tmp_path / "accounts.json")


def _dialog(qtbot, accounts, sandbox) -> EcdpConnectDialog:
    dialog = EcdpConnectDialog(accounts, SecretStore(), TaskRunner(), api_url=sandbox.ecdp_url)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _fill(qtbot, dialog: EcdpConnectDialog, name: str, key: str, website: int = 0) -> None:
    dialog.name_edit.selectAll()
    qtbot.keyClicks(dialog.name_edit, name)
    qtbot.keyClicks(dialog.key_edit, key)
    dialog.website_spin.setValue(website)


def test_a_refused_key_is_reported_in_the_servers_words(qtbot, accounts, sandbox, memory_keyring):
    dialog = _dialog(qtbot, accounts, sandbox)
    assert not dialog.connect_button.isEnabled()  # no key yet
    _fill(qtbot, dialog, "Analytics", "not-the-key")
    assert dialog.connect_button.isEnabled()
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    assert dialog.busy and not dialog.form_box.isEnabled()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    text = dialog.failure_label.text()
    assert dialog.failure_label.isVisible()
    assert "refused the API key" in text and "The API key is not valid" in text
    assert "not-the-key" not in text
    assert accounts.accounts() == []
    assert memory_keyring.secrets == {}
    assert dialog.isVisible() and dialog.key_edit.text() == "not-the-key"  # to correct it


def test_an_accepted_key_is_kept_in_the_keyring_only(
    qtbot, tmp_path, accounts, sandbox, memory_keyring
):
    dialog = _dialog(qtbot, accounts, sandbox)
    connected = []
    dialog.accountConnected.connect(connected.append)
    _fill(qtbot, dialog, "Analytics", sandbox.ecdp_key, website=7)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    [account] = connected
    assert account.kind == "ecdp" and account.api_url == sandbox.ecdp_url
    assert account.settings.ecdp_website_id == 7
    assert accounts.get("Analytics") == account
    assert SecretStore().get_token("ecdp", "Analytics") == sandbox.ecdp_key
    assert sandbox.ecdp_key not in (tmp_path / "accounts.json").read_text()
    assert dialog.key_edit.text() == ""


def test_form_problems_are_said_before_anything_is_sent(qtbot, accounts, sandbox):
    dialog = _dialog(qtbot, accounts, sandbox)
    _fill(qtbot, dialog, "Analytics", "has a space")
    assert not dialog.connect_button.isEnabled()
    assert "spaces" in dialog.problem_label.text()
    dialog.key_edit.clear()
    qtbot.keyClicks(dialog.key_edit, "k")
    dialog.api_url_edit.setText("ftp://example.org")
    assert dialog.form_account()[0] is None
    assert "http" in dialog.form_account()[1]


def test_the_accounts_dialog_connects_and_lists_ecdp_accounts(
    qtbot, accounts, sandbox, memory_keyring
):
    dialog = AccountsDialog(accounts, SecretStore(), TaskRunner(), None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.connect_ecdp_button, Qt.MouseButton.LeftButton)
    connect = dialog.ecdp_dialog
    assert isinstance(connect, EcdpConnectDialog)
    connect.api_url_edit.setText(sandbox.ecdp_url)
    _fill(qtbot, connect, "Analytics", sandbox.ecdp_key)
    with qtbot.waitSignal(dialog.ecdpConnected, timeout=10_000) as signal:
        qtbot.mouseClick(connect.connect_button, Qt.MouseButton.LeftButton)
    assert signal.args[0].name == "Analytics"
    assert dialog.selected_name() == "Analytics"
    row = [dialog.model.index(0, column).data() for column in range(dialog.model.columnCount())]
    assert row[:2] == ["Analytics", "ECDP"]
    assert row[3].startswith("key in keyring")
    assert not dialog.switch_button.isEnabled()  # an ECDP account is no store to show
    assert dialog.remove_button.isEnabled()
