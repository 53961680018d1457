"""What the window loads before the first rows and what it leaves for after:
the orders do not wait for ECDP's client, mapping and phone numbers (0.2 s of
imports), nor for the icons' font (0.15 s) or the store's client (~80 ms);
the ECDP menu is made and the icons drawn once the rows are on screen, and
the store is connected behind them. A store whose client cannot be built is
still shown from its cache, with a message. Against the demo store over
loopback HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, QSettings, QSize
from PySide6.QtWidgets import QApplication, QMessageBox, QToolBar

from app.config import Account, AccountStore
from app.domain.queries import OrderQuery
from app.secrets import SecretStore
from tests.helpers.imports import loaded_by_importing
from tests.helpers.window import connect_store, open_window, synced
from ui.common import icons
from ui.window.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("qt_loop")

# what MainWindow.build and opening a store read-only import (ui/window/main_window.py,
# ui/window/shown_store.py), and what they must leave for after the first rows:
# ECDP (its menu), the store's client, sync and token (the keyring: all once the
# store is connected, off the GUI thread), the icons' font (drawn once the rows are shown)
BEFORE_THE_FIRST_ROWS = [
    "ui.main",
    "ui.window.main_window",
    "ui.orders.orders_page",
    "ui.window.order_menu",
    "ui.window.status_panel",
    "ui.window.store_switcher",
    "ui.window.welcome_page",
    "app.services.session",
    "app.services.inbox",
    "app.services.accounts.account_actions",
    # All stores finds its saved views' folder (the demo stores' apart) as it is shown
    "app.services.accounts.demo_store",
]
AFTER_THE_FIRST_ROWS = [
    *("app.ecdp", "app.services.ecdp.push", "phonenumbers", "ui.ecdp.menu"),
    *("app.ecwid.client", "app.ecwid.models", "httpx", "tenacity", "app.http_transport"),
    *("app.services.sync.engine", "ui.window.sync_controller", "keyring"),
    "qtawesome",
]


def test_the_window_frame_needs_neither_pydantic_nor_the_cache():
    """What ui.main imports before the window shows its frame (menus, status
    bar, "Opening…"): Qt and little else; the accounts file (pydantic) and
    the orders are read once it is on screen."""
    loaded = set(loaded_by_importing(["ui.main"]))
    later = {"pydantic", "app.config", "app.cache", "app.services.session", "ui.orders.orders_page"}
    assert loaded.isdisjoint(later), loaded & later


_COLLECTIONS_CHILD = """
import gc, json
import ui.main

collected = []
gc.callbacks.append(lambda phase, info: phase == "start" and collected.append(info["generation"]))
seen = {}

async def session(window, *, demo, smoke=None):
    seen.update(collected=list(collected), enabled=gc.isenabled(), frozen=gc.get_freeze_count())
    return 0

ui.main._window_session = session
assert ui.main.run() == 0
print(json.dumps(seen))
"""


def test_nothing_is_collected_while_the_window_starts(tmp_path):
    """From the QApplication to the event loop (the window, the accounts,
    the pages: most of start-up's imports) the garbage collector does not
    run, and what start-up made is then frozen out of its way; afterwards
    it collects on the GUI thread's timer (ui/common/gc_guard.py). In a
    process of its own, as Backroom starts (the tests' collector is off)."""
    root = Path(__file__).resolve().parents[3]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", BACKROOM_DATA_DIR=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-c", _COLLECTIONS_CHILD],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["collected"] == [] and seen["enabled"] is False, seen
    assert seen["frozen"] > 10_000, seen


def test_the_first_rows_need_nothing_of_ecdp_the_client_the_sync_or_the_icons():
    loaded = set(loaded_by_importing(BEFORE_THE_FIRST_ROWS))
    assert loaded.isdisjoint(AFTER_THE_FIRST_ROWS), loaded & set(AFTER_THE_FIRST_ROWS)


class _FirstRowsPainted(QObject):
    """Records, at the table's first paint with rows, whether ECDP was made
    and whether the icons' font was in."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window = window
        self.ecdp_made_then: bool | None = None
        self.icons_then: bool | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            event.type() == QEvent.Type.Paint
            and self.ecdp_made_then is None
            and self.window.orders.model.rowCount() > 0
        ):
            self.ecdp_made_then = self.window.ecdp_built
            self.icons_then = icons.glyph_font_loaded()
        return False


def test_the_ecdp_menu_and_the_icons_come_once_the_rows_are_painted(
    qtbot, tmp_path, sandbox, run_on_qt, monkeypatch
):
    monkeypatch.setattr(icons._GlyphFont, "loaded", False)  # as in a process just started
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
    assert watch.icons_then is False
    qtbot.waitUntil(lambda: window.ecdp_built, timeout=5_000)  # then the menu, unasked
    assert icons.glyph_font_loaded()  # (the icons before it: they are on screen)
    sync = window.findChild(QToolBar, "ordersToolbar").actions()[0]
    drawn = sync.icon().pixmap(QSize(16, 16)).toImage()
    assert any(drawn.pixelColor(x, y).alpha() for x in range(16) for y in range(16))

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


def test_a_store_that_cannot_be_reached_is_shown_from_its_cache(
    qtbot, tmp_path, sandbox, run_on_qt, monkeypatch
):
    """The store's client is built behind its first rows; when it cannot be
    (here the certificates named by SSL_CERT_FILE are not certificates), the
    cached orders stay on screen, the user is told why the store does not
    sync, in words, and Sync tries again."""
    accounts = AccountStore.load(tmp_path / "accounts.json")
    connect_store(accounts, sandbox)
    first = open_window(qtbot, run_on_qt, tmp_path, accounts=accounts)
    cached = first.session.rows.count(OrderQuery())
    run_on_qt(first.shutdown())
    first.close()

    not_certificates = tmp_path / "certificates.pem"
    not_certificates.write_text("not a certificate\n", encoding="utf-8")
    monkeypatch.setenv("SSL_CERT_FILE", str(not_certificates))
    window = open_window(qtbot, run_on_qt, tmp_path, accounts=accounts, until=None)
    qtbot.waitUntil(lambda: bool(_warnings()), timeout=30_000)
    [text] = _warnings()
    assert "cannot connect to the store" in text and "certificates" in text
    assert "not synced" in text
    assert str(not_certificates) in text  # where the user can look
    assert "Traceback" not in text
    assert window.orders.model.rowCount() == cached  # the cached orders, shown
    assert window.session is not None and not window.session.can_reach_store
    assert window.sync is None  # no sync started that could only fail
    assert window.status_panel.connection_label.property("online") is False  # "Offline"

    # the user mends the environment and presses Sync: the store is connected and synced
    monkeypatch.delenv("SSL_CERT_FILE")
    for box in QApplication.topLevelWidgets():
        if isinstance(box, QMessageBox) and box.isVisible():
            box.accept()
    window.sync_now()
    qtbot.waitUntil(lambda: window.sync is not None and synced(window), timeout=30_000)
    assert window.session.can_reach_store and _warnings() == []
    assert window.status_panel.connection_label.property("online") is True


def _warnings() -> list[str]:
    return [
        box.text()
        for box in QApplication.topLevelWidgets()
        if isinstance(box, QMessageBox) and box.isVisible()
    ]
