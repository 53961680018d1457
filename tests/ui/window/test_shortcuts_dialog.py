"""Help > Keyboard shortcuts: every row shown in the platform's key text; Close closes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog

from ui.window.shortcuts_dialog import DEFAULT_SHORTCUTS, ShortcutsDialog, native_key_text

NATIVE = QKeySequence.SequenceFormat.NativeText


def test_lists_every_shortcut_in_native_key_text(qtbot):
    shortcuts = [*DEFAULT_SHORTCUTS, ("Ctrl+Shift+A", "Accounts"), ("Any letter", "Jump")]
    dialog = ShortcutsDialog(shortcuts)
    qtbot.addWidget(dialog)
    rows = dialog.shortcut_rows()
    assert [description for _, description in rows] == [d for _, d in shortcuts]
    keys = dict(zip([d for _, d in shortcuts], [k for k, _ in rows], strict=True))
    assert keys["Search orders"] == QKeySequence("Ctrl+F").toString(NATIVE)
    assert keys["Sync now"] == "F5"
    assert keys["Next order"] == f"J / {QKeySequence('Down').toString(NATIVE)}"
    assert keys["Previous order"] == f"K / {QKeySequence('Up').toString(NATIVE)}"
    assert keys["Accounts"] == QKeySequence("Ctrl+Shift+A").toString(NATIVE)
    assert keys["Jump"] == "Any letter"  # not a key sequence: shown as given
    assert dialog.model.columnCount() == 2


def test_default_shortcuts_cover_the_main_keys():
    described = dict(DEFAULT_SHORTCUTS)
    assert described["Ctrl+F"] == "Search orders"
    assert described["F5"] == "Sync now"
    assert {"J / Down", "K / Up", "Enter", "Esc", "Ctrl+,"} <= described.keys()
    for keys, _ in DEFAULT_SHORTCUTS:
        assert native_key_text(keys)


def test_close_button_closes(qtbot):
    dialog = ShortcutsDialog(DEFAULT_SHORTCUTS)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    with qtbot.waitSignal(dialog.finished):
        qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_escape_closes(qtbot):
    dialog = ShortcutsDialog(DEFAULT_SHORTCUTS)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    with qtbot.waitSignal(dialog.finished):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
