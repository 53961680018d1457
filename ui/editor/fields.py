"""Field widgets of the order editor, each with its own inline problem label.

A :class:`FieldEditor` wraps one input (a line, a multi-line note, a status
drop-down, a check box) for one place in the order (its ``path``) and shows,
under it, a hint in muted text and a problem in the palette's error colour;
the problem is also set as the input's accessible description, so a screen
reader says it. ``edited`` is emitted only for the user's own changes, never
for :meth:`FieldEditor.set_value`; ``left`` when the focus leaves the input.

Numbers are typed as text: the editor keeps what was typed, and validation
(in :mod:`app.services.orders.changes`) says what is wrong with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

FieldPath = tuple[str | int, ...]

NOTE_LINES = 4  # visible lines of a multi-line note field


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def error_color(palette: QPalette) -> QColor:
    """A red that reads on the palette's window and base colours (light or dark)."""
    return QColor("#ff8f87") if is_dark(palette) else QColor("#b3261e")


def muted_color(palette: QPalette) -> QColor:
    """The palette's text colour, softened towards its background."""
    text = palette.color(QPalette.ColorRole.WindowText)
    back = palette.color(QPalette.ColorRole.Window)
    share = 0.38
    return QColor(
        round(text.red() * (1 - share) + back.red() * share),
        round(text.green() * (1 - share) + back.green() * share),
        round(text.blue() * (1 - share) + back.blue() * share),
    )


class MessageLabel(QLabel):
    """A word-wrapped line of small print in a palette-derived colour
    ("error", "muted" or "normal"); hidden while it has no text."""

    def __init__(
        self, kind: str = "muted", parent: QWidget | None = None, *, keep_space: bool = False
    ) -> None:
        super().__init__(parent)
        self.kind = kind
        self.keep_space = keep_space
        self._applying = False
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self._apply_palette()
        self.setVisible(keep_space)

    def show_message(self, text: str | None) -> None:
        self.setText(text or "")
        self.setVisible(bool(text) or self.keep_space)

    def _apply_palette(self) -> None:
        if self._applying:
            return
        parent = self.parentWidget()
        palette = parent.palette() if parent is not None else self.palette()
        if self.kind == "error":
            colour = error_color(palette)
        elif self.kind == "muted":
            colour = muted_color(palette)
        else:
            colour = palette.color(QPalette.ColorRole.WindowText)
        own = self.palette()
        if own.color(QPalette.ColorRole.WindowText) == colour:
            return
        own.setColor(QPalette.ColorRole.WindowText, colour)
        own.setColor(QPalette.ColorRole.Text, colour)
        self._applying = True
        try:
            self.setPalette(own)
        finally:
            self._applying = False

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ParentChange):
            self._apply_palette()


class FieldEditor(QWidget):
    """One editable value of the order: input, hint and problem, stacked."""

    edited = Signal()  # the user changed the value
    left = Signal()  # the focus left the input

    def __init__(self, path: FieldPath, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.label = label
        self._problem: str | None = None
        self._description = ""

    def _setup_ui(self, input_widget: QWidget) -> None:
        self.input = input_widget
        self.hint_label = MessageLabel("muted")
        self.problem_label = MessageLabel("error")
        self.set_accessible_label(self.label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.input)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.problem_label)
        self.setFocusProxy(self.input)
        self.input.installEventFilter(self)

    def set_accessible_label(self, name: str) -> None:
        """What assistive technology calls the input (and its note and problem)."""
        self.input.setAccessibleName(name)
        self.hint_label.setAccessibleName(f"{name}: note")
        self.problem_label.setAccessibleName(f"{name}: problem")

    # -- value -------------------------------------------------------------------

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        """Show ``value`` (no ``edited`` signal)."""
        raise NotImplementedError

    # -- messages ----------------------------------------------------------------

    def problem(self) -> str | None:
        return self._problem

    def set_problem(self, message: str | None) -> None:
        """Show ``message`` under the input (None clears it)."""
        if message == self._problem:
            return
        self._problem = message
        shown = sentence(f"{self.label} {message}") if message else ""
        self.problem_label.show_message(shown)
        self.input.setAccessibleDescription(shown or self._description)
        self.input.setProperty("invalid", bool(message))

    def set_hint(self, text: str | None) -> None:
        """Show a note under the input in muted text (None hides it)."""
        self._description = text or ""
        self.hint_label.show_message(text)
        if not self._problem:
            self.input.setAccessibleDescription(self._description)

    def hint(self) -> str:
        return self.hint_label.text() if self.hint_label.isVisibleTo(self) else ""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.input and event.type() == QEvent.Type.FocusOut:
            self.left.emit()
        return super().eventFilter(watched, event)


class LineField(FieldEditor):
    """A one-line text (or a number, typed as text)."""

    def __init__(
        self,
        path: FieldPath,
        label: str,
        *,
        placeholder: str = "",
        number: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(path, label, parent)
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        edit.setClearButtonEnabled(not number)
        if number:
            edit.setMaximumWidth(edit.fontMetrics().horizontalAdvance("0") * 16 + 24)
        edit.textEdited.connect(self._on_text_edited)
        self._setup_ui(edit)
        self.line: QLineEdit = edit

    def value(self) -> str:
        return self.line.text()

    def set_value(self, value: Any) -> None:
        self.line.setText(raw_text(value))
        self.line.setCursorPosition(0)

    def _on_text_edited(self, _text: str) -> None:
        self.edited.emit()


class NoteField(FieldEditor):
    """Several lines of text; Tab moves on to the next field."""

    def __init__(self, path: FieldPath, label: str, parent: QWidget | None = None) -> None:
        super().__init__(path, label, parent)
        edit = QPlainTextEdit()
        edit.setTabChangesFocus(True)
        line = edit.fontMetrics().lineSpacing()
        edit.setFixedHeight(line * NOTE_LINES + 14)
        edit.textChanged.connect(self._on_text_changed)
        self._setup_ui(edit)
        self.note: QPlainTextEdit = edit
        self._loading = False

    def value(self) -> str:
        return self.note.toPlainText()

    def set_value(self, value: Any) -> None:
        self._loading = True
        try:
            self.note.setPlainText(raw_text(value))
        finally:
            self._loading = False

    def _on_text_changed(self) -> None:
        if not self._loading:
            self.edited.emit()


class ChoiceField(FieldEditor):
    """A drop-down of named values (the store's statuses); a value it does not
    list is added as it came, so nothing the server sent is lost."""

    def __init__(self, path: FieldPath, label: str, parent: QWidget | None = None) -> None:
        super().__init__(path, label, parent)
        box = QComboBox()
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        box.activated.connect(self._on_activated)
        self._setup_ui(box)
        self.combo: QComboBox = box
        self.layout().setAlignment(box, Qt.AlignmentFlag.AlignLeft)

    def set_choices(self, choices: Iterable[tuple[str, str]]) -> None:
        """``(value, name)`` pairs, in the order to list them."""
        current = self.value()
        self.combo.clear()
        for value, name in choices:
            self.combo.addItem(name, value)
        self.set_value(current)

    def values(self) -> list[str]:
        return [self.combo.itemData(index) for index in range(self.combo.count())]

    def value(self) -> Any:
        return self.combo.currentData()

    def set_value(self, value: Any) -> None:
        if value is None or value == "":
            self.combo.setCurrentIndex(-1)
            return
        index = self.combo.findData(value)
        if index < 0:
            self.combo.addItem(str(value), value)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(index)

    def choose(self, value: str) -> None:
        """Choose ``value`` as the user would (emits ``edited``)."""
        if value == self.value():
            return
        self.set_value(value)
        self.edited.emit()

    def _on_activated(self, _index: int) -> None:
        self.edited.emit()


class FlagField(FieldEditor):
    """A yes/no value as a check box."""

    def __init__(self, path: FieldPath, label: str, parent: QWidget | None = None) -> None:
        super().__init__(path, label, parent)
        box = QCheckBox(label)
        box.clicked.connect(self._on_clicked)
        self._setup_ui(box)
        self.check: QCheckBox = box

    def value(self) -> bool:
        return self.check.isChecked()

    def set_value(self, value: Any) -> None:
        self.check.setChecked(value is True)

    def _on_clicked(self, _checked: bool) -> None:
        self.edited.emit()


def raw_text(value: Any) -> str:
    """How a stored value reads in a text input: typed text as typed, numbers
    as the shortest plain decimal, nothing as empty."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float):
        return f"{value:.2f}" if round(value, 2) == value else repr(value)
    return str(value)


def sentence(message: str) -> str:
    """ "price must be a number" → "Price must be a number."."""
    text = message.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."
