"""Invoices: one invoice from request to preview, and 100 invoices into one PDF
with memory sampled per invoice.

    .venv/bin/python -m tests.benchmarks.bench_invoices [--orders N] [--previews P] [--bulk B]

Offscreen, against the demo store in a process of its own over loopback:

1. the store's orders are synced into a fresh cache;
2. ``preview``: the preview window, once QtWebEngine has started (one warm-up
   invoice), asks for the invoice of an order and shows it: timed from
   ``open_order`` to the page's ``loadFinished``, for invoices fetched from the
   store and again for the same invoices from the cache;
3. ``bulk``: the bulk dialog writes the invoices of ``B`` orders into one PDF
   (fetched from the store, rendered one by one on one page, merged); the RSS
   of this process and of QtWebEngine's helper processes is sampled after
   every invoice;
4. ``headless``: the command line's entry point renders the same invoices,
   now cached, into one PDF (its own event loop), RSS sampled likewise.

Targets (issue 6): preview <= 0.3 s once WebEngine is loaded; 100 invoices
into one PDF <= 20 s, memory flat.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.common import STORE_ID, TOKEN, sandbox_process


def _process_rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _descendants(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as children:
                for child in children.read().split():
                    found.append(int(child))
                    found.extend(_descendants(int(child)))
        except OSError:
            continue
    return found


def rss_mb() -> tuple[float, float]:
    """RSS of this process, and of its helper processes (QtWebEngineProcess…), in MB."""
    own = os.getpid()
    return _process_rss_mb(own), sum(_process_rss_mb(pid) for pid in _descendants(own))


def growth_per_invoice_kb(samples: list[float]) -> float:
    """Least-squares slope of RSS over the invoices, after the first ten (warm-up)."""
    tail = samples[10:] if len(samples) > 20 else samples
    n = len(tail)
    if n < 2:
        return 0.0
    mean_x, mean_y = (n - 1) / 2, statistics.fmean(tail)
    num = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(tail))
    den = sum((x - mean_x) ** 2 for x in range(n))
    return num / den * 1024


def describe_rss(label: str, own: list[float], helpers: list[float]) -> str:
    quarter = len(own) // 4
    return (
        f"{label} RSS per invoice: this process {own[0]:.0f} -> {own[quarter]:.0f} -> "
        f"{own[-1]:.0f} MB, max {max(own):.0f} (after 10: {growth_per_invoice_kb(own):+.0f} "
        f"KB/invoice); WebEngine helpers {helpers[0]:.0f} -> {helpers[quarter]:.0f} -> "
        f"{helpers[-1]:.0f} MB, max {max(helpers):.0f} "
        f"({growth_per_invoice_kb(helpers):+.0f} KB/invoice)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=250)
    parser.add_argument("--previews", type=int, default=20)
    parser.add_argument("--bulk", type=int, default=100)
    args = parser.parse_args()

    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")

    from PySide6.QtCore import QCoreApplication, Qt

    from ui.common.event_loop import EventLoop

    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    from PySide6.QtWidgets import QApplication

    from app.cache import OrderCache
    from app.domain.queries import OrderQuery
    from app.ecwid import EcwidClient
    from app.services.invoices.documents import invoice_for
    from app.services.invoices.source import StoreInvoices
    from app.services.sync.engine import SyncEngine
    from ui.common.tasks import TaskRunner
    from ui.invoices.bulk_dialog import BulkInvoiceDialog
    from ui.invoices.window import InvoiceWindow
    from ui.printing.pdf import render_pdf_documents

    app = QApplication([sys.argv[0], "-platform", "offscreen"])
    app.setQuitOnLastWindowClosed(False)  # as ui/main.py has it
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        with sandbox_process(tmp / "store.sqlite3", args.orders) as url:
            cache = OrderCache.open(tmp / "orders.sqlite3")
            tasks = TaskRunner()
            results: dict[str, object] = {}

            async def measured() -> None:
                client = EcwidClient(STORE_ID, TOKEN, base_url=url, requests_per_minute=None)
                await SyncEngine(cache, client).sync()
                query = OrderQuery(payment_status=["PAID"])
                keys = [row.key for row in cache.rows(query, 0, args.previews + args.bulk + 1)]
                warm, preview_keys = keys[0], keys[1 : 1 + args.previews]
                bulk_keys = keys[1 + args.previews :][: args.bulk]

                window = InvoiceWindow(StoreInvoices(cache, client), tasks, online=True)
                window.show()
                shown = asyncio.Event()
                window.documentShown.connect(lambda _key: shown.set())

                async def preview(key: str) -> float:
                    shown.clear()
                    started = time.perf_counter()
                    window.open_order(key)
                    await shown.wait()
                    return time.perf_counter() - started

                started = time.perf_counter()
                await preview(warm)
                results["first"] = time.perf_counter() - started
                results["store"] = [await preview(key) for key in preview_keys]
                results["cache"] = [await preview(key) for key in preview_keys]
                window.close()

                dialog = BulkInvoiceDialog(
                    StoreInvoices(cache, client), tasks, bulk_keys, folder=tmp, online=True
                )
                own: list[float] = []
                helpers: list[float] = []

                def sample(_done: int, _total: int) -> None:
                    mine, theirs = rss_mb()
                    own.append(mine)
                    helpers.append(theirs)

                dialog.progressed.connect(sample)
                written = asyncio.get_running_loop().create_future()
                dialog.pdfWritten.connect(
                    lambda path, pages: written.done() or written.set_result((path, pages))
                )
                started = time.perf_counter()
                dialog.start()
                path, pages = await written
                results["bulk"] = (time.perf_counter() - started, pages, Path(path).stat().st_size)
                results["bulk_rss"] = (own, helpers)
                results["bulk_keys"] = bulk_keys
                await client.aclose()
                await tasks.shutdown()

            with asyncio.Runner(loop_factory=lambda: EventLoop(app)) as runner:
                runner.run(measured())

            # the command line's path: its own event loop, invoices from the cache
            async def cached_documents() -> list:
                keys = results["bulk_keys"]
                return [await invoice_for(cache, None, key, online=False) for key in keys]

            documents = asyncio.run(cached_documents())
            own, helpers = [], []

            def sample(_done: int, _total: int) -> None:
                mine, theirs = rss_mb()
                own.append(mine)
                helpers.append(theirs)

            started = time.perf_counter()
            pages = render_pdf_documents(documents, tmp / "headless.pdf", progress=sample)
            headless = time.perf_counter() - started
            cache.close()

    store, cached = results["store"], results["cache"]
    bulk_s, bulk_pages, bulk_bytes = results["bulk"]
    print(f"first invoice in a new window: {results['first']:.2f} s")
    print(
        f"preview, request to loadFinished, fetched from the store: median "
        f"{statistics.median(store) * 1000:.0f} ms, max {max(store) * 1000:.0f} ms "
        f"({len(store)} invoices; target <= 300 ms)"
    )
    print(
        f"preview, request to loadFinished, from the cache: median "
        f"{statistics.median(cached) * 1000:.0f} ms, max {max(cached) * 1000:.0f} ms"
    )
    count = len(results["bulk_keys"])
    print(
        f"bulk dialog: {count} invoices fetched and rendered into one PDF in {bulk_s:.1f} s "
        f"({bulk_pages} pages, {bulk_bytes / 1e6:.1f} MB; target <= 20 s)"
    )
    print(describe_rss("bulk", *results["bulk_rss"]))
    print(
        f"headless (command line), {len(documents)} cached invoices into one PDF: "
        f"{headless:.1f} s ({pages} pages)"
    )
    print(describe_rss("headless", own, helpers))


if __name__ == "__main__":
    main()
