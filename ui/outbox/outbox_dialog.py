"""The edits not yet settled with the store: which order, what changes in
words, where each stands and why — and what to do about it.

Per selected edit, or for all of them: *Retry* (send again: waiting,
failed, refused or recovered edits), *Discard* (forget it unsent; the
store's values stay), and *Resolve…* (a conflict, an overwrite or a
recovered edit: both versions field by field, keep mine / take the store's
/ merge). The work runs through the session; the list follows the outbox.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.changes import Changes
from app.domain.outbox import NEEDS_ATTENTION, STATE_WORDS, UNSENT, OutboxState
from app.services.session import OutboxSummary
from ui.common.dates import short_date_time
from ui.common.keys import add_close_keys
from ui.common.result_table import result_table

if TYPE_CHECKING:
    from app.services.outbox import Edit
    from app.services.session import StoreSession
    from ui.window.sync_controller import SyncController

RETRIABLE = frozenset(
    {OutboxState.WAITING, OutboxState.FAILED, OutboxState.REFUSED, OutboxState.RECOVERED}
)
RESOLVABLE = frozenset({OutboxState.CONFLICT, OutboxState.OVERWRITTEN, OutboxState.RECOVERED})
EDIT_ROLE = Qt.ItemDataRole.UserRole + 1


def edits_text(count: int) -> str:
    return f"{count} edit" if count == 1 else f"{count} edits"


def intro_text(summary: OutboxSummary) -> str:
    """What the list holds, with correct plurals."""
    if not summary.entries:
        return "Every change has been confirmed by the store."
    parts = []
    if summary.waiting:
        verb = "is" if summary.waiting == 1 else "are"
        parts.append(
            f"{edits_text(summary.waiting)} {verb} on the way: sent at the next sync "
            "(the table shows the store's values until then)."
        )
    if summary.needs_attention:
        verb = "needs" if summary.needs_attention == 1 else "need"
        parts.append(
            f"{edits_text(summary.needs_attention)} {verb} you: retry, discard or resolve "
            f"{'it' if summary.needs_attention == 1 else 'them'}."
        )
    return " ".join(parts)


class OutboxDialog(QDialog):
    """The outbox of ``session``; actions run through ``sync`` (which reports back)."""

    HEADERS = ("Order", "Change", "State", "Desk", "Saved", "Reason")

    def __init__(
        self, session: StoreSession, sync: SyncController, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.sync = sync
        self.model = QStandardItemModel(0, len(self.HEADERS), self)
        self.model.setHorizontalHeaderLabels(list(self.HEADERS))
        self.resolver: object | None = None  # the conflict dialog shown last
        self._setup_ui()
        self.show_summary(session.outbox_summary())

    def _setup_ui(self) -> None:
        self.setWindowTitle("Edits waiting for the store")
        self.resize(900, 380)
        layout = QVBoxLayout(self)
        self.intro = QLabel(wordWrap=True)
        layout.addWidget(self.intro)
        self.table = result_table(self.model, "Edits waiting for the store")
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        # the reason takes the width left (its whole text is its tooltip)
        self.table.horizontalHeader().setSectionResizeMode(
            len(self.HEADERS) - 1, QHeaderView.ResizeMode.Stretch
        )
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(self._on_double_clicked)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.retry_button = QPushButton("&Retry")
        self.retry_button.setToolTip("Send the selected edits again")
        self.discard_button = QPushButton("&Discard…")
        self.discard_button.setToolTip("Forget the selected edits; the store's values stay")
        self.resolve_button = QPushButton("Re&solve…")
        self.resolve_button.setToolTip("Choose, field by field, your value or the store's")
        self.retry_all_button = QPushButton("Retry &all")
        self.discard_all_button = QPushButton("Discard a&ll…")
        for button in (
            self.retry_button,
            self.discard_button,
            self.resolve_button,
            self.retry_all_button,
            self.discard_all_button,
        ):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.retry_button.clicked.connect(lambda: self._retry(self.selected()))
        self.retry_all_button.clicked.connect(lambda: self._retry(self.all_edits()))
        self.discard_button.clicked.connect(lambda: self._discard(self.selected()))
        self.discard_all_button.clicked.connect(lambda: self._discard(self.all_edits()))
        self.resolve_button.clicked.connect(lambda: self._resolve(self.selected()))
        add_close_keys(self, self.reject)

    # -- the list -------------------------------------------------------------------------

    def show_summary(self, summary: OutboxSummary) -> None:
        selected = {edit.id for edit in self.selected()}
        self.model.removeRows(0, self.model.rowCount())
        for edit in summary.entries:
            saved = short_date_time(edit.created_at)
            cells = [
                f"#{edit.number}",
                self.session.describe_edit(edit),
                STATE_WORDS.get(edit.state, edit.state.value.title()),
                edit.desk,
                saved,
                edit.reason or "",
            ]
            items = [QStandardItem(text) for text in cells]
            items[0].setData(edit, EDIT_ROLE)
            items[1].setToolTip(cells[1])
            items[5].setToolTip(cells[5])
            self.model.appendRow(items)
        self.intro.setText(intro_text(summary))
        for row in range(self.model.rowCount()):
            edit = self._edit_at(row)
            if edit is not None and edit.id in selected:
                self.table.selectRow(row)
        self._update_buttons()

    def on_changes(self, changes: Changes) -> None:
        """The window's report of what changed: the list follows the outbox."""
        if changes.outbox:
            self.show_summary(self.session.outbox_summary())

    def select_edit(self, edit_id: int | None) -> None:
        for row in range(self.model.rowCount()):
            edit = self._edit_at(row)
            if edit is not None and edit.id == edit_id:
                self.table.selectRow(row)
                return

    def _edit_at(self, row: int) -> Edit | None:
        item = self.model.item(row, 0)
        return None if item is None else item.data(EDIT_ROLE)

    def selected(self) -> list[Edit]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [edit for row in rows if (edit := self._edit_at(row)) is not None]

    def all_edits(self) -> list[Edit]:
        return [edit for row in range(self.model.rowCount()) if (edit := self._edit_at(row))]

    def _update_buttons(self, *_args: object) -> None:
        chosen = self.selected()
        everything = self.all_edits()
        self.retry_button.setEnabled(any(e.state in RETRIABLE for e in chosen))
        self.discard_button.setEnabled(any(e.state is not OutboxState.SENDING for e in chosen))
        self.resolve_button.setEnabled(any(e.state in RESOLVABLE for e in chosen))
        self.retry_all_button.setEnabled(any(e.state in RETRIABLE for e in everything))
        self.discard_all_button.setEnabled(
            any(e.state is not OutboxState.SENDING for e in everything)
        )

    # -- actions ----------------------------------------------------------------------------

    def _retry(self, edits: list[Edit]) -> None:
        ids = [edit.id for edit in edits if edit.state in RETRIABLE]
        if ids:
            self.retry_button.setEnabled(False)
            self.retry_all_button.setEnabled(False)
            self.sync.run_outbox_action(lambda: self.session.retry_entries(ids))

    def _discard(self, edits: list[Edit]) -> None:
        chosen = [edit for edit in edits if edit.state is not OutboxState.SENDING]
        if not chosen or not self._confirm_discard(chosen):
            return
        ids = [edit.id for edit in chosen]
        self.sync.run_outbox_action(lambda: self.session.discard_entries(ids))

    def _confirm_discard(self, edits: list[Edit]) -> bool:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Discard edits")
        if len(edits) == 1:
            box.setText(f"Discard this edit of order #{edits[0].number}?")
        else:
            box.setText(f"Discard {edits_text(len(edits))}?")
        box.setInformativeText(
            "They are not sent; the store keeps its values. This cannot be undone."
        )
        discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is discard

    def _resolve(self, edits: list[Edit]) -> None:
        chosen = [edit for edit in edits if edit.state in RESOLVABLE]
        if chosen:
            self.sync.run_outbox_action(lambda: self._resolve_each(chosen))

    async def _resolve_each(self, edits: list[Edit]) -> None:
        from ui.editor.conflict_dialog import ConflictDialog
        from ui.editor.view import run_dialog

        for edit in edits:
            fields = await self.session.conflict_fields(edit.id)
            heading = (
                f"Order #{edit.number}: someone changed again what this desk saved"
                if edit.state is OutboxState.OVERWRITTEN
                else f"Order #{edit.number}: choose what to keep"
            )
            dialog = ConflictDialog(f"Order #{edit.number}", fields, self, heading=heading)
            self.resolver = dialog
            await run_dialog(dialog)
            if dialog.decision() is None:
                return  # closed: nothing decided, the rest wait too
            kept = await self.session.resolve_conflict(edit.id, dialog.choices())
            if kept is not None:
                await self.session.send_entries([kept])

    def _on_double_clicked(self, index: object) -> None:
        edit = self._edit_at(getattr(index, "row", lambda: -1)())
        if edit is None:
            return
        if edit.state in RESOLVABLE:
            self._resolve([edit])
        elif edit.state in RETRIABLE:
            self._retry([edit])


__all__ = ["NEEDS_ATTENTION", "UNSENT", "OutboxDialog", "intro_text"]
