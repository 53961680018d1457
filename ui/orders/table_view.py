"""The order table: :class:`OrderTableView`, a view of a
:class:`~ui.orders.table_model.CachedOrderTableModel`.

Sorting goes to the model (SQLite sorts); the header's context menu picks
the columns; :meth:`OrderTableView.column_layout` describes the columns for
saved views and :meth:`OrderTableView.save_state` for QSettings. The
selection is kept by order key: when the model refreshes (the cache changed)
or re-sorts, the same orders stay selected and the current one stays where
it was on screen, even when new orders moved it to another row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QByteArray, QItemSelection, QItemSelectionModel, QModelIndex, QPoint, Qt
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView, QWidget

from app.domain.queries import OrderQuery
from ui.orders.column_widths import LAST_DEFAULTS, default_widths
from ui.orders.sort_header import SortHeader
from ui.orders.status_chips import StatusChipDelegate
from ui.orders.table_model import CachedOrderTableModel

MAX_KEPT_KEYS = 2_000  # larger selections are kept by row numbers across a refresh
MAX_SEARCHED_KEYS = 50  # keys looked up one by one (a count each) when they moved unexpectedly

Model = CachedOrderTableModel


@dataclass
class _KeptSelection:
    """What the view had selected when the model began a reset."""

    query: OrderQuery
    cache: Any = None
    current: str | None = None
    current_row: int = -1
    current_top: int = 0  # the current row's y in the viewport
    keys: dict[str, int] = field(default_factory=dict)  # key -> old row
    ranges: list[tuple[int, int]] = field(default_factory=list)  # a big selection


class OrderTableView(QTableView):
    """Rows of orders: multi-select, header sorting, column chooser, j/k keys."""

    currentKeyChanged = QtSignal(str)  # "" when no order is current
    orderActivated = QtSignal(str)  # Enter or double click
    contextMenuAsked = QtSignal(QPoint)  # noqa: N815 - right-click or the menu key: where

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._kept: _KeptSelection | None = None
        self._last_key = ""
        self._across_stores = False
        self._chips = StatusChipDelegate(self)
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setHorizontalHeader(SortHeader(self))  # the sort arrow as most apps draw it
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)  # whole rows: Tab goes on to the order's details
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setShowGrid(False)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setSortingEnabled(False)  # the header's signal drives model.sort below
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.horizontalHeader()
        header.setSectionsMovable(True)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._on_header_menu_requested)
        header.sortIndicatorChanged.connect(self._on_sort_indicator_changed)
        self.activated.connect(self._on_activated)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._on_context_menu_requested)
        self._update_row_height()

    # -- model ------------------------------------------------------------------

    def setModel(self, model: Any) -> None:  # noqa: N802
        old = self.model()
        if isinstance(old, Model):
            old.sortChanged.disconnect(self._on_sort_changed)
            old.modelAboutToBeReset.disconnect(self._on_model_about_to_be_reset)
            old.modelReset.disconnect(self._on_model_reset)
        super().setModel(model)
        if model is None:
            return
        model.sortChanged.connect(self._on_sort_changed)
        model.modelAboutToBeReset.connect(self._on_model_about_to_be_reset)
        model.modelReset.connect(self._on_model_reset)
        self.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        for column in Model.STATUS_COLUMNS:
            self.setItemDelegateForColumn(column, self._chips)
        for column, width in enumerate(self.default_widths().values()):
            self.setColumnWidth(column, width)
        self.setColumnHidden(Model.STORE, not self._across_stores)
        self._on_sort_changed(model.sort_column(), model.sort_order())

    def _on_context_menu_requested(self, position: QPoint) -> None:
        """Right-click on a row not selected selects it first (as most apps do);
        then the window's row menu opens there."""
        index = self.indexAt(position)
        if index.isValid() and not self.selectionModel().isRowSelected(index.row(), QModelIndex()):
            self.selectRow(index.row())
        self.contextMenuAsked.emit(self.viewport().mapToGlobal(position))

    def _menu_from_keyboard(self) -> None:
        """The Menu key or Shift+F10: the row menu opens on the current row
        (at the top left of the table when there is none)."""
        current = self.currentIndex()
        rect = self.visualRect(current) if current.isValid() else None
        position = rect.center() if rect is not None and rect.isValid() else QPoint(4, 4)
        if current.isValid() and not self.selectionModel().isRowSelected(
            current.row(), QModelIndex()
        ):
            self.selectRow(current.row())
        self.contextMenuAsked.emit(self.viewport().mapToGlobal(position))

    def _model(self) -> Model | None:
        model = self.model()
        return model if isinstance(model, Model) else None

    # -- selection by key -------------------------------------------------------

    def selected_keys(self) -> list[str]:
        """Keys of the selected orders, top to bottom (reads each selected row)."""
        model = self._model()
        if model is None:
            return []
        rows = [row for first, last in self._selected_runs() for row in range(first, last + 1)]
        return [key for key in (model.key_at(row) for row in rows) if key]

    def current_key(self) -> str | None:
        model, index = self._model(), self.currentIndex()
        if model is None or not index.isValid():
            return None
        return model.key_at(index.row())

    def select_keys(self, keys: list[str], current: str | None = None) -> None:
        """Select these orders (those the query shows) and make ``current`` current."""
        model = self._model()
        if model is None:
            return
        rows = [row for row in (model.row_of(key) for key in keys) if row is not None]
        current_row = model.row_of(current) if current else None
        self._select_rows(rows, current_row)
        if current_row is not None:
            self.scrollTo(model.index(current_row, 0))

    def _selected_runs(self) -> list[tuple[int, int]]:
        """The selected rows as sorted ``(first, last)`` runs (no index per row)."""
        rows: list[tuple[int, int]] = []
        for selected in self.selectionModel().selection():
            rows.append((selected.top(), selected.bottom()))
        merged: list[tuple[int, int]] = []
        for first, last in sorted(rows):
            if merged and first <= merged[-1][1] + 1:
                merged[-1] = (merged[-1][0], max(last, merged[-1][1]))
            else:
                merged.append((first, last))
        return merged

    def _select_rows(self, rows: list[int], current_row: int | None) -> None:
        model, selection_model = self._model(), self.selectionModel()
        if model is None:
            return
        selection = QItemSelection()
        last_column = model.columnCount() - 1
        for first, last in _runs(sorted(set(rows))):
            selection.select(model.index(first, 0), model.index(last, last_column))
        flags = QItemSelectionModel.SelectionFlag
        selection_model.select(selection, flags.ClearAndSelect | flags.Rows)
        if current_row is not None:
            selection_model.setCurrentIndex(model.index(current_row, 0), flags.NoUpdate)

    def _on_model_about_to_be_reset(self) -> None:
        model = self._model()
        if model is None:
            return
        kept = _KeptSelection(model.query, model.source)
        index = self.currentIndex()
        if index.isValid():
            kept.current = model.key_at(index.row())
            kept.current_row = index.row()
            kept.current_top = self.rowViewportPosition(index.row())
        runs = self._selected_runs()
        if sum(last - first + 1 for first, last in runs) > MAX_KEPT_KEYS:
            kept.ranges = runs
        else:
            rows = (row for first, last in runs for row in range(first, last + 1))
            kept.keys = {key: row for row in rows if (key := model.key_at(row))}
        self._kept = kept

    def _on_model_reset(self) -> None:
        kept, self._kept, model = self._kept, None, self._model()
        if kept is None or model is None:
            self._emit_current_key()
            return
        # The selection survives a refresh of the same query (a sync). A new query
        # or sort starts at the top: following the current order to its new row
        # would read a block deep in 100,000 rows (~0.1 s) for every header click.
        if kept.query == model.query and kept.cache is model.source:
            self._restore(kept, model, keep_scroll=True)
        else:
            self.scrollToTop()
        self._emit_current_key()

    def _restore(self, kept: _KeptSelection, model: Model, *, keep_scroll: bool) -> None:
        current_row = None
        if kept.current:
            # most refreshes leave the current order where it was: look there first
            # (that block is read for painting anyway) before asking the cache
            current_row = _found_near(model, kept.current, (kept.current_row,))
            if current_row is None:
                current_row = model.row_of(kept.current)
        if kept.ranges and keep_scroll:
            rows = [row for first, last in kept.ranges for row in range(first, last + 1)]
            self._select_rows([row for row in rows if row < model.rowCount()], current_row)
        else:
            shift = current_row - kept.current_row if current_row is not None else 0
            rows, searched = [], 0
            for key, old_row in kept.keys.items():
                if key == kept.current and current_row is not None:
                    rows.append(current_row)
                    continue
                row = _found_near(model, key, (old_row + shift, old_row) if keep_scroll else ())
                if row is None and searched < MAX_SEARCHED_KEYS:
                    searched += 1
                    row = model.row_of(key)
                if row is not None:
                    rows.append(row)
            self._select_rows(rows, current_row)
        if current_row is None:
            return
        if keep_scroll:
            self.updateGeometries()
            bar = self.verticalScrollBar()
            bar.setValue(bar.value() + self.rowViewportPosition(current_row) - kept.current_top)
        else:
            self.scrollTo(
                model.index(current_row, 0), QAbstractItemView.ScrollHint.PositionAtCenter
            )

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._emit_current_key()

    def _emit_current_key(self) -> None:
        if self._kept is not None:  # inside a reset: wait for the restored selection
            return
        key = self.current_key() or ""
        if key != self._last_key:
            self._last_key = key
            self.currentKeyChanged.emit(key)

    def _on_activated(self, index: QModelIndex) -> None:
        model = self._model()
        key = model.key_at(index.row()) if model is not None and index.isValid() else None
        if key:
            self.orderActivated.emit(key)

    # -- keyboard ----------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        shift_f10 = key == Qt.Key.Key_F10 and event.modifiers() == Qt.KeyboardModifier.ShiftModifier
        if key == Qt.Key.Key_Menu or shift_f10:  # the row menu from the keyboard
            self._menu_from_keyboard()
            event.accept()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.currentIndex().isValid():
                self._on_activated(self.currentIndex())
            event.accept()
            return
        moves = {Qt.Key.Key_J: Qt.Key.Key_Down, Qt.Key.Key_K: Qt.Key.Key_Up}
        plain = event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier
        if key in moves and plain == Qt.KeyboardModifier.NoModifier:
            event = QKeyEvent(event.type(), moves[key], event.modifiers())
        super().keyPressEvent(event)

    def keyboardSearch(self, search: str) -> None:  # noqa: N802
        """Jumping to a row by typing would read every row: the search box does that."""

    # -- sorting -------------------------------------------------------------------

    def _on_sort_indicator_changed(self, column: int, order: Qt.SortOrder) -> None:
        model = self._model()
        if model is None or (column, order) == (model.sort_column(), model.sort_order()):
            return
        model.sort(column, order)
        if (column, order) != (model.sort_column(), model.sort_order()):  # not sortable
            self._on_sort_changed(model.sort_column(), model.sort_order())

    def _on_sort_changed(self, column: int, order: Qt.SortOrder) -> None:
        header = self.horizontalHeader()
        if (header.sortIndicatorSection(), header.sortIndicatorOrder()) != (column, order):
            header.setSortIndicator(column, order)

    # -- columns -------------------------------------------------------------------

    def set_across_stores(self, across: bool) -> None:
        """Rows of several stores (*All stores*) show the Store column first;
        one store's rows have no Store column."""
        if across == self._across_stores and across != self.isColumnHidden(Model.STORE):
            return
        self._across_stores = across
        header = self.horizontalHeader()
        if across:
            self.setColumnHidden(Model.STORE, False)
            if self.columnWidth(Model.STORE) <= 0:
                self.setColumnWidth(Model.STORE, self.default_widths()["store"])
            header.moveSection(header.visualIndex(Model.STORE), 0)
        else:
            self.setColumnHidden(Model.STORE, True)

    def _columns(self) -> list[int]:
        """The columns the user can choose (the Store column only across stores)."""
        return [c for c in range(len(Model.HEADERS)) if c != Model.STORE or self._across_stores]

    def column_menu(self) -> QMenu:
        """A menu of checkable columns (the last visible one cannot be hidden)."""
        menu = QMenu(self)
        header = self.horizontalHeader()
        visible = [c for c in self._columns() if not header.isSectionHidden(c)]
        for column in sorted(self._columns(), key=header.visualIndex):
            action = QAction(Model.HEADERS[column], menu)
            action.setCheckable(True)
            action.setChecked(column in visible)
            action.setEnabled(visible != [column])
            action.setData(Model.COLUMN_IDS[column])
            action.toggled.connect(lambda shown, c=column: self.setColumnHidden(c, not shown))
            menu.addAction(action)
        return menu

    def _on_header_menu_requested(self, position: QPoint) -> None:
        menu = self.column_menu()
        menu.exec(self.horizontalHeader().viewport().mapToGlobal(position))
        menu.deleteLater()

    def column_layout(self) -> dict[str, Any]:
        """The columns as JSON-friendly data: visible ids in visual order,
        widths by id, and the sort (column id or ``None``, descending)."""
        header = self.horizontalHeader()
        columns = sorted(range(len(Model.COLUMN_IDS)), key=header.visualIndex)
        model = self._model()
        sort_column = model.sort_column() if model is not None else -1
        return {
            "columns": [Model.COLUMN_IDS[c] for c in columns if not header.isSectionHidden(c)],
            "widths": {Model.COLUMN_IDS[c]: self._width(c) for c in columns},
            "sort": {
                "column": Model.COLUMN_IDS[sort_column] if sort_column >= 0 else None,
                "descending": model.query.descending if model is not None else True,
            },
        }

    def apply_column_layout(self, layout: dict[str, Any]) -> None:
        """Show the columns ``layout`` lists, in its order, at its widths, and
        sort as it says. Unknown ids are ignored; no known column: all shown."""
        header = self.horizontalHeader()
        ids = list(Model.COLUMN_IDS)
        wanted = [ids.index(name) for name in layout.get("columns") or () if name in ids]
        if not wanted:
            wanted = list(range(len(ids)))
        for place, column in enumerate(dict.fromkeys(wanted)):
            header.moveSection(header.visualIndex(column), place)
        for column in range(len(ids)):
            self.setColumnHidden(column, column not in wanted)
        if not self._across_stores:
            self.setColumnHidden(Model.STORE, True)
        fitting = self.default_widths()
        for name, width in (layout.get("widths") or {}).items():
            if name in ids and isinstance(width, int) and width > 0:
                if width == LAST_DEFAULTS.get(name):  # saved before widths fitted
                    width = fitting[name]
                self.setColumnWidth(ids.index(name), width)
        sort = layout.get("sort") or {}
        model = self._model()
        if model is not None and sort.get("column") in ids:
            order = (
                Qt.SortOrder.DescendingOrder
                if sort.get("descending")
                else Qt.SortOrder.AscendingOrder
            )
            model.sort(ids.index(sort["column"]), order)

    def save_state(self) -> bytes:
        """The header's state (order, sizes, hidden columns, sort) for QSettings."""
        return bytes(self.horizontalHeader().saveState().data())

    def restore_state(self, state: bytes) -> bool:
        """Restore :meth:`save_state`; ``False`` (and nothing changed) when it is
        not one. A width still at the old fixed default (never the user's
        choice) becomes the one that fits its content."""
        header = self.horizontalHeader()
        if not header.restoreState(QByteArray(state)):
            return False
        if not self._across_stores:
            self.setColumnHidden(Model.STORE, True)  # (a state saved across stores)
        fitting = self.default_widths()
        for column, name in enumerate(Model.COLUMN_IDS):
            if header.sectionSize(column) == LAST_DEFAULTS.get(name):
                header.resizeSection(column, fitting[name])
        return True

    def default_widths(self) -> dict[str, int]:
        """A width per column id that fits what the column usually shows."""
        return default_widths(self, dict(zip(Model.COLUMN_IDS, Model.HEADERS, strict=True)))

    def _width(self, column: int) -> int:
        header = self.horizontalHeader()
        if header.isSectionHidden(column):
            return header.sectionSize(column) or self.default_widths()[Model.COLUMN_IDS[column]]
        return self.columnWidth(column)

    # -- looks ---------------------------------------------------------------------

    def changeEvent(self, event: Any) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == event.Type.FontChange:
            self._update_row_height()

    def _update_row_height(self) -> None:
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Sorted row numbers as ``(first, last)`` runs of consecutive rows."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


def _found_near(model: Model, key: str, rows: tuple[int, ...]) -> int | None:
    """The first of ``rows`` that shows ``key`` (cheap: those blocks are read anyway)."""
    for row in rows:
        if 0 <= row < model.rowCount() and model.key_at(row) == key:
            return row
    return None
