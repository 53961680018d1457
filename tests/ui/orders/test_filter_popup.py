"""The filters' popups fit the screen they open on: "More filters" from a
maximised window and from one at the default size stays inside the screen's
available area with every field reachable; content larger than the screen
scrolls, and a field that gets the focus is scrolled into sight; the popup
follows its content when a message appears under a field."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QWidget,
)

from ui.orders.filter_bar import FilterBar
from ui.orders.filter_popup import FilterPopup

FIELDS = (QLineEdit, QComboBox, QDateEdit, QCheckBox, QPushButton)


def global_rect(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def in_sight(popup: FilterPopup, field: QWidget) -> bool:
    """The whole field shows in the popup's visible part (and so on the screen)."""
    viewport = global_rect(popup.scroll.viewport())
    return viewport.contains(global_rect(field)) and popup.available().contains(viewport)


def fields_of(popup: FilterPopup) -> list[QWidget]:
    found = [w for kind in FIELDS for w in popup.content.findChildren(kind) if w.isEnabled()]
    return [w for w in found if w.isVisibleTo(popup)]


def window_with_bar(qtbot, maximised: bool) -> tuple[QMainWindow, FilterBar]:
    window = QMainWindow()
    bar = FilterBar()
    holder = QWidget()
    QGridLayout(holder).addWidget(bar, 0, 0)
    window.setCentralWidget(holder)
    qtbot.addWidget(window)
    if maximised:
        window.showMaximized()
        qtbot.waitUntil(window.isMaximized)
    else:
        window.resize(1280, 780)  # the main window's default size
        window.show()
    qtbot.waitExposed(window)
    return window, bar


@pytest.mark.parametrize("maximised", [True, False], ids=["maximised", "default size"])
def test_more_filters_opens_inside_the_screen_with_every_field_reachable(qtbot, maximised):
    window, bar = window_with_bar(qtbot, maximised)
    qtbot.waitUntil(lambda: bar.more_button.isVisible())
    bar.more_button.click()
    popup = bar.more_popup
    qtbot.waitUntil(popup.isVisible)
    area = window.screen().availableGeometry()
    assert popup.available() == area
    assert area.contains(popup.frameGeometry()), (popup.frameGeometry(), area)
    assert popup.width() >= min(popup.sizeHint().width(), area.width())
    fields = fields_of(popup)
    assert len(fields) >= 20
    for field in fields:
        field.setFocus()
        qtbot.waitUntil(lambda f=field: in_sight(popup, f))
        assert field.width() >= min(field.sizeHint().width(), 120)  # readable, not squeezed
    popup.close()


def test_content_larger_than_the_screen_scrolls_inside_it(qtbot):
    anchor = QPushButton("Filters")
    qtbot.addWidget(anchor)
    anchor.show()
    qtbot.waitExposed(anchor)
    area = anchor.screen().availableGeometry()
    content = QWidget()
    grid = QGridLayout(content)
    corners = [QLineEdit(accessibleName=f"Field {n}") for n in range(4)]
    for field in corners:
        field.setMinimumWidth(area.width() // 2)
    grid.addWidget(corners[0], 0, 0)
    grid.addWidget(corners[1], 0, 1)
    grid.setRowMinimumHeight(1, area.height())
    grid.addWidget(corners[2], 2, 0)
    grid.addWidget(corners[3], 2, 1)  # beyond the screen's right and bottom edges
    popup = FilterPopup(content, anchor)
    popup.open_below(anchor)
    qtbot.waitUntil(popup.isVisible)
    assert popup.sizeHint().width() > area.width() and popup.sizeHint().height() > area.height()
    assert area.contains(popup.frameGeometry()), (popup.frameGeometry(), area)
    for field in (corners[3], corners[0], corners[2], corners[1]):
        field.setFocus()
        qtbot.waitUntil(lambda f=field: in_sight(popup, f))
    popup.close()


def test_the_popup_follows_its_content_and_stays_inside(qtbot):
    window, bar = window_with_bar(qtbot, maximised=True)
    bar.more_button.click()
    popup, panel = bar.more_popup, bar.more_panel
    qtbot.waitUntil(popup.isVisible)
    before = popup.height()
    panel.texts["order_number"].setText("12, twelve")
    panel.texts["customer_id"].setText("not a number")
    panel.apply()  # two messages under the fields
    assert panel.number_message.isVisible()
    area = window.screen().availableGeometry()
    qtbot.waitUntil(lambda: popup.height() > before or popup.height() == area.height())
    assert area.contains(popup.frameGeometry())
    qtbot.waitUntil(lambda: in_sight(popup, panel.number_message))
    popup.close()
