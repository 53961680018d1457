"""The orders page of the main window: the filter bar and saved views above,
the order table and the order's details side by side below. F2 turns the
details into the order's editor (:class:`~ui.editor.editor.OrderEditor`);
choosing another row while editing keeps the edit as a draft on disk and
opens that order; closing the editor brings the details back.

It reads only through the store session's reader connection (via the table
model and ``order_json`` for the detail pane), so it never waits for a sync.

It shows one store (a :class:`~app.services.session.StoreSession`) or every
store at once (an :class:`~app.services.inbox.Inbox`): both are
:class:`~app.services.shown.ShownOrders`, offering the table's rows, how to
show them, and ``resolve`` — the store of an order and its key there, so the
details, the editor and the desk's notes of each order come from that
order's own store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QLabel,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.queries import OrderQuery
from app.services.inbox import Inbox
from app.services.orders.drafts import DraftStore
from app.services.orders.saved_views import SavedView, SavedViewStore
from app.services.session import StoreSession
from app.services.shown import ShownOrders
from ui.common.dates import short_date_time
from ui.common.tasks import TaskRunner
from ui.detail.edit_marker import EditNote
from ui.detail.pane import OrderDetailPane
from ui.orders.filter_bar import FilterBar
from ui.orders.saved_views_button import SavedViewsButton
from ui.orders.table_model import CachedOrderTableModel
from ui.orders.table_view import OrderTableView

if TYPE_CHECKING:
    from ui.editor.editor import OrderEditor

EDITOR_WIDTH = 600  # the editor's form needs more room than the details
DETAIL_DELAY_MS = 15  # the detail pane follows the current row this long after it settles


Shown = ShownOrders[Any]  # one store, or every store at once (a StoreSession or an Inbox)


class OrdersPage(QWidget):
    """Filters, table and detail pane for one open store, or for all of them."""

    countChanged = Signal(int)  # noqa: N815 (Qt signal naming) - orders shown
    orderActivated = Signal(str)  # noqa: N815 - Enter or double click on a row
    orderSaved = Signal(str)  # noqa: N815 - the editor handed a change to the outbox
    outboxRequested = Signal(int)  # noqa: N815 - show this edit in the outbox

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shown: Shown | None = None
        self.model = CachedOrderTableModel(self)
        self.views_button: SavedViewsButton | None = None
        self.drafts = DraftStore()
        self._sizes_before_editing: list[int] = []
        self._detail_key = ""
        self._detail_timer = QTimer(self, singleShot=True, interval=DETAIL_DELAY_MS)
        self._detail_timer.timeout.connect(self._show_detail)
        self._setup_ui()
        self.filter_bar.queryChanged.connect(self._on_filters_changed)
        self.filter_bar.resultsRequested.connect(self.focus_results)
        self.table.currentKeyChanged.connect(self._on_current_key_changed)
        self.table.orderActivated.connect(self.orderActivated)
        self.model.modelReset.connect(self._on_rows_changed)
        # the rows of a short search arrive after its first page: count them then
        self.model.rowsInserted.connect(lambda *_: self.countChanged.emit(self.model.rowCount()))
        self.model.countingChanged.connect(lambda _: self.countChanged.emit(self.model.rowCount()))

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.setSpacing(6)
        self.filter_bar = FilterBar()  # the saved views button joins its first row
        layout.addWidget(self.filter_bar)

        self.table = OrderTableView()
        self.table.setModel(self.model)
        self.empty_label = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.empty_label.setObjectName("emptyState")
        self.empty_label.hide()
        self.detail = OrderDetailPane()
        self.detail.outboxRequested.connect(self.outboxRequested)
        self._notes_tasks = TaskRunner()
        self._editor: OrderEditor | None = None  # made on first use (keeps start-up fast)
        self.side = QStackedWidget()
        self.side.addWidget(self.detail)

        table_side = QWidget()
        table_layout = QVBoxLayout(table_side)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(self.table)
        table_layout.addWidget(self.empty_label)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(table_side)
        self.splitter.addWidget(self.side)
        self.splitter.setStretchFactor(0, 1)  # a wider window widens the table
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setSizes([900, 360])
        layout.addWidget(self.splitter, 1)
        # one Tab from the search to the orders, the next to their details; the
        # filter buttons come after them (Ctrl+F returns to the search)
        QWidget.setTabOrder(self.filter_bar.search, self.table)
        QWidget.setTabOrder(self.table, self.detail.browser)

    # -- the store ---------------------------------------------------------------

    @property
    def across_stores(self) -> bool:
        return isinstance(self.shown, Inbox)

    def show_session(self, session: Shown, views: SavedViewStore) -> str | None:
        """Show ``session``'s orders (one store's or every store's, from their
        caches: no network). Returns a message for the user when the saved
        views could not all be read."""
        self.shown = session
        problem = views.load()
        across = isinstance(session, Inbox)
        self.table.set_across_stores(across)
        stores = [(s.account.name, s.title) for s in session.sessions] if across else []
        self.filter_bar.blockSignals(True)  # (the query is set below, once)
        try:
            self.filter_bar.set_stores(stores)
            if not across and self.filter_bar.query().stores is not None:
                self.filter_bar.set_query(
                    self.filter_bar.query().model_copy(update={"stores": None})
                )
        finally:
            self.filter_bar.blockSignals(False)
        self._apply_display()
        if self.views_button is not None:
            self.views_button.deleteLater()
        self.views_button = SavedViewsButton(views, self._capture_view)
        self.views_button.viewChosen.connect(self._on_view_chosen)
        self.filter_bar.add_trailing_widget(self.views_button)
        self.model.set_source(session.rows)
        self.model.set_query(self._with_sort(self.filter_bar.query()))
        self.detail.show_order(None)
        if self._editor is not None:
            editing = session if isinstance(session, StoreSession) else None  # (not across)
            self._editor.set_session(editing)  # (a draft stays on disk)
        self.side.setCurrentWidget(self.detail)
        return problem

    def clear_session(self) -> None:
        self._notes_tasks.cancel_all()  # its reads need the session
        self.shown = None
        self.model.set_source(None)
        self.detail.show_order(None)
        if self._editor is not None:
            self._editor.set_session(None)  # an unsaved edit stays as its draft
        self.side.setCurrentWidget(self.detail)

    async def refresh_in_background(self) -> None:
        """The cache changed (a sync, a change sent): show it, keeping the
        selection; the cache is read in a worker thread."""
        await self.model.refresh_in_background()
        self._on_current_key_changed(self.table.current_key() or "")

    def set_display_from_session(self) -> None:
        self._apply_display()
        self.model.refresh()

    def resolve(self, key: str) -> tuple[StoreSession, str] | None:
        """The store of the order ``key`` the table shows, and its key there."""
        if self.shown is None or not key:
            return None
        try:
            return self.shown.resolve(key)
        except KeyError:
            return None

    def _apply_display(self) -> None:
        if self.shown is None:
            return
        display = self.shown.display
        self.model.set_store_display(display.currency_code or None, display.status_names)
        self.filter_bar.set_status_names(display.status_names)

    def focus_search(self) -> None:
        self.filter_bar.focus_search()

    def focus_results(self) -> None:
        """The focus to the table, on its first order (Down or Enter in the search)."""
        if self.model.rowCount() == 0 or not self.table.isVisible():
            return
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.table.selectRow(0)
        self.table.scrollToTop()

    # -- editing -------------------------------------------------------------------

    @property
    def editing(self) -> bool:
        return self._editor is not None and self.side.currentWidget() is self._editor

    @property
    def editor(self) -> OrderEditor:
        """The editor beside the table (created the first time it is needed)."""
        if self._editor is None:
            from ui.editor.editor import OrderEditor

            editor = OrderEditor(self.drafts)
            editor.set_session(self.shown if isinstance(self.shown, StoreSession) else None)
            editor.closeRequested.connect(self.close_editor)
            editor.navigateRequested.connect(self._on_editor_navigate_requested)
            editor.saved.connect(self.orderSaved)
            self.side.addWidget(editor)
            self._editor = editor
        return self._editor

    def edit_current(self) -> None:
        """Edit the current order beside the table (on its own store)."""
        found = self.resolve(self.table.current_key() or "")
        if found is None:
            return
        if not self.editing:
            self._sizes_before_editing = self.splitter.sizes()
            total = sum(self._sizes_before_editing)
            if self._sizes_before_editing[1] < EDITOR_WIDTH and total > 2 * EDITOR_WIDTH:
                self.splitter.setSizes([total - EDITOR_WIDTH, EDITOR_WIDTH])
        self.side.setCurrentWidget(self.editor)
        self._edit(*found)
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def _edit(self, session: StoreSession, key: str) -> None:
        """Open order ``key`` of ``session`` in the editor beside the table
        (the order edited before stays as its draft)."""
        editor = self.editor
        if editor.session is session and editor.key == key:
            return
        if editor.session is not session:
            editor.set_session(session)
        editor.tasks.run(editor.open_order(key), name="open-order")

    def close_editor(self) -> None:
        """Back to the order's details (the editor has dealt with unsaved changes)."""
        if self.editing and self._sizes_before_editing:
            self.splitter.setSizes(self._sizes_before_editing)
        self.side.setCurrentWidget(self.detail)
        self._show_detail()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def move_current(self, step: int) -> str | None:
        """Make the order ``step`` rows away current; returns its key (None at an end)."""
        index = self.table.currentIndex()
        row = (index.row() if index.isValid() else -1) + step
        if not 0 <= row < self.model.rowCount():
            return None
        self.table.selectRow(row)
        return self.table.current_key()

    # -- state ---------------------------------------------------------------------

    def save_state(self) -> dict[str, QByteArray | bytes]:
        return {"splitter": self.splitter.saveState(), "header": self.table.save_state()}

    def restore_state(self, splitter: object, header: object) -> None:
        if isinstance(splitter, QByteArray | bytes) and splitter:
            self.splitter.restoreState(QByteArray(splitter))
        if isinstance(header, QByteArray | bytes) and header:
            self.table.restore_state(bytes(header))

    # -- slots -------------------------------------------------------------------

    def _with_sort(self, filters: OrderQuery) -> OrderQuery:
        current = self.model.query
        by_store = current.by_store if self.across_stores else None
        update: dict[str, Any] = {
            "sort": current.sort,
            "descending": current.descending,
            "by_store": by_store,
        }
        return filters.model_copy(update=update)

    def _on_filters_changed(self, query: OrderQuery) -> None:
        self.model.set_query(self._with_sort(query))
        if self.views_button is not None:
            self.views_button.set_current_name(None)  # no longer the chosen view

    def _capture_view(self, name: str) -> SavedView:
        return SavedView.from_query(name, self.model.query, self.table.column_layout())

    def _on_view_chosen(self, view: SavedView) -> None:
        query = view.query()
        self.filter_bar.blockSignals(True)
        try:
            self.filter_bar.set_query(query)
        finally:
            self.filter_bar.blockSignals(False)
        self.table.apply_column_layout(view.columns)
        if not self.across_stores:
            query = query.model_copy(update={"stores": None, "by_store": None})
        self.model.set_query(query)
        if self.views_button is not None:
            self.views_button.set_current_name(view.name)

    def _on_rows_changed(self) -> None:
        shown = self.model.rowCount()
        # the newest order becomes current once the store is synced (not during the
        # first sync: the view would keep following a row the sync keeps pushing down)
        synced = self.shown is not None and self.shown.last_sync() is not None
        if shown and synced and not self.table.current_key():
            self.table.selectRow(0)  # (row 0 is known: no lookup of where the order is)
        if shown == 0:
            self.empty_label.setText(self._empty_text())
        self.empty_label.setVisible(shown == 0)
        self.table.setVisible(shown > 0)
        self.countChanged.emit(shown)

    def _empty_text(self) -> str:
        if self.shown is None:
            return ""
        if self.model.query != self._with_sort(OrderQuery()):
            return "No orders match these filters.\nClear a filter above to see more."
        stores = "stores'" if self.across_stores else "store's"
        if self.shown.last_sync() is None:
            return (
                f"Fetching the {stores} orders…\nThey appear here as soon as the first ones arrive."
            )
        return (
            "These stores have no orders yet."
            if self.across_stores
            else "This store has no orders yet."
        )

    def _on_current_key_changed(self, key: str) -> None:
        # Shown once the table has painted, and only the last of a quick run
        # (j/k held down, typing in the search): the table never waits for it.
        self._detail_key = key
        self._detail_timer.start()
        found = self.resolve(key) if self.editing else None
        if found is not None:
            self._edit(*found)  # the edit of the previous order stays as its draft

    def _show_detail(self) -> None:
        found = self.resolve(self._detail_key)
        if found is None:
            self.detail.show_order(None)
            return
        session, key = found  # the order's own store: its money and status names
        display = session.display
        self.detail.show_order(
            session.rows.order_json(key),
            currency=display.currency_code or None,
            status_names=display.status_names,
        )
        self._notes_tasks.run(
            self._show_desk_notes(session, key, self._detail_key), name="desk-notes"
        )

    async def _show_desk_notes(self, session: StoreSession, key: str, shown: str) -> None:
        """The order's open edits and what this desk wrote to it (from the
        outbox file, read off the GUI thread)."""
        edits = await session.open_edits(key)
        entries = await session.activity(key)
        if shown != self._detail_key or self.resolve(shown) != (session, key):
            return
        notes = [
            EditNote(edit.id, edit.state, session.describe_edit(edit), edit.reason)
            for edit in edits
        ]
        activity = [
            (
                short_date_time(entry.at),
                entry.desk,
                entry.summary,
                entry.outcome,
            )
            for entry in entries[:50]
        ]
        self.detail.show_desk_notes(notes, activity)

    def _on_editor_navigate_requested(self, step: int) -> None:
        self.move_current(step)  # the editor follows the current row
