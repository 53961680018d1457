"""Exporting orders to a file a spreadsheet opens: CSV or Excel (.xlsx).

What is exported: the orders a filter shows (in its order) or the ones
selected; the columns the table shows, or every field worth a column
(addresses, phone, methods, money, notes, the items in words). The values
are the store's confirmed ones (the cache holds nothing else): an edit still
waiting in the outbox is never exported as if the store had it.

Cells are safe: a CSV cell that a spreadsheet would run as a formula gets a
leading ``'`` (:mod:`app.services.orders.export_safety`); in .xlsx every text
cell is written as text, so nothing in it is ever a formula. Money and
counts are numbers, dates are dates.

Across stores (*All stores*) the rows come from every store
(:class:`~app.services.inbox.rows.InboxRows`): a *Store* and a *Currency*
column say whose each order is and in which money its amounts are, and
statuses are named by each order's own store.

Work is done in blocks off any event loop (the caller runs it in a worker
thread), reports progress, can be cancelled (then no file is left), and
writes the file beside its target and renames it into place at the end.
"""

from __future__ import annotations

import contextlib
import csv
import logging
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, Protocol

from app.cache import CachedOrderRow
from app.domain.outbox import STATE_WORDS
from app.domain.queries import OrderQuery
from app.domain.words import status_words
from app.services.orders.export_safety import spreadsheet_row
from app.services.orders.rows import StoreTag

log = logging.getLogger(__name__)

Format = Literal["csv", "xlsx"]
Progress = Callable[[int, int], Any]
BLOCK = 500


class ExportRows(Protocol):
    """Where the exported rows come from: one store's cache, or the rows of every store."""

    def count(self, query: OrderQuery) -> int: ...

    def rows(self, query: OrderQuery, offset: int, limit: int) -> list[CachedOrderRow]: ...

    def rows_of(self, keys: list[str]) -> list[CachedOrderRow]: ...

    def order_json(self, key: str) -> dict[str, Any] | None: ...


@dataclass(frozen=True)
class Column:
    heading: str
    value: Callable[[CachedOrderRow, Mapping[str, Any] | None, Mapping[str, str]], Any]
    needs_body: bool = False
    of_store: Callable[[StoreTag], Any] | None = None  # a value of the order's store


def _created(row: CachedOrderRow, *_: Any) -> Any:
    return row.created.astimezone().replace(tzinfo=None) if row.created else None


def _printed(row: CachedOrderRow, *_: Any) -> Any:
    at = row.invoice_printed_at
    return at.astimezone().replace(tzinfo=None) if at else None


def _person(kind: str, field: str) -> Callable[..., Any]:
    def value(_row: CachedOrderRow, order: Mapping[str, Any] | None, _names: Any) -> Any:
        person = (order or {}).get(kind)
        return person.get(field) if isinstance(person, Mapping) else None

    return value


def _field(name: str) -> Callable[..., Any]:
    return lambda _row, order, _names: (order or {}).get(name)


def _money(name: str) -> Callable[..., Any]:
    def value(_row: CachedOrderRow, order: Mapping[str, Any] | None, _names: Any) -> Any:
        amount = (order or {}).get(name)
        if isinstance(amount, int | float) and not isinstance(amount, bool):
            return Decimal(str(amount))
        return None

    return value


def _items(_row: CachedOrderRow, order: Mapping[str, Any] | None, _names: Any) -> str:
    parts = []
    for item in (order or {}).get("items") or []:
        if isinstance(item, Mapping):
            name = str(item.get("name") or "Item")
            sku = f" ({item['sku']})" if item.get("sku") else ""
            parts.append(f"{item.get('quantity', 1)} × {name}{sku}")
    return "; ".join(parts)


def _shipping_method(_row: CachedOrderRow, order: Mapping[str, Any] | None, _n: Any) -> Any:
    option = (order or {}).get("shippingOption")
    return option.get("shippingMethodName") if isinstance(option, Mapping) else None


TABLE_COLUMNS: dict[str, Column] = {
    "number": Column("Order", lambda row, *_: row.number),
    "date": Column("Date", _created),
    "customer": Column("Customer", lambda row, *_: row.customer),
    "email": Column("Email", lambda row, *_: row.email),
    "items": Column("Items", lambda row, *_: row.item_count),
    "total": Column("Total", lambda row, *_: row.total),
    "payment": Column("Payment", lambda row, _o, names: status_words(row.payment_status, names)),
    "fulfillment": Column(
        "Fulfillment", lambda row, _o, names: status_words(row.fulfillment_status, names)
    ),
    "tracking": Column("Tracking", lambda row, *_: row.tracking_number),
    "sync": Column(
        "Sync", lambda row, *_: STATE_WORDS.get(row.outbox_state, "") if row.outbox_state else ""
    ),
    "printed": Column("Invoice printed", _printed),
}
"""The table's columns, by the ids the table keeps in saved layouts."""

STORE_COLUMNS: dict[str, Column] = {
    "store": Column("Store", lambda *_: None, of_store=lambda tag: tag.title),
    "currency": Column("Currency", lambda *_: None, of_store=lambda tag: tag.currency or ""),
}
"""Whose each order is, when the rows come from several stores."""

MORE_COLUMNS: dict[str, Column] = {
    "phone": Column("Phone", _person("billingPerson", "phone"), True),
    "company": Column("Company", _person("billingPerson", "companyName"), True),
    "billing_street": Column("Billing street", _person("billingPerson", "street"), True),
    "billing_city": Column("Billing city", _person("billingPerson", "city"), True),
    "billing_postal": Column("Billing postal code", _person("billingPerson", "postalCode"), True),
    "billing_country": Column("Billing country", _person("billingPerson", "countryCode"), True),
    "ship_to": Column("Ship to", _person("shippingPerson", "name"), True),
    "shipping_street": Column("Shipping street", _person("shippingPerson", "street"), True),
    "shipping_city": Column("Shipping city", _person("shippingPerson", "city"), True),
    "shipping_postal": Column(
        "Shipping postal code", _person("shippingPerson", "postalCode"), True
    ),
    "shipping_country": Column("Shipping country", _person("shippingPerson", "countryCode"), True),
    "shipping_method": Column("Shipping method", _shipping_method, True),
    "payment_method": Column("Payment method", lambda row, *_: row.payment_method),
    "coupon": Column("Coupon", lambda row, *_: row.coupon_code),
    "subtotal": Column("Subtotal", _money("subtotal"), True),
    "tax": Column("Tax", _money("tax"), True),
    "products": Column("Products", _items, True),
    "notes": Column("Private notes", _field("privateAdminNotes"), True),
    "comments": Column("Customer's comments", _field("orderComments"), True),
}
ALL_COLUMNS = [*TABLE_COLUMNS, *MORE_COLUMNS]
STORE_OF_NONE: Callable[[str], StoreTag | None] = lambda _key: None  # noqa: E731 - one store


class ExportCancelled(Exception):
    """The export was cancelled: no file was written."""


def export_orders(
    cache: ExportRows,
    target: Path,
    *,
    columns: Sequence[str],
    query: OrderQuery | None = None,
    keys: Sequence[str] | None = None,
    file_format: Format = "csv",
    status_names: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    store_of: Callable[[str], StoreTag | None] = STORE_OF_NONE,
) -> int:
    """Write the orders ``query`` shows (or ``keys``, in that order) with
    ``columns`` (ids of :data:`TABLE_COLUMNS`, :data:`MORE_COLUMNS` and, across
    stores, :data:`STORE_COLUMNS`) to ``target``; the number of orders
    written. ``store_of`` names each order's store (its statuses are then
    named the store's way). Raises :class:`ExportCancelled`
    when ``should_stop`` says so (nothing is left behind), :class:`ValueError`
    for an unknown column or format, :class:`OSError` when the file cannot
    be written."""
    chosen = [_column(name) for name in columns]
    if file_format not in ("csv", "xlsx"):
        raise ValueError(f"Unknown export format {file_format!r}: use csv or xlsx.")
    names = dict(status_names or {})
    rows = _rows(cache, query, keys)
    total = len(keys) if keys is not None else cache.count(query or OrderQuery())
    needs_body = any(column.needs_body for column in chosen)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.part")
    writer = _CsvWriter(temporary) if file_format == "csv" else _XlsxWriter(temporary)
    written = 0
    try:
        writer.heading([column.heading for column in chosen])
        for block in rows:
            if should_stop():
                raise ExportCancelled()
            for row in block:
                order = cache.order_json(row.key) if needs_body else None
                tag = store_of(row.key)
                own = dict(tag.status_names) if tag is not None and tag.status_names else names
                writer.row([_value(column, row, order, own, tag) for column in chosen])
            written += len(block)
            if progress is not None:
                progress(written, max(total, written))
        writer.close()
        os.replace(temporary, target)
    except BaseException:
        writer.abandon()
        temporary.unlink(missing_ok=True)
        raise
    return written


def _value(
    column: Column,
    row: CachedOrderRow,
    order: Mapping[str, Any] | None,
    names: Mapping[str, str],
    tag: StoreTag | None,
) -> Any:
    if column.of_store is not None:
        return column.of_store(tag) if tag is not None else ""
    return column.value(row, order, names)


def _column(name: str) -> Column:
    found = TABLE_COLUMNS.get(name) or MORE_COLUMNS.get(name) or STORE_COLUMNS.get(name)
    if found is None:
        raise ValueError(f"Unknown column {name!r}.")
    return found


def _rows(cache: ExportRows, query: OrderQuery | None, keys: Sequence[str] | None) -> Any:
    if keys is None:
        offset = 0
        while True:
            block = cache.rows(query or OrderQuery(), offset, BLOCK)
            if not block:
                return
            yield block
            offset += len(block)
    wanted = list(keys)
    for start in range(0, len(wanted), BLOCK):
        chunk = wanted[start : start + BLOCK]
        found = {row.key: row for row in cache.rows_of(chunk)}
        yield [found[key] for key in chunk if key in found]


class _CsvWriter:
    def __init__(self, path: Path) -> None:
        self._file = open(path, "w", newline="", encoding="utf-8-sig")  # noqa: SIM115
        self._csv = csv.writer(self._file)

    def heading(self, cells: list[str]) -> None:
        self._csv.writerow(cells)

    def row(self, values: list[Any]) -> None:
        self._csv.writerow(spreadsheet_row(_text(value) for value in values))

    def close(self) -> None:
        self._file.close()

    def abandon(self) -> None:
        self._file.close()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


class _XlsxWriter:
    """openpyxl's write-only workbook: streamed, so a large export stays small in memory."""

    def __init__(self, path: Path) -> None:
        from openpyxl import Workbook  # loaded with the first .xlsx export

        self._path = path
        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet("Orders")

    def heading(self, cells: list[str]) -> None:
        self._sheet.append([self._cell(text, bold=True) for text in cells])

    def row(self, values: list[Any]) -> None:
        self._sheet.append([self._cell(value) for value in values])

    def _cell(self, value: Any, *, bold: bool = False) -> Any:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        if isinstance(value, datetime) and value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        cell = WriteOnlyCell(self._sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # text, never a formula, whatever it starts with
        elif isinstance(value, datetime):
            cell.number_format = "yyyy-mm-dd hh:mm"
        elif isinstance(value, Decimal):
            cell.number_format = "#,##0.00"
        if bold:
            cell.font = Font(bold=True)
        return cell

    def close(self) -> None:
        self._book.save(self._path)

    def abandon(self) -> None:
        """Finish the sheet's row stream and remove its temporary file: a
        stream left open is closed by the garbage collector later, at a
        moment nobody can handle its errors."""
        writer = getattr(self._sheet, "_writer", None)
        try:
            self._sheet.close()
        except Exception:  # noqa: BLE001 - the sheet is being thrown away
            log.debug("Closing an abandoned XLSX sheet failed", exc_info=True)
        if writer is not None:
            with contextlib.suppress(OSError, ValueError):
                writer.cleanup()
