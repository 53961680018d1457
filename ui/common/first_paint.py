"""Something to do once a widget has been painted: :class:`AfterFirstPaint`
watches a widget's paint events and runs its callback on the event loop's
next turn after the first one (the paint itself is not delayed by it).

The main window uses it to load what the first rows do not need (the ECDP
menu) only once the orders are on screen.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class AfterFirstPaint(QObject):
    """Runs ``then`` once, after ``widget``'s next paint."""

    def __init__(self, widget: QWidget, then: Callable[[], object]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self._widget and event.type() == QEvent.Type.Paint:
            self._widget.removeEventFilter(self)
            # (called before the paint: the callback runs after it, on the next turn)
            QTimer.singleShot(0, self._then)
        return False
