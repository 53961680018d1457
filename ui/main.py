"""The GUI's one start-up path: create the QApplication, then run the app's
coroutine on qasync's event loop (one asyncio loop drives Qt and the network;
see :mod:`ui.common.event_loop`).
"""

from __future__ import annotations

import asyncio
import gc
import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import QApplication

from app import __version__
from app.platform.environment_secrets import take_environment_secrets
from app.platform.paths import config_dir
from ui.common.appearance import apply_color_scheme
from ui.common.gc_guard import GuiThreadCollector
from ui.common.resources import app_icon
from ui.window.main_window import COLOR_SCHEME_KEY, MainWindow

WINDOW_SETTINGS_FILE = "window.ini"


def _prepare_environment() -> None:
    # Tokens and keys leave the environment before QtWebEngine starts its processes.
    take_environment_secrets()
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
    app.setDesktopFileName("app.backroom.Backroom")
    return app  # type: ignore[return-value]


def window_settings() -> QSettings:
    """Where the window keeps its layout: beside the accounts, in Backroom's
    config folder (so ``--data-dir`` moves it too)."""
    return QSettings(str(config_dir() / WINDOW_SETTINGS_FILE), QSettings.Format.IniFormat)


def run(
    *,
    demo: bool = False,
    demo_orders: int | None = None,
    demo_stores: int = 1,
    smoke: Path | None = None,
) -> int:
    """Show the window and run until it is closed: the demo store(s) when
    asked, else every connected store, showing the one shown last time, else
    the welcome page. The window frame is shown first; the rest of Backroom
    is imported while it is on screen. With ``smoke``, run the install check
    of :mod:`ui.smoke` and close."""
    app = create_application(sys.argv)
    # Qt objects must never be freed by a worker thread; and nothing is
    # collected until the event loop runs (the imports and pages below)
    collector = GuiThreadCollector(app)
    try:
        return _run_window(
            app, demo=demo, demo_orders=demo_orders, demo_stores=demo_stores, smoke=smoke
        )
    finally:
        collector.stop()


def _run_window(
    app: QApplication,
    *,
    demo: bool,
    demo_orders: int | None,
    demo_stores: int,
    smoke: Path | None,
) -> int:
    settings = window_settings()
    apply_color_scheme(str(settings.value(COLOR_SCHEME_KEY, "system") or "system"))
    window = MainWindow(settings=settings, demo_orders=demo_orders, demo_stores=demo_stores)
    window.show()
    app.processEvents()  # on screen now; the pages and the services load next

    from app.services.accounts import AccountStore, ConfigError, SecretStore
    from ui.common.error_dialog import install_excepthook
    from ui.common.event_loop import EventLoop

    try:
        window.set_accounts(AccountStore.load(), SecretStore())
    except ConfigError as error:  # the file is left as it is; the user is told
        window.set_accounts(None, SecretStore(), str(error))
    window.build()
    gc.freeze()  # what start-up made lives on: out of the collector's way for good
    install_excepthook(window.errors)  # an exception escaping a slot: a dialog, not a crash
    with asyncio.Runner(loop_factory=lambda: EventLoop(app)) as runner:
        return runner.run(_window_session(window, demo=demo, smoke=smoke))


async def _window_session(window: MainWindow, *, demo: bool, smoke: Path | None = None) -> int:
    closed = asyncio.Event()
    window.closed.connect(closed.set)
    window.start(demo=demo)
    status = 0
    try:
        if smoke is not None:
            from ui.smoke import run_smoke

            status = await run_smoke(window, smoke)
            window.close()
        await closed.wait()
    finally:
        await window.shutdown()
    return status
