"""The first-run page, shown while no account exists: what Backroom is, and
the two ways to start — connect an Ecwid store, or open the demo store."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.common.resources import app_icon

ICON_SIZE = 96
COLUMN_WIDTH = 420
HEADING = "Welcome to Backroom"
SUMMARY = (
    "Backroom keeps your Ecwid store’s orders on this computer, so you can find, "
    "edit, print and send them quickly — even offline."
)
KEYRING_NOTE = "Your API token is kept in the system keyring, never in a file."


class WelcomePage(QWidget):
    """A calm, centred column: icon, heading, one sentence, two large buttons."""

    connectRequested = Signal()
    demoRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setAccessibleName("Welcome")

        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(QSize(ICON_SIZE, ICON_SIZE), self.devicePixelRatio()))
        icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        icon.setMinimumHeight(ICON_SIZE)
        icon.setAccessibleName("Backroom")

        self.heading = QLabel(HEADING)
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.heading.setAccessibleName(HEADING)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.heading.setFont(font)

        summary = QLabel(SUMMARY, wordWrap=True)
        summary.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.connect_button = self._big_button("Connect an Ecwid store")
        self.connect_button.setDefault(True)
        self.connect_button.setAutoDefault(True)
        self.connect_button.clicked.connect(self.connectRequested)
        self.demo_button = self._big_button("Open the demo store")
        self.demo_button.setToolTip("Try Backroom on a built-in store with sample orders")
        self.demo_button.clicked.connect(self.demoRequested)

        note = QLabel(KEYRING_NOTE, wordWrap=True)
        note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        note.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # quieter, still readable
        note_font = note.font()
        note_font.setPointSizeF(note_font.pointSizeF() * 0.9)
        note.setFont(note_font)

        column = QWidget()
        column.setFixedWidth(COLUMN_WIDTH)
        inner = QVBoxLayout(column)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(12)
        inner.addWidget(icon)
        inner.addSpacing(4)
        inner.addWidget(self.heading)
        inner.addWidget(summary)
        inner.addSpacing(16)
        inner.addWidget(self.connect_button)
        inner.addWidget(self.demo_button)
        inner.addSpacing(12)
        inner.addWidget(note)

        centred = QHBoxLayout()
        centred.addStretch(1)
        centred.addWidget(column)
        centred.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addStretch(1)
        layout.addLayout(centred)
        layout.addStretch(2)

    def _big_button(self, text: str) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text)
        button.setMinimumHeight(button.sizeHint().height() + 16)
        font = button.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        button.setFont(font)
        return button


__all__ = ["WelcomePage", "HEADING"]
