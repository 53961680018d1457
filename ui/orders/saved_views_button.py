"""The "Views" button: a menu to choose a saved view, save the current one, and
rename or delete views. Views are kept by :class:`app.services.orders.saved_views.SavedViewStore`;
what a view holds is captured by the window (``capture(name)``).

The questions it asks go through three small methods (``_ask_name``,
``_confirm``, ``_show_error``) so that tests can answer them.
"""

from __future__ import annotations

from collections.abc import Callable

from pydantic import ValidationError
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from app.services.accounts import describe_validation_error
from app.services.orders.saved_views import (
    SavedView,
    SavedViewError,
    SavedViewStore,
    clean_view_name,
)
from ui.common.icons import icon
from ui.common.menu_button import MenuButton


def _menu_text(name: str) -> str:
    return name.replace("&", "&&")  # a lone & would mark a shortcut key


class SavedViewsButton(MenuButton):
    """Lists the saved views; ``viewChosen`` carries the :class:`SavedView` picked."""

    viewChosen = Signal(object)
    viewsChanged = Signal()

    def __init__(
        self,
        store: SavedViewStore,
        capture: Callable[[str], SavedView],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self._capture = capture
        self._current_name: str | None = None
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setText("Views ▾")
        self.setIcon(icon("views"))
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setAccessibleName("Saved views")
        self.setToolTip("Choose, save, rename or delete saved views")
        self.menu().aboutToShow.connect(self.rebuild_menu)  # another window may have saved
        self.rebuild_menu()

    def rebuild_menu(self) -> None:
        """List the store's views as they are now."""
        menu = self.menu()
        menu.clear()
        views = self.store.views()
        if not views:
            menu.addAction("No saved views").setEnabled(False)
        for view in views:
            action = menu.addAction(_menu_text(view.name))
            if view.name == self._current_name:  # the view the table shows
                font = action.font()
                font.setBold(True)
                action.setFont(font)
            action.triggered.connect(lambda _=False, n=view.name: self._on_view_triggered(n))
        menu.addSeparator()
        menu.addAction("Save current view…", self.save_current_view)
        rename = menu.addMenu("Rename")
        delete = menu.addMenu("Delete")
        for view in views:
            rename.addAction(f"{_menu_text(view.name)}…", lambda n=view.name: self.rename_view(n))
            delete.addAction(f"{_menu_text(view.name)}…", lambda n=view.name: self.delete_view(n))
        rename.setEnabled(bool(views))
        delete.setEnabled(bool(views))

    def set_current_name(self, name: str | None) -> None:
        """Mark the view the table shows (``None``: none of them)."""
        self._current_name = name
        self.rebuild_menu()

    # -- actions --------------------------------------------------------------------

    def save_current_view(self) -> None:
        """Ask for a name and save what the window shows under it."""
        typed = self._ask_name("Save view", "Name of the view:", self._current_name or "")
        if typed is None:
            return
        try:
            name = clean_view_name(typed)
            if self.store.has(name):
                existing = self.store.get(name).name
                question = (
                    f"A view named “{existing}” already exists. Replace it with the "
                    "current filters, sort order and columns?"
                )
                if not self._confirm("Replace view", question):
                    return
            view = self._capture(name)
            self.store.save(view)
        except SavedViewError as error:
            self._show_error("Could not save the view", str(error))
            return
        except ValidationError as error:
            self._show_error("Could not save the view", describe_validation_error(error))
            return
        self._after_change(view.name)

    def rename_view(self, name: str) -> None:
        """Ask for a new name for the view ``name``."""
        typed = self._ask_name("Rename view", f"New name for “{name}”:", name)
        if typed is None or typed.strip() == name:
            return
        try:
            renamed = self.store.rename(name, typed)
        except SavedViewError as error:
            self._show_error("Could not rename the view", str(error))
            return
        current = renamed.name if self._current_name == name else self._current_name
        self._after_change(current)

    def delete_view(self, name: str) -> None:
        """Delete the view ``name`` once the user confirms."""
        question = f"Delete the saved view “{name}”? This cannot be undone."
        if not self._confirm("Delete view", question):
            return
        try:
            self.store.delete(name)
        except SavedViewError as error:
            self._show_error("Could not delete the view", str(error))
            return
        self._after_change(None if self._current_name == name else self._current_name)

    def _after_change(self, current: str | None) -> None:
        self._current_name = current
        self.rebuild_menu()
        self.viewsChanged.emit()

    def _on_view_triggered(self, name: str) -> None:
        try:
            view = self.store.get(name)
        except SavedViewError as error:
            self._show_error("Could not open the view", str(error))
            return
        self.set_current_name(view.name)
        self.viewChosen.emit(view)

    # -- questions (tests answer these) ---------------------------------------------

    def _ask_name(self, title: str, label: str, text: str) -> str | None:
        """The name typed, or ``None`` when the user cancels."""
        typed, ok = QInputDialog.getText(self, title, label, QLineEdit.EchoMode.Normal, text)
        return typed if ok else None

    def _confirm(self, title: str, question: str) -> bool:
        answer = QMessageBox.question(
            self,
            title,
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _show_error(self, title: str, message: str) -> None:
        QMessageBox.warning(self, title, message)
