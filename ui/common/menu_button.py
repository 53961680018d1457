"""A tool button that opens its menu at once and says so in its own words
(its text ends in "▾"), without the small arrow styles add in a corner.

The arrow is left out when the button is painted, not by a style sheet: a
widget with a style sheet keeps the palette it had when the sheet was
applied, and such buttons stayed light after a switch to dark.
"""

from __future__ import annotations

from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import (
    QMenu,
    QStyle,
    QStyleOptionToolButton,
    QStylePainter,
    QToolButton,
    QWidget,
)


class MenuButton(QToolButton):
    """A button whose click (or Space) opens ``menu()``, a ``menu_class``."""

    def __init__(self, parent: QWidget | None = None, *, menu_class: type[QMenu] = QMenu) -> None:
        super().__init__(parent)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setMenu(menu_class(self))

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        option = QStyleOptionToolButton()
        self.initStyleOption(option)
        option.features &= ~QStyleOptionToolButton.ToolButtonFeature.HasMenu
        painter = QStylePainter(self)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ToolButton, option)
        painter.end()
