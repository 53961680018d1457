"""The invoice preview window against the demo store over loopback: the store's
invoice with its script off; with the store stopped, the saved copy or (never
fetched) Backroom's own offline invoice, each with a banner; an unfinished
order said plainly; Save as PDF and Print (to a file) through their dialogs,
read back with QtPdf and recorded as printed."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import shiboken6
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QFileDialog

from app.cache import OrderCache
from app.domain.queries import OrderQuery
from app.services.invoices.documents import OFFLINE_MARK, invoice_for, printed_at
from app.services.invoices.source import StoreInvoices
from app.services.sync.engine import SyncEngine
from tests.helpers.sandbox import client_for, running_sandbox
from tests.ui.invoices.test_invoice_view import evaluate, page_text
from tests.ui.printing.test_invoice_render import pdf_page_size_mm, pdf_pages
from ui.common.tasks import TaskRunner
from ui.invoices.window import CACHE_NOTICE, OFFLINE_NOTICE, InvoiceWindow


@pytest.fixture
def store(tmp_path):
    """A small demo store of its own (the tests stop it)."""
    with running_sandbox(tmp_path / "sandbox.sqlite3", orders=30) as server:
        yield server


@pytest.fixture
def synced(store, tmp_path, run_on_qt):
    """``(cache, client)``: every order of the store in the cache, and a client for it."""
    client = client_for(store)
    with OrderCache.open(tmp_path / "orders.sqlite3") as cache:
        run_on_qt(SyncEngine(cache, client).sync())
        yield cache, client
        run_on_qt(client.aclose())


@pytest.fixture
def tasks(run_on_qt) -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    run_on_qt(runner.shutdown())


@pytest.fixture
def make_window(tasks, tmp_path) -> Iterator[Callable[..., InvoiceWindow]]:
    windows: list[InvoiceWindow] = []

    def make(cache, client, **options) -> InvoiceWindow:
        window = InvoiceWindow(StoreInvoices(cache, client), tasks, **options)
        window.folder = tmp_path
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
        shiboken6.delete(window)  # now: the shared web profile must outlive no page


def paid(cache: OrderCache, index: int = 0):
    return cache.rows(OrderQuery(payment_status=["PAID"]), index, 1)[0]


def opened(qtbot, window: InvoiceWindow, key: str) -> InvoiceWindow:
    window.show()
    with qtbot.waitSignal(window.documentShown, timeout=20_000) as shown:
        window.open_order(key)
    assert shown.args == [key]
    return window


def test_the_store_invoice_is_shown_with_its_script_off(qtbot, synced, make_window):
    cache, client = synced
    row = paid(cache)
    window = make_window(cache, client)
    printing: list[bool] = []
    window.view.page().printRequested.connect(lambda: printing.append(True))

    opened(qtbot, window, row.key)

    assert window.document is not None and window.document.source == "store"
    assert window.windowTitle() == f"Invoice {row.number}"
    assert window.banner.isHidden()
    assert window.stack.currentWidget() is window.view
    assert window.print_action.isEnabled() and window.pdf_action.isEnabled()
    text = page_text(qtbot, window.view.page())
    assert f"Order #{row.number}" in text and "SCRIPT RAN" not in text
    assert evaluate(qtbot, window.view.page(), "document.title") == f"Order #{row.number}"
    qtbot.wait(100)
    assert printing == []


def test_with_the_store_stopped_the_saved_invoice_or_an_offline_one_is_shown(
    qtbot, store, synced, make_window, run_on_qt
):
    cache, client = synced
    saved, never_fetched = paid(cache, 0), paid(cache, 1)
    run_on_qt(invoice_for(cache, client, saved.key))  # fetched once, while online
    store.stop()

    window = opened(qtbot, make_window(cache, client), saved.key)
    assert window.document.source == "cache"
    assert not window.banner.isHidden() and CACHE_NOTICE in window.banner.text()
    assert f"Order #{saved.number}" in page_text(qtbot, window.view.page())

    window = opened(qtbot, make_window(cache, client), never_fetched.key)
    assert window.document.source == "offline"
    assert not window.banner.isHidden() and window.banner.text() == OFFLINE_NOTICE
    text = page_text(qtbot, window.view.page())
    assert OFFLINE_MARK in text and never_fetched.number in text


def test_an_unfinished_order_says_it_has_no_invoice(qtbot, synced, make_window):
    cache, client = synced
    unfinished = cache.rows(OrderQuery(payment_status=["INCOMPLETE"]), 0, 1)[0]
    window = make_window(cache, client)
    window.show()

    task = window.open_order(unfinished.key)
    qtbot.waitUntil(task.done, timeout=20_000)

    assert window.document is None
    assert window.stack.currentWidget() is window.message
    assert "No invoice to show" in window.message.text()
    assert f"Order {unfinished.number} is unfinished" in window.message.text()
    assert not window.print_action.isEnabled() and not window.pdf_action.isEnabled()


def test_save_as_pdf_offers_the_invoice_name_and_records_the_print(
    qtbot, synced, make_window, tmp_path
):
    cache, _client = synced
    row = paid(cache)
    window = opened(qtbot, make_window(cache, None, online=False), row.key)
    assert printed_at(cache, row.key) is None

    window.pdf_action.trigger()
    dialog = window.findChild(QFileDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.selectedFiles()[0] == str(tmp_path / f"Invoice-{row.number}.pdf")
    with qtbot.waitSignal(window.printed, timeout=20_000) as recorded:
        dialog.accept()

    assert recorded.args == [row.key]
    pages = pdf_pages(qtbot, tmp_path / f"Invoice-{row.number}.pdf")
    assert len(pages) == 1 and OFFLINE_MARK in pages[0] and row.number in pages[0]
    assert printed_at(cache, row.key) is not None


def test_print_to_a_file_uses_the_account_paper_and_records_the_print(
    qtbot, synced, make_window, tmp_path
):
    cache, client = synced
    row = paid(cache)
    window = opened(qtbot, make_window(cache, client, paper="Letter"), row.key)

    window.print_action.trigger()
    dialog = window.findChild(QPrintDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.printer().outputFileName() == str(tmp_path / f"Invoice-{row.number}.pdf")
    with qtbot.waitSignal(window.printed, timeout=30_000):
        dialog.accept()

    printed = tmp_path / f"Invoice-{row.number}.pdf"
    pages = pdf_pages(qtbot, printed)
    assert f"Order #{row.number}" in pages[0] and "SCRIPT RAN" not in pages[0]
    width, height = pdf_page_size_mm(printed)
    assert width == pytest.approx(215.9, abs=1) and height == pytest.approx(279.4, abs=1)
    assert printed_at(cache, row.key) is not None


def test_zoom_buttons_show_the_zoom(qtbot, synced, make_window):
    cache, _client = synced
    window = opened(qtbot, make_window(cache, None, online=False), paid(cache).key)

    window.zoom_in_action.trigger()
    assert window.zoom_label.text() == "110 %"
    window.zoom_out_action.trigger()
    window.zoom_out_action.trigger()
    assert window.zoom_label.text() == "90 %"
    window.actual_size_action.trigger()
    assert window.zoom_label.text() == "100 %"
