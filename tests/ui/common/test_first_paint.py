"""AfterFirstPaint: something done once a widget is on screen — after its
first paint (not before it, not during it) and only once."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QLabel

from ui.common.first_paint import AfterFirstPaint


class CountingLabel(QLabel):
    def __init__(self) -> None:
        super().__init__("Orders")
        self.paints = 0

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        self.paints += 1


def test_runs_once_after_the_first_paint(qtbot):
    label = CountingLabel()
    qtbot.addWidget(label)
    runs: list[int] = []  # the paints done when it ran
    AfterFirstPaint(label, lambda: runs.append(label.paints))
    assert runs == []
    label.show()
    qtbot.waitUntil(lambda: bool(runs), timeout=5_000)
    assert runs[0] >= 1  # after the paint, not before or during it

    label.repaint()  # a second paint: it would post its call now, before the marker below
    marker: list[bool] = []
    QTimer.singleShot(0, lambda: marker.append(True))
    qtbot.waitUntil(lambda: bool(marker), timeout=5_000)
    assert len(runs) == 1
