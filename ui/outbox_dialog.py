"""The changes not yet confirmed by the store: which order, what changed,
where it stands (waiting, refused and why, conflicting), and a way to send
the refused ones again."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.store_session import OutboxSummary
from app.store import OutboxEntry, OutboxState
from ui.result_table import result_table

STATE_WORDS = {
    OutboxState.PENDING: "Waiting to be sent",
    OutboxState.SENDING: "Sending",
    OutboxState.FAILED: "Refused by the store",
    OutboxState.CONFLICT: "Changed on the store meanwhile",
}


def describe_changes(entry: OutboxEntry) -> str:
    """The changed fields of an entry, in short ("paymentStatus → PAID, …")."""
    parts = []
    for name, value in entry.changes.items():
        if isinstance(value, dict | list):
            parts.append(f"{name} (edited)")
        else:
            parts.append(f"{name} → {value}")
    return ", ".join(parts)


class OutboxDialog(QDialog):
    """Lists the unconfirmed changes; "Send refused changes again" calls ``retry``."""

    HEADERS = ("Order", "Change", "State", "Attempts", "Reason", "Staged")

    def __init__(
        self,
        summary: OutboxSummary,
        retry: Callable[[], None],
        number_of: Callable[[str], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._retry = retry
        self._number_of = number_of
        self.model = QStandardItemModel(0, len(self.HEADERS), self)
        self.model.setHorizontalHeaderLabels(list(self.HEADERS))
        self._setup_ui()
        self.show_summary(summary)

    def _setup_ui(self) -> None:
        self.setWindowTitle("Changes waiting for the store")
        self.resize(820, 360)
        layout = QVBoxLayout(self)
        self.intro = QLabel(wordWrap=True)
        layout.addWidget(self.intro)
        self.table = result_table(self.model, "Changes waiting for the store")
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.retry_button = QPushButton("Send refused changes again")
        buttons.addButton(self.retry_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.retry_button.clicked.connect(self._on_retry_clicked)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def show_summary(self, summary: OutboxSummary) -> None:
        self.model.removeRows(0, self.model.rowCount())
        locale = QLocale()
        for entry in summary.entries:
            staged = locale.toString(
                entry.created_at.astimezone().replace(tzinfo=None), QLocale.FormatType.ShortFormat
            )
            cells = [
                self._number_of(entry.key),
                describe_changes(entry),
                STATE_WORDS.get(entry.state, entry.state.value.title()),
                str(entry.attempts),
                entry.reason or "",
                staged,
            ]
            items = [QStandardItem(text) for text in cells]
            items[3].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.model.appendRow(items)
        if summary.entries:
            self.intro.setText(
                "These changes are saved on this computer and shown in the table. "
                "Waiting ones are sent at the next sync; refused ones keep the store's reason."
            )
        else:
            self.intro.setText("Every change has been confirmed by the store.")
        self.retry_button.setEnabled(summary.count(OutboxState.FAILED) > 0)

    def _on_retry_clicked(self) -> None:
        self.retry_button.setEnabled(False)
        self._retry()
