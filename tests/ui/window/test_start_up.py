"""What the window loads before the first rows and what it leaves for after:
the orders do not wait for ECDP's client, mapping and phone numbers (0.2 s of
imports); the ECDP menu is made once the rows are on screen and then follows
the store shown. Against the demo store over loopback HTTP."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, QSettings

from app.config import Account, AccountStore
from app.secrets import SecretStore
from tests.helpers.imports import loaded_by_importing
from ui.window.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("qt_loop")

# what MainWindow.build and opening a store import (ui/window/main_window.py,
# ui/window/shown_store.py), and what they must leave for later
BEFORE_THE_FIRST_ROWS = [
    "ui.main",
    "ui.window.main_window",
    "ui.orders.orders_page",
    "ui.window.order_menu",
    "ui.window.status_panel",
    "ui.window.store_switcher",
    "ui.window.welcome_page",
    "ui.window.sync_controller",
    "app.services.session",
    "app.services.inbox",
    "app.services.accounts.account_actions",
]
AFTER_THE_FIRST_ROWS = ["app.ecdp", "app.services.ecdp.push", "phonenumbers", "ui.ecdp.menu"]


def test_the_first_rows_need_nothing_of_ecdp():
    loaded = set(loaded_by_importing(BEFORE_THE_FIRST_ROWS))
    assert loaded.isdisjoint(AFTER_THE_FIRST_ROWS), loaded & set(AFTER_THE_FIRST_ROWS)


class _FirstRowsPainted(QObject):
    """Records, at the table's first paint with rows, whether ECDP was made."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window = window
        self.ecdp_made_then: bool | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            event.type() == QEvent.Type.Paint
            and self.ecdp_made_then is None
            and self.window.orders.model.rowCount() > 0
        ):
            self.ecdp_made_then = self.window.ecdp_built
        return False


def test_the_ecdp_menu_is_made_once_the_rows_are_painted(qtbot, tmp_path, sandbox, run_on_qt):
    accounts = AccountStore.load(tmp_path / "accounts.json")
    accounts.add(
        Account(name="Shop", kind="ecwid", store_id=str(sandbox.store_id), api_url=sandbox.url)
    )
    SecretStore().set_token("ecwid", "Shop", sandbox.token)
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(accounts=accounts, secrets=SecretStore(), settings=settings)
    qtbot.addWidget(window, before_close_func=lambda w: run_on_qt(w.shutdown()))
    window.resize(1280, 780)
    window.show()
    qtbot.waitExposed(window)
    window.build()
    watch = _FirstRowsPainted(window)
    window.orders.table.viewport().installEventFilter(watch)
    assert window.ecdp_menu.actions() == []  # (nothing of ECDP yet)

    window.start(demo=False)
    qtbot.waitUntil(lambda: watch.ecdp_made_then is not None, timeout=30_000)
    assert watch.ecdp_made_then is False  # the rows came first
    qtbot.waitUntil(lambda: window.ecdp_built, timeout=5_000)  # then the menu, unasked

    texts = [action.text() for action in window.ecdp_menu.actions()]
    assert "&Connect an ECDP account…" in texts
    # it follows the store shown (no ECDP account: nothing to send, a column not shown)
    assert window.ecdp.destination is None
    assert not window.ecdp.send_action.isEnabled()
    assert window.ecdp.connect_action.isEnabled()


def test_asking_for_ecdp_before_the_first_rows_makes_it_at_once(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings)
    qtbot.addWidget(window)
    window.set_accounts(AccountStore.load(tmp_path / "accounts.json"), SecretStore())
    window.build()
    assert not window.ecdp_built
    window.ecdp_menu.aboutToShow.emit()  # the user opens the ECDP menu
    assert window.ecdp_built and window.ecdp_menu.actions()
