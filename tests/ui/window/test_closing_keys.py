"""Esc and Ctrl+W close every secondary window the main window opens (the
editor's own window, the outbox, the customer view, the ECDP panel, the
accounts, settings, export, new order, shortcuts and About dialogs), on the
demo store over loopback HTTP."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

from tests.helpers.window import open_window, orders_shown
from ui.accounts.accounts_dialog import AccountsDialog
from ui.detail.customer_view import CustomerView
from ui.ecdp.panel import EcdpPanel
from ui.editor.new_order_dialog import NewOrderDialog
from ui.editor.window import OrderEditorWindow
from ui.orders.export_dialog import ExportDialog
from ui.outbox.outbox_dialog import OutboxDialog
from ui.settings.settings_dialog import SettingsDialog
from ui.window.about_dialog import AboutDialog
from ui.window.help_menu import show_about, show_shortcuts
from ui.window.main_window import MainWindow
from ui.window.shortcuts_dialog import ShortcutsDialog

pytestmark = pytest.mark.usefixtures("qt_loop")


@pytest.fixture
def window(qtbot, tmp_path, run_on_qt):
    main = open_window(
        qtbot,
        run_on_qt,
        tmp_path,
        demo=True,
        demo_orders=120,
        until=orders_shown,
        timeout=60_000,
    )
    main.orders.table.selectRow(0)
    qtbot.waitUntil(lambda: main.orders.table.current_key() is not None)
    return main


OPENERS: list[tuple[type, Callable[[MainWindow], object]]] = [
    (OrderEditorWindow, lambda w: w.commands.open_current_in_window()),
    (OutboxDialog, lambda w: w.show_outbox()),
    (CustomerView, lambda w: w.commands.show_customer()),
    (EcdpPanel, lambda w: w.ecdp.show_panel()),
    (AccountsDialog, lambda w: w.show_accounts()),
    (SettingsDialog, lambda w: w.show_settings()),
    (ExportDialog, lambda w: w.export_orders()),
    (NewOrderDialog, lambda w: w.commands.new_order()),
    (ShortcutsDialog, show_shortcuts),
    (AboutDialog, show_about),
]


def _opened(qtbot, window: MainWindow, kind: type, opener: Callable) -> QWidget:
    opener(window)
    qtbot.waitUntil(
        lambda: any(isinstance(w, kind) and w.isVisible() for w in QApplication.topLevelWidgets()),
        timeout=10_000,
    )
    widget = next(
        w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()
    )
    qtbot.waitExposed(widget)
    widget.activateWindow()  # (as the desktop does with a new window)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)
    return widget


@pytest.mark.parametrize("kind, opener", OPENERS, ids=[kind.__name__ for kind, _ in OPENERS])
def test_esc_and_ctrl_w_close_the_window(qtbot, window, kind, opener):
    for keys in (QKeySequence(Qt.Key.Key_Escape), QKeySequence("Ctrl+W")):
        widget = _opened(qtbot, window, kind, opener)
        focus = QApplication.focusWidget() or widget
        qtbot.keySequence(focus, keys)
        qtbot.waitUntil(lambda w=widget: not w.isVisible(), timeout=5_000)
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
