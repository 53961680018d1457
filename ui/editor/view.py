"""The order editor's widgets and their layout, apart from what they do.

From the top: the order's number and a summary line (customer, date, total,
statuses), a banner for what the user should know, the form (statuses, the
items, shipping, customer, addresses, notes, visibility) in a scroll area,
and a bar with the save status, "Discard changes" and "Save". With no order
open, a sentence says why. Tab goes down the form, then to the two buttons.

The questions the editor asks (keep or discard unsaved changes) are here
too, with :func:`run_dialog`, which waits for a dialog without a nested
event loop.
"""

from __future__ import annotations

import asyncio
from typing import Literal

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from ui.common.icons import icon
from ui.common.notice_banner import NoticeBanner
from ui.editor.fields import MessageLabel
from ui.editor.form import OrderEditorForm
from ui.editor.items_editor import OrderItemsEditor

MARGIN = 20  # left and right, for header, form and bar alike


class OrderEditorView(QWidget):
    """Header, banner, form and button bar of the order editor."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._setup_ui()
        self.items.optionsChanged.connect(self.chain_tab_order)

    def _setup_ui(self) -> None:
        self.title = QLabel()
        self.title.setAccessibleName("Order")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.summary = MessageLabel("muted")
        self.summary.setAccessibleName("Order summary")
        self.banner = NoticeBanner()

        self.items = OrderItemsEditor()
        self.form = OrderEditorForm(self.items)
        self.content = QWidget()
        content_layout = QVBoxLayout(self.content)
        content_layout.setContentsMargins(MARGIN, 12, MARGIN, MARGIN)
        content_layout.addWidget(self.form)
        content_layout.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(self.content)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.status_label = MessageLabel("normal", keep_space=True)
        self.status_label.setAccessibleName("Save status")
        self.discard_button = QPushButton(icon("discard"), "Discard changes")
        self.discard_button.setAccessibleName("Discard changes")
        self.save_button = QPushButton(icon("save"), "Save")
        self.save_button.setAccessibleName("Save")
        save_keys = QKeySequence(QKeySequence.StandardKey.Save)
        self.save_button.setToolTip(save_keys.toString(QKeySequence.SequenceFormat.NativeText))
        self.save_button.setDefault(True)
        bar = QHBoxLayout()
        bar.setContentsMargins(MARGIN, 8, MARGIN, 12)
        bar.setSpacing(8)
        bar.addWidget(self.status_label, 1)
        bar.addWidget(self.discard_button)
        bar.addWidget(self.save_button)

        header = QVBoxLayout()
        header.setContentsMargins(MARGIN, 14, MARGIN, 6)
        header.setSpacing(2)
        header.addWidget(self.title)
        header.addWidget(self.summary)
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Sunken)

        self.page = QWidget()
        layout = QVBoxLayout(self.page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addWidget(self.banner)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(rule)
        layout.addLayout(bar)
        self.empty_label = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.empty_label.setAccessibleName("No order")
        self._stack = QStackedLayout(self)
        self._stack.addWidget(self.empty_label)
        self._stack.addWidget(self.page)

    def show_empty(self, text: str) -> None:
        """No order: ``text`` says why."""
        self.empty_label.setText(text)
        self._stack.setCurrentWidget(self.empty_label)
        self.setWindowTitle("Edit order")

    def show_page(self, title: str, summary: str) -> None:
        self.title.setText(title)
        self.summary.show_message(summary)
        self.setWindowTitle(f"Edit {title}")
        self._stack.setCurrentWidget(self.page)
        self.chain_tab_order()

    def set_status(self, text: str) -> None:
        self.status_label.show_message(text)

    def chain_tab_order(self) -> None:
        """Tab follows the form from top to bottom, then Discard and Save."""
        chain = [*self.form.focus_widgets(), self.discard_button, self.save_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)


def ask_keep_or_discard(parent: QWidget, title: str) -> Literal["keep", "discard"] | None:
    """Unsaved changes and the user wants to leave: keep them as a draft, discard
    them, or (None) stay."""
    box = QMessageBox(QMessageBox.Icon.Question, "Unsaved changes", "", parent=parent)
    box.setText(f"{title} has changes you have not saved.")
    box.setInformativeText("Keep them as a draft to finish later, or discard them.")
    keep = box.addButton("Keep as draft", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("Discard changes", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(keep)
    box.exec()
    clicked = box.clickedButton()
    box.deleteLater()
    if clicked is discard:
        return "discard"
    return "keep" if clicked is keep else None


def ask_discard(parent: QWidget, title: str) -> bool:
    """Whether to throw the changes away (Esc)."""
    answer = QMessageBox.question(
        parent,
        "Discard changes",
        f"Discard your changes to {title}?",
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Discard


async def run_dialog(dialog: QDialog) -> int:
    """Show ``dialog`` (window-modal) and wait for its result without a nested
    event loop (other tasks keep running); the dialog is deleted afterwards."""
    finished: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    dialog.finished.connect(lambda code: finished.done() or finished.set_result(code))
    dialog.open()
    try:
        return await finished
    finally:
        dialog.hide()
        dialog.deleteLater()
