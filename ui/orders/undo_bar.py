"""A bar that gives the user a few seconds to take an action back, then shows
its progress.

While counting down it reads "Marking 12 orders as Shipped — sending in 5 s"
with an "Undo" button; Esc or Ctrl+Z anywhere in the window undo as well.
When the time is up it says so (``countdownEnded``) and the owner can turn it
into a progress bar with a "Cancel" button for the sending that follows.
The bar does no work itself: it only tells its owner what the user wants.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QDeadlineTimer, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

TICK_MS = 200  # how often the seconds left are redrawn
UNDO_BAR_STYLE = """
QFrame#undoBar {
    background: palette(alternate-base);
    border: 1px solid palette(highlight);
    border-radius: 4px;
}
QFrame#undoBar QLabel { background: transparent; }
"""


class UndoBar(QFrame):
    """A countdown with "Undo", then a progress bar with "Cancel"."""

    undoRequested = Signal()  # noqa: N815 (Qt signal naming) - Undo, Esc or Ctrl+Z in time
    countdownEnded = Signal()  # noqa: N815 - the time is up: the action goes ahead
    cancelRequested = Signal()  # noqa: N815 - Cancel while the progress shows

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._message = ""
        self._deadline = QDeadlineTimer()
        self._counting = False
        self._tick = QTimer(self, interval=TICK_MS)
        self._tick.timeout.connect(self._on_tick_timeout)
        self._end = QTimer(self, singleShot=True)
        self._end.timeout.connect(self._on_end_timeout)
        self._setup_ui()
        self.hide()

    def _setup_ui(self) -> None:
        self.setObjectName("undoBar")
        self.setStyleSheet(UNDO_BAR_STYLE)
        self.setAccessibleName("Pending action")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 4, 4)
        layout.setSpacing(10)
        self.label = QLabel(wordWrap=True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.progress = QProgressBar(maximumWidth=220, textVisible=False)
        self.progress.setAccessibleName("Progress")
        self.progress.hide()
        self.undo_button = QPushButton("&Undo")
        self.undo_button.setAccessibleName("Undo")
        self.undo_button.setToolTip("Take the action back; nothing is sent (Esc, Ctrl+Z)")
        self.undo_button.clicked.connect(self.undo)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel sending")
        self.cancel_button.setToolTip("Stop sending; what is not sent yet stays queued")
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self.cancel_button.hide()
        layout.addWidget(self.label, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.undo_button)
        layout.addWidget(self.cancel_button)
        # window-wide while the bar shows (a hidden widget's shortcuts are off)
        self.shortcuts = [
            QShortcut(QKeySequence(key), self, context=Qt.ShortcutContext.WindowShortcut)
            for key in (QKeySequence.StandardKey.Undo, Qt.Key.Key_Escape)
        ]
        for shortcut in self.shortcuts:
            shortcut.activated.connect(self.undo)
            # another window-wide Esc (an editor's "discard") must not swallow it meanwhile
            shortcut.activatedAmbiguously.connect(self.undo)
            shortcut.setEnabled(False)

    # -- countdown -------------------------------------------------------------------

    def start_countdown(self, message: str, duration_ms: int) -> None:
        """Show ``message`` with the seconds left and "Undo" for ``duration_ms``."""
        self._message = message
        self._counting = True
        self._deadline = QDeadlineTimer(max(0, duration_ms))
        self.progress.hide()
        self.cancel_button.hide()
        self.undo_button.show()
        self.undo_button.setEnabled(True)
        for shortcut in self.shortcuts:
            shortcut.setEnabled(True)
        self._show_seconds_left()
        self.show()
        self._tick.start()
        self._end.start(max(0, duration_ms))

    @property
    def counting_down(self) -> bool:
        """True while the action can still be undone."""
        return self._counting

    def undo(self) -> None:
        """Take the action back (only while counting down): hides the bar."""
        if not self._counting:
            return
        self._stop_countdown()
        self.hide()
        self.undoRequested.emit()

    def end_countdown(self) -> None:
        """End the countdown now, as if the time were up (the action goes ahead)."""
        if self._counting:
            self._on_end_timeout()

    def _stop_countdown(self) -> None:
        self._counting = False
        self._tick.stop()
        self._end.stop()
        self.undo_button.setEnabled(False)
        for shortcut in self.shortcuts:
            shortcut.setEnabled(False)

    def _show_seconds_left(self) -> None:
        seconds = math.ceil(self._deadline.remainingTime() / 1000)
        self.label.setText(f"{self._message} — sending in {max(seconds, 0)} s")

    def _on_tick_timeout(self) -> None:
        self._show_seconds_left()

    def _on_end_timeout(self) -> None:
        self._stop_countdown()
        self.countdownEnded.emit()

    # -- progress --------------------------------------------------------------------

    def show_progress(self, message: str, done: int, total: int) -> None:
        """Show ``message`` with a progress bar (``total`` 0: busy) and "Cancel"."""
        if self._counting:
            self._stop_countdown()
        self.label.setText(message)
        self.progress.setRange(0, max(total, 0))
        self.progress.setValue(min(done, total) if total else 0)
        self.progress.show()
        self.undo_button.hide()
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)
        self.show()

    def finish(self) -> None:
        """The work is over: hide the bar."""
        if self._counting:
            self._stop_countdown()
        self.hide()

    def _on_cancel_button_clicked(self) -> None:
        self.cancel_button.setEnabled(False)
        self.label.setText("Stopping after the order being sent…")
        self.cancelRequested.emit()
