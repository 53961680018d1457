"""The Store column's colour chip stays visible on a selected row, even when
the store's colour is the selection's own (the first store's blue)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QIcon

from ui.orders.table_model import STORE_COLOURS, store_chip


def test_a_selected_rows_chip_is_ringed_so_it_shows_on_the_selection(qapp):
    size = 12
    for number in range(len(STORE_COLOURS)):
        icon = store_chip(number, size)
        normal = icon.pixmap(size, size, QIcon.Mode.Normal).toImage()
        selected = icon.pixmap(size, size, QIcon.Mode.Selected).toImage()
        colour = QColor(STORE_COLOURS[number])
        middle = size // 2
        assert normal.pixelColor(middle, middle).name() == colour.name()
        assert selected.pixelColor(middle, middle).name() == colour.name()
        # the edge of the chip: the store's colour (or nothing) normally, white when selected
        edge = selected.pixelColor(middle, 0)
        assert edge.alpha() > 200 and min(edge.red(), edge.green(), edge.blue()) > 200
        assert normal.pixelColor(middle, 0).alpha() < 200
