"""Where the GUI finds its bundled files (icons, templates) and loads them."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon

RESOURCES_DIR = Path(__file__).resolve().parents[2] / "resources"


@cache
def app_icon() -> QIcon:
    return QIcon(str(RESOURCES_DIR / "icons" / "backroom.svg"))


def app_icon_path() -> Path:
    """The app icon as a file (a PNG: what desktop notification services show)."""
    return RESOURCES_DIR / "icons" / "hicolor" / "128x128" / "apps" / "backroom.png"
