"""Help > Keyboard shortcuts: groups under headings, every key in the
platform's key text; Close, Esc and Ctrl+W close it. (That it lists exactly
the menus' keys is tested with the window, in test_keyboard.py.)"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QMenuBar

from ui.window.shortcut_list import ORDER_LIST_KEYS, WINDOW_KEYS, menu_groups, plain_text
from ui.window.shortcuts_dialog import ShortcutsDialog, native_key_text

NATIVE = QKeySequence.SequenceFormat.NativeText
GROUPS = [
    ("In the order list", ORDER_LIST_KEYS),
    ("Made up", [("Ctrl+Shift+A", "Accounts"), ("Any letter", "Jump")]),
]


def test_lists_every_shortcut_in_native_key_text_under_its_heading(qtbot):
    dialog = ShortcutsDialog(GROUPS)
    qtbot.addWidget(dialog)
    assert dialog.headings() == ["In the order list", "Made up"]
    rows = dict((d, k) for k, d in dialog.shortcut_rows("Made up"))
    assert rows["Accounts"] == QKeySequence("Ctrl+Shift+A").toString(NATIVE)
    assert rows["Jump"] == "Any letter"  # not a key sequence: shown as given
    listed = dict((d, k) for k, d in dialog.shortcut_rows("In the order list"))
    assert listed["Next order"] == f"J / {QKeySequence('Down').toString(NATIVE)}"
    assert len(dialog.shortcut_rows()) == len(ORDER_LIST_KEYS) + 2
    assert dialog.model.columnCount() == 2


def test_the_menus_are_read_from_their_actions(qtbot):
    bar = QMenuBar()
    qtbot.addWidget(bar)
    file_menu = bar.addMenu("&File")
    file_menu.addAction("&Export orders…").setShortcut(QKeySequence("Ctrl+E"))
    file_menu.addSeparator()
    file_menu.addAction("A switch").setCheckable(True)
    copy = QMenu("C&opy", file_menu)
    copy.addAction("Order &number").setShortcut(QKeySequence("Ctrl+Shift+N"))
    file_menu.addMenu(copy)
    bar.addMenu("&Empty")
    assert menu_groups(bar) == [
        ("File menu", [("Ctrl+E", "Export orders"), ("Ctrl+Shift+N", "Copy › Order number")])
    ]
    assert plain_text("Save && close…") == "Save & close"


def test_the_other_keys_are_written_for_this_platform():
    for keys, _ in ORDER_LIST_KEYS + WINDOW_KEYS:
        assert native_key_text(keys)


def test_close_button_closes(qtbot):
    dialog = ShortcutsDialog(GROUPS)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    with qtbot.waitSignal(dialog.finished):
        qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_escape_and_ctrl_w_close(qtbot):
    for keys in (QKeySequence(Qt.Key.Key_Escape), QKeySequence("Ctrl+W")):
        dialog = ShortcutsDialog(GROUPS)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(lambda d=dialog: QApplication.activeWindow() is d)
        with qtbot.waitSignal(dialog.finished):
            qtbot.keySequence(dialog, keys)
        assert not dialog.isVisible()
