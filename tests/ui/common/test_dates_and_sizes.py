"""One date format and one size unit, from the user's locale: the short form
in tables, the medium form elsewhere (never a weekday, the month by name),
the same order's date alike in the table's tooltip and the detail pane, and
file sizes in kB/MB everywhere."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import QDate, QLocale, Qt

from ui.common.dates import medium_date, medium_date_format, medium_date_time, short_date_time
from ui.common.sizes import data_size
from ui.detail.pane import OrderDetailPane
from ui.orders.table_model import CachedOrderTableModel

MOMENT = datetime(2026, 12, 6, 19, 43, tzinfo=UTC)
LOCALES = ["en_US", "en_GB", "de_DE", "fr_FR", "ja_JP", "es_ES", "ar_EG", "ru_RU"]


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


@pytest.mark.parametrize("name", LOCALES)
def test_the_medium_form_has_no_weekday_and_the_month_by_name(name):
    locale = QLocale(name)
    text = medium_date_time(MOMENT, locale)
    local = MOMENT.astimezone()
    weekday = locale.dayName(local.isoweekday(), QLocale.FormatType.LongFormat)
    assert weekday not in text
    month = locale.monthName(local.month, QLocale.FormatType.ShortFormat).rstrip(".")
    assert month in text or name in ("ja_JP",)  # (Japanese writes months as numbers)
    assert locale.toString(_qdate(local.date()), "yyyy") in text  # the year, in full
    assert "dddd" not in medium_date_format(name)
    assert not medium_date_format(name).startswith((",", " ", "،"))


def test_the_forms_in_english():
    us = QLocale("en_US")
    local = MOMENT.astimezone()
    assert medium_date(local.date(), us) == f"Dec {local.day}, 2026"
    assert medium_date(local.date(), us, year=False) == f"Dec {local.day}"
    assert medium_date_time(MOMENT, us).startswith(f"Dec {local.day}, 2026 ")
    assert short_date_time(MOMENT, us).startswith(f"12/{local.day}/26 ")
    assert medium_date_time("2026-12-06 19:43:00 +0000", us) == medium_date_time(MOMENT, us)
    assert short_date_time(None) == medium_date_time("") == ""
    assert medium_date_time("not a date") == "not a date"


def test_an_order_reads_the_same_date_in_the_table_and_the_detail_pane(qtbot, cache):
    model = CachedOrderTableModel()
    model.set_source(cache)
    row = model.row_at(0)
    tooltip = model.data(model.index(0, model.DATE), Qt.ItemDataRole.ToolTipRole)
    assert model.data(model.index(0, model.DATE)) == short_date_time(row.created)
    pane = OrderDetailPane()
    qtbot.addWidget(pane)
    pane.show_order(cache.order_json(row.key))
    assert f"Created\n{tooltip}\n".replace("\u202f", " ") in pane.browser.toPlainText().replace(
        "\u202f", " "
    )


@pytest.mark.parametrize(
    "size, text",
    [
        (1, "1 byte"),
        (812, "812 bytes"),
        (2048, "2.0 kB"),
        (7_855_470, "7.5 MB"),
        (100 * 1024 * 1024, "100 MB"),  # Ecwid's limit, as Ecwid states it
        (5 * 1024**3, "5.0 GB"),
    ],
)
def test_sizes_in_one_unit(size, text):
    assert data_size(size, QLocale("en_US")) == text
    assert "i" not in data_size(size, QLocale("de_DE"))  # never MiB, KiB


def test_the_window_has_no_other_size_unit():
    """No MiB, KiB or KB written anywhere in the window or the services."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[3]
    pattern = re.compile(r"\b\d*\s?(MiB|KiB|GiB|KB)\b")
    found = [
        f"{path.relative_to(root)}: {match.group(0)}"
        for folder in ("ui", "app/services")
        for path in (root / folder).rglob("*.py")
        for match in pattern.finditer(path.read_text(encoding="utf-8"))
        if "never"
        not in path.read_text(encoding="utf-8")[max(0, match.start() - 40) : match.start()]
    ]
    assert found == []
