"""Headless PDF rendering, read back with QtPdf: the command line's synchronous
entry point (page count, text, order, packing slips interleaved or after,
stopping), the async one-off, paper sizes, and a long invoice that spans pages
with the next one still starting on a new page."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtPdf import QPdfDocument

from app.sandbox.invoice import render_invoice
from app.sandbox.seed import seed_orders
from app.services.invoices.documents import render_packing_slip
from tests.helpers.invoice_pages import is_packing_slip
from tests.helpers.sandbox import FIXED_NOW
from ui.printing import pdf as invoice_render
from ui.printing.pdf import arrange, render_pdf, render_pdf_documents

POINTS_PER_MM = 72 / 25.4


def pdf_pages(qtbot, path: Path) -> list[str]:
    """The text of each page of the PDF at ``path`` (QtPdf, once it is Ready)."""
    document = QPdfDocument()
    try:
        document.load(str(path))
        ready = QPdfDocument.Status.Ready
        qtbot.waitUntil(
            lambda: document.status() in (ready, QPdfDocument.Status.Error), timeout=10_000
        )
        assert document.status() == ready, document.error()
        return [document.getAllText(page).text() for page in range(document.pageCount())]
    finally:
        document.close()


def pdf_page_size_mm(path: Path) -> tuple[float, float]:
    document = QPdfDocument()
    try:
        document.load(str(path))
        size = document.pagePointSize(0)
        return size.width() / POINTS_PER_MM, size.height() / POINTS_PER_MM
    finally:
        document.close()


@pytest.fixture(scope="module")
def orders() -> list[dict[str, Any]]:
    """Three finished demo-store orders."""
    seeded = seed_orders(20, 7, FIXED_NOW, 4870020)
    return [order for order in seeded if order["paymentStatus"] != "INCOMPLETE"][:3]


def number(order: dict[str, Any]) -> str:
    return str(order.get("vendorOrderNumber") or order["orderNumber"])


def test_three_invoices_make_three_pages_in_order(qtbot, tmp_path, orders):
    target = tmp_path / "out" / "invoices.pdf"
    target.parent.mkdir()
    progress: list[tuple[int, int]] = []

    pages = render_pdf_documents(
        [render_invoice(order) for order in orders],
        target,
        progress=lambda done, total: progress.append((done, total)),
    )

    texts = pdf_pages(qtbot, target)
    assert pages == len(texts) == 3
    for text, order in zip(texts, orders, strict=True):
        assert f"Order #{number(order)}" in text
        assert "SCRIPT RAN" not in text
    assert progress == [(1, 3), (2, 3), (3, 3)]
    assert [path.name for path in target.parent.iterdir()] == ["invoices.pdf"]  # no parts left


def test_packing_slips_interleaved_or_after_the_invoices(qtbot, tmp_path, orders):
    invoices = [render_invoice(order) for order in orders[:2]]
    slips = [render_packing_slip(order, None) for order in orders[:2]]

    interleaved = tmp_path / "interleaved.pdf"
    assert render_pdf_documents(invoices, interleaved, packing_slips=slips) == 4
    separate = tmp_path / "separate.pdf"
    assert render_pdf_documents(invoices, separate, packing_slips=slips, interleave=False) == 4

    def kinds(path: Path) -> list[tuple[str, str]]:
        result = []
        for text in pdf_pages(qtbot, path):
            kind = "slip" if is_packing_slip(text) else "invoice"
            owner = next(number(order) for order in orders[:2] if number(order) in text)
            result.append((kind, owner))
        return result

    first, second = number(orders[0]), number(orders[1])
    assert kinds(interleaved) == [
        ("invoice", first),
        ("slip", first),
        ("invoice", second),
        ("slip", second),
    ]
    assert kinds(separate) == [
        ("invoice", first),
        ("invoice", second),
        ("slip", first),
        ("slip", second),
    ]
    for text in pdf_pages(qtbot, separate)[2:]:
        assert "$" not in text  # a packing slip shows no prices


def test_a_long_invoice_spans_pages_and_the_next_starts_on_a_new_page(qtbot, tmp_path, orders):
    long_order = copy.deepcopy(orders[0])
    item = long_order["items"][0]
    long_order["items"] = [{**item, "name": f"Line {index:03d}"} for index in range(120)]

    target = tmp_path / "long.pdf"
    pages = render_pdf_documents([render_invoice(long_order), render_invoice(orders[1])], target)

    # (QtPdf may split the text of continued pages into single letters: compare without spaces)
    texts = ["".join(text.split()) for text in pdf_pages(qtbot, target)]
    assert pages == len(texts) >= 3
    assert "Line000" in texts[0] and "Line119" not in texts[0]
    assert any("Line119" in text for text in texts[1:-1])
    assert f"Order#{number(orders[1])}" in texts[-1]
    assert (
        "Line0" not in texts[-1] and "Line1" not in texts[-1]
    )  # the second invoice has a page of its own


def test_stopping_writes_nothing(tmp_path, orders):
    target = tmp_path / "stopped.pdf"
    rendered: list[int] = []

    pages = render_pdf_documents(
        [render_invoice(order) for order in orders],
        target,
        progress=lambda done, _total: rendered.append(done),
        should_stop=lambda: len(rendered) >= 1,
    )

    assert pages == 0
    assert rendered == [1]
    assert not target.exists()
    assert list(tmp_path.rglob("*.pdf")) == []


def test_no_documents_is_refused(tmp_path):
    with pytest.raises(ValueError, match="no documents"):
        render_pdf_documents([], tmp_path / "empty.pdf")


@pytest.mark.parametrize(("paper", "size"), [("A4", (210, 297)), ("letter", (215.9, 279.4))])
def test_render_pdf_on_the_qt_loop_uses_the_paper_size(
    qtbot, run_on_qt, tmp_path, orders, paper, size
):
    target = tmp_path / "one.pdf"

    run_on_qt(render_pdf(render_invoice(orders[0]), target, paper=paper))

    texts = pdf_pages(qtbot, target)
    assert len(texts) == 1 and f"Order #{number(orders[0])}" in texts[0]
    width, height = pdf_page_size_mm(target)
    assert width == pytest.approx(size[0], abs=1) and height == pytest.approx(size[1], abs=1)


def test_arrange_puts_each_slip_after_its_invoice_or_all_at_the_end():
    assert arrange(["i1", "i2"], ["s1", "s2"], interleave=True) == ["i1", "s1", "i2", "s2"]
    assert arrange(["i1", "i2"], ["s1", "s2"], interleave=False) == ["i1", "i2", "s1", "s2"]
    assert arrange(["i1", "i2"], None, interleave=True) == ["i1", "i2"]


def test_the_renderer_takes_a_fresh_page_every_few_documents(qtbot, tmp_path, orders, monkeypatch):
    """A Chromium renderer keeps ~1 MB per printed document: the page (and its
    process) is replaced every ``DOCUMENTS_PER_PAGE`` documents; output unchanged."""
    monkeypatch.setattr(invoice_render, "DOCUMENTS_PER_PAGE", 2)
    renderer = invoice_render.PdfRenderer()
    pages_used = []
    try:
        with invoice_render.PdfBook(renderer) as book:
            parts = []
            for order in [*orders, *orders]:
                parts.append(book.add_blocking(render_invoice(order)))
                pages_used.append(renderer.page)  # (kept: ids are unique)
            texts = [pdf_pages(qtbot, part)[0] for part in parts]
    finally:
        renderer.close()
    assert len({id(page) for page in pages_used}) == 3  # 6 documents, 2 per page
    assert pages_used[0] is pages_used[1] and pages_used[2] is pages_used[3]
    assert pages_used[1] is not pages_used[2] and pages_used[3] is not pages_used[4]
    for text, order in zip(texts, [*orders, *orders], strict=True):
        assert f"Order #{number(order)}" in text
