"""The main window's status bar: a message (a new order, a sync that failed)
and the count of orders shown never cover each other, against the demo store
over loopback HTTP."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

from app.domain.queries import OrderQuery
from app.ecwid import Order, OrderItem
from tests.helpers.sandbox import client_for
from tests.helpers.window import open_window, synced

pytestmark = pytest.mark.usefixtures("qt_loop")


@pytest.fixture
def window(qtbot, tmp_path, sandbox, run_on_qt):
    return open_window(qtbot, run_on_qt, tmp_path, stores={"Shop": sandbox}, size=(1280, 780))


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
    qtbot.waitUntil(lambda: synced(window), timeout=30_000)
    total = window.session.rows.count(OrderQuery())
    qtbot.waitUntil(lambda: window.count_label.text().endswith(f"of {total:,} orders"))

    message = bar.currentMessage()
    assert window.count_label.isVisible()  # not hidden by the message…
    message_end = bar.fontMetrics().horizontalAdvance(message) + bar.contentsMargins().left()
    assert message_end < window.count_label.geometry().left()  # …nor painted over it
    assert window.count_label.geometry().right() < window.status_panel.geometry().left()


def test_the_table_keeps_its_height_as_a_sync_starts_and_ends(qtbot, window):
    """The sync's progress bar is taller than the text beside it: showing and
    hiding it changed the status bar's height, and so the table's, which laid
    out and painted the whole window again as every sync ended (a 90–140 ms
    stop of the event loop in gap_watch)."""
    seen = _Events(window.orders.table, window.status_panel.progress)
    window.sync_now()
    qtbot.waitUntil(lambda: synced(window), timeout=30_000)
    qtbot.waitUntil(lambda: not window.status_panel.progress.isVisible(), timeout=10_000)
    assert (window.status_panel.progress, QEvent.Type.Show) in seen.events  # it was shown
    assert (window.orders.table, QEvent.Type.Resize) not in seen.events


class _Events(QObject):
    """Records the show, hide and resize events of some widgets."""

    def __init__(self, *widgets: QWidget) -> None:
        super().__init__()
        self.events: list[tuple[QObject, QEvent.Type]] = []
        for widget in widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in (QEvent.Type.Show, QEvent.Type.Hide, QEvent.Type.Resize):
            self.events.append((watched, event.type()))
        return False
