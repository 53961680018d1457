"""A frame that takes files dropped from the file manager.

As in Anki's add-on dialog: the drag is checked in ``dragEnterEvent`` (local
files only, each one checked by :func:`app.services.attachments.files.check_upload`
without reading it), the frame highlights only while a drag holding at least
one uploadable file hovers, and the paths are resolved and handed on in
``dropEvent``. Files that cannot be uploaded (folders, unreadable, over
100 MB) are refused with their reason before any byte is sent.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, Signal
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QFrame, QWidget

from app.services.attachments.files import UploadProblem, check_upload

STYLE = """
#fileDropArea { border: 1px dashed palette(placeholder-text); border-radius: 6px; }
#fileDropArea[dropActive="true"] { border: 2px solid palette(highlight); }
"""


def local_paths(mime: QMimeData) -> list[Path]:
    """The local files a drag carries (web links and other data left out)."""
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


def sorted_paths(paths: list[Path]) -> tuple[list[Path], list[UploadProblem]]:
    """The paths that can be uploaded, and why the others cannot."""
    accepted: list[Path] = []
    problems: list[UploadProblem] = []
    for path in paths:
        problem = check_upload(path)
        if problem is None:
            accepted.append(path)
        else:
            problems.append(problem)
    return accepted, problems


class FileDropArea(QFrame):
    """Emits ``filesDropped`` with the uploadable files dropped on it and
    ``refused`` with the reasons for the others (one per line)."""

    filesDropped = Signal(list)  # noqa: N815 - list[Path]
    refused = Signal(str)
    dragHovered = Signal(bool)  # noqa: N815 - a valid drag entered (True) or left (False)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fileDropArea")
        self.setAcceptDrops(True)
        self.setStyleSheet(STYLE)
        self.setProperty("dropActive", False)

    @property
    def highlighted(self) -> bool:
        return bool(self.property("dropActive"))

    def _set_highlighted(self, on: bool) -> None:
        if on == self.highlighted:
            return
        self.setProperty("dropActive", on)
        self.style().unpolish(self)
        self.style().polish(self)
        self.update()
        self.dragHovered.emit(on)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # palette() in the style sheet: again
            self.style().unpolish(self)
            self.style().polish(self)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        paths = local_paths(event.mimeData())
        accepted, problems = sorted_paths(paths)
        if problems:
            self.refused.emit("\n".join(problem.reason for problem in problems))
        if accepted:
            event.acceptProposedAction()
            self._set_highlighted(True)
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        if self.highlighted:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:  # noqa: N802
        self._set_highlighted(False)
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        self._set_highlighted(False)
        accepted, problems = sorted_paths(local_paths(event.mimeData()))  # checked again: now
        if problems:
            self.refused.emit("\n".join(problem.reason for problem in problems))
        if not accepted:
            event.ignore()
            return
        event.acceptProposedAction()
        self.filesDropped.emit(accepted)
