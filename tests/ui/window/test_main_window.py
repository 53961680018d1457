"""The main window end to end, against the demo store over loopback HTTP:
first run, opening a store from its cache, search, sync status, offline,
notifications about new orders, switching accounts, the start-up path, and
toolbar and menu icons that follow a switch between light and dark."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, QSize, Qt
from PySide6.QtGui import QImage, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox, QToolBar

from app.config import Account, AccountStore
from app.domain.queries import OrderQuery
from app.ecwid import Order, OrderItem
from app.platform.paths import data_dir
from app.secrets import SecretStore
from tests.helpers.appearance import contrast, scheme_switching, switch_to
from tests.helpers.sandbox import client_for
from tests.helpers.window import open_window, synced
from ui.main import _window_session
from ui.window.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("qt_loop")


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def accounts(tmp_path):
    return AccountStore.load(tmp_path / "accounts.json")


def _window(qtbot, accounts, settings, **options) -> MainWindow:
    window = MainWindow(accounts=accounts, secrets=SecretStore(), settings=settings, **options)
    qtbot.addWidget(window)
    window.show()
    return window


def _shutdown(qtbot, run_on_qt, window: MainWindow) -> None:
    run_on_qt(window.shutdown())


def test_first_run_shows_the_welcome_page(qtbot, accounts, settings, run_on_qt):
    window = _window(qtbot, accounts, settings)
    window.start(demo=False)
    assert window.stack.currentWidget() is window.welcome
    assert not window.sync_action.isEnabled()
    _shutdown(qtbot, run_on_qt, window)


def _icon_ink(action) -> list:
    """The colours of the strokes of ``action``'s icon (its nearly opaque pixels), as drawn now."""
    image = action.icon().pixmap(QSize(24, 24)).toImage()
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    return [
        image.pixelColor(x, y)
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() >= 160
    ]


def test_toolbar_and_menu_icons_follow_light_and_dark(
    qtbot, accounts, settings, run_on_qt, monkeypatch
):
    with scheme_switching(monkeypatch):
        window = _window(qtbot, accounts, settings)
        window.start(demo=False)
        toolbar = window.findChild(QToolBar, "ordersToolbar")
        shown = [a for a in toolbar.actions() if not a.isSeparator()]
        assert [a.text() for a in shown] == ["Sync", "New order", "Edit", "Invoice"]
        in_menus = [
            window.commands.new_action,
            window.commands.invoice_action,
            window.commands.delete_action,
            window.export_action,
        ]
        for scheme, dark in (("dark", True), ("light", False)):
            switch_to(qtbot, scheme)
            background = QApplication.palette().color(QPalette.ColorRole.Button)
            for action in shown + in_menus:
                ink = _icon_ink(action)
                assert len(ink) >= 12, action.text()  # an icon, not a blank
                assert all((colour.lightness() > 128) == dark for colour in ink), action.text()
                worst = min(contrast(colour, background) for colour in ink)
                assert worst >= 4.5, (scheme, action.text(), worst)
        _shutdown(qtbot, run_on_qt, window)


def test_a_store_opens_syncs_and_search_narrows_the_table(qtbot, tmp_path, sandbox, run_on_qt):
    # the only store opens by itself
    window = open_window(qtbot, run_on_qt, tmp_path, stores={"Shop": sandbox})
    page = window.orders
    assert window.stack.currentWidget() is page
    total = window.session.rows.count(OrderQuery())
    assert page.model.rowCount() == total > 0
    assert window.count_label.text() == f"{total:,} orders"
    assert window.status_panel.connection_label.property("online") is True
    assert window.windowTitle().startswith("Backroom — ")

    # type an email of one order: the table narrows to the orders that match
    email = page.model.data(page.model.index(0, page.model.EMAIL))
    qtbot.keyClicks(page.filter_bar.search, email)
    qtbot.waitUntil(lambda: page.model.rowCount() < total, timeout=5_000)
    for row in range(page.model.rowCount()):
        assert page.model.data(page.model.index(row, page.model.EMAIL)) == email
    assert "of" in window.count_label.text()

    # the current order's details are shown
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: email in page.detail.browser.toPlainText(), timeout=5_000)


def test_new_orders_are_notified_and_offline_is_shown(
    qtbot, tmp_path, accounts, sandbox, run_on_qt
):
    window = open_window(qtbot, run_on_qt, tmp_path, stores={"Shop": sandbox}, accounts=accounts)
    notified = []
    window.notifier.notified.connect(lambda title, text: notified.append((title, text)))
    before = window.orders.model.rowCount()

    async def new_order():
        async with client_for(sandbox) as client:
            created = await client.create_order(
                Order(email="fresh@example.org", items=[OrderItem(name="Tea", quantity=1, price=4)])
            )
            return created.id

    run_on_qt(new_order())
    window.sync_now()
    qtbot.waitUntil(lambda: bool(notified), timeout=30_000)
    assert notified[0][0] == f"New order in {window.session.title}"  # the store is named
    qtbot.waitUntil(lambda: window.orders.model.rowCount() == before + 1, timeout=5_000)
    assert "New order" in window.statusBar().currentMessage()

    # notifications switched off: none for the next new order
    window.notify_action.setChecked(False)
    assert accounts.get("Shop").settings.notify_new_orders is False
    run_on_qt(new_order())
    window.sync_now()
    qtbot.waitUntil(lambda: window.orders.model.rowCount() == before + 2, timeout=30_000)
    assert len(notified) == 1

    qtbot.waitUntil(lambda: not window.sync.running, timeout=30_000)
    sandbox.stop()
    window.sync_now()
    label = window.status_panel.connection_label
    qtbot.waitUntil(lambda: label.property("online") is False, timeout=30_000)
    assert "Offline" in label.text()
    assert window.orders.model.rowCount() == before + 2  # the cached orders stay


def test_switching_accounts_and_reopening_the_last_one(
    qtbot, tmp_path, accounts, settings, sandbox, run_on_qt
):
    window = open_window(  # two stores, none shown before: both, as All stores
        qtbot,
        run_on_qt,
        tmp_path,
        stores={"First": sandbox, "Second": sandbox},
        accounts=accounts,
        settings=settings,
        until=lambda w: w.store.across and synced(w),
    )
    assert [session.account.name for session in window.store.sessions] == ["First", "Second"]
    assert window.windowTitle() == "Backroom — All stores"
    opened = list(window.store.sessions)
    window.open_account("Second")  # shown at once: nothing is opened again
    assert window.session.account.name == "Second"
    window.open_account("First")
    assert window.session.account.name == "First"
    assert window.store.sessions == opened
    qtbot.waitUntil(lambda: synced(window), timeout=30_000)
    _shutdown(qtbot, run_on_qt, window)
    window.close()

    again = open_window(
        qtbot,
        run_on_qt,
        tmp_path,
        accounts=accounts,
        settings=settings,
        until=lambda w: w.session is not None,
        timeout=10_000,
    )
    assert again.session.account.name == "First"  # the store shown last time


def test_a_token_without_the_profile_scope_is_explained_once_by_the_window(
    qtbot, tmp_path, accounts, settings, sandbox, run_on_qt
):
    """An account connected before Backroom knew about scopes (nothing remembered):
    the first refresh of the store display says what the token cannot read, the
    next opening does not say it again."""
    store_id = str(sandbox.store_id)
    accounts.add(Account(name="Corner", kind="ecwid", store_id=store_id, api_url=sandbox.url))
    SecretStore().set_token("ecwid", "Corner", sandbox.orders_only_token)

    def notes(window) -> list[str]:
        return [
            box.text() for box in window.findChildren(QMessageBox, "information") if box.isVisible()
        ]

    window = open_window(qtbot, run_on_qt, tmp_path, accounts=accounts, settings=settings)
    qtbot.waitUntil(lambda: not window.tasks.is_running("store-display"), timeout=10_000)
    [note] = notes(window)
    assert "cannot read the store profile (scope read_store_profile)" in note
    assert window.windowTitle() == "Backroom — Corner"  # the account's name stands in
    assert window.session.display.missing_scopes == ("read_store_profile",)
    _shutdown(qtbot, run_on_qt, window)
    window.close()

    again = open_window(qtbot, run_on_qt, tmp_path, accounts=accounts, settings=settings)
    qtbot.waitUntil(lambda: not again.tasks.is_running("store-display"), timeout=10_000)
    assert again.session.display.missing_scopes == ("read_store_profile",)
    assert notes(again) == []  # said once


def test_a_store_without_a_token_says_so(qtbot, accounts, settings, sandbox, run_on_qt):
    """Its token is read as the store is connected, behind its saved orders
    (none here): the store is shown, and the user told why it does not sync."""
    accounts.add(Account(name="Lost", kind="ecwid", store_id="1", api_url=sandbox.url))
    window = _window(qtbot, accounts, settings)
    window.start(demo=False)

    def messages() -> list[str]:
        return [box.text() for box in window.findChildren(QMessageBox) if box.isVisible()]

    qtbot.waitUntil(lambda: any("No token is known for 'Lost'" in t for t in messages()))
    assert window.stack.currentWidget() is window.orders
    assert window.session is not None and not window.session.can_reach_store
    assert window.sync is None  # nothing syncs without a token
    _shutdown(qtbot, run_on_qt, window)


def test_window_session_opens_the_demo_store_and_ends_when_closed(
    qtbot, accounts, settings, qt_loop
):
    window = _window(qtbot, accounts, settings, demo_orders=150)
    session = qt_loop.create_task(_window_session(window, demo=True))
    qtbot.waitUntil(lambda: synced(window), timeout=60_000)
    assert window.orders.model.rowCount() > 100
    assert list((data_dir() / "demo").glob("demo-store-150*.sqlite3"))  # kept for next time
    window.close()
    qtbot.waitUntil(session.done, timeout=15_000)
    assert session.result() == 0
    assert window.tasks.running == 0
    assert window.demo is None
    assert settings.value("session/account") == "__demo__"
    assert settings.value("window/geometry")
