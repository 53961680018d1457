"""The orders page of the main window: the filter bar and saved views above,
the order table and the order's details side by side below. F2 turns the
details into the order's editor (:class:`~ui.editor.editor.OrderEditor`);
choosing another row while editing keeps the edit as a draft on disk and
opens that order; closing the editor brings the details back.

It reads only through the store session's reader connection (via the table
model and ``order_json`` for the detail pane), so it never waits for a sync.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QLocale, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QLabel,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.queries import OrderQuery
from app.saved_views import SavedView, SavedViewStore
from app.services.orders.drafts import DraftStore
from app.services.session import StoreSession
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


class OrdersPage(QWidget):
    """Filters, table and detail pane for one open store."""

    countChanged = Signal(int)  # noqa: N815 (Qt signal naming) - orders shown
    orderActivated = Signal(str)  # noqa: N815 - Enter or double click on a row
    orderSaved = Signal(str)  # noqa: N815 - the editor handed a change to the outbox
    outboxRequested = Signal(int)  # noqa: N815 - show this edit in the outbox

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: StoreSession | None = None
        self.model = CachedOrderTableModel(self)
        self.views_button: SavedViewsButton | None = None
        self.drafts = DraftStore()
        self._sizes_before_editing: list[int] = []
        self._detail_key = ""
        self._detail_timer = QTimer(self, singleShot=True, interval=DETAIL_DELAY_MS)
        self._detail_timer.timeout.connect(self._show_detail)
        self._setup_ui()
        self.filter_bar.queryChanged.connect(self._on_filters_changed)
        self.table.currentKeyChanged.connect(self._on_current_key_changed)
        self.table.orderActivated.connect(self.orderActivated)
        self.model.modelReset.connect(self._on_rows_changed)
        # the rows of a short search arrive after its first page: count them then
        self.model.rowsInserted.connect(lambda *_: self.countChanged.emit(self.model.rowCount()))

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

    # -- the store ---------------------------------------------------------------

    def show_session(self, session: StoreSession, views: SavedViewStore) -> str | None:
        """Show ``session``'s orders (from its cache: no network). Returns a
        message for the user when the saved views could not all be read."""
        self.session = session
        problem = views.load()
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
            self._editor.set_session(session)
        self.side.setCurrentWidget(self.detail)
        return problem

    def clear_session(self) -> None:
        self._notes_tasks.cancel_all()  # its reads need the session
        self.session = None
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

    def _apply_display(self) -> None:
        if self.session is None:
            return
        display = self.session.display
        self.model.set_store_display(display.currency_code or None, display.status_names)
        self.filter_bar.set_status_names(display.status_names)

    def focus_search(self) -> None:
        self.filter_bar.focus_search()

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
            editor.set_session(self.session)
            editor.closeRequested.connect(self.close_editor)
            editor.navigateRequested.connect(self._on_editor_navigate_requested)
            editor.saved.connect(self.orderSaved)
            self.side.addWidget(editor)
            self._editor = editor
        return self._editor

    def edit_current(self) -> None:
        """Edit the current order beside the table."""
        key = self.table.current_key()
        if self.session is None or not key:
            return
        if not self.editing:
            self._sizes_before_editing = self.splitter.sizes()
            total = sum(self._sizes_before_editing)
            if self._sizes_before_editing[1] < EDITOR_WIDTH and total > 2 * EDITOR_WIDTH:
                self.splitter.setSizes([total - EDITOR_WIDTH, EDITOR_WIDTH])
        self.side.setCurrentWidget(self.editor)
        if self.editor.key != key:
            self.editor.tasks.run(self.editor.open_order(key), name="open-order")
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

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
        return filters.model_copy(update={"sort": current.sort, "descending": current.descending})

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
        self.model.set_query(query)
        if self.views_button is not None:
            self.views_button.set_current_name(view.name)

    def _on_rows_changed(self) -> None:
        shown = self.model.rowCount()
        # the newest order becomes current once the store is synced (not during the
        # first sync: the view would keep following a row the sync keeps pushing down)
        synced = self.session is not None and self.session.last_sync() is not None
        if shown and synced and not self.table.current_key():
            self.table.selectRow(0)  # (row 0 is known: no lookup of where the order is)
        if shown == 0:
            self.empty_label.setText(self._empty_text())
        self.empty_label.setVisible(shown == 0)
        self.table.setVisible(shown > 0)
        self.countChanged.emit(shown)

    def _empty_text(self) -> str:
        if self.session is None:
            return ""
        if self.model.query != self._with_sort(OrderQuery()):
            return "No orders match these filters.\nClear a filter above to see more."
        if self.session.last_sync() is None:
            return (
                "Fetching the store's orders…\nThey appear here as soon as the first ones arrive."
            )
        return "This store has no orders yet."

    def _on_current_key_changed(self, key: str) -> None:
        # Shown once the table has painted, and only the last of a quick run
        # (j/k held down, typing in the search): the table never waits for it.
        self._detail_key = key
        self._detail_timer.start()
        if self.editing and key and key != self.editor.key:
            # the edit of the previous order stays as its draft
            self.editor.tasks.run(self.editor.open_order(key), name="open-order")

    def _show_detail(self) -> None:
        key = self._detail_key
        if self.session is None or not key:
            self.detail.show_order(None)
            return
        display = self.session.display
        self.detail.show_order(
            self.session.rows.order_json(key),
            currency=display.currency_code or None,
            status_names=display.status_names,
        )
        self._notes_tasks.run(self._show_desk_notes(self.session, key), name="desk-notes")

    async def _show_desk_notes(self, session: StoreSession, key: str) -> None:
        """The order's open edits and what this desk wrote to it (from the
        outbox file, read off the GUI thread)."""
        edits = await session.open_edits(key)
        entries = await session.activity(key)
        if session is not self.session or key != self._detail_key:
            return
        locale = QLocale()
        notes = [
            EditNote(edit.id, edit.state, session.describe_edit(edit), edit.reason)
            for edit in edits
        ]
        activity = [
            (
                locale.toString(
                    entry.at.astimezone().replace(tzinfo=None), QLocale.FormatType.ShortFormat
                ),
                entry.desk,
                entry.summary,
                entry.outcome,
            )
            for entry in entries[:50]
        ]
        self.detail.show_desk_notes(notes, activity)

    def _on_editor_navigate_requested(self, step: int) -> None:
        self.move_current(step)  # the editor follows the current row
