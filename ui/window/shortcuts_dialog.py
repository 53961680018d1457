"""Help > Keyboard shortcuts: every shortcut of the window with what it does,
keys written the way this platform writes them (⌘F on macOS, Ctrl+F elsewhere).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableView,
    QVBoxLayout,
    QWidget,
)

DEFAULT_SHORTCUTS: list[tuple[str, str]] = [
    ("Ctrl+F", "Search orders"),
    ("F5", "Sync now"),
    ("J / Down", "Next order"),
    ("K / Up", "Previous order"),
    ("Enter", "Open the order"),
    ("Esc", "Clear the search"),
    ("Ctrl+,", "Settings"),
]
"""``(keys, description)``; keys in QKeySequence's portable form, alternatives
separated by " / "."""


def native_key_text(keys: str) -> str:
    """``keys`` as this platform writes them; a part Qt cannot parse stays as given."""
    return " / ".join(_native(part.strip()) for part in keys.split(" / "))


def _native(part: str) -> str:
    sequence = QKeySequence.fromString(part, QKeySequence.SequenceFormat.PortableText)
    if sequence.isEmpty() or any(
        sequence[index].key() == Qt.Key.Key_unknown for index in range(sequence.count())
    ):
        return part
    return sequence.toString(QKeySequence.SequenceFormat.NativeText) or part


class ShortcutsDialog(QDialog):
    """A two-column table of shortcuts and what they do, and a Close button."""

    KEYS, ACTION = range(2)

    def __init__(self, shortcuts: Iterable[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = QStandardItemModel(0, 2, self)
        self._setup_ui(list(shortcuts))

    def _setup_ui(self, shortcuts: list[tuple[str, str]]) -> None:
        self.setWindowTitle("Keyboard shortcuts")
        self.model.setHorizontalHeaderLabels(["Shortcut", "Action"])
        for keys, description in shortcuts:
            key_item = QStandardItem(native_key_text(keys))
            key_item.setToolTip(keys)
            action_item = QStandardItem(description)
            for item in (key_item, action_item):
                item.setEditable(False)
            self.model.appendRow([key_item, action_item])

        self.table = QTableView()
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        row_height = self.table.fontMetrics().height() + 12
        self.table.verticalHeader().setDefaultSectionSize(row_height)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStretchLastSection(True)
        self.table.resizeColumnToContents(self.KEYS)
        header.setSectionResizeMode(self.KEYS, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(self.KEYS, max(header.sectionSize(self.KEYS) + 24, 120))
        height = header.sizeHint().height() + row_height * len(shortcuts)
        self.table.setMinimumHeight(min(height + 2 * self.table.frameWidth(), 520))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(440, self.sizeHint().height())

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """The rows as shown: ``(native keys, description)``."""
        return [
            (
                self.model.item(row, self.KEYS).text(),
                self.model.item(row, self.ACTION).text(),
            )
            for row in range(self.model.rowCount())
        ]
