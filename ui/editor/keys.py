"""The order editor's keyboard shortcuts: Ctrl+S, Esc, Alt+Up/Alt+Down and
the status shortcuts, with their descriptions for the shortcuts dialog.

Status shortcuts avoid the main window's own (Ctrl+Shift+A opens Accounts).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

STATUS_SHORTCUTS: list[tuple[str, str, str, str]] = [
    ("Ctrl+Shift+P", "payment", "PAID", "Paid"),
    ("Ctrl+Shift+U", "payment", "AWAITING_PAYMENT", "Awaiting payment"),
    ("Ctrl+Shift+O", "fulfillment", "PROCESSING", "Processing"),
    ("Ctrl+Shift+S", "fulfillment", "SHIPPED", "Shipped"),
    ("Ctrl+Shift+D", "fulfillment", "DELIVERED", "Delivered"),
    ("Ctrl+Shift+R", "fulfillment", "READY_FOR_PICKUP", "Ready for pickup"),
]
"""``(keys, kind, status, description)``; kind is "payment" or "fulfillment"."""

EDITOR_SHORTCUTS: list[tuple[str, str]] = [
    ("Ctrl+S", "Save the order"),
    ("Esc", "Discard the changes (asks first)"),
    ("Alt+Up", "Previous order (in the editor)"),
    ("Alt+Down", "Next order (in the editor)"),
    *[(keys, f"Set the status to {name}") for keys, _, _, name in STATUS_SHORTCUTS],
]
"""For the shortcuts dialog: ``(keys, description)``, keys in portable form."""

Binding = tuple[QKeySequence, Callable[[], object]]


def add_shortcuts(widget: QWidget, bindings: list[Binding]) -> list[QShortcut]:
    """Shortcuts active while the focus is anywhere in ``widget``."""
    shortcuts = []
    for sequence, slot in bindings:
        shortcut = QShortcut(
            sequence, widget, context=Qt.ShortcutContext.WidgetWithChildrenShortcut
        )
        shortcut.activated.connect(slot)
        shortcuts.append(shortcut)
    return shortcuts
