"""File › Export orders…: the orders the filter shows (or the ones selected)
to CSV or Excel, with the columns the table shows or every field.

The export runs in a worker thread through the session; the dialog shows
its progress and a *Cancel* that leaves no file behind, then says where the
file is, with a button that shows it in its folder.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.services.orders.export import ALL_COLUMNS, TABLE_COLUMNS, ExportCancelled
from ui.common.keys import add_close_keys
from ui.common.tasks import TaskRunner

if TYPE_CHECKING:
    from app.domain.queries import OrderQuery
    from app.services.shown import ShownOrders

log = logging.getLogger(__name__)


def orders_text(count: int) -> str:
    return "1 order" if count == 1 else f"{count:,} orders"


class _Progress(QObject):
    """Progress from the worker thread, delivered in the GUI thread."""

    moved = Signal(int, int)


class ExportDialog(QDialog):
    """Asks what to export and where, then exports it."""

    exported = Signal(str, int)  # the file, how many orders

    def __init__(
        self,
        session: ShownOrders[Any],  # one store, or every store
        query: OrderQuery,
        shown: int,
        selected: list[str],
        visible_columns: list[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        add_close_keys(self)
        self.session = session
        self.query = query
        self.selected = selected
        self.visible_columns = [c for c in visible_columns if c in TABLE_COLUMNS]
        self.tasks = TaskRunner(on_error=self._on_error)
        self._cancelled = False
        self._progress = _Progress(self)
        self._progress.moved.connect(self._on_progress)
        self.target: Path | None = None
        self._setup_ui(shown)

    def _setup_ui(self, shown: int) -> None:
        self.setWindowTitle("Export orders")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.filtered = QRadioButton(f"The {orders_text(shown)} the table shows")
        self.chosen = QRadioButton(f"The {orders_text(len(self.selected))} selected")
        self.chosen.setEnabled(bool(self.selected))
        (self.chosen if len(self.selected) > 1 else self.filtered).setChecked(True)
        which = QVBoxLayout()
        which.addWidget(self.filtered)
        which.addWidget(self.chosen)
        self._group(self.filtered, self.chosen)
        form.addRow("Export:", which)
        self.table_columns = QRadioButton("The columns the table shows")
        self.all_columns = QRadioButton("Every field (addresses, phone, items, notes…)")
        self.table_columns.setChecked(True)
        columns = QVBoxLayout()
        columns.addWidget(self.table_columns)
        columns.addWidget(self.all_columns)
        self._group(self.table_columns, self.all_columns)
        form.addRow("Columns:", columns)
        self.as_xlsx = QRadioButton("Excel workbook (.xlsx)")
        self.as_csv = QRadioButton("CSV (.csv)")
        self.as_xlsx.setChecked(True)
        kinds = QHBoxLayout()
        kinds.addWidget(self.as_xlsx)
        kinds.addWidget(self.as_csv)
        kinds.addStretch(1)
        self._group(self.as_xlsx, self.as_csv)
        form.addRow("Format:", kinds)
        layout.addLayout(form)
        self.bar = QProgressBar()
        self.bar.setAccessibleName("Export progress")
        self.bar.hide()
        self.message = QLabel(wordWrap=True)
        self.message.hide()
        layout.addWidget(self.bar)
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = QPushButton("Export…")
        self.export_button.setDefault(True)
        self.buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.show_button = QPushButton("Show in folder")
        self.show_button.hide()
        self.buttons.addButton(self.show_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.clicked.connect(self._on_export_clicked)
        self.show_button.clicked.connect(self._on_show_clicked)
        self.buttons.rejected.connect(self._on_cancel)
        layout.addWidget(self.buttons)

    def _group(self, *buttons: QRadioButton) -> None:
        group = QButtonGroup(self)
        for button in buttons:
            group.addButton(button)

    # -- what and where ----------------------------------------------------------------

    @property
    def file_format(self) -> str:
        return "xlsx" if self.as_xlsx.isChecked() else "csv"

    @property
    def columns(self) -> list[str]:
        return list(ALL_COLUMNS) if self.all_columns.isChecked() else self.visible_columns

    def _on_export_clicked(self) -> None:
        suffix = self.file_format
        name = f"orders.{suffix}"
        kind = "Excel workbooks (*.xlsx)" if suffix == "xlsx" else "CSV files (*.csv)"
        path, _ = QFileDialog.getSaveFileName(self, "Export orders", name, kind)
        if path:
            self.export_to(Path(path))

    def export_to(self, target: Path) -> None:
        """Export what the dialog says to ``target`` (a ``.csv``/``.xlsx``
        suffix is added when missing)."""
        if target.suffix.lower() != f".{self.file_format}":
            target = target.with_name(target.name + f".{self.file_format}")
        self.target = target
        self._cancelled = False
        self.export_button.setEnabled(False)
        self.bar.setRange(0, 0)
        self.bar.show()
        self.message.hide()
        keys = self.selected if self.chosen.isChecked() else None
        self.tasks.run(self._export(target, keys), name="export")

    async def _export(self, target: Path, keys: list[str] | None) -> None:
        try:
            count = await self.session.export_orders(
                target,
                columns=self.columns,
                query=None if keys is not None else self.query,
                keys=keys,
                file_format=self.file_format,
                progress=self._progress.moved.emit,
                should_stop=lambda: self._cancelled,
            )
        except ExportCancelled:
            self._finish("Cancelled: no file was written.")
            return
        except OSError as error:
            self._finish(f"The file could not be written: {error.strerror or error}.")
            return
        self._finish(f"Exported {orders_text(count)} to {target}.")
        self.show_button.show()
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Close")
        self.exported.emit(str(target), count)

    def _finish(self, text: str) -> None:
        self.bar.hide()
        self.export_button.setEnabled(True)
        self.message.setText(text)
        self.message.show()

    def _on_progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)

    def _on_cancel(self) -> None:
        if self.tasks.is_running("export"):
            self._cancelled = True  # stops between two blocks; no file is left
            return
        self.reject()

    def _on_show_clicked(self) -> None:
        if self.target is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.target.parent)))

    def _on_error(self, error: BaseException) -> None:
        log.error("export failed", exc_info=error)
        self._finish(f"The export failed ({type(error).__name__}); it is logged.")
