"""The customer view from the Order menu: the current order's customer, their
orders and figures from the cache, and an order opened from it."""

from __future__ import annotations

import pytest

from app.services.orders.customers import customer_of
from tests.ui.editor import support
from ui.common.dates import display_locale
from ui.detail.customer_view import CustomerView
from ui.detail.pane import OrderFormat

pytestmark = pytest.mark.usefixtures("qt_loop")
session = support.session  # fixture


def _a_returning_customer(session) -> str:
    from app.domain.queries import OrderQuery

    for row in session.rows.rows(OrderQuery(payment_status=["PAID"]), 0, 300):
        summary = customer_of(session._reader, row.key)
        if len(summary.orders) > 1:
            return row.key
    raise AssertionError("the demo store has no customer with two orders")


def test_the_customer_view_lists_their_orders_and_opens_one(qtbot, session):
    key = _a_returning_customer(session)
    summary = customer_of(session._reader, key)
    fmt = OrderFormat(display_locale(), "USD", session.display.status_names)
    view = CustomerView(summary, fmt)
    qtbot.addWidget(view)
    assert view.model.rowCount() == len(summary.orders) > 1
    assert view.figures["Spent"] == fmt.money(summary.spent)
    assert view.figures["Orders"].startswith(f"{len(summary.orders)} orders (")
    numbers = [view.model.item(row, 0).text() for row in range(view.model.rowCount())]
    assert numbers == [f"#{row.number}" for row in summary.orders]
    with qtbot.waitSignal(view.orderRequested) as opened:
        view.table.doubleClicked.emit(view.model.index(1, 0))
    assert opened.args == [summary.orders[1].key]
