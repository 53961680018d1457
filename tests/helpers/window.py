"""The main window over the demo store, for UI tests: demo stores on loopback
connected as accounts, a real ``MainWindow`` shown and started on them,
waited for (with ``qtbot.waitUntil``, never a fixed sleep) until its first
sync is done, and shut down when pytest-qt closes it at the end of the test
(before the fixtures end, so the Qt loop still runs it)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtCore import QSettings

from app.config import Account, AccountStore
from app.sandbox import SandboxServer
from app.secrets import SecretStore
from ui.window.main_window import MainWindow


def connect_store(accounts: AccountStore, server: SandboxServer, name: str = "Shop") -> Account:
    """``server`` (a demo store on loopback) as the Ecwid account ``name``,
    its token in the keyring (the test's in-memory one)."""
    account = Account(name=name, kind="ecwid", store_id=str(server.store_id), api_url=server.url)
    accounts.add(account)
    SecretStore().set_token("ecwid", name, server.token)
    return account


def synced(window: MainWindow) -> bool:
    """A sync has ended and the table shows what it stored (it refreshes in the background)."""
    return (
        window.session is not None
        and window.session.last_sync() is not None
        and not (window.sync and window.sync.running)
        and not window.changes.busy
        and not window.tasks.is_running("refresh")
    )


def orders_shown(window: MainWindow) -> bool:
    """:func:`synced`, and the table has rows."""
    return synced(window) and window.orders.model.rowCount() > 0


def open_window(
    qtbot,  # noqa: ANN001 - pytest-qt's qtbot
    run_on_qt: Callable,
    folder: Path,
    *,
    stores: Mapping[str, SandboxServer] | None = None,
    accounts: AccountStore | None = None,
    settings: QSettings | None = None,
    demo: bool = False,
    demo_orders: int | None = None,
    demo_stores: int = 1,
    size: tuple[int, int] | None = None,
    until: Callable[[MainWindow], bool] | None = synced,
    timeout: int = 30_000,
) -> MainWindow:
    """A ``MainWindow`` shown, active and started, once ``until`` holds.

    ``stores`` (account name → demo store) are connected to ``accounts`` (by
    default the accounts file ``folder/accounts.json``); ``settings`` default
    to ``folder/window.ini``. ``demo`` starts on the built-in demo store
    (``demo_orders`` orders, ``demo_stores`` of them) instead of the
    accounts. ``size`` resizes the window before it shows. ``until=None``
    returns right after ``start()``, for a test that waits for something
    else first; the window is shut down (``shutdown()``) when pytest-qt
    closes it."""
    if accounts is None:
        accounts = AccountStore.load(folder / "accounts.json")
    for name, server in (stores or {}).items():
        connect_store(accounts, server, name)
    if settings is None:
        settings = QSettings(str(folder / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(
        accounts=accounts,
        secrets=SecretStore(),
        settings=settings,
        demo_orders=demo_orders,
        demo_stores=demo_stores,
    )
    # pytest-qt closes its widgets before the fixtures end: the window is shut down first
    qtbot.addWidget(window, before_close_func=lambda w: run_on_qt(w.shutdown()))
    if size is not None:
        window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.start(demo=demo)
    if until is not None:
        qtbot.waitUntil(lambda: until(window), timeout=timeout)
    return window
