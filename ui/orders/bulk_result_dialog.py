"""What a bulk action did, order by order: which orders the store changed,
which it refused and why, which wait in the outbox. The list can be copied
as text, and "Retry failed" asks for the refused and queued ones to be sent
again."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QGuiApplication,
    QKeySequence,
    QShortcut,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.outbox import OutboxState
from ui.common.keys import add_close_keys
from ui.common.result_table import result_table

if TYPE_CHECKING:
    from app.services.orders.bulk import OrderResult

RETRYABLE = (OutboxState.FAILED, OutboxState.WAITING, OutboxState.REFUSED)


def result_word(result: OrderResult) -> str:
    """One or two words for what happened to an order."""
    if result.ok:
        return "Done"
    if result.state == OutboxState.CONFLICT:
        return "Conflict"
    if result.state == OutboxState.REFUSED:
        return "Refused"
    if result.state == OutboxState.FAILED and getattr(result, "http_status", None):
        return "Failed"  # the store failed on it: it stays queued
    return "Queued"


def is_retryable(result: OrderResult) -> bool:
    """Refused or still queued: sending again may help (a conflict needs the editor)."""
    return not result.ok and result.state in RETRYABLE


def results_text(results: Sequence[OrderResult]) -> str:
    """The list as plain text, one order a line, tab separated (pastes into a spreadsheet)."""
    lines = ["Order\tResult\tReason"]
    for result in results:
        lines.append(f"#{result.number}\t{result_word(result)}\t{result.reason or ''}")
    return "\n".join(lines)


def summary_text(results: Sequence[OrderResult]) -> str:
    done = sum(1 for result in results if result.ok)
    total = len(results)
    noun = "order" if total == 1 else "orders"
    parts = [f"{done} of {total} {noun} changed in the store."]
    failed = sum(1 for result in results if result_word(result) == "Failed")
    queued = sum(1 for result in results if result_word(result) == "Queued")
    conflicts = sum(1 for result in results if result_word(result) == "Conflict")
    if failed:
        parts.append(f"{failed} failed: the reasons are below.")
    if queued:
        parts.append(f"{queued} not sent yet: they stay queued and go with the next sync.")
    if conflicts:
        parts.append(
            f"{conflicts} changed on the store meanwhile: "
            "open them to choose which version to keep."
        )
    return " ".join(parts)


class BulkResultDialog(QDialog):
    """Per order: number, result, reason; "Copy list" and "Retry failed"."""

    retryRequested = Signal()  # noqa: N815 (Qt signal naming)

    HEADERS = ("Order", "Result", "Reason")

    def __init__(
        self, title: str, results: Sequence[OrderResult], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        add_close_keys(self)
        self._results: list[OrderResult] = []
        self.model = QStandardItemModel(0, len(self.HEADERS), self)
        self.model.setHorizontalHeaderLabels(list(self.HEADERS))
        self._setup_ui(title)
        self.show_results(results)

    def _setup_ui(self, title: str) -> None:
        self.setWindowTitle(title)
        self.resize(640, 360)
        layout = QVBoxLayout(self)
        self.summary = QLabel(wordWrap=True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        self.table = result_table(self.model, "Result per order")
        self.table.setWordWrap(True)
        layout.addWidget(self.table, 1)
        QShortcut(QKeySequence.StandardKey.Copy, self.table, activated=self.copy_to_clipboard)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("&Copy list")
        self.copy_button.setToolTip("Copy every order's result as text")
        self.retry_button = QPushButton("&Retry failed")
        self.retry_button.setToolTip("Send the refused and queued changes again")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.retry_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_to_clipboard)
        self.retry_button.clicked.connect(self._on_retry_button_clicked)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        layout.addWidget(buttons)

    # -- public ----------------------------------------------------------------------

    def results(self) -> list[OrderResult]:
        return list(self._results)

    def retryable(self) -> list[OrderResult]:
        """The orders "Retry failed" would send again."""
        return [result for result in self._results if is_retryable(result)]

    def show_results(self, results: Sequence[OrderResult]) -> None:
        """Show ``results`` (failed ones first, then queued, conflicts, done)."""
        order = {"Failed": 0, "Queued": 1, "Conflict": 2, "Done": 3}
        self._results = sorted(results, key=lambda result: order[result_word(result)])
        self.model.removeRows(0, self.model.rowCount())
        for result in self._results:
            word = result_word(result)
            cells = [QStandardItem(f"#{result.number}"), QStandardItem(word)]
            cells.append(QStandardItem(result.reason or ("" if result.ok else "—")))
            if word != "Done":
                font = cells[1].font()
                font.setBold(True)
                cells[1].setFont(font)
            cells[0].setData(result.key, Qt.ItemDataRole.UserRole)
            self.model.appendRow(cells)
        self.summary.setText(summary_text(self._results))
        self.set_retrying(False)

    def set_retrying(self, retrying: bool) -> None:
        """While a retry runs, "Retry failed" is off and says so."""
        self.retry_button.setText("Retrying…" if retrying else "&Retry failed")
        self.retry_button.setEnabled(not retrying and bool(self.retryable()))

    def text(self) -> str:
        """The list as copied by "Copy list"."""
        return results_text(self._results)

    def copy_to_clipboard(self) -> None:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        chosen = [self._results[row] for row in rows] if len(rows) > 1 else self._results
        QGuiApplication.clipboard().setText(results_text(chosen))

    # -- slots -----------------------------------------------------------------------

    def _on_retry_button_clicked(self) -> None:
        self.set_retrying(True)
        self.retryRequested.emit()
