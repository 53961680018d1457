"""Light or dark: Backroom follows the system's colour scheme unless the user
picks one (View > Appearance), or ``BACKROOM_COLOR_SCHEME`` says so for this
run (screenshots, desktops that do not report their scheme).

Qt asks the platform theme for the scheme; where the platform cannot switch
(a bare X11 session, some Linux desktops), a dark choice falls back to the
Fusion style with a dark palette, so it always takes effect.
"""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
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
    if not isinstance(app, QApplication) or wanted == Qt.ColorScheme.Unknown:
        return
    if hints.colorScheme() != wanted:  # the platform could not switch: do it ourselves
        app.setStyle(QStyleFactory.create("Fusion"))
        app.setPalette(
            dark_palette() if wanted == Qt.ColorScheme.Dark else app.style().standardPalette()
        )


def paint_as_error(label: QWidget) -> None:
    """Red text that stays readable on a light and on a dark window."""
    palette = label.palette()
    dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#f28b82" if dark else "#b3261e"))
    label.setPalette(palette)
