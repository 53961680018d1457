"""The order table's sort arrow points up for an ascending sort and down for
a descending one, in Fusion (Backroom's style on Linux and in dark mode,
which drew it the other way round) as in the Windows style: read from the
pixels the header paints."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QStandardItemModel
from PySide6.QtWidgets import QStyleFactory, QTableView

from ui.orders.sort_header import SortHeader, draws_ascending_down, indicator_for
from ui.orders.table_view import OrderTableView


def _arrow_points_up(image: QImage) -> bool:
    """Whether the triangle at the right end of the header section points up:
    its rows of ink are wider below than above (filled or outlined)."""
    background = QColor(image.pixel(image.width() // 2, 2))
    columns = range(image.width() - 28, image.width() - 3)
    widths = []
    for y in range(image.height()):
        ink = [
            x
            for x in columns
            if abs(QColor(image.pixel(x, y)).lightness() - background.lightness()) > 12
        ]
        if ink and len(ink) < len(columns) - 2:  # (not the section's border line)
            widths.append(max(ink) - min(ink) + 1)
    assert len(widths) >= 3, "no arrow painted"
    half = len(widths) // 2
    return sum(widths[-half:]) > sum(widths[:half])


@pytest.mark.parametrize("style_name", ["Fusion", "Windows"])
def test_ascending_points_up_and_descending_down(qtbot, style_name):
    style = QStyleFactory.create(style_name)
    view = QTableView()
    qtbot.addWidget(view)
    header = SortHeader(view)
    view.setHorizontalHeader(header)
    header.setSortIndicatorShown(True)
    header.setStyle(style)
    model = QStandardItemModel(3, 2)
    model.setHorizontalHeaderLabels(["Date", "Customer"])
    view.setModel(model)
    view.resize(400, 200)
    view.show()
    qtbot.waitExposed(view)
    header.resizeSection(0, 150)
    for order, up in ((Qt.SortOrder.AscendingOrder, True), (Qt.SortOrder.DescendingOrder, False)):
        header.setSortIndicator(0, order)
        shot = header.grab().toImage()
        section = shot.copy(0, 0, header.sectionSize(0), shot.height())
        assert _arrow_points_up(section) is up, (style_name, order)


def test_the_order_table_has_that_header(qtbot):
    view = OrderTableView()
    qtbot.addWidget(view)
    assert isinstance(view.horizontalHeader(), SortHeader)


def test_the_indicator_is_turned_round_only_for_styles_that_draw_it_down():
    fusion, windows = QStyleFactory.create("Fusion"), QStyleFactory.create("Windows")
    assert draws_ascending_down(fusion) and not draws_ascending_down(windows)
    ascending = Qt.SortOrder.AscendingOrder
    assert indicator_for(ascending, fusion) != indicator_for(ascending, windows)
