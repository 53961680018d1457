"""The filter bar above the orders table: instant search, payment and fulfillment
statuses, created-date and total ranges, unfinished orders, "More filters",
and a row of removable pills naming every active filter.

The bar only builds an :class:`~app.store.OrderQuery` and emits it; it leaves
``sort``/``descending`` at their defaults (the window takes those from the
table) and never asks the cache anything itself.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QDate, QLocale, QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLayout,
    QLayoutItem,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.ecwid.enums import FulfillmentStatus, PaymentStatus
from app.store import OrderQuery
from ui.more_filters import (
    DATE_PRESETS,
    MORE_FIELDS,
    DateRangeEditor,
    FilterPopup,
    MoreFiltersPanel,
    TotalRangeEditor,
    day_end,
    day_of,
    day_start,
    preset_days,
    today_in,
)
from ui.search_field import SearchField

SEARCH_DELAY_MS = 150
UNFINISHED = ["INCOMPLETE"]
PAYMENT_CHOICES = [status.value for status in PaymentStatus if status != "INCOMPLETE"]
FULFILLMENT_CHOICES = [status.value for status in FulfillmentStatus]
PILL_STYLE = """
QToolButton#filterPill {
    border: 1px solid palette(mid); border-radius: 9px; padding: 1px 8px;
    background: palette(alternate-base); color: palette(text);
}
QToolButton#filterPill:hover, QToolButton#filterPill:focus { border-color: palette(highlight); }
"""
MENU_BUTTON_STYLE = "QToolButton::menu-indicator { image: none; width: 0px; }"
DROP = " ▾"
MAX_PILL_TEXT = 48
MAX_BUTTON_TEXT = 24  # so the row fits in 1200 px with every filter set (pills say all)


def _shortened(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _set_button_text(button: QToolButton, text: str) -> None:
    """A drop-down button's text, shortened (the whole text in the tooltip)."""
    button.setText(_shortened(text, MAX_BUTTON_TEXT) + DROP)
    button.setToolTip(text if len(text) > MAX_BUTTON_TEXT else "")


def status_name(code: str, names: dict[str, str]) -> str:
    """The store's name for a status, else its code in plain words."""
    if names.get(code):
        return names[code]
    return "Unfinished" if code == "INCOMPLETE" else code.replace("_", " ").capitalize()


def _day_text(moment: datetime, zone: tzinfo | None, form: str = "d MMM yyyy") -> str:
    day = day_of(moment, zone)
    return QLocale().toString(QDate(day.year, day.month, day.day), form)


def _range_text(
    start: datetime | None, end: datetime | None, zone: tzinfo | None, *, short: bool = False
) -> str:
    """A date range in words: a preset's name, or its days (``short``: without years)."""
    form = "d MMM" if short else "d MMM yyyy"
    if start is not None and end is not None:
        today = today_in(zone)
        for preset in DATE_PRESETS:
            first, last = preset_days(preset, today)
            if (start, end) == (day_start(first, zone), day_end(last, zone)):
                return preset
        same_year = day_of(start, zone).year == day_of(end, zone).year
        first = _day_text(start, zone, "d MMM" if same_year else form)
        return f"{first} – {_day_text(end, zone, form)}"
    if start is not None:
        return f"from {_day_text(start, zone, form)}"
    return f"until {_day_text(end, zone, form)}" if end is not None else "Any time"


def _total_text(low: Decimal | None, high: Decimal | None) -> str:
    if low is not None and high is not None:
        return f"Total {low} – {high}"
    return f"Total ≥ {low}" if low is not None else f"Total ≤ {high}"


def active_filters(
    query: OrderQuery, names: dict[str, str], zone: tzinfo | None
) -> list[tuple[str, dict[str, Any]]]:
    """Each active filter as (label, the field values that remove it)."""
    q, found = query, []
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
        text = _range_text(q.created_from, q.created_to, zone)
        found.append((f"Created: {text}", {"created_from": None, "created_to": None}))
    if q.total_from is not None or q.total_to is not None:
        removal = {"total_from": None, "total_to": None}
        found.append((_total_text(q.total_from, q.total_to), removal))
    for field, label in (
        ("order_number", "Order #"),
        ("vendor_order_number", "Vendor #"),
        ("customer", "Customer"),
        ("email", "Email"),
        ("keywords", "Keywords"),
        ("coupon_code", "Coupon"),
        ("payment_method", "Payment method"),
        ("shipping_method", "Shipping"),
        ("ids", "Order ids"),
        ("outbox_states", "Outbox"),
    ):
        value = getattr(q, field)
        if value:
            text = ", ".join(str(v) for v in value) if isinstance(value, list) else value
            found.append((f"{label}: {text}", {field: None}))
    if q.updated_from or q.updated_to:
        text = _range_text(q.updated_from, q.updated_to, zone)
        found.append((f"Updated: {text}", {"updated_from": None, "updated_to": None}))
    if q.include_incomplete and q.payment_status != UNFINISHED:
        found.append(("With unfinished orders", {"include_incomplete": False}))
    return found


class _CheckMenu(QMenu):
    """A menu whose check boxes toggle without closing it (Space or a click)."""

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        action = self.actionAt(event.position().toPoint())
        if action is not None and action.isCheckable() and action.isEnabled():
            action.trigger()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        action = self.activeAction()
        if event.key() == Qt.Key.Key_Space and action is not None and action.isCheckable():
            action.trigger()
            return
        super().keyPressEvent(event)


class StatusFilterButton(QToolButton):
    """A drop-down of statuses to check; ``selectionChanged`` carries the checked codes."""

    selectionChanged = Signal(list)

    def __init__(self, title: str, choices: list[str]) -> None:
        super().__init__()
        self.title = title
        self._choices = list(choices)
        self._names: dict[str, str] = {}
        self._selected: list[str] = []
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setStyleSheet(MENU_BUTTON_STYLE)
        self.setAccessibleName(f"{title} status filter")
        self.setMenu(_CheckMenu(self))
        self._rebuild()

    def set_names(self, names: dict[str, str]) -> None:
        self._names = dict(names)
        self._rebuild()

    def selected(self) -> list[str]:
        return list(self._selected)

    def set_selected(self, codes: list[str] | None) -> None:
        self._selected = list(codes or [])
        listed = {action.data() for action in self.menu().actions() if action.isCheckable()}
        if any(code not in listed for code in self._selected):
            self._rebuild()
        for action in self.menu().actions():
            if action.isCheckable():
                action.setChecked(action.data() in self._selected)
        self._update_text()

    def _shown(self) -> list[str]:
        """Known statuses; custom ones only when the store names them or they are chosen."""
        shown = [
            code
            for code in self._choices
            if not code.startswith("CUSTOM_") or code in self._names or code in self._selected
        ]
        return shown + [code for code in self._selected if code not in shown]

    def _rebuild(self) -> None:
        menu = self.menu()
        menu.clear()
        for code in self._shown():
            action = menu.addAction(status_name(code, self._names))
            action.setData(code)
            action.setCheckable(True)
            action.setChecked(code in self._selected)
            action.triggered.connect(self._on_action_triggered)
        menu.addSeparator()
        menu.addAction(f"Any {self.title.lower()} status", self._on_any_triggered)
        self._update_text()

    def _update_text(self) -> None:
        count = len(self._selected)
        text = f"{self.title}: {count}" if count else self.title
        if count == 1:
            named = f"{self.title}: {status_name(self._selected[0], self._names)}"
            text = named if len(named) <= MAX_BUTTON_TEXT else text
        _set_button_text(self, text)
        _mark_active(self, bool(count))

    def _on_action_triggered(self) -> None:
        checked = {a.data() for a in self.menu().actions() if a.isCheckable() and a.isChecked()}
        self._selected = [code for code in self._shown() if code in checked]
        self._update_text()
        self.selectionChanged.emit(self.selected())

    def _on_any_triggered(self) -> None:
        self.set_selected([])
        self.selectionChanged.emit([])


def _mark_active(button: QToolButton, active: bool) -> None:
    font = button.font()
    if font.bold() != active:
        font.setBold(active)
        button.setFont(font)


class _FlowLayout(QLayout):
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


class FilterBar(QWidget):
    """Filters for the orders table; emits ``queryChanged`` with each new query."""

    queryChanged = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._query = OrderQuery()
        self._names: dict[str, str] = {}
        self._zone: tzinfo | None = None
        self._payment_before_unfinished: list[str] | None = None
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._on_search_timer_timeout)
        self._setup_ui()
        self._refresh()

    def _setup_ui(self) -> None:
        self.search = SearchField("Search orders (Ctrl+F)…", "Search orders")
        self.search.setMinimumWidth(160)
        self.search.textChanged.connect(self._on_search_text_changed)
        self.payment_button = StatusFilterButton("Payment", PAYMENT_CHOICES)
        self.payment_button.selectionChanged.connect(self._on_payment_selection_changed)
        self.fulfillment_button = StatusFilterButton("Fulfillment", FULFILLMENT_CHOICES)
        self.fulfillment_button.selectionChanged.connect(self._on_fulfillment_selection_changed)
        self.created_button = QToolButton(accessibleName="Created date filter")
        self.total_button = QToolButton(accessibleName="Order total filter")
        self.unfinished_button = QToolButton(text="Unfinished", checkable=True)
        self.unfinished_button.setAccessibleName("Show only unfinished orders")
        self.unfinished_button.setToolTip("Show only unfinished orders (abandoned checkouts)")
        self.unfinished_button.clicked.connect(self._on_unfinished_button_clicked)
        self.more_button = QToolButton(accessibleName="More filters")

        self.created_editor = DateRangeEditor("Created")
        self.created_editor.chosen.connect(self._on_created_editor_chosen)
        self.total_editor = TotalRangeEditor()
        self.total_editor.chosen.connect(self._on_total_editor_chosen)
        self.more_panel = MoreFiltersPanel()
        self.more_panel.applied.connect(self._on_more_panel_applied)
        self.created_popup = FilterPopup(self.created_editor, self)
        self.total_popup = FilterPopup(self.total_editor, self)
        self.more_popup = FilterPopup(self.more_panel, self)
        for button, popup, prepare in (
            (self.created_button, self.created_popup, self._prepare_created_editor),
            (self.total_button, self.total_popup, self._prepare_total_editor),
            (self.more_button, self.more_popup, self._prepare_more_panel),
        ):
            button.clicked.connect(
                lambda _=False, b=button, p=popup, f=prepare: self._open_popup(b, p, f)
            )

        self._row = QHBoxLayout()
        self._row.setSpacing(4)
        self._row.addWidget(self.search, 1)
        for widget in (
            self.payment_button,
            self.fulfillment_button,
            self.created_button,
            self.total_button,
            self.unfinished_button,
            self.more_button,
        ):
            self._row.addWidget(widget)

        self.pills = QWidget()
        self.pills.setAccessibleName("Active filters")
        self.pills.setStyleSheet(PILL_STYLE)
        self._pill_layout = _FlowLayout(self.pills)
        self.clear_all_button = QToolButton(text="Clear all", autoRaise=True)
        self.clear_all_button.setAccessibleName("Clear all filters")
        self.clear_all_button.clicked.connect(self.clear)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(self._row)
        layout.addWidget(self.pills)

    # -- public ---------------------------------------------------------------------

    def query(self) -> OrderQuery:
        """The filters as a query (``sort``/``descending`` at their defaults)."""
        return self._query

    def set_query(self, query: OrderQuery) -> None:
        """Show ``query``'s filters (its sort is ignored); emits at most once."""
        self._search_timer.stop()
        self._payment_before_unfinished = None
        values = query.model_dump(exclude={"sort", "descending"})
        self._commit(OrderQuery.model_validate(values), sync_search=True)

    def clear(self) -> None:
        """Remove every filter."""
        self.set_query(OrderQuery())

    def focus_search(self) -> None:
        """Put the cursor in the search field with its text selected (Ctrl+F)."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def set_status_names(self, names: dict[str, str]) -> None:
        """Use the store's own status names (code -> name); custom statuses named here show."""
        self._names = dict(names)
        self.payment_button.set_names(self._names)
        self.fulfillment_button.set_names(self._names)
        self._refresh()

    def set_time_zone(self, zone: tzinfo | None) -> None:
        """The zone whose days the date filters mean (``None``: this computer's)."""
        self._zone = self.created_editor.zone = self.more_panel.zone = zone
        self._refresh()

    def add_trailing_widget(self, widget: QWidget) -> None:
        """Place ``widget`` (e.g. the saved views button) at the end of the row."""
        self._row.addWidget(widget)

    # -- changes --------------------------------------------------------------------

    def _change(self, **fields: Any) -> None:
        if self._search_timer.isActive():  # a search still waiting goes along
            self._search_timer.stop()
            fields.setdefault("text", self.search.text().strip())
        values = self._query.model_dump()
        values.update(fields)
        self._commit(OrderQuery.model_validate(values), sync_search="text" in fields)

    def _commit(self, query: OrderQuery, *, sync_search: bool = False) -> None:
        changed = query != self._query
        self._query = query
        if sync_search and self.search.text().strip() != (query.text or "").strip():
            self.search.blockSignals(True)
            self.search.setText(query.text or "")
            self.search.blockSignals(False)
        self._refresh()
        if changed:
            self.queryChanged.emit(query)

    def _refresh(self) -> None:
        q = self._query
        unfinished = q.payment_status == UNFINISHED
        self.payment_button.set_selected(None if unfinished else q.payment_status)
        self.payment_button.setEnabled(not unfinished)
        if unfinished:
            self.payment_button.setToolTip("Turn off “Unfinished” to filter by payment status")
        self.fulfillment_button.set_selected(q.fulfillment_status)
        self.unfinished_button.setChecked(unfinished)
        _mark_active(self.unfinished_button, unfinished)
        dated = q.created_from is not None or q.created_to is not None
        created = _range_text(q.created_from, q.created_to, self._zone, short=True)
        _set_button_text(self.created_button, f"Created: {created}" if dated else "Created")
        _mark_active(self.created_button, dated)
        totalled = q.total_from is not None or q.total_to is not None
        _set_button_text(
            self.total_button, _total_text(q.total_from, q.total_to) if totalled else "Total"
        )
        _mark_active(self.total_button, totalled)
        more = sum(1 for field in MORE_FIELDS[:-2] if getattr(q, field) is not None)
        more += q.updated_from is not None or q.updated_to is not None
        _set_button_text(self.more_button, f"More filters ({more})" if more else "More filters")
        _mark_active(self.more_button, bool(more))
        self._refresh_pills()

    def _refresh_pills(self) -> None:
        while (item := self._pill_layout.takeAt(0)) is not None:
            widget = item.widget()
            if widget is not None and widget is not self.clear_all_button:
                widget.hide()
                widget.deleteLater()
        filters = active_filters(self._query, self._names, self._zone)
        for label, removal in filters:
            shown = _shortened(label, MAX_PILL_TEXT)
            pill = QToolButton(self.pills, text=f"{shown}  ✕", objectName="filterPill")
            pill.setToolTip(f"Remove the filter “{label}”")
            pill.setAccessibleName(f"Remove filter {label}")
            pill.setCursor(Qt.CursorShape.PointingHandCursor)
            pill.clicked.connect(lambda _=False, r=removal: self._change(**r))
            self._pill_layout.addWidget(pill)
            pill.show()  # at once, not when the layout gets round to it
        self._pill_layout.addWidget(self.clear_all_button)
        self.pills.setVisible(bool(filters))

    # -- slots ----------------------------------------------------------------------

    def _on_search_text_changed(self, _text: str) -> None:
        self._search_timer.start()  # restarted by each keystroke: the latest text wins

    def _on_search_timer_timeout(self) -> None:
        self._change(text=self.search.text().strip())

    def _on_payment_selection_changed(self, codes: list[str]) -> None:
        self._change(payment_status=codes or None)

    def _on_fulfillment_selection_changed(self, codes: list[str]) -> None:
        self._change(fulfillment_status=codes or None)

    def _on_unfinished_button_clicked(self, checked: bool) -> None:
        if checked:
            self._payment_before_unfinished = self._query.payment_status
            self._change(payment_status=UNFINISHED, include_incomplete=True)
        else:
            before, self._payment_before_unfinished = self._payment_before_unfinished, None
            self._change(payment_status=before, include_incomplete=False)

    def _open_popup(self, button: QToolButton, popup: FilterPopup, prepare: Any) -> None:
        prepare()
        popup.open_below(button)

    def _prepare_created_editor(self) -> None:
        self.created_editor.set_range(self._query.created_from, self._query.created_to)

    def _prepare_total_editor(self) -> None:
        self.total_editor.set_range(self._query.total_from, self._query.total_to)

    def _prepare_more_panel(self) -> None:
        self.more_panel.set_query(self._query)

    def _on_created_editor_chosen(self, start: datetime | None, end: datetime | None) -> None:
        self.created_popup.close()
        self._change(created_from=start, created_to=end)

    def _on_total_editor_chosen(self, low: Decimal | None, high: Decimal | None) -> None:
        self.total_popup.close()
        self._change(total_from=low, total_to=high)

    def _on_more_panel_applied(self, values: dict[str, Any]) -> None:
        self.more_popup.close()
        self._change(**values)
