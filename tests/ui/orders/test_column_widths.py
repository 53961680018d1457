"""The order table's default column widths fit what the columns show — a
status chip "Awaiting processing", e-mail addresses, an unfinished order's
long number — in the table's own font (a larger font, wider columns); a
width at the old fixed default is taken as never chosen, the user's own kept."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QStyleOptionViewItem

from app.domain.queries import OrderQuery
from ui.orders.column_widths import LAST_DEFAULTS
from ui.orders.table_model import CachedOrderTableModel
from ui.orders.table_view import OrderTableView

Model = CachedOrderTableModel


@pytest.fixture
def view(qtbot, cache) -> OrderTableView:
    model = Model()
    model.set_source(cache)
    model.set_query(OrderQuery(include_incomplete=True))
    view = OrderTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(1200, 500)
    view.show()
    qtbot.waitExposed(view)
    return view


def _needed(view: OrderTableView, row: int, column: int) -> int:
    """The width the cell's content needs (its delegate's size hint)."""
    model = view.model()
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    index = model.index(row, column)
    return view.itemDelegateForIndex(index).sizeHint(option, index).width()


def test_the_columns_fit_what_they_show(view):
    model = view.model()
    rows = range(model.rowCount())
    for column in (Model.NUMBER, Model.DATE, Model.EMAIL, Model.PAYMENT, Model.FULFILLMENT):
        cut = [
            model.data(model.index(row, column))
            for row in rows
            if _needed(view, row, column) > view.columnWidth(column)
        ]
        # (a rare long e-mail may be cut: its tooltip has it whole)
        assert len(cut) <= len(rows) // 20, (Model.HEADERS[column], cut[:5])
    processing = [
        row
        for row in rows
        if model.data(model.index(row, Model.FULFILLMENT)) == "Awaiting processing"
    ]
    assert processing
    assert _needed(view, processing[0], Model.FULFILLMENT) <= view.columnWidth(Model.FULFILLMENT)
    unfinished = [row for row in rows if len(model.data(model.index(row, Model.NUMBER))) >= 9]
    assert unfinished  # (their numbers are long)
    assert _needed(view, unfinished[0], Model.NUMBER) <= view.columnWidth(Model.NUMBER)


def test_a_larger_font_gives_wider_columns(qtbot, view):
    before = view.default_widths()
    font = view.font()
    font.setPointSizeF(font.pointSizeF() * 1.5)
    view.setFont(font)
    after = view.default_widths()
    assert all(after[name] > before[name] for name in ("email", "fulfillment", "number"))


def test_old_fixed_widths_give_way_the_users_own_stay(qtbot, view):
    header = view.horizontalHeader()
    fitting = view.default_widths()
    header.resizeSection(Model.FULFILLMENT, LAST_DEFAULTS["fulfillment"])  # as saved before
    header.resizeSection(Model.EMAIL, 321)  # the user's own
    state = view.save_state()
    again = OrderTableView()
    qtbot.addWidget(again)
    again.setModel(Model())
    assert again.restore_state(state)
    assert again.columnWidth(Model.FULFILLMENT) == fitting["fulfillment"]
    assert again.columnWidth(Model.EMAIL) == 321
