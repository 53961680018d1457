"""The order editor in a window of its own (double-click an order): one
:class:`~ui.editor.editor.OrderEditor`, titled by the order, that asks about
unsaved changes before it closes.

Alt+Up / Alt+Down ask for the previous or next order (``navigateRequested``):
whoever owns the orders table moves its current row and calls
:meth:`OrderEditorWindow.open_order` with the new key.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from ui.common.keys import add_close_keys
from ui.editor.editor import OrderEditor

if TYPE_CHECKING:
    from app.services.orders.drafts import DraftStore
    from app.services.session import StoreSession

DEFAULT_SIZE = (860, 900)


class OrderEditorWindow(QWidget):
    """A top-level window hosting an :class:`OrderEditor`."""

    saved = Signal(str)  # key, as OrderEditor.saved
    navigateRequested = Signal(int)  # noqa: N815 - -1 previous, +1 next

    def __init__(
        self,
        drafts: DraftStore,
        session: StoreSession | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.editor = OrderEditor(drafts, self)
        self._setup_ui()
        self.editor.set_session(session)
        self.editor.saved.connect(self.saved)
        self.editor.navigateRequested.connect(self.navigateRequested)
        self.editor.closeRequested.connect(self.close)
        self.editor.windowTitleChanged.connect(self._on_editor_title_changed)
        add_close_keys(self)  # (Esc is the editor's: it asks about unsaved changes, then closes)

    def _setup_ui(self) -> None:
        self.setWindowTitle("Edit order")
        self.setAccessibleName("Order editor")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.editor)
        self.resize(*DEFAULT_SIZE)

    def set_session(self, session: StoreSession | None) -> None:
        self.editor.set_session(session)

    def open_order(self, key: str) -> asyncio.Task[None]:
        """Open ``key`` in the editor (a task the editor owns)."""
        return self.editor.tasks.run(self.editor.open_order(key), name="open-order")

    def _on_editor_title_changed(self, title: str) -> None:
        self.setWindowTitle(f"{title} — Backroom")

    def close_keeping_draft(self) -> None:
        """Close without asking: unsaved changes stay as the order's draft
        (restored when it is opened again). For a store being closed."""
        self.editor.set_session(None)  # writes the draft, then holds no order
        self.close()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        focus = QApplication.focusWidget()
        if focus is None or not self.editor.isAncestorOf(focus):
            self.editor.setFocus(Qt.FocusReason.ActiveWindowFocusReason)  # Esc, Ctrl+S… work

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self.editor.confirm_discard():
            event.ignore()
            return
        super().closeEvent(event)
