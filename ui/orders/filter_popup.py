"""The small window a filter opens below its button (the date and total
ranges, "More filters").

It always fits the screen it opens on: placed within that screen's
available area (beside the task bar and panels, never under them), below
its button when there is room, above it otherwise, moved left when it would
cross the right edge — and when the screen is smaller than its content, it
takes the room there is and scrolls, so every field stays reachable. A field
that gets the focus (Tab, a label's Alt+letter) is scrolled into sight. It
grows and shrinks with its content (a message under a field), and closes on
Esc or a click outside.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QApplication, QFrame, QScrollArea, QStyle, QVBoxLayout, QWidget

MARGIN = 10  # around the content, inside the frame
EDGE = 4  # kept free between the popup and the screen's edges


class FilterPopup(QFrame):
    """Shows ``content`` below a button; see the module docstring."""

    def __init__(self, content: QWidget, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.content = content
        self._anchor: QWidget | None = None
        self._fitting = False
        self._setup_ui()
        for watched in (content, self.scroll.widget()):  # a new size asked for: fit again
            watched.installEventFilter(self)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._on_focus_changed)

    def _setup_ui(self) -> None:
        holder = QWidget()
        holder.setObjectName("filterPopupContent")
        inner = QVBoxLayout(holder)
        inner.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        inner.addWidget(self.content)
        self.scroll = QScrollArea(widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
        self.scroll.setWidget(holder)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll)

    # -- showing -------------------------------------------------------------------

    def open_below(self, anchor: QWidget) -> None:
        """Show below (or above) ``anchor``, inside the screen it is on."""
        self._anchor = anchor
        self.fit()
        self.show()
        self.fit()  # (now that the frame is real)
        self.content.setFocus(Qt.FocusReason.PopupFocusReason)

    def sizeHint(self) -> QSize:  # noqa: N802
        """The size that shows all of the content without scrolling."""
        frame = 2 * self.frameWidth()
        wanted = self.scroll.widget().sizeHint()
        return QSize(wanted.width() + frame, wanted.height() + frame)

    def available(self) -> QRect:
        """The part of the anchor's screen a window may take."""
        anchor = self._anchor or self.parentWidget()
        corner = anchor.mapToGlobal(QPoint(0, anchor.height()))
        screen = QGuiApplication.screenAt(corner) or anchor.screen()
        return screen.availableGeometry()

    def fit(self) -> None:
        """Size and place the popup for its content, within the screen."""
        if self._anchor is None or self._fitting:
            return
        self._fitting = True
        try:
            self._fit(self._anchor)
        finally:
            self._fitting = False

    def _fit(self, anchor: QWidget) -> None:
        area = self.available().adjusted(EDGE, EDGE, -EDGE, -EDGE)
        wanted = self.sizeHint()
        top = anchor.mapToGlobal(QPoint(0, 0))
        below = top.y() + anchor.height()
        room_below = area.bottom() + 1 - below
        room_above = top.y() - area.top()
        height = min(wanted.height(), area.height())
        if height <= room_below:
            y = below
        elif height <= room_above:
            y = top.y() - height
        elif room_below >= room_above:
            y, height = below, room_below
        else:
            y, height = area.top(), room_above
        width = wanted.width()
        if height < wanted.height():  # a scroll bar: room for it beside the fields
            width += self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        width = min(width, area.width())
        x = min(top.x(), area.right() + 1 - width)
        x = max(x, area.left())
        self.setGeometry(QRect(x, y, width, height))
        focused = QApplication.focusWidget()
        if focused is not None and self.content.isAncestorOf(focused):
            self._reveal(focused)

    # -- events --------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.LayoutRequest and watched in (
            self.content,
            self.scroll.widget(),
        ):
            if self.isVisible():
                self.fit()
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            event.accept()
            return
        super().keyPressEvent(event)

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and self.isVisible() and self.content.isAncestorOf(new):
            self._reveal(new)

    def _reveal(self, field: QWidget) -> None:
        """Scroll ``field`` into sight, once the layout has placed it."""
        QTimer.singleShot(0, self, lambda: self._scroll_to(field))

    def _scroll_to(self, field: QWidget) -> None:
        if self.isVisible() and field.isVisible() and self.content.isAncestorOf(field):
            # the whole field where it fits (ensureWidgetVisible minds only a line
            # edit's cursor)
            place = QRect(field.mapTo(self.scroll.widget(), QPoint(0, 0)), field.size())
            centre = place.center()
            margins = (place.width() // 2 + 8, place.height() // 2 + 8)
            self.scroll.ensureVisible(centre.x(), centre.y(), *margins)
