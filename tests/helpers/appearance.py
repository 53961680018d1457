"""Light and dark for UI tests: switch the colour scheme the way View ›
Appearance does (and put the application back as it was afterwards), and
read the colours a widget is really drawn in from a picture of its window,
with their contrast as WCAG measures it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from ui.common.appearance import COLOR_SCHEME_ENV, apply_color_scheme


@contextmanager
def scheme_switching(monkeypatch) -> Iterator[None]:  # noqa: ANN001 - pytest's monkeypatch
    """Start light; afterwards the style and palette the application had."""
    monkeypatch.delenv(COLOR_SCHEME_ENV, raising=False)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before_style, before_palette = app.style().name(), QPalette(app.palette())
    apply_color_scheme("light")
    try:
        yield
    finally:
        apply_color_scheme("system")
        app.setStyle(before_style)
        app.setPalette(before_palette)


def switch_to(qtbot, scheme: str) -> None:  # noqa: ANN001 - pytest-qt's qtbot
    """Choose ``scheme`` as View › Appearance does and let the change reach every widget."""
    apply_color_scheme(scheme)
    dark = scheme == "dark"
    qtbot.waitUntil(lambda: is_dark(QApplication.palette()) == dark)
    QApplication.sendPostedEvents()  # the palette's events, posted to the widgets


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def luminance(colour: QColor) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.red())
        + 0.7152 * channel(colour.green())
        + 0.0722 * channel(colour.blue())
    )


def contrast(one: QColor, other: QColor) -> float:
    """WCAG's contrast ratio (1 to 21; body text wants 4.5, large text and icons 3)."""
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def drawn_colours(widget: QWidget) -> tuple[QColor, QColor]:
    """(background, ink) of ``widget`` as its window draws it now: the commonest
    colour of its area (shades of a gradient counted together), and the colour
    that stands out most against it."""
    window = widget.window()
    image = window.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    area = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size()).intersected(image.rect())
    pixels = [
        QColor.fromRgb(image.pixel(x, y))
        for x in range(area.left(), area.right() + 1)
        for y in range(area.top(), area.bottom() + 1)
    ]
    shades: dict[tuple[int, int, int], list[QColor]] = {}
    for colour in pixels:
        shades.setdefault(_shade(colour), []).append(colour)
    commonest = max(shades.values(), key=len)
    background = QColor(
        *(round(sum(channel(c) for c in commonest) / len(commonest)) for channel in _CHANNELS)
    )
    ink = max(pixels, key=lambda c: contrast(c, background))
    return background, ink


_CHANNELS = (QColor.red, QColor.green, QColor.blue)
SHADE_STEP = 20  # colours this close count as one (a button's gradient)


def _shade(colour: QColor) -> tuple[int, int, int]:
    return (colour.red() // SHADE_STEP, colour.green() // SHADE_STEP, colour.blue() // SHADE_STEP)
