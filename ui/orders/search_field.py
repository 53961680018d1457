"""The search box above the orders: Escape clears it; Down, Enter and Return
ask for the results (the window puts the focus on the first order found)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit

TO_RESULTS = (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter)


class SearchField(QLineEdit):
    """A line edit for the instant search."""

    resultsRequested = Signal()  # noqa: N815 - Down, Enter or Return: to the results

    def __init__(self, placeholder: str, accessible_name: str) -> None:
        super().__init__(placeholderText=placeholder, clearButtonEnabled=True)
        self.setAccessibleName(accessible_name)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if key == Qt.Key.Key_Escape and self.text():
            self.clear()
            event.accept()
            return
        plain = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key in TO_RESULTS and plain == Qt.KeyboardModifier.NoModifier:
            event.accept()
            self.resultsRequested.emit()
            return
        super().keyPressEvent(event)
