"""The filter bar's pills: one removable button per active filter, wrapping
onto as many lines as needed.

:func:`active_filters` names every filter a query sets (with the field
values that remove it), :func:`filter_pill` makes the button for one, and
:class:`FlowLayout` lays them out. :func:`range_text` and
:func:`total_text` describe date and total ranges in words, for the pills
and the bar's buttons alike.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QDate, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QToolButton, QWidget

from app.domain.queries import OrderQuery
from ui.common.dates import display_locale, medium_date
from ui.orders.filter_values import DATE_PRESETS, day_end, day_of, day_start, preset_days, today_in
from ui.orders.status_filter_button import shortened, status_name

UNFINISHED = ["INCOMPLETE"]
PILL_STYLE = """
QToolButton#filterPill {
    border: 1px solid palette(mid); border-radius: 9px; padding: 1px 8px;
    background: palette(base); color: palette(text);
}
QToolButton#filterPill:hover, QToolButton#filterPill:focus { border-color: palette(highlight); }
QToolButton#clearAll {
    border: 1px solid transparent; border-radius: 9px; padding: 1px 6px;
    background: transparent; color: palette(link);
}
QToolButton#clearAll:hover, QToolButton#clearAll:focus { border-color: palette(highlight); }
"""
"""The pills' look; ``palette(...)`` is read when the sheet is applied, and
:mod:`ui.common.appearance` applies it again when the palette changes."""
MAX_PILL_TEXT = 48


def _day_text(moment: datetime, zone: tzinfo | None, *, year: bool = True) -> str:
    return medium_date(day_of(moment, zone), year=year)


def _month_text(moment: datetime, zone: tzinfo | None) -> str:
    day = day_of(moment, zone)
    return display_locale().toString(QDate(day.year, day.month, 1), "MMM ’yy")


def range_text(
    start: datetime | None, end: datetime | None, zone: tzinfo | None, *, short: bool = False
) -> str:
    """A date range in words: a preset's name, or its days. ``short`` (for the
    narrow Created button) leaves out the year within one year ("Dec 1 – Dec 7")
    and names months and years across years ("Dec ’24 – Mar ’25"): "Dec 7 –
    Mar 31" would hide the year, and days with years do not fit the button."""
    year = not short
    if start is not None and end is not None:
        today = today_in(zone)
        for preset in DATE_PRESETS:
            first, last = preset_days(preset, today)
            if (start, end) == (day_start(first, zone), day_end(last, zone)):
                return preset
        same_year = day_of(start, zone).year == day_of(end, zone).year
        if short and not same_year:
            return f"{_month_text(start, zone)} – {_month_text(end, zone)}"
        first = _day_text(start, zone, year=not same_year)
        return f"{first} – {_day_text(end, zone, year=year or not same_year)}"
    if start is not None:
        return f"from {_day_text(start, zone, year=year)}"
    return f"until {_day_text(end, zone, year=year)}" if end is not None else "Any time"


def total_text(low: Decimal | None, high: Decimal | None) -> str:
    if low is not None and high is not None:
        return f"Total {low} – {high}"
    return f"Total ≥ {low}" if low is not None else f"Total ≤ {high}"


def active_filters(
    query: OrderQuery, names: dict[str, str], zone: tzinfo | None
) -> list[tuple[str, dict[str, Any]]]:
    """Each active filter as (label, the field values that remove it)."""
    q, found = query, []
    if q.deleted:
        found.append(("Deleted orders", {"deleted": False}))
    if q.invoice_printed is not None:
        label = "Invoice printed" if q.invoice_printed else "Invoice not printed yet"
        found.append((label, {"invoice_printed": None}))
    if q.text:
        found.append((f"Search: {q.text.strip()}", {"text": None}))
    if q.payment_status == UNFINISHED:
        found.append(("Unfinished orders", {"payment_status": None, "include_incomplete": False}))
    elif q.payment_status:
        labels = ", ".join(status_name(code, names) for code in q.payment_status)
        found.append((f"Payment: {labels}", {"payment_status": None}))
    if q.fulfillment_status:
        labels = ", ".join(status_name(code, names) for code in q.fulfillment_status)
        found.append((f"Fulfillment: {labels}", {"fulfillment_status": None}))
    if q.created_from or q.created_to:
        text = range_text(q.created_from, q.created_to, zone)
        found.append((f"Created: {text}", {"created_from": None, "created_to": None}))
    if q.total_from is not None or q.total_to is not None:
        removal = {"total_from": None, "total_to": None}
        found.append((total_text(q.total_from, q.total_to), removal))
    for field, label in (
        ("order_number", "Order #"),
        ("vendor_order_number", "Vendor #"),
        ("customer", "Customer"),
        ("email", "Email"),
        ("keywords", "Keywords"),
        ("coupon_code", "Coupon"),
        ("payment_method", "Payment method"),
        ("payment_module", "Payment module"),
        ("shipping_method", "Shipping"),
        ("ids", "Order IDs"),
        ("customer_id", "Customer ID"),
        ("product_id", "Product ID"),
        ("subscription_id", "Subscription ID"),
        ("referer_id", "Referrer ID"),
        ("outbox_states", "Outbox"),
    ):
        value = getattr(q, field)
        if value:
            text = ", ".join(str(v) for v in value) if isinstance(value, list) else value
            found.append((f"{label}: {text}", {field: None}))
    for field, yes, no in (
        ("accept_marketing", "Accepts marketing", "Does not accept marketing"),
        ("contains_preorder_items", "Has pre-order items", "No pre-order items"),
    ):
        value = getattr(q, field)
        if value is not None:
            found.append((yes if value else no, {field: None}))
    for label, start, end in (
        ("Updated", "updated_from", "updated_to"),
        ("Pickup", "pickup_time_from", "pickup_time_to"),
    ):
        low, high = getattr(q, start), getattr(q, end)
        if low or high:
            found.append((f"{label}: {range_text(low, high, zone)}", {start: None, end: None}))
    if q.include_incomplete and q.payment_status != UNFINISHED:
        found.append(("With unfinished orders", {"include_incomplete": False}))
    return found


def filter_pill(parent: QWidget, label: str) -> QToolButton:
    """A pill naming the filter ``label`` (shortened; the whole of it in the tooltip)."""
    shown = shortened(label, MAX_PILL_TEXT).replace("&", "&&")  # an "&" is no mnemonic
    pill = QToolButton(parent, text=f"{shown}  ✕", objectName="filterPill")
    pill.setToolTip(f"Remove the filter “{label}”")
    pill.setAccessibleName(f"Remove filter {label}")
    pill.setCursor(Qt.CursorShape.PointingHandCursor)
    return pill


class FlowLayout(QLayout):
    """Lays widgets out left to right, wrapping onto new lines as needed."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self.setContentsMargins(0, 0, 0, 0)
        self.setSpacing(6)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._place(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._place(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _place(self, rect: QRect, *, move: bool) -> int:
        x, y, line = rect.x(), rect.y(), 0
        for item in self._items:
            if item.isEmpty():
                continue
            hint = item.sizeHint()
            if x + hint.width() > rect.right() + 1 and line:
                x, y, line = rect.x(), y + line + self.spacing(), 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self.spacing()
            line = max(line, hint.height())
        return y + line - rect.y()
