"""The GUI's one start-up path: create the QApplication, then run the app's
coroutine on qasync's event loop (one asyncio loop drives Qt and the network).
"""

from __future__ import annotations

import asyncio
import os
import sys

import qasync
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication

from app import __version__
from app.services.demo_store import DemoStore
from ui.orders_window import OrdersWindow
from ui.resources import app_icon

DEMO_STORE_NAME = "Walnut & Linen (demo store)"


def _prepare_environment() -> None:
    # QtWebEngine refuses to start as root without this (CI, containers).
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")
    # Lets QtWebEngine be imported lazily, after the QApplication exists.
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)


def create_application(argv: list[str]) -> QApplication:
    _prepare_environment()
    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName("Backroom")
    app.setOrganizationName("Backroom")
    app.setApplicationVersion(__version__)
    app.setQuitOnLastWindowClosed(False)  # the coroutine decides when to end
    app.setWindowIcon(app_icon())
    app.setDesktopFileName("backroom")
    return app  # type: ignore[return-value]


def run(*, demo_orders: int) -> int:
    """Open the window on the demo store and run until it is closed."""
    app = create_application(sys.argv)
    window = OrdersWindow(DEMO_STORE_NAME)
    window.show()
    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
        return runner.run(_demo_session(window, demo_orders))


async def _demo_session(window: OrdersWindow, demo_orders: int) -> int:
    closed = asyncio.Event()
    window.closed.connect(closed.set)
    window.set_status("Starting the demo store…")
    demo = await asyncio.to_thread(DemoStore.start, demo_orders)
    client = demo.client()
    try:
        window.load(client)
        await closed.wait()
    finally:
        await window.tasks.shutdown()
        await client.aclose()
        await asyncio.to_thread(demo.stop)
    return 0
