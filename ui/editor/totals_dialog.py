"""Recalculated totals, shown before they are applied: after the items of an
order change, the editor proposes a new subtotal, tax and total and this
dialog shows the arithmetic line by line and what would change. Nothing is
applied unless the user chooses Apply.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ui.common.keys import add_close_keys
from ui.editor.fields import MessageLabel

if TYPE_CHECKING:
    from app.services.orders.changes import TotalsProposal
    from ui.detail.pane import OrderFormat

LABELS = {"subtotal": "Subtotal", "tax": "Tax", "total": "Total"}


class TotalsDialog(QDialog):
    """The proposal's arithmetic, then Apply or Cancel."""

    def __init__(
        self,
        proposal: TotalsProposal,
        current: dict[str, object] | None = None,
        parent: QWidget | None = None,
        *,
        fmt: OrderFormat | None = None,
    ) -> None:
        super().__init__(parent)
        add_close_keys(self)
        self.proposal = proposal
        self._current = current or {}
        self._fmt = fmt
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setWindowTitle("Recalculate totals")
        self.setMinimumWidth(480)
        intro = QLabel("The totals worked out from the items as they are now:")
        intro.setWordWrap(True)
        self.arithmetic = QLabel("\n".join(self.proposal.lines))
        self.arithmetic.setAccessibleName("Arithmetic")
        self.arithmetic.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.arithmetic.setTextFormat(Qt.TextFormat.PlainText)
        self.arithmetic.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.arithmetic.setWordWrap(True)
        self.arithmetic.setMinimumWidth(440)
        self.summary = MessageLabel("muted")
        self.summary.setAccessibleName("What changes")
        self.summary.show_message(self._summary_text())

        self.buttons = QDialogButtonBox()
        self.apply_button = self.buttons.addButton("Apply", QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setAccessibleName("Apply the new totals")
        self.apply_button.setEnabled(bool(self.proposal.changes))
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addWidget(self.arithmetic)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        (self.apply_button if self.apply_button.isEnabled() else self.cancel_button).setDefault(
            True
        )

    def _summary_text(self) -> str:
        changes = self.proposal.changes
        if not changes:
            return "The order's totals already match its items."
        parts = []
        for key, label in LABELS.items():
            if key in changes:
                before = self._current.get(key)
                shown = "nothing" if before is None else self._money(before)
                parts.append(f"{label} {shown} → {self._money(changes[key])}")
        return "Apply changes:\n" + "\n".join(parts)

    def _money(self, value: object) -> str:
        return self._fmt.money(value) if self._fmt is not None else str(value)
