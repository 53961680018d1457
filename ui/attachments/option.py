"""One FILES option in the order editor: its files, a drop target for more,
"Add file…", "Add from URL…" and "Remove all", with the uploads under way.

Uploads go through the option's :class:`~app.services.attachments.uploads.UploadQueue`
as tasks owned by the editor's task runner, so the rest of the app stays
usable. After each success (and each removal) the editor shows the order as
the store has it, the user's unsaved edits kept (:mod:`ui.attachments.editor_link`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.attachments.files import OptionRef, UploadProblem, problem_text
from app.services.attachments.uploads import Upload, UploadState
from ui.attachments.drop import FileDropArea
from ui.attachments.editor_link import EditorLink
from ui.attachments.rows import AttachedFileRow, UploadRow, percent_steps
from ui.common.icons import icon
from ui.common.sizes import data_size
from ui.editor.fields import MessageLabel

DROP_HINT = "Drop files here (up to 100 MB each). When items are saved, files are kept."


class FilesOptionView(FileDropArea):
    """The files of ``target`` and the uploads to it; see the module docstring."""

    def __init__(
        self, link: EditorLink, target: OptionRef, label: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.link = link
        self.target = target
        self.label = label
        self.session = link.session
        assert self.session is not None
        self.queue = self.session.upload_queue(target, self._on_upload_changed, self._on_fresh)
        self.file_rows: list[AttachedFileRow] = []
        self.upload_rows: dict[int, UploadRow] = {}
        self.confirmation: QMessageBox | None = None  # the one shown last
        self._setup_ui()
        self.filesDropped.connect(self._on_files_dropped)
        self.refused.connect(self._on_refused)

    def _setup_ui(self) -> None:
        self.setAccessibleName(f"Files of {self.label}")
        self.files_box = QVBoxLayout()
        self.files_box.setSpacing(4)
        self.empty_label = MessageLabel("muted")
        self.uploads_box = QVBoxLayout()
        self.uploads_box.setSpacing(4)
        self.overall_bar = QProgressBar()
        self.overall_bar.setRange(0, 1000)
        self.overall_bar.setAccessibleName(f"Uploads to {self.label}")
        self.overall_label = MessageLabel("muted")
        overall = QHBoxLayout()
        overall.addWidget(self.overall_label, 1)
        overall.addWidget(self.overall_bar, 1)
        self.message_label = MessageLabel("error")
        self.message_label.setWordWrap(True)
        self.message_label.setAccessibleName(f"Problems with files of {self.label}")
        self.hint_label = MessageLabel("muted")
        self.add_button = QPushButton(icon("add-file"), "Add file…")
        self.add_button.setAccessibleName(f"Add file to {self.label}")
        self.add_button.clicked.connect(self._on_add_clicked)
        self.url_button = QPushButton(icon("add-link"), "Add from URL…")
        self.url_button.setAccessibleName(f"Add file from URL to {self.label}")
        self.url_button.clicked.connect(self._on_url_clicked)
        self.remove_all_button = QPushButton(icon("delete"), "Remove all")
        self.remove_all_button.setAccessibleName(f"Remove all files of {self.label}")
        self.remove_all_button.clicked.connect(self._on_remove_all_clicked)
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        buttons.addStretch(1)
        for button in (self.add_button, self.url_button, self.remove_all_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(6)
        layout.addLayout(self.files_box)
        layout.addWidget(self.empty_label)
        layout.addLayout(self.uploads_box)
        layout.addLayout(overall)
        layout.addWidget(self.message_label)
        layout.addWidget(self.hint_label)
        layout.addLayout(buttons)
        self.hint_label.show_message(DROP_HINT)  # (once in the layout: never a window of its own)
        self._show_overall()

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        # The wrapped labels make the layout height-for-width, and the editor's form
        # layout does not grow for such a field when rows are added: size by hints.
        return False

    # -- our API ---------------------------------------------------------------------

    def show_files(self, files: Iterable[Mapping[str, Any]]) -> None:
        """List the files the order has on this option."""
        for row in self.file_rows:
            row.setParent(None)
            row.deleteLater()
        self.file_rows = []
        for file in files:
            row = AttachedFileRow(file)
            row.removeRequested.connect(self._on_remove_requested)
            self.files_box.addWidget(row)
            self.file_rows.append(row)
        self.empty_label.show_message(None if self.file_rows else "No files yet.")
        self.remove_all_button.setEnabled(bool(self.file_rows))

    def add_files(self, paths: Iterable[str | Path]) -> list[UploadProblem]:
        """Queue files and start uploading; returns (and shows) the refused ones."""
        problems = self.queue.add_files(paths)
        self._show_message("\n".join(p.reason for p in problems) or None)
        self._start()
        return problems

    def add_url(self, url: str) -> None:
        """Attach the file at ``url`` (the store fetches it)."""
        try:
            self.queue.add_url(url)
        except ValueError as error:
            self._show_message(str(error))
            return
        self._show_message(None)
        self._start()

    @property
    def busy(self) -> bool:
        return self.queue.running or bool(self.queue.pending())

    # -- work ------------------------------------------------------------------------

    def _start(self) -> None:
        if not self.queue.running and self.queue.pending():
            self.link.tasks.run(self.queue.run())

    async def _remove(self, files: list[Mapping[str, Any]], every: bool) -> None:
        session = self.session
        assert session is not None
        what = "The files" if every else f"“{files[0].get('name')}”"
        self.remove_all_button.setEnabled(False)
        try:
            if every:
                fresh = await session.remove_option_files(self.target)
            else:
                fresh = await session.remove_option_file(self.target, int(files[0]["id"]))
        except Exception as error:  # noqa: BLE001 - shown by the option, in words
            self._show_message(problem_text(error, what, self.target.option_name))
            self.remove_all_button.setEnabled(bool(self.file_rows))
            return
        removed = "files were" if every else "file was"
        self.link.set_status(f"{len(files)} {removed} removed from {self.label}.")
        if fresh is not None:
            self._on_fresh(fresh)

    def _ask_remove(self, files: list[Mapping[str, Any]], every: bool) -> bool:
        names = ", ".join(f"“{f.get('name') or 'file'}”" for f in files)
        if every:
            count = f"all {len(files)} files" if len(files) > 1 else "the file"
            text = f"Remove {count} of {self.label}: {names}?"
        else:
            text = f"Remove {names} ({data_size(files[0].get('size'))}) from {self.label}?"
        box = QMessageBox(QMessageBox.Icon.Question, "Remove files", text, parent=self)
        box.setInformativeText("They are deleted from the order in the store.")
        remove = box.addButton("Remove", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        self.confirmation = box
        box.exec()
        return box.clickedButton() is remove

    # -- showing ---------------------------------------------------------------------

    def _show_message(self, text: str | None) -> None:
        self.message_label.show_message(text)

    def _show_overall(self) -> None:
        pending = self.queue.pending()
        self.overall_bar.setVisible(bool(pending))
        self.overall_label.setVisible(bool(pending))
        if not pending:
            return
        sent, total = self.queue.progress
        self.overall_bar.setValue(percent_steps(sent, total))
        noun = "file" if len(pending) == 1 else "files"
        self.overall_label.show_message(
            f"Uploading {len(pending)} {noun}: {data_size(sent)} of {data_size(total)}"
        )

    # -- slots -----------------------------------------------------------------------

    def _on_files_dropped(self, paths: list[Path]) -> None:
        self.add_files(paths)

    def _on_refused(self, reasons: str) -> None:
        self._show_message(reasons)

    def _on_upload_changed(self, upload: Upload) -> None:
        row = self.upload_rows.get(upload.id)
        if upload.state == UploadState.DONE:
            if row is not None:
                del self.upload_rows[upload.id]
                row.setParent(None)
                row.deleteLater()
            self.queue.forget(upload.id)
        elif row is None:
            row = UploadRow(upload)
            row.cancelRequested.connect(self._on_cancel_requested)
            row.retryRequested.connect(self._on_retry_requested)
            self.uploads_box.addWidget(row)
            self.upload_rows[upload.id] = row
        else:
            row.show_upload(upload)
        self._show_overall()

    def _on_fresh(self, fresh: dict[str, Any]) -> None:
        self.link.take_fresh_order(self.target.order_key, fresh)

    def _on_cancel_requested(self, upload_id: int) -> None:
        self.queue.cancel(upload_id)

    def _on_retry_requested(self, upload_id: int) -> None:
        self.queue.retry(upload_id)
        self._start()

    def _on_add_clicked(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, f"Add files to {self.label}")
        if paths:
            self.add_files(paths)

    def _on_url_clicked(self) -> None:
        url, ok = QInputDialog.getText(
            self, "Add from URL", "Web address of the file:", QLineEdit.EchoMode.Normal, "https://"
        )
        if ok and url.strip() not in ("", "https://"):
            self.add_url(url)

    def _on_remove_requested(self, file: dict[str, Any]) -> None:
        if self._ask_remove([file], every=False):
            self.link.tasks.run(self._remove([file], every=False))

    def _on_remove_all_clicked(self) -> None:
        files = [row.file for row in self.file_rows]
        if files and self._ask_remove(files, every=True):
            self.link.tasks.run(self._remove(files, every=True))
