"""View > Appearance: a dark choice takes effect even where the platform cannot
switch, and every widget follows a change of palette, style sheets included."""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory, QToolButton, QWidget

from tests.helpers.appearance import scheme_switching, switch_to
from ui.common.appearance import apply_color_scheme, dark_palette


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


def test_widgets_with_style_sheets_follow_every_palette_change(qtbot, monkeypatch):
    with scheme_switching(monkeypatch):
        box = QWidget()
        box.setStyleSheet("QToolButton#named { color: palette(link); }")
        named = QToolButton(box, text="Clear all", objectName="named")
        plain = QToolButton(text="Payment")
        plain.setStyleSheet("QToolButton::menu-indicator { width: 0px; }")
        for widget in (box, plain):
            qtbot.addWidget(widget)
            widget.show()

        def shows(palette: QPalette) -> bool:
            role = QPalette.ColorRole
            return named.palette().color(role.ButtonText) == palette.color(role.Link) and (
                plain.palette().color(role.Button) == palette.color(role.Button)
            )

        switch_to(qtbot, "dark")  # View > Appearance
        assert shows(dark_palette())
        desktop = QStyleFactory.create("Fusion").standardPalette()
        QApplication.setPalette(desktop)  # the desktop switching back on its own
        qtbot.waitUntil(lambda: shows(desktop))
