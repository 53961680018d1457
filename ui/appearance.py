"""Light or dark: Backroom follows the system's colour scheme unless the user
picks one (View > Appearance), or ``BACKROOM_COLOR_SCHEME`` says so for this
run (screenshots, desktops that do not report their scheme)."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

COLOR_SCHEME_ENV = "BACKROOM_COLOR_SCHEME"
SCHEMES = {
    "system": Qt.ColorScheme.Unknown,
    "light": Qt.ColorScheme.Light,
    "dark": Qt.ColorScheme.Dark,
}


def apply_color_scheme(choice: str | None) -> None:
    """Use ``choice`` ("system", "light" or "dark"); the environment variable wins."""
    forced = os.environ.get(COLOR_SCHEME_ENV, "").strip().lower()
    value = forced if forced in SCHEMES else (choice or "system")
    QGuiApplication.styleHints().setColorScheme(SCHEMES.get(value, Qt.ColorScheme.Unknown))
