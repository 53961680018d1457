"""Deleting orders: the confirmation names the order(s) and defaults to
Cancel; a confirmed deletion is gone from the demo store (over loopback HTTP),
leaves the table at once and is listed under the filter bar's "Deleted"."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.config import Account
from app.domain.queries import OrderQuery
from app.ecwid import EcwidNotFoundError
from app.services.orders.saved_views import SavedViewStore
from app.services.session import StoreSession
from tests.helpers.sandbox import client_for
from ui.orders.delete_order import confirm_delete, delete_orders, delete_question
from ui.orders.orders_page import OrdersPage

ADA = {
    "id": "X8UYE",
    "vendorOrderNumber": "1042",
    "billingPerson": {"name": "Ada Okafor"},
    "total": 37.39,
}


@pytest.fixture
def session(sandbox, run_on_qt):
    store_id = str(sandbox.store_id)
    account = Account(name="Shop", kind="ecwid", store_id=store_id, api_url=sandbox.url)
    session = StoreSession.open(account, client_for(sandbox))
    run_on_qt(session.sync(full=True), timeout=60_000)
    yield session
    run_on_qt(session.close())


def test_the_question_names_the_order_or_counts_them():
    assert delete_question([ADA], "USD") == (
        "Delete order #1042 from Ada Okafor ($37.39)? This cannot be undone in the store."
    )
    no_name = {"orderNumber": 7, "total": 5}
    assert delete_question([no_name]).startswith("Delete order #7 (")
    many = [{**ADA, "vendorOrderNumber": str(n)} for n in range(1040, 1045)]
    assert delete_question(many) == (
        "Delete 5 orders (#1040, #1041, #1042 and 2 more)? This cannot be undone in the store."
    )
    assert delete_question(many[:2]).startswith("Delete 2 orders (#1040 and #1041)?")


@pytest.mark.parametrize("choice", ["Delete", "Cancel"])
def test_confirm_delete_asks_and_defaults_to_cancel(qtbot, choice):
    seen = {}

    def answer():
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen["text"] = box.text()
        seen["default"] = box.defaultButton().text()
        button = next(b for b in box.buttons() if b.text().replace("&", "") == choice)
        button.click()

    QTimer.singleShot(0, answer)
    assert confirm_delete(None, [ADA], currency="USD") is (choice == "Delete")
    assert seen["text"].startswith("Delete order #1042 from Ada Okafor")
    assert seen["default"].replace("&", "") == "Cancel"
    assert confirm_delete(None, []) is False  # nothing to ask about


def test_a_deleted_order_leaves_the_store_and_shows_under_deleted(
    qtbot, tmp_path, session, sandbox, run_on_qt
):
    page = OrdersPage()
    qtbot.addWidget(page)
    page.show()
    page.show_session(session, SavedViewStore(tmp_path / "views.json"))
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    total = session.rows.count(OrderQuery())
    key = session.rows.rows(OrderQuery(), 0, 1)[0].key

    results = run_on_qt(delete_orders(session, [key]))
    assert [(r.key, r.ok) for r in results] == [(key, True)]

    async def read():
        async with client_for(sandbox) as client:
            await client.get_order_raw(key)

    with pytest.raises(EcwidNotFoundError):
        run_on_qt(read())
    assert session.rows.count(OrderQuery()) == total - 1
    run_on_qt(page.refresh_in_background())
    assert page.model.rowCount() == total - 1 and page.model.row_of(key) is None

    bar = page.filter_bar
    bar.deleted_button.click()
    assert bar.query() == OrderQuery(deleted=True)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5_000)
    assert page.model.key_at(0) == key
    bar.deleted_button.click()
    qtbot.waitUntil(lambda: page.model.rowCount() == total - 1, timeout=5_000)
    page.clear_session()  # before the session closes
