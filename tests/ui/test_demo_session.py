"""`backroom --demo`'s session: starts the demo store, fills the window, and
ends cleanly when the window closes."""

from __future__ import annotations

from app.paths import data_dir
from ui.main import _demo_session
from ui.orders_window import OrdersWindow


def test_demo_session_lists_orders_and_ends_when_the_window_closes(qtbot, qt_loop):
    window = OrdersWindow("Demo")
    qtbot.addWidget(window)
    session = qt_loop.create_task(_demo_session(window, 120))
    qtbot.waitUntil(lambda: window.status_label.text().endswith(" orders"), timeout=30_000)
    assert 100 <= window.model.rowCount() <= 120
    assert list((data_dir() / "demo").glob("demo-store-120*.sqlite3"))  # kept for next time
    window.close()
    qtbot.waitUntil(session.done, timeout=10_000)
    assert session.result() == 0
    assert window.tasks.running == 0
