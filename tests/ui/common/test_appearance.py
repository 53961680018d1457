"""View > Appearance: a dark choice takes effect even where the platform cannot switch."""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from ui.common.appearance import apply_color_scheme


def test_dark_and_light_choices_change_the_palette(qapp, monkeypatch):
    monkeypatch.delenv("BACKROOM_COLOR_SCHEME", raising=False)
    before_style, before_palette = qapp.style().name(), QPalette(qapp.palette())
    try:
        apply_color_scheme("dark")
        window = QApplication.palette().color(QPalette.ColorRole.Window)
        assert window.lightness() < 80
        apply_color_scheme("light")
        assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() > 180
        monkeypatch.setenv("BACKROOM_COLOR_SCHEME", "dark")  # the environment wins
        apply_color_scheme("light")
        assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 80
    finally:
        apply_color_scheme("system")
        qapp.setStyle(before_style)
        qapp.setPalette(before_palette)
