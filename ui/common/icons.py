"""Backroom's icons: one modern, consistent set — Phosphor's line icons, drawn
from the font that ``qtawesome`` ships — in the colours of the palette.

:func:`icon` gives the icon for one of Backroom's own names (``"sync"``,
``"invoice"``, ``"add-file"``…; :data:`ICONS` lists them, so every part of
the window uses the same picture for the same thing). An icon's colour is
not fixed when it is made: its engine reads the application's palette each
time it is drawn, so the toolbar, the menus and the buttons follow a switch
between light and dark (a palette change repaints every widget) — nothing
has to remember to make them again. :class:`IconLabel` shows one as a
picture beside text (a file's name), drawn again when the palette changes.

The glyphs' font and ``qtawesome`` with it (~0.15 s) can wait for the
orders: between :func:`defer_glyph_font` and :func:`load_glyph_font_off_loop`
(the window calls them around its first rows) an icon draws nothing, and
what shows icons is drawn again once the font is in. Only Phosphor's font
is loaded, not the ten qtawesome ships. Otherwise the first icon drawn
loads it.
"""

from __future__ import annotations

import asyncio
import os
from functools import cache
from pathlib import Path

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QMenu, QTabBar, QWidget

ICONS: dict[str, str] = {
    # the toolbar and the Order menu
    "sync": "ph.arrows-clockwise",
    "new-order": "ph.plus-circle",
    "edit": "ph.pencil-simple",
    "open-window": "ph.arrow-square-out",
    "change-status": "ph.swap",
    "delete": "ph.trash",
    "customer": "ph.user-circle",
    "invoice": "ph.receipt",
    "print": "ph.printer",
    "pdf": "ph.file-pdf",
    "packing-slip": "ph.package",
    "copy": "ph.copy",
    # the File, View and Help menus
    "connect": "ph.storefront",
    "accounts": "ph.users",
    "demo": "ph.flask",
    "export": "ph.export",
    "settings": "ph.gear",
    "quit": "ph.sign-out",
    "sync-all": "ph.clock-counter-clockwise",
    "notify": "ph.bell",
    "sound": "ph.speaker-high",
    "appearance": "ph.circle-half",
    "shortcuts": "ph.keyboard",
    "log-folder": "ph.folder-open",
    "about": "ph.info",
    "ecdp-push": "ph.cloud-arrow-up",
    "outbox": "ph.tray",
    # the filter bar
    "search": "ph.magnifying-glass",
    "filter": "ph.funnel",
    "views": "ph.bookmarks",
    "clear": "ph.x-circle",
    # the editor and its files
    "save": "ph.floppy-disk",
    "discard": "ph.arrow-u-up-left",
    "add": "ph.plus",
    "remove": "ph.minus-circle",
    "calculate": "ph.calculator",
    "add-file": "ph.paperclip",
    "add-link": "ph.link",
    "file": "ph.file",
    "cancel": "ph.x",
    "retry": "ph.arrow-counter-clockwise",
}

MUTED_SHARE = 0.12  # line icons a touch softer than the text beside them


def _mix(colour: QColor, towards: QColor, share: float) -> QColor:
    return QColor(
        round(colour.red() * (1 - share) + towards.red() * share),
        round(colour.green() * (1 - share) + towards.green() * share),
        round(colour.blue() * (1 - share) + towards.blue() * share),
    )


def icon_colour(palette: QPalette, mode: QIcon.Mode = QIcon.Mode.Normal) -> QColor:
    """The colour an icon is drawn in for ``mode``, from ``palette``."""
    group, role = QPalette.ColorGroup, QPalette.ColorRole
    if mode == QIcon.Mode.Disabled:
        return palette.color(group.Disabled, role.ButtonText)
    if mode == QIcon.Mode.Selected:
        return palette.color(group.Active, role.HighlightedText)
    text = palette.color(group.Active, role.ButtonText)
    return _mix(text, palette.color(group.Active, role.Button), MUTED_SHARE)


QT_BINDING = "pyside6"  # qtpy's name for the binding Backroom runs on


@cache
def _qtawesome():  # noqa: ANN202 - the module, imported when the first icon is drawn
    os.environ.setdefault("QT_API", QT_BINDING)
    import qtawesome

    return qtawesome


class _GlyphFont:
    """Whether the glyphs' font is in, or is being waited for (drawn blank)."""

    loaded = False
    deferred = False


def defer_glyph_font() -> None:
    """Until :func:`load_glyph_font_off_loop` (or :func:`load_glyph_font`),
    icons draw nothing rather than load the font (if it is not in yet)."""
    _GlyphFont.deferred = not _GlyphFont.loaded


def stop_deferring_glyph_font() -> None:
    """Icons load the font when first drawn again (the window closing before
    it was loaded)."""
    _GlyphFont.deferred = False


def glyph_font_loaded() -> bool:
    """Whether the glyphs' font is in (icons drawn)."""
    return _GlyphFont.loaded


def load_glyph_font() -> None:
    """Load the icons' module and font now (~0.1 s), then draw the buttons,
    menus and tabs on screen again if their icons were drawn blank meanwhile."""
    _glyph(ICONS["sync"], "#000000")
    _GlyphFont.loaded = True
    if _GlyphFont.deferred:
        _GlyphFont.deferred = False
        # what shows an icon, drawn again now (not the whole window: the table
        # has none), before the loop goes on to load what comes next
        for widget in QApplication.allWidgets():
            if isinstance(widget, IconLabel):
                widget.draw()
            shows_icons = isinstance(widget, (QAbstractButton, QMenu, QTabBar, IconLabel))
            if shows_icons and widget.isVisible():
                widget.repaint()


async def load_glyph_font_off_loop() -> None:
    """:func:`load_glyph_font`, ``qtawesome`` imported off the GUI thread
    (~0.1 s), its font then made on it (Qt's fonts live there)."""
    if _GlyphFont.loaded:
        return
    await asyncio.to_thread(_qtawesome)
    load_glyph_font()


@cache
def _glyph_font():  # noqa: ANN202 - what draws the glyphs: qtawesome's IconicFont
    """Phosphor's font alone (~10 ms): qtawesome's own instance loads, and
    checks the hash of, each of the ten fonts it ships (~35 ms), on the GUI
    thread. Should its files be named otherwise one day: that instance."""
    qtawesome = _qtawesome()
    from qtawesome.iconic_font import IconicFont

    fonts = Path(qtawesome.__file__).parent / "fonts"
    ttf = sorted(fonts.glob("phosphor-[0-9]*.ttf"))
    charmap = sorted(fonts.glob("phosphor-charmap-*.json"))
    if not ttf or not charmap:
        return qtawesome
    return IconicFont(("ph", ttf[-1].name, charmap[-1].name))


def _glyph(glyph: str, colour: str) -> QIcon:
    return _glyph_font().icon(glyph, color=colour)  # (it keeps each one made)


class PaletteIconEngine(QIconEngine):
    """Draws one glyph in the colour the application's palette gives its mode."""

    def __init__(self, glyph: str) -> None:
        super().__init__()
        self.glyph = glyph

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        if _GlyphFont.deferred:
            return  # (drawn again once the font is in)
        colour = icon_colour(QGuiApplication.palette(), mode)
        _glyph(self.glyph, colour.name()).paint(
            painter, rect, Qt.AlignmentFlag.AlignCenter, QIcon.Mode.Normal, state
        )

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        pixmap = QPixmap(size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        try:
            self.paint(painter, QRect(QPoint(0, 0), size), mode, state)
        finally:
            painter.end()
        return pixmap

    def clone(self) -> QIconEngine:
        return PaletteIconEngine(self.glyph)

    def key(self) -> str:
        return "backroom-palette"


def icon(name: str) -> QIcon:
    """Backroom's icon ``name`` (a key of :data:`ICONS`), in the palette's colours."""
    return QIcon(PaletteIconEngine(ICONS[name]))


class IconLabel(QLabel):
    """Backroom's icon ``name`` as a picture (not a button), ``size`` pixels square."""

    def __init__(self, name: str, size: int = 16, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.icon = icon(name)
        self._size = size
        self.setFixedSize(size, size)
        self.draw()

    def draw(self) -> None:
        """Draw the picture again (the palette changed, the font came in)."""
        size = QSize(self._size, self._size)
        self.setPixmap(self.icon.pixmap(size, self.devicePixelRatioF()))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self.draw()  # a picture keeps its colours: draw it in the new ones
