"""The order table's header, whose sort arrow points up for an ascending sort.

Qt hands a style ``SortDown`` for an ascending column. The Windows and macOS
styles draw that as an arrow pointing up, as Explorer and Finder do; Fusion
(Backroom's style on Linux and in dark mode) draws it pointing down, so a
list sorted oldest-first showed the arrow most apps use for newest-first.
:class:`SortHeader` paints each section as :class:`QHeaderView` does, with
the indicator turned round where the style draws it the other way.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QHeaderView,
    QProxyStyle,
    QStyle,
    QStyleOptionHeader,
    QStyleOptionHeaderV2,
    QWidget,
)

Indicator = QStyleOptionHeader.SortIndicator
DOWN_FOR_ASCENDING = frozenset({"fusion"})
"""Styles that draw Qt's ascending indicator as an arrow pointing down."""


def draws_ascending_down(style: QStyle) -> bool:
    """Whether ``style`` (or the style a proxy wraps) points the arrow of an
    ascending sort down."""
    while isinstance(style, QProxyStyle) and style.baseStyle() is not None:
        style = style.baseStyle()
    return style.name().lower() in DOWN_FOR_ASCENDING


def indicator_for(order: Qt.SortOrder, style: QStyle) -> Indicator:
    """What to hand ``style`` so that ascending points up and descending down."""
    ascending = order == Qt.SortOrder.AscendingOrder
    if draws_ascending_down(style):
        return Indicator.SortUp if ascending else Indicator.SortDown
    return Indicator.SortDown if ascending else Indicator.SortUp  # (Qt's own choice)


class SortHeader(QHeaderView):
    """A horizontal header whose sort arrow points up for ascending on every style."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)

    def paintSection(self, painter: QPainter, rect: QRect, logical_index: int) -> None:  # noqa: N802
        """As QHeaderView::paintSection (which invites this override), with
        the sort indicator chosen by :func:`indicator_for`."""
        if not rect.isValid():
            return
        option = QStyleOptionHeaderV2()
        self.initStyleOption(option)
        button, window = option.palette.button(), option.palette.window()
        self.initStyleOptionForIndex(option, logical_index)
        option.rect = rect
        if option.sortIndicator != Indicator.None_:
            option.sortIndicator = indicator_for(self.sortIndicatorOrder(), self.style())
        origin = painter.brushOrigin()
        if option.palette.button() != button or option.palette.window() != window:
            painter.setBrushOrigin(option.rect.topLeft())
        self.style().drawControl(QStyle.ControlElement.CE_Header, option, painter, self)
        painter.setBrushOrigin(origin)
