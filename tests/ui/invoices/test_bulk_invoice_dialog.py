"""Invoices of many orders in one PDF, through the dialog: the store's invoices
over loopback, one per new page, recorded as printed; packing slips after each
invoice; cancelling half-way leaves no file; unfinished orders left out and named."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest
import shiboken6

from app.cache import OrderCache
from app.domain.queries import OrderQuery
from app.services.invoices.documents import printed_at
from app.services.invoices.source import StoreInvoices
from app.services.sync.engine import SyncEngine
from tests.helpers.invoice_pages import is_packing_slip
from tests.helpers.sandbox import client_for, running_sandbox
from tests.ui.printing.test_invoice_render import pdf_pages
from ui.common.tasks import TaskRunner
from ui.invoices.bulk_dialog import BulkInvoiceDialog, default_bulk_target


@pytest.fixture
def synced(tmp_path, run_on_qt):
    """``(cache, client)``: a small demo store synced into a cache."""
    with running_sandbox(tmp_path / "sandbox.sqlite3", orders=30) as store:
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
def make_dialog(tasks, tmp_path) -> Iterator[Callable[..., BulkInvoiceDialog]]:
    dialogs: list[BulkInvoiceDialog] = []

    def make(cache, client, keys, **options) -> BulkInvoiceDialog:
        dialog = BulkInvoiceDialog(
            StoreInvoices(cache, client), tasks, keys, folder=tmp_path, **options
        )
        dialogs.append(dialog)
        dialog.show()
        return dialog

    yield make
    for dialog in dialogs:
        dialog.close()
        shiboken6.delete(dialog)


def paid_rows(cache: OrderCache, count: int):
    return cache.rows(OrderQuery(payment_status=["PAID"]), 0, count)


def test_three_invoices_into_one_pdf_each_on_a_new_page(qtbot, synced, make_dialog, tmp_path):
    cache, client = synced
    rows = paid_rows(cache, 3)
    dialog = make_dialog(cache, client, [row.key for row in rows])
    target = tmp_path / f"Invoices-{date.today().isoformat()}.pdf"
    assert dialog.target() == target  # the default name
    assert not dialog.interleave_radio.isEnabled()  # packing slips are off

    with qtbot.waitSignal(dialog.pdfWritten, timeout=60_000) as written:
        dialog.create_button.click()

    assert written.args[0] == str(target)
    texts = pdf_pages(qtbot, target)
    assert written.args[1] == len(texts) >= 3
    starts = [
        next(i for i, text in enumerate(texts) if f"Order #{row.number}" in text) for row in rows
    ]
    assert starts == sorted(starts) and len(set(starts)) == 3  # in order, each on its own page
    assert all("SCRIPT RAN" not in text for text in texts)
    assert all(printed_at(cache, row.key) is not None for row in rows)
    assert "Saved 3 invoices" in dialog.status.text()
    assert dialog.open_button.isVisible() and dialog.cancel_button.text() == "Close"


def test_packing_slips_follow_their_invoices(qtbot, synced, make_dialog, tmp_path):
    cache, _client = synced
    rows = paid_rows(cache, 2)
    dialog = make_dialog(cache, None, [row.key for row in rows], online=False)
    dialog.slips_box.setChecked(True)
    assert dialog.interleave_radio.isEnabled() and dialog.interleave_radio.isChecked()
    dialog.target_edit.setText(str(tmp_path / "with slips"))  # ".pdf" is added

    with qtbot.waitSignal(dialog.pdfWritten, timeout=60_000) as written:
        dialog.create_button.click()

    assert written.args == [str(tmp_path / "with slips.pdf"), 4]
    kinds = []
    for text in pdf_pages(qtbot, tmp_path / "with slips.pdf"):
        owner = next(row.number for row in rows if row.number in text)
        kinds.append(("slip" if is_packing_slip(text) else "invoice", owner))
    first, second = rows[0].number, rows[1].number
    assert kinds == [("invoice", first), ("slip", first), ("invoice", second), ("slip", second)]


def test_cancelling_half_way_leaves_no_file(qtbot, synced, make_dialog, tmp_path):
    cache, client = synced
    rows = paid_rows(cache, 8)
    dialog = make_dialog(cache, client, [row.key for row in rows])
    target = dialog.target()
    dialog.progressed.connect(lambda done, _total: done == 2 and dialog.cancel_button.click())

    task = dialog.start()
    qtbot.waitUntil(task.done, timeout=60_000)

    assert task.cancelled()
    assert dialog.progress.value() == 0 and "no PDF was written" in dialog.status.text()
    assert not target.exists() and list(tmp_path.glob("*.pdf")) == []
    assert all(printed_at(cache, row.key) is None for row in rows)
    assert dialog.isVisible() and dialog.create_button.isEnabled()  # it can be started again


def test_unfinished_orders_are_left_out_and_named(qtbot, synced, make_dialog, tmp_path):
    cache, client = synced
    paid = paid_rows(cache, 1)[0]
    unfinished = cache.rows(OrderQuery(payment_status=["INCOMPLETE"]), 0, 1)[0]
    dialog = make_dialog(cache, client, [unfinished.key, paid.key])

    with qtbot.waitSignal(dialog.pdfWritten, timeout=60_000) as written:
        dialog.start()

    assert written.args[1] == 1
    assert "Saved 1 invoice (1 page)" in dialog.status.text()
    assert f"Order {unfinished.number} is unfinished" in dialog.status.text()
    assert printed_at(cache, unfinished.key) is None and printed_at(cache, paid.key) is not None


def test_a_target_in_a_missing_folder_is_refused(synced, make_dialog, tmp_path):
    cache, client = synced
    dialog = make_dialog(cache, client, [paid_rows(cache, 1)[0].key])
    dialog.target_edit.setText(str(tmp_path / "nowhere" / "x.pdf"))

    assert dialog.start() is None
    assert "existing folder" in dialog.status.text()


def test_the_default_name_does_not_overwrite_an_earlier_file(tmp_path):
    today = date(2026, 11, 1)
    assert default_bulk_target(tmp_path, today).name == "Invoices-2026-11-01.pdf"
    (tmp_path / "Invoices-2026-11-01.pdf").write_bytes(b"%PDF")
    assert default_bulk_target(tmp_path, today).name == "Invoices-2026-11-01 (2).pdf"
