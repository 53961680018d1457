"""The orders page's filter bar keeps its shape when filters are set: the saved
views button stays at the end of the search row, the pills wrap onto as many
lines as they need, and "Clear all" stays in sight beside them — never under
a pill, never under the table. The page shows a demo store's session (over
loopback HTTP), as the window does."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QToolButton, QWidget

from app.config import Account
from app.domain.queries import OrderQuery
from app.services.orders.saved_views import SavedViewStore
from app.services.session import StoreSession
from tests.helpers.sandbox import client_for
from ui.orders.orders_page import OrdersPage

pytestmark = pytest.mark.usefixtures("qt_loop")

MANY_FILTERS = OrderQuery(
    payment_status=["PAID", "AWAITING_PAYMENT"],
    fulfillment_status=["AWAITING_PROCESSING", "PROCESSING"],
    created_from=datetime(2026, 1, 1, tzinfo=UTC),
    created_to=datetime(2026, 10, 31, 23, 59, 59, tzinfo=UTC),
    total_from=Decimal("10"),
    total_to=Decimal("500"),
    customer="Okafor",
    email="ada@example.org",
    keywords="walnut board",
    coupon_code="SPRING",
    payment_method="PayPal",
    shipping_method="Courier",
)


@pytest.fixture
def session(sandbox, run_on_qt):
    store_id = str(sandbox.store_id)
    account = Account(name="Shop", kind="ecwid", store_id=store_id, api_url=sandbox.url)
    session = StoreSession.open(account, client_for(sandbox))
    run_on_qt(session.sync(full=True), timeout=60_000)
    yield session
    run_on_qt(session.close())


@pytest.fixture
def page(qtbot, tmp_path, session):
    page = OrdersPage()
    qtbot.addWidget(page)
    page.resize(1280, 700)
    page.show()
    qtbot.waitExposed(page)
    page.show_session(session, SavedViewStore(tmp_path / "views.json"))
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    yield page
    page.clear_session()  # (its reads need the session, closed next)


def rect_in(page: QWidget, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(page, QPoint(0, 0)), widget.size())


def pills(page: OrdersPage) -> list[QToolButton]:
    found = page.filter_bar.pills.findChildren(QToolButton, "filterPill")
    return [pill for pill in found if pill.isVisible()]


def settled(page: OrdersPage, count: int) -> bool:
    """The pills are shown and laid out (the layout runs on the next event round)."""
    shown = pills(page)
    bar = page.filter_bar
    return (
        len(shown) == count
        and bar.pills.isVisible()
        and rect_in(page, bar.pills).bottom() < rect_in(page, page.table).top()
    )


def on_row(page: OrdersPage, widget: QWidget, row: int) -> bool:
    """``widget`` sits on the line whose middle is at ``row`` (within a pixel or two)."""
    return widget.isVisible() and abs(rect_in(page, widget).center().y() - row) <= 2


def test_the_views_button_stays_on_the_search_row_when_pills_appear(qtbot, page):
    bar, views = page.filter_bar, page.views_button
    assert views is not None
    row = rect_in(page, bar.search).center().y()
    qtbot.waitUntil(lambda: on_row(page, views, row))
    bar.set_query(OrderQuery(payment_status=["PAID"], coupon_code="SPRING"))
    qtbot.waitUntil(lambda: settled(page, 2))
    assert on_row(page, views, row)
    assert rect_in(page, bar.search).center().y() == row  # the row itself stayed put
    more = rect_in(page, bar.more_button)
    assert on_row(page, bar.more_button, row)
    assert rect_in(page, views).left() > more.right()  # at the end of that row
    assert rect_in(page, views).bottom() < rect_in(page, pills(page)[0]).top()


@pytest.mark.parametrize("width", [1280, 900])
def test_clear_all_stays_in_sight_beside_any_number_of_pills(qtbot, page, width):
    page.resize(width, 700)
    bar = page.filter_bar
    bar.set_query(MANY_FILTERS)
    count = len(pills(page)) or 12
    qtbot.waitUntil(lambda: settled(page, count))
    shown = [rect_in(page, pill) for pill in pills(page)]
    assert len({rect.top() for rect in shown}) >= 2  # so many pills take two lines or more
    clear_all = rect_in(page, bar.clear_all_button)
    assert bar.clear_all_button.isVisible()
    assert page.rect().contains(clear_all)
    assert not any(clear_all.intersects(pill) for pill in shown)
    for index, pill in enumerate(shown):  # no pill under another
        assert not any(pill.intersects(other) for other in shown[index + 1 :])
    table_top = rect_in(page, page.table).top()
    assert clear_all.bottom() < table_top and max(p.bottom() for p in shown) < table_top
    assert clear_all.top() == min(p.top() for p in shown)  # on the first line of pills
    assert bar.clear_all_button.text() == "Clear all"
    bar.clear_all_button.click()
    qtbot.waitUntil(lambda: bar.pills.isHidden() and bar.query() == OrderQuery())
