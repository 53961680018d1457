"""The search box above the orders: Escape clears it; Down, Enter and Return
ask for the results (the window puts the focus on the first order found).

A line edit claims some keys the window's menus use: on Linux Ctrl+E (the end
of the line, as Emacs has it), Ctrl+K, Ctrl+N… A command of the window whose
key it is wins here (Ctrl+E exports from the search box too); the keys of
text editing itself (copy, paste, undo, select all, the arrows) stay the
box's."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit

Standard = QKeySequence.StandardKey
TEXT_KEYS = (
    Standard.Copy,
    Standard.Cut,
    Standard.Paste,
    Standard.Undo,
    Standard.Redo,
    Standard.SelectAll,
    Standard.Delete,
    Standard.Backspace,
    Standard.DeleteEndOfWord,
    Standard.DeleteStartOfWord,
    Standard.MoveToNextWord,
    Standard.MoveToPreviousWord,
    Standard.SelectNextWord,
    Standard.SelectPreviousWord,
    Standard.SelectStartOfLine,
    Standard.SelectEndOfLine,
)

TO_RESULTS = (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter)


class SearchField(QLineEdit):
    """A line edit for the instant search."""

    resultsRequested = Signal()  # noqa: N815 - Down, Enter or Return: to the results

    def __init__(self, placeholder: str, accessible_name: str) -> None:
        super().__init__(placeholderText=placeholder, clearButtonEnabled=True)
        self.setAccessibleName(accessible_name)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if self._a_window_command(event):
                return False  # not claimed: the window's shortcut runs
        return super().event(event)

    def _a_window_command(self, event: QKeyEvent) -> bool:
        chord = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        if not event.modifiers() & (chord | Qt.KeyboardModifier.MetaModifier):
            return False  # typing: every letter is the box's
        if any(event.matches(key) for key in TEXT_KEYS):
            return False
        pressed = QKeySequence(event.keyCombination())
        window = self.window()
        return any(
            action.isEnabled()
            and any(
                shortcut.matches(pressed) == QKeySequence.SequenceMatch.ExactMatch
                for shortcut in action.shortcuts()
            )
            for action in window.findChildren(QAction)
        )

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
