"""The demo-stage main window: every order of the store in a sortable,
searchable table, filled page by page while the rest arrives.

(The full three-pane window with the local cache replaces this later.)
"""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QProgressBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.ecwid import EcwidClient, EcwidError
from app.services.order_listing import order_row_batches, store_display
from ui.order_table_model import SORT_ROLE, OrderTableModel
from ui.search_field import SearchField
from ui.tasks import TaskRunner


class OrdersWindow(QMainWindow):
    """Lists the orders of one store."""

    closed = Signal()

    def __init__(self, store_name: str) -> None:
        super().__init__()
        self.tasks = TaskRunner(on_error=self._on_task_error)
        self.model = OrderTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self._setup_ui(store_name)

    def _setup_ui(self, store_name: str) -> None:
        self.setWindowTitle(f"Backroom — {store_name}")
        self.resize(1200, 720)

        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)

        self.search = SearchField("Search orders (Ctrl+F)…", "Search orders")
        self.search.textChanged.connect(self.proxy.setFilterFixedString)

        self.table = QTableView()
        self.table.setAccessibleName("Orders")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(OrderTableModel.DATE, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        row_height = self.table.fontMetrics().height() + 10
        self.table.verticalHeader().setDefaultSectionSize(row_height)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in (
            (OrderTableModel.NUMBER, 80),
            (OrderTableModel.DATE, 130),
            (OrderTableModel.CUSTOMER, 160),
            (OrderTableModel.EMAIL, 220),
            (OrderTableModel.ITEMS, 60),
            (OrderTableModel.TOTAL, 110),
            (OrderTableModel.PAYMENT, 150),
            (OrderTableModel.FULFILLMENT, 160),
        ):
            header.resizeSection(column, width)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.search)
        layout.addWidget(self.table)
        self.setCentralWidget(central)

        self.status_label = QLabel("Starting…")
        self.progress = QProgressBar(maximumWidth=220, textVisible=False)
        self.progress.hide()
        self.statusBar().addWidget(self.status_label, 1)
        self.statusBar().addPermanentWidget(self.progress)

        QShortcut(QKeySequence.StandardKey.Find, self, activated=self._focus_search)

    # -- loading --------------------------------------------------------------

    def load(self, client: EcwidClient) -> None:
        """Fill the table with every order of the store behind ``client``."""
        self.model.clear()
        self.tasks.run(self._fill(client), name="load-orders")

    async def _fill(self, client: EcwidClient) -> None:
        self.set_status("Loading orders…")
        self.progress.setRange(0, 0)
        self.progress.show()
        self.model.set_store_display(await store_display(client))
        async for rows, total in order_row_batches(client):
            self.model.append_rows(rows)
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(self.model.rowCount())
            self.set_status(f"Loading orders… {self.model.rowCount():,} of {total:,}")
        self.progress.hide()
        self.set_status(f"{self.model.rowCount():,} orders")

    def set_status(self, text: str) -> None:
        self.status_label.setText(text)

    # -- slots ----------------------------------------------------------------

    def _focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _on_task_error(self, error: BaseException) -> None:
        self.progress.hide()
        if isinstance(error, EcwidError):
            self.set_status(f"Could not load orders: {error}")
        else:
            self.set_status(f"Something went wrong: {type(error).__name__}: {error}")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.closed.emit()
        super().closeEvent(event)
