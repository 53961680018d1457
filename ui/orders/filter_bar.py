"""The filter bar above the orders table: instant search, payment and fulfillment
statuses, created-date and total ranges, unfinished orders, deleted orders,
"More filters", and a row of removable pills naming every active filter.
Across stores (*All stores*) a Store drop-down chooses the stores shown.

Its first row holds the search and the filter buttons, and at its end any
trailing widget (the saved views button), so that stays in place when pills
appear. The pills wrap onto as many lines as they need beside "Clear all",
which keeps its own place at the right of the first line.

The bar only builds an :class:`~app.cache.OrderQuery` and emits it; it leaves
``sort``/``descending`` at their defaults (the window takes those from the
table) and never asks the cache anything itself.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QToolButton, QVBoxLayout, QWidget

from app.domain.queries import OrderQuery
from app.domain.statuses import FulfillmentStatus, PaymentStatus
from ui.common.icons import icon
from ui.orders.filter_pills import (
    PILL_STYLE,
    UNFINISHED,
    FlowLayout,
    active_filters,
    filter_pill,
    range_text,
    total_text,
)
from ui.orders.filter_popup import FilterPopup
from ui.orders.more_filters import MORE_FIELDS, MORE_RANGES, MoreFiltersPanel
from ui.orders.range_editors import DateRangeEditor, TotalRangeEditor
from ui.orders.search_field import SearchField
from ui.orders.status_filter_button import StatusFilterButton, mark_active, set_button_text
from ui.orders.store_filter_button import StoreFilterButton

SEARCH_DELAY_MS = 150
PAYMENT_CHOICES = [status.value for status in PaymentStatus if status != "INCOMPLETE"]
FULFILLMENT_CHOICES = [status.value for status in FulfillmentStatus]


class FilterBar(QWidget):
    """Filters for the orders table; emits ``queryChanged`` with each new query."""

    queryChanged = Signal(object)
    resultsRequested = Signal()  # noqa: N815 - Down/Enter in the search: its query is current

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._query = OrderQuery()
        self._names: dict[str, str] = {}
        self._stores: dict[str, str] = {}  # account name -> the store's name (across stores)
        self._zone: tzinfo | None = None
        self._payment_before_unfinished: list[str] | None = None
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._on_search_timer_timeout)
        self._setup_ui()
        self._refresh()

    def _setup_ui(self) -> None:
        self.search = SearchField("Search orders (Ctrl+F)…", "Search orders")
        self.search.setMinimumWidth(160)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.textChanged.connect(self._on_search_text_changed)
        self.search.resultsRequested.connect(self._on_search_results_requested)
        self.store_button = StoreFilterButton()
        self.store_button.selectionChanged.connect(self._on_store_selection_changed)
        self.store_button.hide()
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
        self.deleted_button = QToolButton(text="Deleted", checkable=True)
        self.deleted_button.setAccessibleName("Show only deleted orders")
        self.deleted_button.setToolTip("Show the orders deleted since the last full sync")
        self.deleted_button.clicked.connect(self._on_deleted_button_clicked)
        self.more_button = QToolButton(accessibleName="More filters")
        self.more_button.setIcon(icon("filter"))
        self.more_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)

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
            self.store_button,
            self.payment_button,
            self.fulfillment_button,
            self.created_button,
            self.total_button,
            self.unfinished_button,
            self.deleted_button,
            self.more_button,
        ):
            self._row.addWidget(widget)

        self.pills = QWidget()  # the pills' line(s) and "Clear all"
        self.pills.setAccessibleName("Active filters")
        self.pills.setStyleSheet(PILL_STYLE)
        self._pill_area = QWidget(self.pills)
        self._pill_layout = FlowLayout(self._pill_area)
        self.clear_all_button = QToolButton(text="Clear all", objectName="clearAll")
        self.clear_all_button.setIcon(icon("clear"))
        self.clear_all_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.clear_all_button.setAccessibleName("Clear all filters")
        self.clear_all_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.clear_all_button.clicked.connect(self.clear)
        pill_row = QHBoxLayout(self.pills)
        pill_row.setContentsMargins(0, 0, 0, 0)
        pill_row.setSpacing(8)
        pill_row.addWidget(self._pill_area, 1)
        pill_row.addWidget(self.clear_all_button, 0, Qt.AlignmentFlag.AlignTop)

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
        values = query.model_dump(exclude={"sort", "descending", "by_store"})
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

    def set_stores(self, stores: list[tuple[str, str]]) -> None:
        """The stores shown together (``(account name, store name)`` each): the
        Store drop-down offers them; none or one: no Store filter."""
        self._stores = dict(stores)
        self.store_button.set_stores(stores)
        self.store_button.setVisible(len(stores) > 1)
        self._refresh()

    def set_time_zone(self, zone: tzinfo | None) -> None:
        """The zone whose days the date filters mean (``None``: this computer's)."""
        self._zone = self.created_editor.zone = self.more_panel.zone = zone
        self._refresh()

    def add_trailing_widget(self, widget: QWidget) -> None:
        """Place ``widget`` (e.g. the saved views button) at the end of the first row."""
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
        self.store_button.set_selected(q.stores)
        unfinished = q.payment_status == UNFINISHED
        self.payment_button.set_selected(None if unfinished else q.payment_status)
        self.payment_button.setEnabled(not unfinished)
        if unfinished:
            self.payment_button.setToolTip("Turn off “Unfinished” to filter by payment status")
        self.fulfillment_button.set_selected(q.fulfillment_status)
        self.unfinished_button.setChecked(unfinished)
        mark_active(self.unfinished_button, unfinished)
        self.deleted_button.setChecked(q.deleted)
        mark_active(self.deleted_button, q.deleted)
        dated = q.created_from is not None or q.created_to is not None
        created = range_text(q.created_from, q.created_to, self._zone, short=True)
        # "Created: Dec ’24 – Mar ’25" whole: a cross-year range must show its years
        set_button_text(
            self.created_button, f"Created: {created}" if dated else "Created", limit=26
        )
        mark_active(self.created_button, dated)
        totalled = q.total_from is not None or q.total_to is not None
        set_button_text(
            self.total_button, total_text(q.total_from, q.total_to) if totalled else "Total"
        )
        mark_active(self.total_button, totalled)
        dates = {field for pair in MORE_RANGES for field in pair}
        more = sum(
            1 for field in MORE_FIELDS if field not in dates and getattr(q, field) is not None
        )
        more += sum(1 for pair in MORE_RANGES if any(getattr(q, f) is not None for f in pair))
        set_button_text(self.more_button, f"More filters ({more})" if more else "More filters")
        mark_active(self.more_button, bool(more))
        self._refresh_pills()

    def _refresh_pills(self) -> None:
        while (item := self._pill_layout.takeAt(0)) is not None:
            widget = item.widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        filters = active_filters(self._query, self._names, self._zone)
        if self._query.stores:
            titles = ", ".join(self._stores.get(name, name) for name in self._query.stores)
            filters.insert(0, (f"Store: {titles}", {"stores": None}))
        for label, removal in filters:
            pill = filter_pill(self._pill_area, label)
            pill.clicked.connect(lambda _=False, r=removal: self._change(**r))
            self._pill_layout.addWidget(pill)
            pill.show()  # at once, not when the layout gets round to it
        self.pills.setVisible(bool(filters))

    # -- slots ----------------------------------------------------------------------

    def _on_search_text_changed(self, _text: str) -> None:
        self._search_timer.start()  # restarted by each keystroke: the latest text wins

    def _on_search_results_requested(self) -> None:
        if self._search_timer.isActive():  # the text typed last is searched at once
            self._search_timer.stop()
            self._change(text=self.search.text().strip())
        self.resultsRequested.emit()

    def _on_search_timer_timeout(self) -> None:
        self._change(text=self.search.text().strip())

    def _on_store_selection_changed(self, names: list[str]) -> None:
        self._change(stores=names or None)

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

    def _on_deleted_button_clicked(self, checked: bool) -> None:
        self._change(deleted=checked)

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
