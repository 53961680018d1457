"""The dialog for an unexpected error: what happened in plain words, "Copy
details" (version and traceback, secrets redacted) and "Show log folder".
The app keeps running; errors that arrive while the dialog is open are
counted in it rather than stacking more dialogs.

:func:`install_excepthook` routes exceptions that escape a Qt slot (which
would otherwise only reach stderr) to the same dialog.
"""

from __future__ import annotations

import logging
import sys
from types import TracebackType

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.platform.paths import log_dir
from ui.common.keys import add_close_keys

# app.platform.logs and app.services.about (importlib.metadata, traceback) load with the
# first error: this module is imported before the window is first shown

log = logging.getLogger(__name__)


def plain_summary(error: BaseException) -> str:
    """One or two sentences for the user; never a secret."""
    from app.platform.logs import redact

    detail = redact(str(error)).strip()
    kind = type(error).__name__
    if detail:
        return f"{detail} ({kind})"
    return f"An internal error occurred ({kind})."


class ErrorDialog(QDialog):
    """Tells the user about an unexpected error, with details to copy."""

    def __init__(self, error: BaseException, parent: QWidget | None = None) -> None:
        from app.services.about import error_details

        super().__init__(parent)
        add_close_keys(self)
        self.details = error_details(error)
        self.summary = plain_summary(error)
        self.extra = 0
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setWindowTitle("Something went wrong")
        self.setAccessibleName("Unexpected error")
        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize, None, self)
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size)
        )
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.headline = QLabel("Backroom ran into a problem it did not expect.")
        font = self.headline.font()
        font.setBold(True)
        self.headline.setFont(font)
        self.message = QLabel(
            f"{self.summary}\n\nBackroom keeps running, and your edits are safe. "
            "If it happens again, copy the details into a message to support."
        )
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text = QVBoxLayout()
        text.addWidget(self.headline)
        text.addWidget(self.message)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addLayout(text, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = buttons.addButton("Copy details", QDialogButtonBox.ButtonRole.ActionRole)
        self.log_button = buttons.addButton(
            "Show log folder", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.copy_button.setAccessibleName("Copy error details")
        self.copy_button.clicked.connect(self._on_copy_clicked)
        self.log_button.clicked.connect(self._on_log_clicked)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def add_another(self) -> None:
        """Another error happened while this dialog was open."""
        self.extra += 1
        self.headline.setText(
            f"Backroom ran into {self.extra + 1} problems it did not expect (the first is shown)."
        )

    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.details)
        self.copy_button.setText("Copied")

    def _on_log_clicked(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_dir())))


class ErrorReporter:
    """Shows one :class:`ErrorDialog` at a time for ``parent``."""

    def __init__(self, parent: QWidget) -> None:
        self.parent = parent
        self.dialog: ErrorDialog | None = None

    def report(self, error: BaseException) -> ErrorDialog:
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.add_another()
            return self.dialog
        self.dialog = ErrorDialog(error, self.parent)
        self.dialog.open()
        return self.dialog


def install_excepthook(reporter: ErrorReporter) -> None:
    """Log every uncaught exception (redacted) and show it in the dialog."""

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        log.error("uncaught exception", exc_info=(kind, error, trace))
        try:
            reporter.report(error)
        except Exception:  # the dialog itself failed: the log has it
            log.exception("could not show the error dialog")

    sys.excepthook = hook
