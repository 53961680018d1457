"""Help › About, File › Settings and the unexpected-error dialog: real
widgets, and the main window's settings round trip against the demo store."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialogButtonBox, QLabel

from app.config import AccountSettings, AccountStore
from app.platform.logs import register_secret
from app.platform.paths import config_dir, data_dir, log_dir
from app.secrets import SecretStore
from tests.helpers.window import open_window
from ui.common.error_dialog import ErrorDialog, ErrorReporter, install_excepthook
from ui.settings.settings_dialog import STORE_ZONE, SettingsDialog
from ui.window.about_dialog import AboutDialog
from ui.window.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("qt_loop")

SECRET = "secret_abcdefghijklmnopqrstuvwxyz0123"


def _failing() -> None:
    raise RuntimeError(f"the server said no to {SECRET}")


def _raised() -> BaseException:
    try:
        _failing()
    except RuntimeError as error:
        return error
    raise AssertionError("not raised")


def test_error_dialog_copies_details_without_secrets(qtbot):
    register_secret(SECRET)
    dialog = ErrorDialog(_raised())
    qtbot.addWidget(dialog)
    assert SECRET not in dialog.message.text()
    assert "RuntimeError" in dialog.message.text()
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert "_failing" in copied and "Traceback" in copied
    assert SECRET not in copied
    assert dialog.copy_button.text() == "Copied"


def test_errors_while_the_dialog_is_open_are_counted_not_stacked(qtbot):
    host = AboutDialog()
    qtbot.addWidget(host)
    host.show()
    reporter = ErrorReporter(host)
    first = reporter.report(_raised())
    second = reporter.report(ValueError("again"))
    assert first is second
    assert "2 problems" in first.headline.text()
    first.reject()
    third = reporter.report(ValueError("later"))
    assert third is not first
    third.reject()


def test_uncaught_exceptions_reach_the_dialog(qtbot):
    host = AboutDialog()
    qtbot.addWidget(host)
    host.show()
    reporter = ErrorReporter(host)
    previous = sys.excepthook
    try:
        install_excepthook(reporter)
        error = _raised()
        sys.excepthook(type(error), error, error.__traceback__)
    finally:
        sys.excepthook = previous
    assert reporter.dialog is not None and reporter.dialog.isVisible()
    assert "the server said no" in reporter.dialog.message.text()
    reporter.dialog.reject()


def test_about_lists_the_folders_and_the_licences(qtbot):
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    shown = {label.text() for label in dialog.findChildren(QLabel)}
    for folder in (data_dir(), config_dir(), log_dir()):
        assert str(folder) in shown
    table = dialog.licence_table
    names = {table.item(row, 0).text() for row in range(table.rowCount())}
    assert {"PySide6", "httpx", "pydantic", "keyring", "qasync"} <= names
    for row in range(table.rowCount()):
        assert table.item(row, 2).text().strip(), table.item(row, 0).text()


def test_settings_refuse_an_unknown_time_zone_and_keep_the_rest(qtbot):
    dialog = SettingsDialog(AccountSettings(), "system", store_name="Shop")
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.zone.currentText() == STORE_ZONE and ok.isEnabled()
    dialog.interval.setValue(30)
    dialog.zone.setEditText("Mars/Olympus_Mons")
    assert not ok.isEnabled()
    assert "unknown time zone" in dialog.problem.text()
    assert dialog.account_settings() is None
    dialog.zone.setEditText("Europe/Berlin")
    assert ok.isEnabled()
    chosen = dialog.account_settings()
    assert chosen is not None
    assert (chosen.sync_interval_minutes, chosen.time_zone) == (30, "Europe/Berlin")


def test_settings_without_a_store_change_only_the_appearance(qtbot):
    dialog = SettingsDialog(None, "dark")
    qtbot.addWidget(dialog)
    assert not dialog.store_box.isEnabled()
    assert dialog.color_scheme() == "dark"
    assert dialog.account_settings() is None


def test_the_window_saves_the_settings_of_the_open_store(qtbot, tmp_path, sandbox, run_on_qt):
    window = open_window(
        qtbot,
        run_on_qt,
        tmp_path,
        stores={"Shop": sandbox},
        until=lambda w: w.session is not None and w.sync is not None,
        timeout=20_000,
    )
    window.show_settings()
    dialog = window.findChild(SettingsDialog)
    assert dialog is not None
    dialog.interval.setValue(45)
    dialog.notify.setChecked(False)
    dialog.paper.setCurrentText("Letter")
    dialog.accept()
    saved = AccountStore.load(tmp_path / "accounts.json").get("Shop").settings
    assert (saved.sync_interval_minutes, saved.notify_new_orders, saved.invoice_paper) == (
        45,
        False,
        "Letter",
    )
    assert not window.notify_action.isChecked()


def test_the_file_menu_opens_the_connect_and_accounts_dialogs(qtbot, tmp_path):
    from ui.accounts.accounts_dialog import AccountsDialog
    from ui.accounts.connect_dialog import ConnectStoreDialog

    accounts = AccountStore.load(tmp_path / "accounts.json")
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(accounts=accounts, secrets=SecretStore(), settings=settings)
    qtbot.addWidget(window)
    window.build()
    window.connect_action.trigger()
    connect = window.findChild(ConnectStoreDialog)
    assert connect is not None and connect.isVisible()
    connect.reject()
    window.accounts_action.trigger()
    listed = window.findChild(AccountsDialog)
    assert listed is not None and listed.isVisible()
    listed.reject()


def test_settings_name_the_desk_and_how_long_a_change_is_watched(qtbot):
    dialog = SettingsDialog(AccountSettings(), "system", store_name="Shop", desk_name="Till 2")
    qtbot.addWidget(dialog)
    assert dialog.watch.value() == 10 and dialog.desk.text() == "Till 2"
    dialog.watch.setValue(0)
    assert dialog.watch.text() == "Off"
    assert dialog.account_settings().overwrite_watch_minutes == 0
    dialog.desk.setText("  Packing table ")
    assert dialog.chosen_desk_name() == "Packing table"
    dialog.desk.clear()
    assert dialog.chosen_desk_name() == ""  # the computer's name again
