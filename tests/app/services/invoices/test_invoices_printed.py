"""'Invoice printed': recorded per order, read back, shown in the table's rows
and filtered by, with every other filter, sort and row lookup; and bulk PDFs
merged from per-invoice PDFs, written atomically."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from app.cache import OrderCache
from app.domain.queries import OrderQuery, SortKey
from app.services.invoices.documents import printed_at, record_printed
from app.services.invoices.merge import PdfMergeError, merge_pdfs
from tests.app.cache.support import all_orders

WHEN = datetime(2026, 10, 30, 9, 15, tzinfo=UTC)


@pytest.fixture(scope="module", params=["indexed", "filling"])
def cache(request, tmp_path_factory):
    """The seeded orders, with the indexes built ("indexed") or still being
    filled by a first sync ("filling": no secondary or full-text indexes)."""
    orders = all_orders()
    with OrderCache.open(tmp_path_factory.mktemp("printed") / "orders.sqlite3") as cache:
        cache.upsert_orders(orders, generation=1)
        if request.param == "indexed":
            cache.delete_unseen(1)
        yield cache


def _keys(cache: OrderCache, query: OrderQuery) -> list[str]:
    return [row.key for row in cache.rows(query, 0, 10_000)]


def test_printed_invoices_are_a_column_and_a_filter(cache):
    everything = _keys(cache, OrderQuery())
    paid = _keys(cache, OrderQuery(payment_status=["PAID"]))
    printed = [paid[0], paid[5], everything[-1]]
    assert printed_at(cache, printed[0]) is None

    record_printed(cache, printed, WHEN)
    record_printed(cache, [printed[1]])  # printed again now: the newer time is kept
    assert printed_at(cache, printed[0]) == WHEN
    assert printed_at(cache, printed[1]) > WHEN
    assert printed_at(cache, paid[1]) is None

    only = OrderQuery(invoice_printed=True)
    assert set(_keys(cache, only)) == set(printed)
    assert cache.count(only) == 3
    assert cache.count(OrderQuery(invoice_printed=False)) == len(everything) - 3
    assert set(_keys(cache, OrderQuery(invoice_printed=False))).isdisjoint(printed)
    # the rows carry the time (the table's "Invoice printed" column)
    rows = {row.key: row for row in cache.rows(only, 0, 10)}
    assert rows[printed[0]].invoice_printed_at == WHEN
    assert rows[printed[1]].invoice_printed_at == printed_at(cache, printed[1])
    assert cache.rows(OrderQuery(ids=[paid[1]]), 0, 1)[0].invoice_printed_at is None

    # with other filters, a text search, another sort, and the row lookup
    assert _keys(cache, OrderQuery(invoice_printed=True, payment_status=["PAID"])) == [
        key for key in paid if key in printed
    ]
    number = cache.rows(OrderQuery(ids=[paid[0]]), 0, 1)[0].number
    assert _keys(cache, OrderQuery(invoice_printed=True, text=number)) == [paid[0]]
    assert _keys(cache, OrderQuery(invoice_printed=False, text=number)) == [
        key for key in _keys(cache, OrderQuery(text=number)) if key != paid[0]
    ]
    by_total = OrderQuery(invoice_printed=True, sort=SortKey.TOTAL, descending=False)
    keys = _keys(cache, by_total)
    for row, key in enumerate(keys):
        assert cache.position(by_total, key) == row
    assert cache.position(by_total, paid[1]) is None
    assert cache.position(OrderQuery(invoice_printed=False), paid[1]) is not None


def _pdf(path: Path, widths: list[int]) -> Path:
    """A PDF with one blank page per width (the width tells the pages apart)."""
    writer = PdfWriter()
    for width in widths:
        writer.add_blank_page(width=width, height=800)
    with path.open("wb") as stream:
        writer.write(stream)
    return path


def test_merged_pdf_has_every_page_of_every_part_in_order(tmp_path):
    parts = [
        _pdf(tmp_path / "a.pdf", [101]),
        _pdf(tmp_path / "b.pdf", [201, 202]),
        _pdf(tmp_path / "c.pdf", [301, 302, 303]),
    ]
    target = tmp_path / "out" / "Invoices.pdf"
    with pytest.raises(PdfMergeError, match="its folder does not exist"):
        merge_pdfs(parts, target)  # a missing folder is never made up
    assert not target.parent.exists()
    target.parent.mkdir()
    assert merge_pdfs(parts, target) == 6
    widths = [round(float(page.mediabox.width)) for page in PdfReader(target).pages]
    assert widths == [101, 201, 202, 301, 302, 303]
    assert sorted(p.name for p in target.parent.iterdir()) == ["Invoices.pdf"]


def test_a_failed_merge_leaves_the_old_target_and_no_temporary_file(tmp_path):
    folder = tmp_path / "pdfs"
    folder.mkdir()
    target = _pdf(folder / "Invoices.pdf", [500])
    before = target.read_bytes()
    damaged = folder / "damaged.pdf"
    damaged.write_bytes(b"%PDF-1.7\nnot really a pdf")
    good = _pdf(folder / "good.pdf", [100])
    with pytest.raises(PdfMergeError, match="damaged.pdf"):
        merge_pdfs([good, damaged], target)
    with pytest.raises(PdfMergeError, match="missing.pdf"):
        merge_pdfs([good, folder / "missing.pdf"], target)
    with pytest.raises(PdfMergeError, match="nothing"):
        merge_pdfs([], target)
    (folder / "taken.pdf").mkdir()  # the write itself fails: a folder has the name
    with pytest.raises(PdfMergeError, match="cannot be written"):
        merge_pdfs([good], folder / "taken.pdf")
    assert target.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == [
        "Invoices.pdf",
        "damaged.pdf",
        "good.pdf",
        "taken.pdf",
    ]


def test_printed_times_are_kept_per_order(cache):
    key = _keys(cache, OrderQuery())[3]
    record_printed(cache, [key, key], WHEN - timedelta(days=1))
    assert printed_at(cache, key) == WHEN - timedelta(days=1)
