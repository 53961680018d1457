"""The main window's Help menu: the keyboard shortcuts, the log folder and
the About dialog. Each dialog is imported when it is first asked for."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QWidget


def show_shortcuts(window: QMainWindow) -> None:
    """Every keyboard shortcut: the menus' own (read from the menus), then the
    order list's, the editor's and the dialogs'."""
    from ui.window.shortcut_list import shortcut_groups
    from ui.window.shortcuts_dialog import ShortcutsDialog

    dialog = ShortcutsDialog(shortcut_groups(window.menuBar()), window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()


def show_log_folder() -> None:
    """Open the folder of Backroom's log files in the file manager."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    from app.platform.paths import log_dir

    QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_dir())))


def show_about(parent: QWidget) -> None:
    from ui.window.about_dialog import AboutDialog

    AboutDialog(parent).open()
