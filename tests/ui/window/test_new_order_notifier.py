"""New orders are told through the desktop's own notification service — a
real one here: dunst on a private session bus and an Xvfb screen, read back
with dunstctl — and clicking the notification opens the order."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QIcon

from tests.helpers.notification_server import notification_server
from ui.common.resources import app_icon_path
from ui.window.new_order_notifier import NewOrder, NewOrderNotifier, describe_new_orders

pytestmark = pytest.mark.usefixtures("qt_loop")


@pytest.fixture
def server(tmp_path, monkeypatch):
    with notification_server(tmp_path / "desktop") as running:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", running.env["DBUS_SESSION_BUS_ADDRESS"])
        yield running


def test_a_new_order_is_shown_by_the_desktop_and_a_click_opens_it(qtbot, server):
    notifier = NewOrderNotifier(QIcon(), icon_path=app_icon_path())
    opened: list[str] = []
    notifier.orderRequested.connect(opened.append)
    told = notifier.notify_new_orders([NewOrder("DEMO-X8UYE", "3921")], "Walnut & Linen")
    assert told
    qtbot.waitUntil(lambda: server.displayed() == 1, timeout=15_000)
    # the server shows it before our side has read back its id (which its
    # click answers to): a click comes from a person, after that
    qtbot.waitUntil(lambda: notifier.last_sent is not None, timeout=10_000)
    server.click_first()
    qtbot.waitUntil(lambda: opened == ["DEMO-X8UYE"], timeout=10_000)
    server.close_all()
    assert ("Backroom", "New order in Walnut & Linen", "Order 3921 has arrived.") in (
        server.history()
    )


def test_several_orders_in_one_notification_and_none_when_switched_off(qtbot, server):
    notifier = NewOrderNotifier(QIcon(), icon_path=app_icon_path())
    orders = [NewOrder(f"K{n}", str(3930 - n)) for n in range(5)]
    assert notifier.notify_new_orders(orders, "Walnut & Linen")
    qtbot.waitUntil(lambda: server.displayed() == 1, timeout=15_000)
    notifier.enabled = False
    assert not notifier.notify_new_orders(orders[:1], "Walnut & Linen")
    server.close_all()
    title, text = describe_new_orders([o.number for o in orders], "Walnut & Linen")
    assert server.history() == [("Backroom", title, text)]
    assert text == "Orders 3930, 3929, 3928 and 2 more have arrived."


def test_without_a_notification_service_the_status_bar_still_says_it(qtbot, monkeypatch):
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
    notifier = NewOrderNotifier(QIcon())
    said: list[tuple[str, str]] = []
    notifier.notified.connect(lambda title, text: said.append((title, text)))
    assert notifier.notify_new_orders([NewOrder("K1", "1001")])
    assert said == [("New order", "Order 1001 has arrived.")]
    qtbot.waitUntil(lambda: not notifier.tasks.running, timeout=10_000)
    assert notifier._desktop_failed  # noqa: SLF001 - the tray (where there is one) from now on
