"""``backroom --demo --smoke FILE``: a check that an install (above all the
frozen bundle) works end to end. It opens the main window on the demo
store, waits for the first sync to fill the table, takes the newest order's
invoice from the store over HTTP and prints it to ``FILE`` with QtWebEngine,
then closes the window. Exit status 0 when the PDF was written, 1 otherwise
(the reason is printed on stderr)."""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ui.window.main_window import MainWindow

log = logging.getLogger(__name__)

SMOKE_TIMEOUT_S = 180.0


async def _synced(window: MainWindow) -> None:
    while True:
        session, sync = window.session, window.sync
        if session is not None and session.last_sync() is not None and not (sync and sync.running):
            if window.orders.model.rowCount() > 0:
                return
        await asyncio.sleep(0.05)


async def run_smoke(window: MainWindow, target: Path) -> int:
    """Run the check in the open window; returns the exit status."""
    from app.domain.queries import OrderQuery
    from ui.printing.pdf import render_pdf

    started = time.perf_counter()
    try:
        await asyncio.wait_for(_synced(window), SMOKE_TIMEOUT_S)
        session = window.session
        assert session is not None
        synced = time.perf_counter()
        rows = await asyncio.to_thread(session.rows.rows, OrderQuery(), 0, 1)
        document = await session.invoices.document(rows[0].key)
        await asyncio.wait_for(render_pdf(document.html, target), SMOKE_TIMEOUT_S)
    except Exception as error:  # the check failed: say why, in one line
        log.exception("smoke test failed")
        print(f"smoke test failed: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    finished = time.perf_counter()
    print(
        f"smoke test passed: {window.orders.model.rowCount()} orders shown and synced in "
        f"{synced - started:.1f} s; invoice {document.number} ({document.source}) printed to "
        f"{target} in {finished - synced:.1f} s"
    )
    return 0
