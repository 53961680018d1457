"""The main window's Help menu: the keyboard shortcuts, the log folder and
the About dialog. Each dialog is imported when it is first asked for."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def show_shortcuts(parent: QWidget) -> None:
    """Every keyboard shortcut of the window, the order commands and the editor."""
    from ui.ecdp.menu import ECDP_SHORTCUTS
    from ui.editor.keys import EDITOR_SHORTCUTS
    from ui.window.order_menu import ORDER_SHORTCUTS
    from ui.window.shortcuts_dialog import DEFAULT_SHORTCUTS, ShortcutsDialog

    shortcuts = DEFAULT_SHORTCUTS + ORDER_SHORTCUTS + EDITOR_SHORTCUTS + ECDP_SHORTCUTS
    ShortcutsDialog(shortcuts, parent).open()


def show_log_folder() -> None:
    """Open the folder of Backroom's log files in the file manager."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    from app.platform.paths import log_dir

    QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_dir())))


def show_about(parent: QWidget) -> None:
    from ui.window.about_dialog import AboutDialog

    AboutDialog(parent).open()
