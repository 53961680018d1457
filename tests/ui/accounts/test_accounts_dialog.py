"""The account dialogs against the live demo store: connecting checks the
token with one real request and saves the account and the token (keyring
only), failures are worded and save nothing; the accounts list switches to
and removes accounts for real."""

from __future__ import annotations

import logging

import keyring
import pytest
from keyring.backends import fail
from keyring.errors import KeyringError
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QMessageBox

from app.config import Account, AccountStore, account_dir
from app.platform.paths import cache_dir, config_dir, data_dir, log_dir
from app.secrets import SERVICE_NAME, SESSION_ONLY_MESSAGE, SecretStore
from tests.helpers.memory_keyring import MemoryKeyring
from ui.accounts.accounts_dialog import NAME_ROLE, AccountsDialog
from ui.accounts.connect_dialog import CHECKING_TEXT, ConnectStoreDialog
from ui.common.tasks import TaskRunner

KEY = (SERVICE_NAME, "ecwid:Shop")


@pytest.fixture
def task_errors() -> list[BaseException]:
    return []


@pytest.fixture
def tasks(qt_loop, task_errors) -> TaskRunner:
    return TaskRunner(on_error=task_errors.append)


@pytest.fixture
def no_keyring():
    """No secure keyring on this machine; the in-memory one is put back after."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def connect_dialog(qtbot, tasks, accounts=None, secrets=None, **kwargs) -> ConnectStoreDialog:
    accounts = accounts or AccountStore.load()
    dialog = ConnectStoreDialog(accounts, secrets or SecretStore(), tasks, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def press(qtbot, button) -> None:
    """Activate a button with the keyboard (Space), as a user can: unlike a
    mouse click at the button's centre, this does not depend on a window
    resize the offscreen platform may not have applied yet."""
    qtbot.keyClick(button, Qt.Key.Key_Space)


def type_into(qtbot, edit: QLineEdit, text: str) -> None:
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def fill(qtbot, dialog, sandbox, *, name="Shop", token=None, api_url=None) -> None:
    type_into(qtbot, dialog.name_edit, name)
    type_into(qtbot, dialog.store_id_edit, str(sandbox.store_id))
    type_into(qtbot, dialog.token_edit, sandbox.token if token is None else token)
    if not dialog.advanced_shown:
        press(qtbot, dialog.advanced_button)
    type_into(qtbot, dialog.api_url_edit, sandbox.url if api_url is None else api_url)


def check(qtbot, dialog, timeout=20_000) -> None:
    """Click Connect and wait until the check with the store has ended."""
    assert dialog.connect_button.isEnabled()
    press(qtbot, dialog.connect_button)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=timeout)


def files_containing(text: str) -> list[str]:
    roots = {data_dir(), config_dir(), cache_dir(), log_dir()}
    needle = text.encode()
    return [
        str(path)
        for root in roots
        for path in root.rglob("*")
        if path.is_file() and needle in path.read_bytes()
    ]


def assert_nothing_saved(memory_keyring) -> None:
    assert AccountStore.load().accounts() == []
    assert memory_keyring.secrets == {}


# -- ConnectStoreDialog ----------------------------------------------------------


def test_connecting_with_the_right_token_saves_the_account_and_keeps_the_token_in_the_keyring(
    qtbot, sandbox, tasks, task_errors, memory_keyring, caplog
):
    caplog.set_level(logging.DEBUG)
    dialog = connect_dialog(qtbot, tasks)
    assert dialog.token_edit.echoMode() == QLineEdit.EchoMode.Password
    fill(qtbot, dialog, sandbox)

    with qtbot.waitSignal(dialog.storeConnected, timeout=20_000) as connected:
        press(qtbot, dialog.connect_button)
        # Busy until the store answers: the form is locked and says what is going on.
        assert dialog.busy and not dialog.form_box.isEnabled()
        assert dialog.progress_label.isVisible() and dialog.progress_label.text() == CHECKING_TEXT
        assert not dialog.connect_button.isEnabled() and dialog.cancel_button.isEnabled()

    result = connected.args[0]
    assert result is dialog.connected
    assert result.store_name == "Walnut & Linen (demo)" and result.secret.persisted
    assert dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()
    saved = AccountStore.load().get("Shop")
    assert (saved.kind, saved.store_id, saved.api_url) == ("ecwid", "4870020", sandbox.url)
    assert memory_keyring.secrets == {KEY: sandbox.token}
    assert dialog.token_edit.text() == ""
    assert files_containing(sandbox.token) == []
    assert caplog.records and sandbox.token not in caplog.text
    assert [method for method, _target, _headers in sandbox.request_log] == ["GET"]
    assert task_errors == []


def test_a_token_that_cannot_read_the_profile_connects_and_says_so_once(
    qtbot, sandbox, tasks, task_errors, memory_keyring
):
    dialog = connect_dialog(qtbot, tasks)
    fill(qtbot, dialog, sandbox, token=sandbox.orders_only_token)
    emitted = []
    dialog.storeConnected.connect(emitted.append)
    check(qtbot, dialog)

    assert not dialog.failure_label.isVisible()
    assert dialog.scope_box.isVisible() and not dialog.session_box.isVisible()
    text = dialog.scope_label.text()
    assert "Connected to Shop." in text  # the account's name stands in for the store's
    assert "cannot read the store profile (scope read_store_profile)" in text
    assert "standard status names" in text
    assert dialog.ok_button.isVisible() and not dialog.connect_button.isVisible()
    assert emitted == [] and dialog.isVisible()  # read before the dialog closes

    press(qtbot, dialog.ok_button)
    assert dialog.result() == QDialog.DialogCode.Accepted and emitted == [dialog.connected]
    assert memory_keyring.secrets == {KEY: sandbox.orders_only_token}
    assert AccountStore.load().get("Shop").store_id == str(sandbox.store_id)
    assert task_errors == []


def test_a_wrong_token_is_explained_and_nothing_is_saved(qtbot, sandbox, tasks, memory_keyring):
    dialog = connect_dialog(qtbot, tasks)
    fill(qtbot, dialog, sandbox, token="secret_not_this_one")
    check(qtbot, dialog)

    assert dialog.failure_label.isVisible()
    assert dialog.failure_label.text().startswith("Ecwid did not accept this token")
    assert dialog.isVisible() and dialog.connected is None
    assert dialog.form_box.isEnabled() and dialog.connect_button.isEnabled()
    assert_nothing_saved(memory_keyring)

    type_into(qtbot, dialog.token_edit, sandbox.token)  # editing clears the old message
    assert not dialog.failure_label.isVisible()


def test_an_address_that_answers_404_says_no_such_store(qtbot, sandbox, tasks, memory_keyring):
    dialog = connect_dialog(qtbot, tasks)
    fill(qtbot, dialog, sandbox, api_url=sandbox.url.removesuffix("/api/v3") + "/v3")
    check(qtbot, dialog)
    assert dialog.failure_label.text().startswith("No store with this id (4870020)")
    assert_nothing_saved(memory_keyring)


def test_a_suspended_store_is_explained(qtbot, sandbox, tasks, memory_keyring):
    sandbox.faults.suspended = True
    dialog = connect_dialog(qtbot, tasks)
    fill(qtbot, dialog, sandbox)
    check(qtbot, dialog)
    assert "suspended" in dialog.failure_label.text()
    assert_nothing_saved(memory_keyring)


@pytest.mark.slow
def test_a_stopped_store_says_it_cannot_be_reached(qtbot, sandbox, tasks, memory_keyring):
    dialog = connect_dialog(qtbot, tasks)
    fill(qtbot, dialog, sandbox)
    sandbox.stop()
    check(qtbot, dialog, timeout=60_000)  # the client retries a few times first
    assert dialog.failure_label.text().startswith(f"Cannot reach {sandbox.url}")
    assert_nothing_saved(memory_keyring)


def test_cancel_during_the_check_stops_it_and_saves_nothing(qtbot, sandbox, tasks, memory_keyring):
    sandbox.faults.latency = 2.0
    dialog = connect_dialog(qtbot, tasks)
    fill(qtbot, dialog, sandbox)
    press(qtbot, dialog.connect_button)
    qtbot.waitUntil(lambda: bool(sandbox.request_log), timeout=10_000)  # the request is on its way

    press(qtbot, dialog.cancel_button)
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.failure_label.text() == "The check was cancelled; nothing was saved."
    assert dialog.isVisible() and dialog.form_box.isEnabled()
    assert tasks.running == 0
    assert_nothing_saved(memory_keyring)


def test_a_name_in_use_is_refused_before_and_during_the_check(
    qtbot, sandbox, tasks, memory_keyring
):
    accounts = AccountStore.load()
    accounts.add(Account(name="Shop", kind="ecwid", store_id="1"))
    dialog = connect_dialog(qtbot, tasks, accounts)
    assert dialog.name_edit.text() == "My store"
    fill(qtbot, dialog, sandbox, name="shop")
    assert dialog.error_labels["name"].text() == (
        "An account named 'shop' already exists; choose another name."
    )
    assert not dialog.connect_button.isEnabled()

    # Taken while the token is being checked (e.g. from another window): the save refuses it.
    type_into(qtbot, dialog.name_edit, "Second shop")
    assert dialog.error_labels["name"].text() == "" and dialog.connect_button.isEnabled()
    press(qtbot, dialog.connect_button)
    accounts.add(Account(name="Second shop", kind="ecwid", store_id="2"))
    qtbot.waitUntil(lambda: not dialog.busy, timeout=20_000)
    assert dialog.failure_label.text() == (
        "An account named 'Second shop' already exists; choose another name."
    )
    assert memory_keyring.secrets == {}
    assert [a.store_id for a in AccountStore.load().accounts()] == ["1", "2"]


def test_fields_are_checked_as_they_are_typed(qtbot, tasks):
    dialog = connect_dialog(qtbot, tasks)
    assert not dialog.connect_button.isEnabled()
    assert all(label.text() == "" for label in dialog.error_labels.values())  # nothing yet

    type_into(qtbot, dialog.store_id_edit, "12ab")
    assert (
        dialog.error_labels["store_id"].text() == "The store ID must be digits only, e.g. 4870020"
    )
    type_into(qtbot, dialog.token_edit, "secret_with a space")
    assert "spaces" in dialog.error_labels["token"].text()
    press(qtbot, dialog.advanced_button)
    type_into(qtbot, dialog.api_url_edit, "ftp://example.com")
    assert "http://" in dialog.error_labels["api_url"].text()
    assert not dialog.connect_button.isEnabled()

    type_into(qtbot, dialog.store_id_edit, "4870020")
    type_into(qtbot, dialog.token_edit, "secret_abc")
    type_into(qtbot, dialog.api_url_edit, "")
    assert all(label.text() == "" for label in dialog.error_labels.values())
    assert dialog.connect_button.isEnabled()


def test_the_token_can_be_shown_while_typing(qtbot, tasks):
    dialog = connect_dialog(qtbot, tasks)
    qtbot.keyClicks(dialog.token_edit, "secret_abc")
    press(qtbot, dialog.show_token_button)
    assert dialog.token_edit.echoMode() == QLineEdit.EchoMode.Normal
    press(qtbot, dialog.show_token_button)
    assert dialog.token_edit.echoMode() == QLineEdit.EchoMode.Password


def test_without_a_secure_keyring_the_session_only_warning_needs_an_ok(
    qtbot, sandbox, tasks, no_keyring
):
    secrets = SecretStore()
    dialog = connect_dialog(qtbot, tasks, secrets=secrets, api_url=sandbox.url)
    assert dialog.api_url_edit.text() == sandbox.url and dialog.advanced_shown
    type_into(qtbot, dialog.store_id_edit, str(sandbox.store_id))
    type_into(qtbot, dialog.token_edit, sandbox.token)
    emitted = []
    dialog.storeConnected.connect(emitted.append)
    check(qtbot, dialog)

    assert dialog.session_box.isVisible() and dialog.isVisible()
    assert SESSION_ONLY_MESSAGE in dialog.session_label.text()
    assert dialog.ok_button.isVisible() and not dialog.connect_button.isVisible()
    assert emitted == [] and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.token_edit.text() == ""

    press(qtbot, dialog.ok_button)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert emitted == [dialog.connected] and dialog.connected.secret.persisted is False
    assert AccountStore.load().get("My store").store_id == "4870020"
    assert secrets.get_token("ecwid", "My store") == sandbox.token
    assert files_containing(sandbox.token) == []


# -- AccountsDialog --------------------------------------------------------------


def accounts_dialog(qtbot, tasks, current=None) -> AccountsDialog:
    dialog = AccountsDialog(AccountStore.load(), SecretStore(), tasks, current)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def add_account(name: str, store_id: str, token: str | None = None) -> Account:
    account = Account(name=name, kind="ecwid", store_id=store_id)
    AccountStore.load().add(account)
    if token:
        SecretStore().set_token("ecwid", name, token)
    return account


def rows(dialog) -> list[list[str]]:
    model = dialog.model
    return [
        [model.index(row, column).data() for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def select(dialog, name: str) -> None:
    dialog.select(name)
    assert dialog.selected_name() == name


def test_without_accounts_the_dialog_says_so(qtbot, tasks):
    dialog = accounts_dialog(qtbot, tasks)
    assert dialog.pages.currentWidget() is dialog.empty_label
    assert dialog.empty_label.text().startswith("No accounts yet.")
    assert dialog.connect_button.isEnabled()
    assert not dialog.switch_button.isEnabled() and not dialog.remove_button.isEnabled()


def test_accounts_are_listed_with_where_their_token_is_never_the_token(qtbot, tasks):
    add_account("Shop", "4870020", "secret_0123456789abcdefWXYZ")
    add_account("Old store", "99")
    dialog = accounts_dialog(qtbot, tasks, current="shop")

    assert rows(dialog) == [
        ["Shop (current)", "Ecwid", "4870020", "token in keyring (••••WXYZ)"],
        ["Old store", "Ecwid", "99", "no token — reconnect"],
    ]
    assert dialog.model.item(0).font().bold() and not dialog.model.item(1).font().bold()
    assert dialog.pages.currentWidget() is dialog.view
    assert dialog.selected_name() == "Shop"
    assert not dialog.switch_button.isEnabled()  # already the current one


def test_a_token_from_the_environment_is_listed_as_such(qtbot, tasks, monkeypatch):
    add_account("Shop", "1")
    monkeypatch.setenv("BACKROOM_TOKEN", "secret_from_the_environment_0042")
    dialog = accounts_dialog(qtbot, tasks)
    assert rows(dialog)[0][3] == "token from BACKROOM_TOKEN (••••0042)"


def test_tokens_kept_for_the_session_are_listed_as_such(qtbot, tasks, no_keyring):
    secrets = SecretStore()
    AccountStore.load().add(Account(name="Shop", kind="ecwid", store_id="1"))
    secrets.set_token("ecwid", "Shop", "secret_0123456789abcdefWXYZ")
    dialog = AccountsDialog(AccountStore.load(), secrets, tasks, None)
    qtbot.addWidget(dialog)
    assert rows(dialog)[0][3] == "token for this session only (••••WXYZ)"


def test_switch_to_emits_the_chosen_account_and_closes(qtbot, tasks):
    add_account("Shop", "1")
    add_account("Other", "2")
    dialog = accounts_dialog(qtbot, tasks, current="Shop")
    select(dialog, "Other")
    assert dialog.switch_button.isEnabled()
    with qtbot.waitSignal(dialog.accountChosen) as chosen:
        qtbot.mouseClick(dialog.switch_button, Qt.MouseButton.LeftButton)
    assert chosen.args == ["Other"]
    assert dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()


@pytest.mark.parametrize("purge", [False, True])
def test_remove_deletes_the_account_its_token_and_with_purge_its_cache(
    qtbot, tasks, memory_keyring, purge
):
    add_account("Shop", "1", "secret_0123456789abcdefWXYZ")
    account = add_account("Other", "2", "secret_other_token_0000")
    cache = account_dir(account) / "cache.sqlite3"
    cache.write_bytes(b"orders")
    dialog = accounts_dialog(qtbot, tasks, current="Other")
    asked = []
    dialog._confirm_remove = lambda account: (asked.append(account.name) or True, purge)

    select(dialog, "Other")
    with qtbot.waitSignal(dialog.accountRemoved) as removed:
        qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)

    assert asked == ["Other"] and removed.args == ["Other"]
    assert [a.name for a in AccountStore.load().accounts()] == ["Shop"]
    assert (SERVICE_NAME, "ecwid:Other") not in memory_keyring.secrets
    assert KEY in memory_keyring.secrets
    assert cache.exists() is not purge
    assert [row[0] for row in rows(dialog)] == ["Shop"]  # no account is current any more
    assert dialog.isVisible()


def test_remove_can_be_called_off(qtbot, tasks, memory_keyring):
    add_account("Shop", "1", "secret_0123456789abcdefWXYZ")
    dialog = accounts_dialog(qtbot, tasks)
    dialog._confirm_remove = lambda account: (False, True)
    select(dialog, "Shop")
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert [a.name for a in AccountStore.load().accounts()] == ["Shop"]
    assert KEY in memory_keyring.secrets


def test_the_remove_confirmation_names_the_account_and_offers_the_cache(qtbot, tasks):
    account = add_account("Shop", "1")
    dialog = accounts_dialog(qtbot, tasks)
    seen = {}

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen["text"] = f"{box.text()} {box.informativeText()}"
        box.checkBox().setChecked(True)
        remove = next(b for b in box.buttons() if b.text() == "Remove")
        remove.click()

    QTimer.singleShot(0, answer)
    assert dialog._confirm_remove(account) == (True, True)
    assert "“Shop”" in seen["text"] and "keyring" in seen["text"]


class _UndeletableKeyring(MemoryKeyring):
    def delete_password(self, service: str, username: str) -> None:
        raise KeyringError("the keyring is locked")


def test_a_keyring_that_refuses_to_delete_is_reported_in_plain_words(qtbot, tasks):
    backend = _UndeletableKeyring()
    keyring.set_keyring(backend)  # the autouse fixture puts its own keyring back
    add_account("Shop", "1", "secret_0123456789abcdefWXYZ")
    dialog = accounts_dialog(qtbot, tasks)
    dialog._confirm_remove = lambda account: (True, False)
    select(dialog, "Shop")
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)

    assert dialog.error_box is not None and dialog.error_box.isVisible()
    text = dialog.error_box.text()
    assert text.startswith("'Shop' could not be removed. The system keyring could not delete")
    assert "Traceback" not in text and "KeyringError" not in text
    assert [a.name for a in AccountStore.load().accounts()] == ["Shop"]
    dialog.error_box.close()


def test_connect_a_store_from_the_accounts_dialog_lists_it(qtbot, sandbox, tasks):
    add_account("Shop", "1")
    dialog = accounts_dialog(qtbot, tasks, current="Shop")
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    connect = dialog.connect_dialog
    assert isinstance(connect, ConnectStoreDialog) and connect.isVisible()
    fill(qtbot, connect, sandbox, name="Demo")

    with qtbot.waitSignal(dialog.storeConnected, timeout=20_000) as connected:
        press(qtbot, connect.connect_button)

    assert connected.args[0].account.name == "Demo"
    assert [row[0] for row in rows(dialog)] == ["Shop (current)", "Demo"]
    assert dialog.selected_name() == "Demo" and dialog.switch_button.isEnabled()
    assert dialog.model.index(1, 0).data(NAME_ROLE) == "Demo"
    assert sandbox.token not in str(rows(dialog))
