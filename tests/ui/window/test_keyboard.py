"""Keyboard first, against the demo store over loopback HTTP: every command
of the menus has a key (the deliberate exceptions named, with their reason),
each key reaches its command from the order list, Help › Keyboard shortcuts
(F1) lists exactly the menus' keys, Ctrl+, opens Settings on every platform,
and the search box leads to the results in one key."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.helpers.window import open_window, orders_shown
from ui.editor.keys import EDITOR_SHORTCUTS
from ui.orders.bulk_action_dialog import BulkActionDialog
from ui.settings.settings_dialog import SettingsDialog
from ui.window.main_window import MainWindow
from ui.window.shortcut_list import menu_actions, plain_text
from ui.window.shortcuts_dialog import ShortcutsDialog, native_key_text

pytestmark = pytest.mark.usefixtures("qt_loop")

NATIVE = QKeySequence.SequenceFormat.NativeText
EXCEPTIONS = {
    "checkable": "a switch, not a command: its state shows in the menu, and Settings keeps it",
    "preset": "a status preset of “Choose a change…” (Ctrl+Shift+B), whose dialog has them all",
}
"""The menu entries that have no key on purpose, and why."""


@pytest.fixture
def window(qtbot, tmp_path, sandbox, run_on_qt):
    main = open_window(qtbot, run_on_qt, tmp_path, stores={"Shop": sandbox}, until=orders_shown)
    main.orders.table.selectRow(0)
    main.orders.table.setFocus()
    qtbot.waitUntil(lambda: main.orders.table.hasFocus())
    return main


def _commands(window: MainWindow) -> list[tuple[str, str, QAction]]:
    """``(menu, name, action)`` of every command of the menu bar (the
    Change selected orders submenu filled as when it opens)."""
    window.commands.bulk_menu.aboutToShow.emit()
    found = []
    for top in window.menuBar().actions():
        menu = top.menu()
        found += [(plain_text(top.text()), name, action) for name, action in menu_actions(menu)]
    return found


def _exception(window: MainWindow, name: str, action: QAction) -> str | None:
    """Why this command has no key on purpose (None: it must have one)."""
    if action.isCheckable():
        return EXCEPTIONS["checkable"]
    bulk = [found for _, found in menu_actions(window.commands.bulk_menu)]
    if action in bulk and action is not window.commands.change_action:
        return EXCEPTIONS["preset"]
    return None


def test_every_menu_command_has_a_key_and_f1_lists_exactly_them(qtbot, window):
    commands = _commands(window)
    assert len(commands) > 30
    keyed = []
    for menu, name, action in commands:
        if _exception(window, name, action) is None:
            assert not action.shortcut().isEmpty(), f"{menu} › {name} has no key"
            keyed.append((menu, name, action))
        else:
            assert action.shortcut().isEmpty(), f"{menu} › {name} is an exception with a key"
    presets = [name for _, name, action in commands if _exception(window, name, action)]
    assert any("Paid" in name for name in presets)  # (the submenu was filled)

    # no key does two things, in the window or in the editor beside the table
    keys = [action.shortcut().toString() for _, _, action in keyed]
    keys += [QKeySequence(key).toString() for key, _ in EDITOR_SHORTCUTS if "/" not in key]
    assert len(keys) == len(set(keys)), sorted(key for key in keys if keys.count(key) > 1)

    QTest.keyClick(window.orders.table, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: bool(window.findChildren(ShortcutsDialog)))
    dialog = window.findChildren(ShortcutsDialog)[0]
    qtbot.waitExposed(dialog)
    for menu in ("File", "View", "Order", "ECDP", "Help"):
        listed = dialog.shortcut_rows(f"{menu} menu")
        expected = [
            (action.shortcut().toString(NATIVE), name)
            for in_menu, name, action in keyed
            if in_menu == menu
        ]
        assert listed == expected, menu
    others = dialog.shortcut_rows("In the order list")
    assert (native_key_text("J / Down"), "Next order") in others
    assert dialog.shortcut_rows("In the order editor")
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())


class _ShortcutCatcher(QObject):
    """Takes the shortcut events of actions (their commands do not run) and notes them."""

    def __init__(self) -> None:
        super().__init__()
        self.caught: list[QAction] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Shortcut:
            self.caught.append(watched)
            return True
        return False


def test_every_menu_key_reaches_its_command_from_the_order_list(window):
    catcher = _ShortcutCatcher()
    commands = [
        (menu, name, action)
        for menu, name, action in _commands(window)
        if not action.shortcut().isEmpty()
    ]
    for _, _, action in commands:
        action.installEventFilter(catcher)
    table = window.orders.table
    tried = 0
    for menu, name, action in commands:
        if not action.isEnabled():  # (ECDP: this store has no ECDP account)
            assert menu == "ECDP", name
            continue
        catcher.caught.clear()
        QTest.keySequence(table, action.shortcut())
        assert catcher.caught == [action], f"{menu} › {name}: {action.shortcut().toString()}"
        tried += 1
    assert tried > 25
    for _, _, action in commands:
        action.removeEventFilter(catcher)


def test_ctrl_comma_opens_the_settings_on_every_platform(qtbot, window):
    """Linux has no Preferences key (Qt's is empty there): Ctrl+, is given."""
    if QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences):
        assert window.settings_action.shortcut() == QKeySequence(
            QKeySequence.StandardKey.Preferences
        )
    else:
        assert window.settings_action.shortcut() == QKeySequence("Ctrl+,")
    assert not window.quit_action.shortcut().isEmpty()
    QTest.keySequence(window.orders.table, window.settings_action.shortcut())
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(SettingsDialog)))
    dialog = next(d for d in window.findChildren(SettingsDialog) if d.isVisible())
    dialog.activateWindow()  # (as the desktop does with a new dialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    QTest.keySequence(dialog, QKeySequence("Ctrl+W"))
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_ctrl_shift_b_chooses_a_change_of_the_selected_orders(qtbot, window):
    """The statuses of "Change selected orders" have no keys of their own: one
    key opens the dialog that has them all (even after the menu was shown with
    nothing selected)."""
    table = window.orders.table
    table.clearSelection()
    window.commands.bulk_menu.aboutToShow.emit()  # shown with nothing selected
    table.selectRow(1)
    table.selectionModel().select(
        window.orders.model.index(2, 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    QTest.keySequence(table, QKeySequence("Ctrl+Shift+B"))
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(BulkActionDialog)))
    dialog = next(d for d in window.findChildren(BulkActionDialog) if d.isVisible())
    assert dialog.windowTitle() == "Change 2 orders"
    dialog.reject()


def test_from_the_search_box_down_or_enter_reaches_the_first_order(qtbot, window):
    page = window.orders
    search, table = page.filter_bar.search, page.table
    table.selectRow(5)
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
        QTest.keySequence(table, QKeySequence.StandardKey.Find)  # Ctrl+F: to the search
        assert QApplication.focusWidget() is search
        QTest.keyClick(search, key)
        assert QApplication.focusWidget() is table, key
        assert table.currentIndex().row() == 0
        table.selectRow(5)

    # Enter searches at once (no wait for the typing pause) and lands on the match
    email = page.model.data(page.model.index(7, page.model.EMAIL))
    search.setFocus()
    QTest.keyClicks(search, email)
    QTest.keyClick(search, Qt.Key.Key_Return)
    assert page.model.query.text == email
    assert QApplication.focusWidget() is table
    assert page.model.data(page.model.index(table.currentIndex().row(), page.model.EMAIL)) == email


def test_one_tab_from_the_search_box_to_the_orders(qtbot, window):
    page = window.orders
    qtbot.waitUntil(page.detail.browser.isVisible)  # (the current order's details shown)
    page.filter_bar.search.setFocus()
    QTest.keyClick(page.filter_bar.search, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.table
    QTest.keyClick(page.table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.detail.browser


def test_j_and_k_move_only_in_the_order_list(qtbot, window):
    page = window.orders
    search, table = page.filter_bar.search, page.table
    table.selectRow(3)
    QTest.keyClick(table, Qt.Key.Key_J)
    assert table.currentIndex().row() == 4
    QTest.keyClick(table, Qt.Key.Key_K)
    QTest.keyClick(table, Qt.Key.Key_K)
    assert table.currentIndex().row() == 2

    search.setFocus()
    QTest.keyClicks(search, "jk")
    assert search.text() == "jk"  # letters in the search box, never commands
    assert table.currentIndex().row() == 2
    qtbot.waitUntil(lambda: page.model.query.text == "jk")
