"""Status "chips": payment, fulfillment and sync states drawn as tinted pills.

:func:`family_of` sorts a status code into a :class:`ChipFamily` (paid is
green, waiting amber, on its way blue, stopped grey, gone wrong red, custom
neutral). :func:`chip_colors` derives a chip's colours from the view's own
palette, so a chip reads well in light and dark themes alike: the background
is the family's hue mixed into the base colour, the text the same hue made
dark (light themes) or light (dark themes) until it has at least
:data:`MIN_CONTRAST` against the background. :class:`StatusChipDelegate`
paints them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from ui.orders.table_model import STATUS_ROLE

MIN_CONTRAST = 4.5  # WCAG AA for normal text
CELL_MARGIN = 4  # between the chip and the cell's edges
Index = QModelIndex | QPersistentModelIndex


class ChipFamily(StrEnum):
    DONE = "done"  # paid
    WAITING = "waiting"  # awaiting payment or processing, a change not sent yet
    MOVING = "moving"  # shipped, out for delivery, delivered, being sent
    STOPPED = "stopped"  # cancelled, will not deliver, unfinished
    TROUBLE = "trouble"  # refunded, returned, a failed or conflicting change
    NEUTRAL = "neutral"  # custom and unknown statuses


FAMILIES: dict[str, ChipFamily] = {
    "PAID": ChipFamily.DONE,
    "AWAITING_PAYMENT": ChipFamily.WAITING,
    "AWAITING_PROCESSING": ChipFamily.WAITING,
    "PROCESSING": ChipFamily.WAITING,
    "PENDING": ChipFamily.WAITING,
    "SHIPPED": ChipFamily.MOVING,
    "OUT_FOR_DELIVERY": ChipFamily.MOVING,
    "DELIVERED": ChipFamily.MOVING,
    "READY_FOR_PICKUP": ChipFamily.MOVING,
    "SENDING": ChipFamily.MOVING,
    "CANCELLED": ChipFamily.STOPPED,
    "WILL_NOT_DELIVER": ChipFamily.STOPPED,
    "INCOMPLETE": ChipFamily.STOPPED,
    "REFUNDED": ChipFamily.TROUBLE,
    "PARTIALLY_REFUNDED": ChipFamily.TROUBLE,
    "RETURNED": ChipFamily.TROUBLE,
    "FAILED": ChipFamily.TROUBLE,
    "CONFLICT": ChipFamily.TROUBLE,
}

HUES: dict[ChipFamily, QColor] = {
    ChipFamily.DONE: QColor(46, 160, 67),
    ChipFamily.WAITING: QColor(214, 142, 0),
    ChipFamily.MOVING: QColor(36, 117, 214),
    ChipFamily.STOPPED: QColor(128, 128, 128),
    ChipFamily.TROUBLE: QColor(207, 52, 52),
}


@dataclass(frozen=True)
class ChipColors:
    background: QColor
    text: QColor


def family_of(code: str | None) -> ChipFamily:
    return FAMILIES.get((code or "").upper(), ChipFamily.NEUTRAL)


def chip_colors(family: ChipFamily, palette: QPalette) -> ChipColors:
    """Colours for a chip of ``family`` on a view painted with ``palette``."""
    base = palette.color(QPalette.ColorRole.Base)
    ink = palette.color(QPalette.ColorRole.Text)
    dark = luminance(base) < luminance(ink)
    hue = HUES.get(family, ink)
    strength = 0.12 if family is ChipFamily.NEUTRAL else (0.30 if dark else 0.17)
    background = mix(base, hue, strength)
    if family is ChipFamily.NEUTRAL:
        text = QColor(ink)
    else:
        text = QColor.fromHslF(
            hue.hslHueF(), min(hue.hslSaturationF(), 0.75), 0.82 if dark else 0.3
        )
    text = with_contrast(text, background, toward_light=dark)
    return ChipColors(background, text)


def mix(first: QColor, second: QColor, amount: float) -> QColor:
    """``first`` with ``amount`` (0..1) of ``second`` mixed in."""
    keep = 1.0 - amount
    return QColor.fromRgbF(
        first.redF() * keep + second.redF() * amount,
        first.greenF() * keep + second.greenF() * amount,
        first.blueF() * keep + second.blueF() * amount,
    )


def luminance(color: QColor) -> float:
    """WCAG relative luminance."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(color.redF())
        + 0.7152 * channel(color.greenF())
        + 0.0722 * channel(color.blueF())
    )


def contrast(first: QColor, second: QColor) -> float:
    """WCAG contrast ratio (1..21)."""
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def with_contrast(text: QColor, background: QColor, *, toward_light: bool) -> QColor:
    """``text`` made lighter or darker, step by step, until it reads on ``background``."""
    target = QColor(255, 255, 255) if toward_light else QColor(0, 0, 0)
    step = 0.0
    adjusted = QColor(text)
    while contrast(adjusted, background) < MIN_CONTRAST and step < 1.0:
        step = min(1.0, step + 0.1)
        adjusted = mix(text, target, step)
    return adjusted


class StatusChipDelegate(QStyledItemDelegate):
    """Paints a cell's text as a chip coloured by the status code in ``status_role``."""

    def __init__(self, parent: Any = None, status_role: int = STATUS_ROLE) -> None:
        super().__init__(parent)
        self._status_role = status_role
        # colours by (family, palette): the contrast search ran for every painted cell
        self._colors: dict[tuple[ChipFamily, int], ChipColors] = {}

    def _chip_colors(self, family: ChipFamily, palette: QPalette) -> ChipColors:
        key = (family, palette.cacheKey())
        colors = self._colors.get(key)
        if colors is None:
            if len(self._colors) > 64:  # palettes come and go (theme changes)
                self._colors.clear()
            colors = self._colors[key] = chip_colors(family, palette)
        return colors

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        cell = QStyleOptionViewItem(option)
        self.initStyleOption(cell, index)
        text = cell.text
        cell.text = ""
        widget = cell.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, cell, painter, widget)
        if not text:
            return
        metrics = cell.fontMetrics
        padding = max(6, metrics.height() // 2)
        height = metrics.height() + 4
        room = cell.rect.width() - 2 * CELL_MARGIN - 2 * padding
        if room <= metrics.horizontalAdvance("…"):
            return
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
        width = metrics.horizontalAdvance(shown) + 2 * padding
        top = cell.rect.top() + (cell.rect.height() - height) / 2
        chip = QRectF(cell.rect.left() + CELL_MARGIN, top, width, height)
        colors = self._chip_colors(family_of(index.data(self._status_role) or text), cell.palette)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colors.background)
        painter.drawRoundedRect(chip, height / 2, height / 2)
        painter.setFont(cell.font)
        painter.setPen(colors.text)
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, shown)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        cell = QStyleOptionViewItem(option)
        self.initStyleOption(cell, index)
        metrics = cell.fontMetrics
        padding = max(6, metrics.height() // 2)
        width = metrics.horizontalAdvance(cell.text) + 2 * padding + 2 * CELL_MARGIN
        return QSize(width, metrics.height() + 4 + 2 * CELL_MARGIN)
