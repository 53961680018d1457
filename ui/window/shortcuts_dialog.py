"""Help › Keyboard shortcuts: every shortcut of the window in groups (one per
menu, then the order list, the editor, dialogs), keys written the way this
platform writes them (⌘F on macOS, Ctrl+F elsewhere). What it lists comes
from :mod:`ui.window.shortcut_list`.
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

from ui.common.keys import add_close_keys

Group = tuple[str, list[tuple[str, str]]]
"""``(heading, [(keys, description)])``; keys in QKeySequence's portable form,
alternatives separated by " / "."""

HEADING_ROLE = Qt.ItemDataRole.UserRole + 1


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
    """A two-column table of shortcuts and what they do, under a heading per
    group, and a Close button."""

    KEYS, ACTION = range(2)

    def __init__(self, groups: Iterable[Group], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        add_close_keys(self)
        self.model = QStandardItemModel(0, 2, self)
        self._setup_ui(list(groups))

    def _setup_ui(self, groups: list[Group]) -> None:
        self.setWindowTitle("Keyboard shortcuts")
        self.model.setHorizontalHeaderLabels(["Shortcut", "Action"])
        headings: list[int] = []
        for heading, rows in groups:
            headings.append(self.model.rowCount())
            item = QStandardItem(heading)
            font = item.font()
            font.setBold(True)
            item.setFont(font)
            item.setData(True, HEADING_ROLE)
            item.setEditable(False)
            self.model.appendRow([item, QStandardItem()])
            for keys, description in rows:
                key_item = QStandardItem(native_key_text(keys))
                key_item.setToolTip(keys)
                action_item = QStandardItem(description)
                for cell in (key_item, action_item):
                    cell.setEditable(False)
                self.model.appendRow([key_item, action_item])

        self.table = QTableView()
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setModel(self.model)
        for row in headings:
            self.table.setSpan(row, 0, 1, 2)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        row_height = self.table.fontMetrics().height() + 10
        self.table.verticalHeader().setDefaultSectionSize(row_height)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStretchLastSection(True)
        metrics = self.table.fontMetrics()
        widest = max(
            (
                metrics.horizontalAdvance(self.model.item(row, self.KEYS).text())
                for row in range(self.model.rowCount())
                if row not in headings
            ),
            default=80,
        )
        header.setSectionResizeMode(self.KEYS, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(self.KEYS, max(widest + 32, 120))
        height = header.sizeHint().height() + row_height * self.model.rowCount()
        self.table.setMinimumHeight(min(height + 2 * self.table.frameWidth(), 560))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        description = max(
            (
                metrics.horizontalAdvance(self.model.item(row, self.ACTION).text())
                for row in range(self.model.rowCount())
            ),
            default=200,
        )
        self.resize(min(header.sectionSize(self.KEYS) + description + 60, 760), 620)

    def headings(self) -> list[str]:
        return [
            self.model.item(row, self.KEYS).text()
            for row in range(self.model.rowCount())
            if self.model.item(row, self.KEYS).data(HEADING_ROLE)
        ]

    def shortcut_rows(self, heading: str | None = None) -> list[tuple[str, str]]:
        """The rows as shown, ``(native keys, description)``: all of them, or
        those under ``heading``."""
        rows: list[tuple[str, str]] = []
        current = None
        for row in range(self.model.rowCount()):
            keys = self.model.item(row, self.KEYS)
            if keys.data(HEADING_ROLE):
                current = keys.text()
                continue
            if heading is None or heading == current:
                rows.append((keys.text(), self.model.item(row, self.ACTION).text()))
        return rows
