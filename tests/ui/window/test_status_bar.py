"""The main window's status bar: a message (a new order, a sync that failed)
and the count of orders shown never cover each other, against the demo store
over loopback HTTP."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from app.config import Account, AccountStore
from app.domain.queries import OrderQuery
from app.ecwid import Order, OrderItem
from app.secrets import SecretStore
from tests.helpers.sandbox import client_for
from ui.window.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("qt_loop")


@pytest.fixture
def window(qtbot, tmp_path, sandbox, run_on_qt):
    accounts = AccountStore.load(tmp_path / "accounts.json")
    accounts.add(
        Account(name="Shop", kind="ecwid", store_id=str(sandbox.store_id), api_url=sandbox.url)
    )
    SecretStore().set_token("ecwid", "Shop", sandbox.token)
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    main = MainWindow(accounts=accounts, secrets=SecretStore(), settings=settings)
    qtbot.addWidget(main, before_close_func=lambda w: run_on_qt(w.shutdown()))
    main.resize(1280, 780)
    main.show()
    qtbot.waitExposed(main)
    main.start(demo=False)
    qtbot.waitUntil(lambda: _synced(main), timeout=30_000)
    return main


def _synced(window: MainWindow) -> bool:
    return (
        window.session is not None
        and window.session.last_sync() is not None
        and not window.sync.running
        and not window.changes.busy
        and not window.tasks.is_running("refresh")
    )


def test_a_new_order_message_leaves_the_count_readable(qtbot, window, sandbox, run_on_qt):
    """The issue's screen: "New order: Order 3921 has arrived." was drawn on top
    of "1 of 2,919 orders". Both stay visible, side by side, while a search is on."""
    page, bar = window.orders, window.statusBar()
    email = page.model.data(page.model.index(0, page.model.EMAIL))
    page.filter_bar.search.setText(email)
    qtbot.waitUntil(lambda: " of " in window.count_label.text(), timeout=5_000)

    async def new_order():
        async with client_for(sandbox) as client:
            order = Order(email="fresh@example.org", items=[OrderItem(name="Tea", quantity=1)])
            await client.create_order(order)

    run_on_qt(new_order())
    window.sync_now()
    qtbot.waitUntil(lambda: "has arrived" in bar.currentMessage(), timeout=30_000)
    qtbot.waitUntil(lambda: _synced(window), timeout=30_000)
    total = window.session.rows.count(OrderQuery())
    qtbot.waitUntil(lambda: window.count_label.text().endswith(f"of {total:,} orders"))

    message = bar.currentMessage()
    assert window.count_label.isVisible()  # not hidden by the message…
    message_end = bar.fontMetrics().horizontalAdvance(message) + bar.contentsMargins().left()
    assert message_end < window.count_label.geometry().left()  # …nor painted over it
    assert window.count_label.geometry().right() < window.status_panel.geometry().left()
