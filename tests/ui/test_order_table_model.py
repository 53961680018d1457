"""OrderTableModel: passes Qt's model tester, shows and sorts what it holds."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from PySide6.QtCore import Qt

from app.services.order_listing import OrderRow, StoreDisplay
from ui.order_table_model import ROW_ROLE, SORT_ROLE, OrderTableModel


def _row(n: int, total: str, when: datetime) -> OrderRow:
    return OrderRow(
        key=f"DEMO-{n:05d}",
        number=str(n),
        created=when,
        customer=f"Customer {n}",
        email=f"c{n}@example.org",
        item_count=n % 4 + 1,
        total=Decimal(total),
        payment_status="AWAITING_PAYMENT",
        fulfillment_status="OUT_FOR_DELIVERY",
        tracking_number="",
    )


def test_model_passes_the_model_tester(qtmodeltester):
    model = OrderTableModel()
    model.append_rows([_row(1, "9.50", datetime(2025, 1, 1, tzinfo=UTC))])
    qtmodeltester.check(model)
    model.append_rows([_row(n, "12.00", datetime(2025, 1, n, tzinfo=UTC)) for n in range(2, 20)])
    qtmodeltester.check(model)
    model.clear()
    qtmodeltester.check(model)


def test_display_sort_and_row_roles():
    model = OrderTableModel()
    model.set_store_display(StoreDisplay("USD", "$", {"AWAITING_PAYMENT": "Awaiting payment"}))
    model.append_rows([_row(7, "1234.5", datetime(2025, 3, 4, 5, 6, tzinfo=UTC))])
    assert model.rowCount() == 1 and model.columnCount() == len(OrderTableModel.HEADERS)
    total = model.index(0, OrderTableModel.TOTAL)
    assert "1" in model.data(total) and "234" in model.data(total) and "$" in model.data(total)
    assert model.data(total, SORT_ROLE) == 1234.5
    assert model.data(model.index(0, OrderTableModel.PAYMENT)) == "Awaiting payment"
    # a status the store did not name is shown as it came
    assert model.data(model.index(0, OrderTableModel.FULFILLMENT)) == "OUT_FOR_DELIVERY"
    assert model.data(model.index(0, OrderTableModel.NUMBER), ROW_ROLE).key == "DEMO-00007"
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Order"


def test_the_app_icon_loads(qapp):
    from ui.resources import app_icon

    assert not app_icon().isNull()
    assert not app_icon().pixmap(64, 64).isNull()
