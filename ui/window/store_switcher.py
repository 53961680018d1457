"""Which store the window shows: *All stores*, or one of them, one click (a
tab above the orders) or one key (Ctrl+0 for All stores, Ctrl+1…9 for the
stores, in the Stores menu) away.

:class:`StoreSwitcher` follows the window's open stores
(:class:`~ui.window.shown_store.ShownStore`): a tab and a menu entry for
each, with the store's colour (the colour of its chip in the Store column)
and its own name. With one store there is nothing to switch: the tabs hide.
Switching opens nothing — every store stays open and syncing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSize, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QTabBar

from ui.window.shown_store import ALL_KEY

if TYPE_CHECKING:
    from ui.window.main_window import MainWindow

MAX_KEYED = 9  # Ctrl+1 … Ctrl+9


class StoreSwitcher(QObject):
    """The tabs and the Stores menu of one main window."""

    def __init__(self, window: MainWindow, menu: QMenu) -> None:
        super().__init__(window)
        self.window = window
        self.menu = menu
        self.group = QActionGroup(self)
        self.actions: dict[str, QAction] = {}
        self.bar = QTabBar()
        self.bar.setObjectName("storeTabs")
        self.bar.setAccessibleName("Stores")
        self.bar.setDocumentMode(True)
        self.bar.setDrawBase(False)
        self.bar.setExpanding(False)
        self.bar.setUsesScrollButtons(True)
        self.bar.setElideMode(Qt.TextElideMode.ElideNone)
        self.bar.setIconSize(QSize(12, 12))
        self.bar.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.bar.currentChanged.connect(self._on_tab_changed)
        self.bar.hide()
        window.store.storesChanged.connect(self.refresh)
        window.store.shownChanged.connect(self._on_shown_changed)
        self.refresh()

    # -- the choices ---------------------------------------------------------------

    def choices(self) -> list[tuple[str, str]]:
        """``(key, label)`` of each choice: All stores (with several), then each store."""
        sessions = self.window.store.sessions
        found = [(ALL_KEY, "All stores")] if len(sessions) > 1 else []
        return found + [(session.account.name, session.title) for session in sessions]

    def refresh(self) -> None:
        """The open stores changed (or a store's name became known)."""
        from ui.orders.table_model import store_chip

        choices = self.choices()
        self.bar.blockSignals(True)
        try:
            while self.bar.count():
                self.bar.removeTab(0)
            for action in list(self.group.actions()):
                self.group.removeAction(action)
            self.menu.clear()
            self.actions.clear()
            numbers = {s.account.name: n for n, s in enumerate(self.window.store.sessions)}
            for place, (key, label) in enumerate(choices):
                number = numbers.get(key)
                chip = store_chip(number) if number is not None and len(numbers) > 1 else None
                shown = label.replace("&", "&&")  # (an "&" is no mnemonic here)
                index = self.bar.addTab(shown)
                self.bar.setTabData(index, key)
                if chip is not None:
                    self.bar.setTabIcon(index, chip)
                action = QAction(shown, self.window, checkable=True)
                action.setData(key)
                if chip is not None:
                    action.setIcon(chip)
                shortcut = self._shortcut(key, place, len(numbers) > 1)
                if shortcut:
                    action.setShortcut(QKeySequence(shortcut))
                    self.bar.setTabToolTip(index, f"{label} ({shortcut})")
                action.triggered.connect(lambda _c=False, k=key: self.choose(k))
                self.group.addAction(action)
                self.menu.addAction(action)
                self.actions[key] = action
                if key == ALL_KEY:
                    self.menu.addSeparator()
        finally:
            self.bar.blockSignals(False)
        self.menu.setEnabled(len(choices) > 1)
        self.bar.setVisible(len(choices) > 1)
        self._on_shown_changed(self.window.store.shown_name or "")

    @staticmethod
    def _shortcut(key: str, place: int, several: bool) -> str | None:
        if key == ALL_KEY:
            return "Ctrl+0"
        number = place if several else place + 1  # (All stores holds place 0)
        return f"Ctrl+{number}" if several and 1 <= number <= MAX_KEYED else None

    def choose(self, key: str) -> None:
        """Show ``key`` (a store's account name, or All stores)."""
        if key != self.window.store.shown_name:
            self.window.store.show(key)

    # -- slots ---------------------------------------------------------------------

    def _on_tab_changed(self, index: int) -> None:
        key = self.bar.tabData(index)
        if isinstance(key, str):
            self.choose(key)

    def _on_shown_changed(self, key: str) -> None:
        self.bar.blockSignals(True)
        try:
            for index in range(self.bar.count()):
                if self.bar.tabData(index) == key:
                    self.bar.setCurrentIndex(index)
        finally:
            self.bar.blockSignals(False)
        action = self.actions.get(key)
        if action is not None:
            action.setChecked(True)
