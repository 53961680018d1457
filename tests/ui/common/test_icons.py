"""Backroom's icons: every name draws a glyph of the one set, in the colours
of the palette as it is when drawn — so an icon made in light mode is drawn
light on dark after a switch, readable on both — and a picture of one
(IconLabel) is drawn again when the palette changes."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QIcon, QImage, QPalette
from PySide6.QtWidgets import QApplication

from tests.helpers.appearance import contrast, drawn_colours, scheme_switching, switch_to
from ui.common.icons import ICONS, IconLabel, icon, icon_colour

SIZE = QSize(32, 32)


def ink(picture: QIcon, mode: QIcon.Mode = QIcon.Mode.Normal) -> tuple[QColor, int]:
    """The colour of an icon's solid strokes and how many pixels it covers."""
    image = picture.pixmap(SIZE, mode).toImage().convertToFormat(QImage.Format.Format_ARGB32)
    solid = [
        image.pixelColor(x, y)
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() == 255
    ]
    assert solid, "the icon draws nothing"
    return solid[len(solid) // 2], len(solid)


def test_every_name_draws_a_glyph_of_the_set():
    assert all(glyph.startswith("ph.") for glyph in ICONS.values())  # one set: Phosphor
    sizes = {name: ink(icon(name))[1] for name in ICONS}
    assert all(count >= 12 for count in sizes.values()), sizes
    assert icon("sync").pixmap(SIZE).toImage() != icon("delete").pixmap(SIZE).toImage()


def test_icons_follow_a_switch_between_light_and_dark(qtbot, monkeypatch):
    with scheme_switching(monkeypatch):
        made_in_light = icon("invoice")
        drawn: dict[str, QColor] = {}
        for scheme in ("light", "dark", "light"):
            switch_to(qtbot, scheme)
            palette = QApplication.palette()
            colour, _ = ink(made_in_light)
            assert colour == icon_colour(palette)
            button = palette.color(QPalette.ColorRole.Button)
            assert contrast(colour, button) >= 4.5, (scheme, colour.name(), button.name())
            disabled, _ = ink(made_in_light, QIcon.Mode.Disabled)
            assert disabled == palette.color(
                QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText
            )
            drawn[scheme] = colour
        assert drawn["light"].lightness() < 100 < drawn["dark"].lightness()


def test_an_icon_shown_as_a_picture_is_drawn_again(qtbot, monkeypatch):
    with scheme_switching(monkeypatch):
        label = IconLabel("file", 24)
        qtbot.addWidget(label)
        label.show()
        qtbot.waitExposed(label)
        background, light_ink = drawn_colours(label)
        assert contrast(background, light_ink) >= 3
        switch_to(qtbot, "dark")
        background, dark_ink = drawn_colours(label)
        assert background.lightness() < 128 and dark_ink.lightness() > 128
        assert contrast(background, dark_ink) >= 3
