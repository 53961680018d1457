"""A banner across the top of the order editor: a restored draft, a refusal by
the server, a change waiting offline. A tinted strip with a message and, when
there is something to do about it, one button ("Discard draft").

Its colours are the palette's own, tinted towards blue (information), amber
(a warning) or red (an error), so it reads in light and dark themes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from ui.editor.fields import error_color, is_dark

TINTS = {"info": QColor("#3d7bd9"), "warning": QColor("#d9a53d"), "error": QColor("#d9453d")}


class NoticeBanner(QFrame):
    """A message with an optional action; hidden until :meth:`show_notice`."""

    actionTriggered = Signal()  # noqa: N815 (Qt signal naming)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = "info"
        self._setup_ui()
        self.hide()

    def _setup_ui(self) -> None:
        self.setObjectName("noticeBanner")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAutoFillBackground(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setAccessibleName("Notice")
        self.action = QPushButton()
        self.action.hide()
        self.action.clicked.connect(self._on_action_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(20, 8, 20, 8)
        layout.setSpacing(12)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.action, 0, Qt.AlignmentFlag.AlignVCenter)

    def show_notice(self, text: str, kind: str = "info", action: str | None = None) -> None:
        """Show ``text``; ``action`` names the button (none when None)."""
        self.kind = kind
        self.message.setText(text)
        self.action.setText(action or "")
        self.action.setAccessibleName(action or "")
        self.action.setVisible(bool(action))
        self.retint()
        self.show()

    def clear(self) -> None:
        self.message.clear()
        self.hide()

    def text(self) -> str:
        return "" if self.isHidden() else self.message.text()

    def retint(self) -> None:
        """Colour the banner from its parent's palette (again after a theme change)."""
        base = self.parentWidget().palette() if self.parentWidget() else self.palette()
        window = base.color(QPalette.ColorRole.Window)
        tint = TINTS.get(self.kind, TINTS["info"])
        share = 0.28 if is_dark(base) else 0.14
        background = QColor(
            round(window.red() * (1 - share) + tint.red() * share),
            round(window.green() * (1 - share) + tint.green() * share),
            round(window.blue() * (1 - share) + tint.blue() * share),
        )
        palette = QPalette(base)
        palette.setColor(QPalette.ColorRole.Window, background)
        self.setPalette(palette)
        text = error_color(base) if self.kind == "error" else base.color(QPalette.ColorRole.Text)
        palette.setColor(QPalette.ColorRole.WindowText, text)
        self.message.setPalette(palette)

    def _on_action_clicked(self) -> None:
        self.actionTriggered.emit()
