"""Default widths of the order table's columns: each fits the widest value it
usually shows, measured in the table's own font, so "Awaiting processing",
an e-mail address or an unfinished order's nine-digit number are not cut,
whatever the font size. A width the user chose is kept (saved layouts and
the window's saved header); a width still at the old fixed default was never
chosen, and is replaced.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QStyle, QWidget

from ui.common.dates import display_locale, short_date_time

TYPICAL: dict[str, tuple[str, ...]] = {
    "number": ("390001437",),  # an unfinished order's number (its internal id)
    "customer": ("Alexandra Fitzgerald",),
    "email": ("lachlan.williams58@mail.example.net",),
    "items": ("999",),
    "payment": ("Awaiting payment", "Partially refunded"),
    "fulfillment": ("Awaiting processing", "Out for delivery"),
    "tracking": ("1Z999AA10123456784",),
    "sync": ("Not sent yet", "Overwritten"),
    "ecdp": ("Cannot be matched",),
    # a store's name, after its colour chip: a longer one is cut short ("Walnut & Lin…"),
    # whole in its tooltip and in the store tabs above the table
    "store": ("Walnut & Linen",),
}
"""The widest values a column usually shows (dates and money are added in
the user's locale by :func:`default_widths`)."""
CHIP_COLUMNS = frozenset({"payment", "fulfillment", "sync"})
CHIP_ROOM = 4  # the chip's margins beside its padding (ui.orders.status_chips)
STORE_CHIP_ROOM = 20  # the store's colour chip and its gap (ui.orders.table_model.store_chip)
SORT_ARROW_ROOM = 24  # beside a header's label
LAST_DEFAULTS = {
    "number": 64,
    "date": 124,
    "customer": 140,
    "email": 180,
    "items": 48,
    "total": 88,
    "payment": 128,
    "fulfillment": 128,
    "tracking": 150,
    "sync": 80,
    "printed": 124,
    "ecdp": 168,
}
"""The fixed widths before these: a saved width equal to one was not chosen."""


def typical_values(column: str) -> tuple[str, ...]:
    """What ``column`` must fit, in the user's locale for dates and money."""
    late = datetime(2026, 12, 28, 23, 59, tzinfo=UTC)  # two-digit day and month, PM
    locale = display_locale()
    if column in ("date", "printed"):
        return (short_date_time(late, locale),)
    if column == "ecdp":
        return (*TYPICAL["ecdp"], f"Sent {short_date_time(late, locale)}")
    if column == "total":
        return (locale.toCurrencyString(12_345.67, "$", 2),)
    return TYPICAL.get(column, ())


def default_widths(view: QWidget, headers: dict[str, str]) -> dict[str, int]:
    """A width per column id: its widest typical value or its header label
    (with room for the sort arrow), plus the cell's margins."""
    cells = view.fontMetrics()
    header_metrics = QFontMetrics(view.font())
    margin = 2 * (view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1) + 8
    widths = {}
    for column, label in headers.items():
        values = [cells.horizontalAdvance(value) for value in typical_values(column)]
        widest = max(values, default=0)
        if column in CHIP_COLUMNS and values:
            widest += 2 * max(6, cells.height() // 2) + 2 * CHIP_ROOM
        if column == "store":
            widest += STORE_CHIP_ROOM
        widths[column] = max(widest, header_metrics.horizontalAdvance(label) + SORT_ARROW_ROOM)
        widths[column] += margin
    return widths
