"""What the file options of the order editor need from the editor: the open
store, the order's key, the task runner, and a way to show the order as the
store has it after an upload or removal without losing the user's edits.

The editor knows nothing of attachments; :class:`EditorLink` finds the
:class:`~ui.editor.editor.OrderEditor` a widget sits in and works with it.
Taking the store's version keeps every unsaved edit
(:meth:`~ui.editor.editor.OrderEditor.take_store_version`), so saving sends
the files back and reports no conflict over our own upload.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from app.services.session import StoreSession
    from ui.common.tasks import TaskRunner
    from ui.editor.editor import OrderEditor


class EditorLink:
    """The order editor around a widget (None outside an editor)."""

    def __init__(self, editor: OrderEditor) -> None:
        self.editor = editor

    @classmethod
    def around(cls, widget: QWidget) -> EditorLink | None:
        from ui.editor.editor import OrderEditor  # the editor imports the options panel

        parent = widget.parentWidget()
        while parent is not None and not isinstance(parent, OrderEditor):
            parent = parent.parentWidget()
        return cls(parent) if parent is not None else None

    @property
    def session(self) -> StoreSession | None:
        return self.editor.session

    @property
    def key(self) -> str | None:
        return self.editor.key

    @property
    def tasks(self) -> TaskRunner:
        return self.editor.tasks

    def set_status(self, text: str) -> None:
        self.editor.set_status(text)

    def take_fresh_order(self, key: str, fresh: dict[str, Any]) -> None:
        """Show ``fresh`` (the order ``key`` as the store has it now) in the
        editor, keeping the user's unsaved edits and the chosen item."""
        self.editor.take_store_version(key, fresh)
