"""The filter bar's status drop-downs: a button whose menu lists payment or
fulfillment statuses to check, named the way the store names them.

:class:`StatusFilterButton` keeps its menu open while boxes are checked
(:class:`_CheckMenu`) and emits the checked codes. The small helpers that
give every drop-down button of the bar its shortened text and bold "active"
look live here too, with :func:`status_name` for a status in words.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QMenu, QToolButton

from ui.common.menu_button import MenuButton

DROP = " ▾"
MAX_BUTTON_TEXT = 24  # so the row fits in 1200 px with every filter set (pills say all)


def shortened(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def set_button_text(button: QToolButton, text: str, limit: int = MAX_BUTTON_TEXT) -> None:
    """A drop-down button's text, shortened (the whole text in the tooltip)."""
    button.setText(shortened(text, limit) + DROP)
    button.setToolTip(text if len(text) > limit else "")


def status_name(code: str, names: dict[str, str]) -> str:
    """The store's name for a status, else its code in plain words."""
    if names.get(code):
        return names[code]
    return "Unfinished" if code == "INCOMPLETE" else code.replace("_", " ").capitalize()


def mark_active(button: QToolButton, active: bool) -> None:
    font = button.font()
    if font.bold() != active:
        font.setBold(active)
        button.setFont(font)


class _CheckMenu(QMenu):
    """A menu whose check boxes toggle without closing it (Space or a click)."""

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        action = self.actionAt(event.position().toPoint())
        if action is not None and action.isCheckable() and action.isEnabled():
            action.trigger()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        action = self.activeAction()
        if event.key() == Qt.Key.Key_Space and action is not None and action.isCheckable():
            action.trigger()
            return
        super().keyPressEvent(event)


class StatusFilterButton(MenuButton):
    """A drop-down of statuses to check; ``selectionChanged`` carries the checked codes."""

    selectionChanged = Signal(list)

    def __init__(self, title: str, choices: list[str]) -> None:
        super().__init__(menu_class=_CheckMenu)
        self.title = title
        self._choices = list(choices)
        self._names: dict[str, str] = {}
        self._selected: list[str] = []
        self.setAccessibleName(f"{title} status filter")
        self._rebuild()

    def set_names(self, names: dict[str, str]) -> None:
        self._names = dict(names)
        self._rebuild()

    def selected(self) -> list[str]:
        return list(self._selected)

    def set_selected(self, codes: list[str] | None) -> None:
        self._selected = list(codes or [])
        listed = {action.data() for action in self.menu().actions() if action.isCheckable()}
        if any(code not in listed for code in self._selected):
            self._rebuild()
        for action in self.menu().actions():
            if action.isCheckable():
                action.setChecked(action.data() in self._selected)
        self._update_text()

    def _shown(self) -> list[str]:
        """Known statuses; custom ones only when the store names them or they are chosen."""
        shown = [
            code
            for code in self._choices
            if not code.startswith("CUSTOM_") or code in self._names or code in self._selected
        ]
        return shown + [code for code in self._selected if code not in shown]

    def _rebuild(self) -> None:
        menu = self.menu()
        menu.clear()
        for code in self._shown():
            action = menu.addAction(status_name(code, self._names))
            action.setData(code)
            action.setCheckable(True)
            action.setChecked(code in self._selected)
            action.triggered.connect(self._on_action_triggered)
        menu.addSeparator()
        menu.addAction(self.any_text(), self._on_any_triggered)
        self._update_text()

    def any_text(self) -> str:
        """The menu's last line, which clears the choice."""
        return f"Any {self.title.lower()} status"

    def _update_text(self) -> None:
        count = len(self._selected)
        text = f"{self.title}: {count}" if count else self.title
        if count == 1:
            named = f"{self.title}: {status_name(self._selected[0], self._names)}"
            text = named if len(named) <= MAX_BUTTON_TEXT else text
        set_button_text(self, text)
        mark_active(self, bool(count))

    def _on_action_triggered(self) -> None:
        checked = {a.data() for a in self.menu().actions() if a.isCheckable() and a.isChecked()}
        self._selected = [code for code in self._shown() if code in checked]
        self._update_text()
        self.selectionChanged.emit(self.selected())

    def _on_any_triggered(self) -> None:
        self.set_selected([])
        self.selectionChanged.emit([])
