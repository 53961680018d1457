"""Light or dark: Backroom follows the system's colour scheme unless the user
picks one (View > Appearance), or ``BACKROOM_COLOR_SCHEME`` says so for this
run (screenshots, desktops that do not report their scheme).

Qt asks the platform theme for the scheme; where the platform cannot switch
(a bare X11 session, some Linux desktops), a dark choice falls back to the
Fusion style with a dark palette, so it always takes effect.

Whatever changes the palette while Backroom runs (a choice here, or the
desktop switching), every widget follows: a widget with a style sheet keeps
the palette it had when its sheet was applied (and ``palette(...)`` in a
sheet is read then), so :class:`PaletteFollower` applies the sheets again
after each change of the application's palette.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory, QWidget

COLOR_SCHEME_ENV = "BACKROOM_COLOR_SCHEME"
SCHEMES = {
    "system": Qt.ColorScheme.Unknown,
    "light": Qt.ColorScheme.Light,
    "dark": Qt.ColorScheme.Dark,
}


def dark_palette() -> QPalette:
    """A calm dark palette (Fusion's roles, the colours of common dark themes)."""
    palette = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    colours = {
        role.Window: "#2b2d30",
        role.WindowText: "#e6e6e6",
        role.Base: "#1f2023",
        role.AlternateBase: "#27292c",
        role.ToolTipBase: "#3a3d41",
        role.ToolTipText: "#f0f0f0",
        role.PlaceholderText: "#8a8f98",
        role.Text: "#e6e6e6",
        role.Button: "#35373b",
        role.ButtonText: "#e6e6e6",
        role.BrightText: "#ff6b6b",
        role.Light: "#4a4d52",
        role.Midlight: "#3e4146",
        role.Mid: "#2f3135",
        role.Dark: "#18191b",
        role.Shadow: "#000000",
        role.Highlight: "#3d7bd9",
        role.HighlightedText: "#ffffff",
        role.Link: "#6ea8ff",
        role.LinkVisited: "#b18cff",
    }
    for which, name in colours.items():
        palette.setColor(which, QColor(name))
    for which in (role.Text, role.WindowText, role.ButtonText):
        palette.setColor(group.Disabled, which, QColor("#7c8088"))
    return palette


def apply_color_scheme(choice: str | None) -> None:
    """Use ``choice`` ("system", "light" or "dark"); the environment variable wins."""
    forced = os.environ.get(COLOR_SCHEME_ENV, "").strip().lower()
    value = forced if forced in SCHEMES else (choice or "system")
    wanted = SCHEMES.get(value, Qt.ColorScheme.Unknown)
    hints = QGuiApplication.styleHints()
    hints.setColorScheme(wanted)
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    PaletteFollower.install(app)
    global _style_before
    if wanted == Qt.ColorScheme.Unknown:
        if _style_before is not None:  # our own palette is no longer wanted
            app.setPalette(QPalette())  # (an empty palette: the desktop's own)
            app.setStyle(QStyleFactory.create(_style_before) or app.style())
            _style_before = None
    elif hints.colorScheme() != wanted:  # the platform could not switch: do it ourselves
        if _style_before is None:
            _style_before = app.style().name()
        fusion = QStyleFactory.create("Fusion")
        # the palette first: setting the style then polishes every widget with it
        dark = wanted == Qt.ColorScheme.Dark
        app.setPalette(dark_palette() if dark else fusion.standardPalette())
        app.setStyle(fusion)
    refresh_style_sheets(app)


_style_before: str | None = None  # the style in use before a forced scheme


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def refresh_style_sheets(app: QApplication) -> None:
    """Apply every style sheet again, so that each widget that has one takes
    the application's current palette (and its ``palette(...)`` colours)."""
    if app.styleSheet():
        app.setStyleSheet(app.styleSheet())
    for widget in app.allWidgets():
        sheet = widget.styleSheet()
        if sheet:
            widget.setStyleSheet(sheet)


class PaletteFollower(QWidget):
    """Notices a new application palette (the desktop switching light and
    dark, or :func:`apply_color_scheme`) and then applies the style sheets
    again, once the change has reached every widget.

    It is a widget that is never shown: every widget hears of a new
    application palette, and this one has no other job (an event filter on
    the application would see every event of every object instead)."""

    def __init__(self, app: QApplication) -> None:
        super().__init__()
        self._app = app
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(lambda: refresh_style_sheets(self._app))

    @classmethod
    def install(cls, app: QApplication) -> PaletteFollower:
        """The application's follower (made the first time)."""
        global _follower
        if _follower is None:
            _follower = cls(app)
        return _follower

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._timer.start()


_follower: PaletteFollower | None = None


class _ErrorColour(QObject):
    """Keeps a label's text red enough to read on its window, light or dark."""

    def __init__(self, label: QWidget) -> None:
        super().__init__(label)
        self.setObjectName("errorColour")
        self._busy = False
        label.installEventFilter(self)
        self.apply(label)

    def apply(self, label: QWidget) -> None:
        parent = label.parentWidget()
        dark = is_dark(parent.palette() if parent is not None else QGuiApplication.palette())
        palette = label.palette()
        colour = QColor("#f28b82" if dark else "#b3261e")
        if palette.color(QPalette.ColorRole.WindowText) == colour:
            return
        palette.setColor(QPalette.ColorRole.WindowText, colour)
        self._busy = True
        try:
            label.setPalette(palette)
        finally:
            self._busy = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if not self._busy and event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ParentChange):
            self.apply(watched)  # type: ignore[arg-type]
        return False


def paint_as_error(label: QWidget) -> None:
    """Red text that stays readable on a light and on a dark window (and
    follows when the palette changes)."""
    keeper = label.findChild(_ErrorColour, "errorColour")
    if keeper is None:
        _ErrorColour(label)
    else:
        keeper.apply(label)
