"""OrderTableView driven like a user would: header clicks sort in the cache,
the column chooser, saved layouts and header state, the selection kept by
order key across refreshes (a re-sort starts at the top), j/k and Enter, and status chips
that read well in light and dark palettes."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette

from app.domain.queries import OrderQuery, SortKey
from ui.orders.status_chips import (
    MIN_CONTRAST,
    ChipFamily,
    StatusChipDelegate,
    chip_colors,
    contrast,
    family_of,
)
from ui.orders.table_model import ROW_ROLE, CachedOrderTableModel
from ui.orders.table_view import OrderTableView

Model = CachedOrderTableModel


@pytest.fixture
def view(qtbot, cache) -> OrderTableView:
    model = Model()
    model.set_source(cache)
    view = OrderTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(1200, 500)
    view.show()
    qtbot.waitExposed(view)
    return view


def newer_orders(seeded: list[dict[str, Any]], count: int) -> list[dict[str, Any]]:
    """New orders created after every seeded one (they sort first, newest first)."""
    made = []
    for index in range(count):
        order = copy.deepcopy(seeded[index])
        order["id"] = f"NEW-{index:04d}"
        order["orderNumber"] = 90_000 + index
        order["vendorOrderNumber"] = str(90_000 + index)
        order["createDate"] = f"2026-11-02 10:{index:02d}:00 +0000"
        order["updateDate"] = order["createDate"]
        made.append(order)
    return made


def click_header(qtbot, view: OrderTableView, column: int) -> None:
    header = view.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def test_set_up(view):
    assert view.selectionBehavior() == view.SelectionBehavior.SelectRows
    assert view.selectionMode() == view.SelectionMode.ExtendedSelection
    assert not view.showGrid() and view.alternatingRowColors()
    assert view.verticalHeader().isHidden()
    assert view.horizontalHeader().stretchLastSection()
    assert view.horizontalHeader().sectionsMovable()
    assert view.rowHeight(0) > view.fontMetrics().height()
    for column in Model.STATUS_COLUMNS:
        assert isinstance(view.itemDelegateForColumn(column), StatusChipDelegate)


def test_header_click_sorts_in_the_cache(qtbot, view, cache):
    model, header = view.model(), view.horizontalHeader()
    assert header.sortIndicatorSection() == Model.DATE
    click_header(qtbot, view, Model.TOTAL)
    assert model.query.sort == SortKey.TOTAL
    assert header.sortIndicatorSection() == Model.TOTAL
    first = model.query.descending
    click_header(qtbot, view, Model.TOTAL)
    assert model.query.descending is not first
    assert header.sortIndicatorOrder() == model.sort_order()
    totals = [model.data(model.index(row, 0), ROW_ROLE).total for row in (0, 1, 2)]
    expected = [row.total for row in cache.rows(model.query, limit=3)]
    assert totals == expected
    click_header(qtbot, view, Model.SYNC)  # not sortable: the indicator stays
    assert model.query.sort == SortKey.TOTAL
    assert header.sortIndicatorSection() == Model.TOTAL
    model.set_query(OrderQuery(sort=SortKey.CUSTOMER, descending=False))  # set elsewhere
    assert header.sortIndicatorSection() == Model.CUSTOMER
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder


def test_column_chooser(view):
    menu = view.column_menu()
    actions = {action.data(): action for action in menu.actions()}
    # one store's rows: every column but the Store column
    assert list(actions) == [name for name in Model.COLUMN_IDS if name != "store"]
    assert view.isColumnHidden(Model.STORE)
    actions["email"].trigger()
    assert view.isColumnHidden(Model.EMAIL)
    assert "email" not in view.column_layout()["columns"]
    menu = view.column_menu()
    email = next(action for action in menu.actions() if action.data() == "email")
    assert not email.isChecked()
    email.trigger()
    assert not view.isColumnHidden(Model.EMAIL)
    for column in range(1, len(Model.COLUMN_IDS)):
        view.setColumnHidden(column, True)
    last = view.column_menu().actions()[0]
    assert last.data() == "number" and last.isChecked() and not last.isEnabled()


def test_column_layout_round_trip(qtbot, view, cache):
    header = view.horizontalHeader()
    header.moveSection(header.visualIndex(Model.TOTAL), 0)
    view.setColumnHidden(Model.EMAIL, True)
    view.setColumnWidth(Model.CUSTOMER, 222)
    view.model().sort(Model.ITEMS, Qt.SortOrder.AscendingOrder)
    layout = json.loads(json.dumps(view.column_layout()))
    assert layout["columns"][0] == "total" and "email" not in layout["columns"]
    assert layout["widths"]["customer"] == 222
    assert layout["sort"] == {"column": "items", "descending": False}

    other_model = Model()
    other_model.set_source(cache)
    other = OrderTableView()
    qtbot.addWidget(other)
    other.setModel(other_model)
    other.apply_column_layout(layout)
    assert other.column_layout() == layout
    assert other_model.query.sort == SortKey.ITEMS and not other_model.query.descending
    other.apply_column_layout({"columns": ["nonsense"]})  # nothing known: every column
    every = [name for name in Model.COLUMN_IDS if name != "store"]  # (one store: no Store)
    assert sorted(other.column_layout()["columns"]) == sorted(every)


def test_header_state_round_trip(qtbot, view, cache):
    header = view.horizontalHeader()
    header.moveSection(header.visualIndex(Model.TRACKING), 1)
    view.setColumnHidden(Model.ITEMS, True)
    view.model().sort(Model.CUSTOMER, Qt.SortOrder.AscendingOrder)
    state = view.save_state()
    assert isinstance(state, bytes) and state

    other_model = Model()
    other_model.set_source(cache)
    other = OrderTableView()
    qtbot.addWidget(other)
    other.setModel(other_model)
    assert not other.restore_state(b"not a header state")
    assert other.restore_state(state)
    assert other.column_layout()["columns"] == view.column_layout()["columns"]
    assert other_model.query.sort == SortKey.CUSTOMER and not other_model.query.descending


def test_selection_survives_a_refresh_that_moves_rows(qtbot, view, cache, seeded):
    model = view.model()
    view.select_keys([model.key_at(row) for row in (100, 101, 104)], current=model.key_at(101))
    view.scrollTo(model.index(101, 0), view.ScrollHint.PositionAtCenter)
    keys, current = view.selected_keys(), view.current_key()
    assert len(keys) == 3 and current == model.key_at(101)
    top = view.rowViewportPosition(101)
    cache.upsert_orders(newer_orders(seeded, 3))
    with qtbot.assertNotEmitted(view.currentKeyChanged):
        model.refresh()
    assert model.key_at(0) == "NEW-0002"  # the rows moved down by three
    assert view.selected_keys() == keys
    assert view.current_key() == current
    assert view.currentIndex().row() == 104
    assert view.rowViewportPosition(104) == top  # still where the user saw it


def test_a_resort_starts_at_the_top(view):
    model = view.model()
    view.select_keys([model.key_at(3), model.key_at(150)], current=model.key_at(150))
    view.horizontalHeader().setSortIndicator(Model.CUSTOMER, Qt.SortOrder.AscendingOrder)
    assert model.query.sort == SortKey.CUSTOMER
    assert view.selected_keys() == [] and view.current_key() is None
    assert view.verticalScrollBar().value() == 0
    assert model.rows_fetched <= 2 * 200  # no block read beyond the first


def test_a_new_query_clears_the_selection(view):
    model = view.model()
    view.select_keys([model.key_at(0)], current=model.key_at(0))
    model.set_query(OrderQuery(text="emma"))
    assert view.selected_keys() == [] and view.current_key() is None


def test_current_key_signal_and_keys(qtbot, view):
    model = view.model()
    view.setFocus()
    with qtbot.waitSignal(view.currentKeyChanged) as changed:
        view.setCurrentIndex(model.index(4, 0))
    assert changed.args == [model.key_at(4)]
    view.setCurrentIndex(model.index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_J)
    qtbot.keyClick(view, Qt.Key.Key_J)
    assert view.currentIndex().row() == 2
    qtbot.keyClick(view, Qt.Key.Key_K)
    assert view.currentIndex().row() == 1
    assert view.selected_keys() == [model.key_at(1)]
    qtbot.keyClick(view, Qt.Key.Key_J, Qt.KeyboardModifier.ShiftModifier)
    assert view.selected_keys() == [model.key_at(1), model.key_at(2)]
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.current_key() == model.key_at(3)
    fetched = model.rows_fetched
    qtbot.keyClicks(view, "zq")  # no jump-to-row by typing: it would read every row
    assert view.current_key() == model.key_at(3) and model.rows_fetched == fetched
    with qtbot.waitSignal(view.orderActivated) as activated:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert activated.args == [model.key_at(3)]
    with qtbot.waitSignal(view.orderActivated) as activated:
        qtbot.keyClick(view, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert activated.args == [model.key_at(3)]


def test_double_click_activates(qtbot, view):
    model = view.model()
    rect = view.visualRect(model.index(5, Model.CUSTOMER))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(view.orderActivated) as activated:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert activated.args == [model.key_at(5)]


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, color in (
        (QPalette.ColorRole.Window, "#2b2b2b"),
        (QPalette.ColorRole.Base, "#1e1e1e"),
        (QPalette.ColorRole.AlternateBase, "#262626"),
        (QPalette.ColorRole.Text, "#e6e6e6"),
        (QPalette.ColorRole.WindowText, "#e6e6e6"),
        (QPalette.ColorRole.Highlight, "#2f65ca"),
        (QPalette.ColorRole.HighlightedText, "#ffffff"),
    ):
        palette.setColor(role, QColor(color))
    return palette


def light_palette() -> QPalette:
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#1a1a1a"))
    return palette


@pytest.mark.parametrize("palette", [light_palette(), dark_palette()], ids=["light", "dark"])
def test_chips_read_well_in_light_and_dark_palettes(qapp, palette):
    base = palette.color(QPalette.ColorRole.Base)
    for family in ChipFamily:
        colors = chip_colors(family, palette)
        assert contrast(colors.text, colors.background) >= MIN_CONTRAST, family
        assert colors.background != base  # a visible pill
    assert family_of("PAID") is ChipFamily.DONE
    assert family_of("SHIPPED") is family_of("DELIVERED") is ChipFamily.MOVING
    assert family_of("AWAITING_PAYMENT") is family_of("PROCESSING") is ChipFamily.WAITING
    assert family_of("REFUNDED") is family_of("CONFLICT") is ChipFamily.TROUBLE
    assert family_of("CUSTOM_PAYMENT_STATUS_1") is family_of(None) is ChipFamily.NEUTRAL


def test_chips_are_painted(view):
    model = view.model()
    row = next(r for r in range(50) if model.data(model.index(r, Model.PAYMENT)) == "Paid")
    view.setPalette(dark_palette())
    image = view.viewport().grab().toImage()
    cell = view.visualRect(model.index(row, Model.PAYMENT))
    pill = image.pixelColor(cell.left() + 8, cell.center().y())
    expected = chip_colors(ChipFamily.DONE, view.palette()).background
    assert abs(pill.green() - expected.green()) <= 8 and pill.green() > pill.red()
