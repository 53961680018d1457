"""File › Export orders… in the window: what the table shows (or the
selection) to Excel or CSV, with progress, a cancel that leaves no file, and
the file named at the end."""

from __future__ import annotations

import csv

import pytest
from openpyxl import load_workbook

from app.domain.queries import OrderQuery
from tests.ui.editor import support
from ui.orders.export_dialog import ExportDialog

pytestmark = pytest.mark.usefixtures("qt_loop")
session = support.session  # fixture


def test_the_filtered_orders_to_excel_then_the_selection_to_csv(qtbot, session, tmp_path):
    query = OrderQuery(payment_status=["PAID"])
    shown = session.rows.count(query)
    picked = [row.key for row in session.rows.rows(query, 0, 3)]
    dialog = ExportDialog(session, query, shown, picked, ["number", "customer", "total", "ecdp"])
    qtbot.addWidget(dialog)
    assert dialog.filtered.text() == f"The {shown} orders the table shows"
    assert dialog.chosen.isChecked()  # several selected: they are what is meant
    dialog.filtered.setChecked(True)
    with qtbot.waitSignal(dialog.exported, timeout=20_000) as done:
        dialog.export_to(tmp_path / "paid")
    assert done.args == [str(tmp_path / "paid.xlsx"), shown]
    sheet = load_workbook(tmp_path / "paid.xlsx").active
    assert [cell.value for cell in sheet[1]] == ["Order", "Customer", "Total"]
    assert sheet.max_row == shown + 1
    assert dialog.message.text() == f"Exported {shown} orders to {tmp_path / 'paid.xlsx'}."
    assert dialog.show_button.isVisible() or not dialog.isVisible()

    dialog.chosen.setChecked(True)
    dialog.as_csv.setChecked(True)
    dialog.all_columns.setChecked(True)
    with qtbot.waitSignal(dialog.exported, timeout=20_000):
        dialog.export_to(tmp_path / "picked.csv")
    with (tmp_path / "picked.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 4 and "Products" in rows[0]


def test_cancel_stops_the_export_and_leaves_no_file(qtbot, session, tmp_path):
    query = OrderQuery()
    dialog = ExportDialog(session, query, session.rows.count(query), [], ["number"])
    qtbot.addWidget(dialog)
    folder = tmp_path / "exports"
    folder.mkdir()
    dialog.export_to(folder / "all.csv")
    dialog.buttons.rejected.emit()  # Cancel, pressed while it runs (before its first block)
    qtbot.waitUntil(lambda: not dialog.tasks.is_running("export"), timeout=20_000)
    assert dialog.message.text() == "Cancelled: no file was written."
    assert list(folder.iterdir()) == []
    assert dialog.export_button.isEnabled()
