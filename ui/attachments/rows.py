"""The rows of a FILES option: a file the order has (name linked to its URL,
size, Remove), and a file on its way (name, progress bar, state, Cancel or
Retry). The link takes the palette's link colour, so it reads on a light
and on a dark window."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.attachments.uploads import Upload, UploadState
from ui.common.icons import IconLabel, icon
from ui.common.sizes import data_size
from ui.editor.fields import MessageLabel

PERCENT_STEPS = 1000  # the progress bars count in tenths of a percent


def percent_steps(sent: int, total: int) -> int:
    return PERCENT_STEPS if total <= 0 else min(PERCENT_STEPS, sent * PERCENT_STEPS // total)


class FileLink(QLabel):
    """A file's name, linked to its address when it has one, in the link colour
    of the palette — set again when the palette changes (rich text keeps the
    colour its link had when the text was set)."""

    def __init__(self, name: str, url: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name, self.url = name, url
        self.linked = url.startswith(("http://", "https://"))
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setOpenExternalLinks(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        if self.linked:
            self.setToolTip(f"Open {url} in the browser")
        self._show()

    def link_colour(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.Link)

    def _show(self) -> None:
        name = html.escape(self.name)
        if not self.linked:
            self.setText(name)
            return
        colour = self.link_colour().name()
        self.setText(f'<a href="{html.escape(self.url)}" style="color: {colour}">{name}</a>')

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.linked:
            self._show()


class AttachedFileRow(QWidget):
    """One file of the option: its name opens it in the browser."""

    removeRequested = Signal(dict)  # noqa: N815 - the file, as the order lists it

    def __init__(self, file: Mapping[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.file = dict(file)
        self._setup_ui()

    def _setup_ui(self) -> None:
        name = str(self.file.get("name") or self.file.get("url") or "file")
        url = str(self.file.get("url") or "")
        self.name_label = FileLink(name, url)
        self.name_label.setAccessibleName(f"File {name}")
        size = self.file.get("size")
        shown = data_size(size) if isinstance(size, int) and size > 0 else "link"
        self.size_label = MessageLabel("muted")
        self.remove_button = QPushButton(icon("delete"), "Remove")
        self.remove_button.setAccessibleName(f"Remove {name}")
        self.remove_button.clicked.connect(self._on_remove_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(IconLabel("file"))
        layout.addWidget(self.name_label, 1)
        layout.addWidget(self.size_label)
        layout.addWidget(self.remove_button)
        self.size_label.show_message(shown)  # (once in the layout: never a window of its own)

    def _on_remove_clicked(self) -> None:
        self.removeRequested.emit(self.file)


class UploadRow(QWidget):
    """One upload: progress while it runs; Cancel, or Retry after a failure."""

    cancelRequested = Signal(int)  # noqa: N815 - the upload's id
    retryRequested = Signal(int)  # noqa: N815

    def __init__(self, upload: Upload, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.upload_id = upload.id
        self._setup_ui(upload.name)
        self.show_upload(upload)

    def _setup_ui(self, name: str) -> None:
        self.name_label = QLabel(name)
        self.name_label.setAccessibleName(f"Upload of {name}")
        self.bar = QProgressBar()
        self.bar.setRange(0, PERCENT_STEPS)
        self.bar.setTextVisible(True)
        self.bar.setAccessibleName(f"Progress of {name}")
        self.bar.setMaximumWidth(self.fontMetrics().horizontalAdvance("0") * 24)
        self.state_label = MessageLabel("muted")
        self.error_label = MessageLabel("error")
        self.error_label.setWordWrap(True)
        self.cancel_button = QPushButton(icon("cancel"), "Cancel")
        self.cancel_button.setAccessibleName(f"Cancel upload of {name}")
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self.retry_button = QPushButton(icon("retry"), "Retry")
        self.retry_button.setAccessibleName(f"Retry upload of {name}")
        self.retry_button.clicked.connect(self._on_retry_clicked)
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.name_label, 1)
        top.addWidget(self.bar)
        top.addWidget(self.state_label)
        top.addWidget(self.cancel_button)
        top.addWidget(self.retry_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.error_label)

    def show_upload(self, upload: Upload) -> None:
        self.bar.setValue(percent_steps(upload.sent, upload.size))
        self.bar.setFormat(f"{self.bar.value() / 10:.0f}%")
        uploading = upload.state == UploadState.UPLOADING
        self.bar.setVisible(upload.state in (UploadState.QUEUED, UploadState.UPLOADING))
        if uploading and upload.size:
            words = f"{data_size(upload.sent)} of {data_size(upload.size)}"
        else:
            words = {
                UploadState.QUEUED: "waiting",
                UploadState.UPLOADING: "sending",
                UploadState.DONE: "uploaded",
                UploadState.FAILED: "not uploaded",
                UploadState.CANCELLED: "cancelled",
            }[upload.state]
        self.state_label.show_message(words)
        self.error_label.show_message(upload.error)
        self.cancel_button.setVisible(not upload.finished)
        self.retry_button.setVisible(upload.state in (UploadState.FAILED, UploadState.CANCELLED))

    def _on_cancel_clicked(self) -> None:
        self.cancelRequested.emit(self.upload_id)

    def _on_retry_clicked(self) -> None:
        self.retryRequested.emit(self.upload_id)
