"""Run by ``test_webengine_environment.py`` in a process of its own, started
with secrets in its environment: start Qt the way Backroom does (``window``:
the window's start-up, :func:`ui.main.create_application`; ``pdf``: the
command line's, :func:`ui.printing.pdf.ensure_application`), print an
invoice with QtWebEngine, say ``rendered``, then wait — Chromium's processes
alive — until a line arrives on stdin."""

from __future__ import annotations

import sys
from pathlib import Path


def main() -> int:
    mode, target = sys.argv[1], Path(sys.argv[2])
    if mode == "window":
        from ui.main import create_application

        create_application(["backroom", "-platform", "offscreen"])
    else:
        from ui.printing.pdf import ensure_application

        ensure_application()
    from PySide6.QtCore import QEventLoop

    from app.services.invoices.templates import render_invoice
    from tests.helpers.order_samples import three_item_order
    from ui.printing.pdf import PdfRenderer

    html = render_invoice(three_item_order(), None, None, number="1042", offline_notice="")
    renderer = PdfRenderer()
    loop = QEventLoop()
    outcome: dict[str, BaseException | None] = {}

    def done(error: BaseException | None) -> None:
        outcome["error"] = error
        loop.quit()

    renderer.start(html, target, done=done)
    loop.exec()
    if outcome["error"] is not None:
        raise outcome["error"]
    print("rendered", flush=True)
    sys.stdin.readline()
    renderer.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
