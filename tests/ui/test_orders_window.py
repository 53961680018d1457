"""The demo-stage window lists every order of a real (loopback) store."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.helpers.sandbox import client_for
from ui.order_table_model import OrderTableModel
from ui.orders_window import OrdersWindow


def test_window_lists_every_order_and_searches(qtbot, run_on_qt, sandbox):
    window = OrdersWindow("Test store")
    qtbot.addWidget(window)
    client = client_for(sandbox)
    window.load(client)
    qtbot.waitUntil(lambda: window.status_label.text().endswith(" orders"), timeout=20_000)

    total = run_on_qt(client.search_orders(limit=1)).total
    assert window.model.rowCount() == total
    assert window.status_label.text() == f"{total:,} orders"
    first_date = window.proxy.index(0, OrderTableModel.DATE).data()
    last_date = window.proxy.index(total - 1, OrderTableModel.DATE).data()
    assert first_date >= last_date  # newest first

    statuses = run_on_qt(client.order_statuses())
    store_names = {status.name for status in statuses}
    shown = {window.proxy.index(r, OrderTableModel.PAYMENT).data() for r in range(total)}
    assert shown <= store_names  # the store's own names, custom statuses included

    email = window.model.row_at(5).email
    qtbot.keyClicks(window.search, email)
    assert 1 <= window.proxy.rowCount() < total
    assert window.proxy.index(0, OrderTableModel.EMAIL).data() == email
    qtbot.keyClick(window.search, Qt.Key.Key_Escape)
    assert window.proxy.rowCount() == total
    run_on_qt(window.tasks.shutdown())
    run_on_qt(client.aclose())


def test_window_reports_a_failure_in_plain_words(qtbot, run_on_qt, sandbox):
    sandbox.faults.suspended = True
    window = OrdersWindow("Test store")
    qtbot.addWidget(window)
    client = client_for(sandbox)
    window.load(client)
    qtbot.waitUntil(lambda: "Could not load orders" in window.status_label.text(), timeout=10_000)
    assert "suspended" in window.status_label.text().lower() or "402" in window.status_label.text()
    assert window.progress.isHidden()
    run_on_qt(client.aclose())
