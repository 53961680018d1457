"""Backroom's main window: the welcome page on first run, otherwise one
store's orders; menus, keyboard shortcuts, the status bar and background sync.

It is built in two steps so that it appears at once: the frame (menus,
status bar, "Opening…") needs only Qt, and :meth:`MainWindow.build` then
imports and adds the pages (pydantic models, the cache, the HTTP client…).

It owns the open :class:`~app.services.store_session.StoreSession` (and the
demo store when that is what is shown) and everything tied to it: the sync
controller, notifications, saved views. Window layout is kept in QSettings.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui.appearance import apply_color_scheme
from ui.error_dialog import ErrorReporter
from ui.new_order_notifier import NewOrderNotifier
from ui.resources import app_icon
from ui.tasks import TaskRunner

if TYPE_CHECKING:  # imported when first needed: the window shows before they load
    from app.config import Account, AccountStore
    from app.ecwid import EcwidClient
    from app.secrets import SecretStore
    from app.services.demo_store import DemoStore
    from app.services.store_session import StoreSession
    from app.services.sync import SyncResult
    from ui.sync_controller import SyncController

log = logging.getLogger(__name__)

DEMO_KEY = "__demo__"  # QSettings value of "last account" for the demo store
REFRESH_DURING_SYNC_S = 5.0  # the table shows a sync's orders as they arrive, this often
COLOR_SCHEME_KEY = "ui/color_scheme"  # QSettings: "system", "light" or "dark"


class MainWindow(QMainWindow):
    """The window. ``closed`` is emitted when the user closes it."""

    closed = Signal()

    def __init__(
        self,
        *,
        settings: QSettings,
        accounts: AccountStore | None = None,
        secrets: SecretStore | None = None,
        accounts_error: str | None = None,
        demo_orders: int | None = None,  # None: the demo store's default size
    ) -> None:
        super().__init__()
        self.accounts = accounts
        self.secrets = secrets
        self.settings = settings
        self.demo_orders = demo_orders
        self._accounts_error = accounts_error
        self.tasks = TaskRunner(on_error=self._on_task_error)
        self.errors = ErrorReporter(self)
        self.session: StoreSession | None = None
        self.sync: SyncController | None = None
        self.demo: DemoStore | None = None
        self._was_synced_before = False
        self._last_refresh = 0.0
        self._built = False
        self.notifier = NewOrderNotifier(app_icon(), self)
        self._setup_frame()
        self._setup_menus()
        self.restoreGeometry(self.settings.value("window/geometry") or b"")

    # -- set-up ------------------------------------------------------------------

    def _setup_frame(self) -> None:
        self.setWindowTitle("Backroom")
        self.resize(1280, 780)
        self.stack = QStackedWidget()
        self.opening = QLabel("Opening Backroom…", alignment=Qt.AlignmentFlag.AlignCenter)
        self.opening.setObjectName("openingState")
        self.stack.addWidget(self.opening)
        central = QWidget()
        self.central_layout = QVBoxLayout(central)
        self.central_layout.setContentsMargins(0, 0, 0, 0)
        self.central_layout.setSpacing(0)
        self.central_layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.count_label = QLabel()
        self.statusBar().addWidget(self.count_label, 1)
        self.notifier.notified.connect(self._on_notified)

    def set_accounts(
        self, accounts: AccountStore | None, secrets: SecretStore, error: str | None = None
    ) -> None:
        """The user's accounts (``None`` with ``error`` when they could not be read)."""
        self.accounts, self.secrets, self._accounts_error = accounts, secrets, error

    def build(self) -> None:
        """Add the pages and the sync status (once)."""
        if self._built:
            return
        from ui.ecdp_commands import EcdpCommands
        from ui.order_commands import OrderCommands, theme_icon
        from ui.orders_page import OrdersPage
        from ui.sync_status_panel import SyncStatusPanel
        from ui.welcome_page import WelcomePage

        if self.secrets is None:
            from app.secrets import SecretStore

            self.secrets = SecretStore()
        self.welcome = WelcomePage()
        self.welcome.connectRequested.connect(self.connect_store)
        self.welcome.demoRequested.connect(self.open_demo)
        self.orders = OrdersPage()
        self.orders.countChanged.connect(self._on_count_changed)
        self.commands = OrderCommands(self, self.order_menu)
        self.ecdp = EcdpCommands(self, self.ecdp_menu)
        self.central_layout.addWidget(self.commands.undo_bar)
        self.orders.orderActivated.connect(self.commands.open_in_window)
        self.orders.orderSaved.connect(lambda _key: self.commands.changed())
        toolbar = self.addToolBar("Orders")
        toolbar.setObjectName("ordersToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        sync_button = toolbar.addAction(theme_icon("view-refresh", "SP_BrowserReload"), "Sync")
        sync_button.setToolTip("Sync now (F5)")
        sync_button.triggered.connect(lambda: self.sync_now())
        sync_button.setEnabled(False)
        self.sync_action.changed.connect(
            lambda: sync_button.setEnabled(self.sync_action.isEnabled())
        )
        self.commands.fill_toolbar(toolbar)
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.orders)
        self.status_panel = SyncStatusPanel()
        self.status_panel.outboxRequested.connect(self.show_outbox)
        self.statusBar().addPermanentWidget(self.status_panel)
        self.status_panel.hide()
        self.orders.restore_state(
            self.settings.value("window/splitter"), self.settings.value("table/header")
        )
        self._built = True

    def _setup_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.connect_action = self._action(file_menu, "&Connect a store…", self.connect_store)
        self.accounts_action = self._action(
            file_menu, "&Accounts…", self.show_accounts, "Ctrl+Shift+A"
        )
        self._action(file_menu, "Open the &demo store", self.open_demo)
        file_menu.addSeparator()
        self._action(
            file_menu, "&Settings…", self.show_settings, QKeySequence.StandardKey.Preferences
        ).setMenuRole(QAction.MenuRole.PreferencesRole)
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        view_menu = bar.addMenu("&View")
        self.sync_action = self._action(view_menu, "&Sync now", self.sync_now, "F5")
        self.full_sync_action = self._action(
            view_menu, "Sync &everything again", lambda: self.sync_now(full=True), "Shift+F5"
        )
        view_menu.addSeparator()
        self.notify_action = self._action(view_menu, "&Notify about new orders", None)
        self.notify_action.setCheckable(True)
        self.notify_action.toggled.connect(self._on_notify_toggled)
        self.sound_action = self._action(view_menu, "Play a &sound for new orders", None)
        self.sound_action.setCheckable(True)
        self.sound_action.toggled.connect(self._on_sound_toggled)

        view_menu.addSeparator()
        appearance = view_menu.addMenu("&Appearance")
        self.scheme_actions = QActionGroup(self)
        current = str(self.settings.value(COLOR_SCHEME_KEY, "system") or "system")
        for value, label in (
            ("system", "Follow the &system"),
            ("light", "&Light"),
            ("dark", "&Dark"),
        ):
            action = QAction(label, self, checkable=True, checked=value == current)
            action.setData(value)
            action.triggered.connect(lambda _checked=False, v=value: self._on_scheme_chosen(v))
            self.scheme_actions.addAction(action)
            appearance.addAction(action)

        self.order_menu = bar.addMenu("&Order")  # filled by OrderCommands in build()
        self.ecdp_menu = bar.addMenu("&ECDP")  # filled by EcdpCommands in build()

        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&Keyboard shortcuts", self.show_shortcuts, "F1")
        self._action(help_menu, "Show &log folder", self.show_log_folder)
        self._action(help_menu, "&About Backroom", self._show_about).setMenuRole(
            QAction.MenuRole.AboutRole
        )

        QShortcut(QKeySequence.StandardKey.Find, self, activated=self._on_find)
        self._set_store_actions_enabled(False)

    def _action(
        self,
        menu: QWidget,
        text: str,
        slot: Callable[[], object] | None,
        shortcut: str | QKeySequence.StandardKey | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if slot is not None:
            action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)  # type: ignore[attr-defined]
        return action

    def _set_store_actions_enabled(self, enabled: bool) -> None:
        for action in (self.sync_action, self.full_sync_action, self.notify_action):
            action.setEnabled(enabled)
        if self._built:
            self.commands.set_enabled(enabled)
            self.ecdp.set_enabled(enabled)
        self.sound_action.setEnabled(enabled and self.notify_action.isChecked())

    # -- start-up --------------------------------------------------------------------

    def start(self, *, demo: bool) -> None:
        """Show what the user should see first: the demo store when asked,
        else the store shown last time, else the only store, else the welcome page."""
        self.build()
        if self._accounts_error:
            self._warn("Your accounts could not be read", self._accounts_error)
        if demo:
            self.open_demo()
            return
        accounts = [  # the stores; ECDP accounts are where orders go, not stores to open
            a for a in (self.accounts.accounts() if self.accounts else []) if a.kind == "ecwid"
        ]
        last = str(self.settings.value("session/account", "") or "")
        names = {account.name for account in accounts}
        if last == DEMO_KEY:
            self.open_demo()
        elif last in names:
            self.open_account(last)
        elif len(accounts) == 1:
            self.open_account(accounts[0].name)
        else:
            self.show_welcome()

    def show_welcome(self) -> None:
        self.stack.setCurrentWidget(self.welcome)
        self.setWindowTitle("Backroom")
        self.count_label.clear()

    # -- opening a store ----------------------------------------------------------------

    def open_account(self, name: str) -> asyncio.Task[None] | None:
        from app.config import ConfigError
        from app.services.accounts import MissingTokenError, ecwid_client, token_for

        if self.accounts is None or self.secrets is None:
            return None
        try:
            account = self.accounts.get(name)
            token = token_for(self.secrets, account)
        except (ConfigError, MissingTokenError) as error:
            self._warn("This store cannot be opened", str(error))
            self.show_welcome()
            return None
        return self.tasks.run(
            self._open(account, lambda: ecwid_client(account, token), remember=name),
            name="open-store",
        )

    def open_demo(self) -> asyncio.Task[None]:
        return self.tasks.run(self._open_demo(), name="open-store")

    async def _open_demo(self) -> None:
        from app.services.demo_store import DemoStore, demo_account

        if self.demo is None:
            self._show_opening("Starting the demo store…")
            size = () if self.demo_orders is None else (self.demo_orders,)
            self.demo = await asyncio.to_thread(DemoStore.start, *size)
        demo = self.demo
        await self._open(demo_account(), demo.client, remember=DEMO_KEY, keep_demo=True)

    async def _open(
        self,
        account: Account,
        make_client: Callable[[], EcwidClient],
        *,
        remember: str,
        keep_demo: bool = False,
    ) -> None:
        from app.config import account_dir
        from app.saved_views import VIEWS_FILE_NAME, SavedViewStore
        from app.services.store_session import StoreSession
        from app.store import CacheError

        await self.close_session(stop_demo=not keep_demo)
        self._show_opening(f"Opening {account.name}…")
        # (building a client loads the system's certificates: ~50 ms, not on the GUI thread)
        client = await asyncio.to_thread(make_client)
        try:
            session = await asyncio.to_thread(StoreSession.open, account, client)
        except CacheError as error:
            await client.aclose()
            self._warn("The orders saved on this computer cannot be opened", str(error))
            self.show_welcome()
            return
        self.session = session
        self.settings.setValue("session/account", remember)
        if session.moved_aside is not None:
            self._warn(
                "The saved orders were damaged",
                f"The damaged file was set aside as {session.moved_aside.name}; "
                "Backroom is fetching every order again.",
            )
        self._was_synced_before = session.last_sync() is not None
        self._last_refresh = 0.0
        views = SavedViewStore(account_dir(account) / VIEWS_FILE_NAME)
        problem = self.orders.show_session(session, views)
        if problem:
            self._warn("Your saved views", problem)
        self.stack.setCurrentWidget(self.orders)
        self.setWindowTitle(f"Backroom — {session.title}")
        self.notify_action.setChecked(account.settings.notify_new_orders)
        self.sound_action.setChecked(account.settings.notification_sound)
        self._set_store_actions_enabled(True)
        self.commands.session_changed(session)
        self.ecdp.session_changed(session)
        self.status_panel.show()
        self.status_panel.set_online(None)
        self.status_panel.set_last_sync(session.last_sync())
        self.status_panel.set_outbox(session.outbox_summary())
        self._start_sync(session)
        self.tasks.run(self._refresh_display(session), name="store-display")

    def _start_sync(self, session: StoreSession) -> None:
        from ui.sync_controller import SyncController

        sync = SyncController(session, self.tasks, self)
        sync.started.connect(self.status_panel.sync_started)
        sync.progressed.connect(self._on_sync_progressed)
        sync.finished.connect(self._on_sync_finished)
        sync.finished.connect(self.ecdp.on_sync_finished)
        sync.failed.connect(self._on_sync_failed)
        sync.onlineChanged.connect(self.status_panel.set_online)
        sync.outboxChanged.connect(self.status_panel.set_outbox)
        sync.outboxChanged.connect(self._on_outbox_changed)
        self.sync = sync
        sync.start()

    async def _refresh_display(self, session: StoreSession) -> None:
        try:
            await session.refresh_display()
        except Exception as error:  # offline: the remembered display stays
            log.info("store display not refreshed: %s", error)
            return
        if session is self.session:
            self.setWindowTitle(f"Backroom — {session.title}")
            self.orders.set_display_from_session()

    async def close_session(self, *, stop_demo: bool = True) -> None:
        """Stop syncing and close the open store (and the demo store, unless kept)."""
        if self._built:
            await self.commands.before_close_session()
            self.commands.session_changed(None)
            await self.ecdp.before_close_session()
            self.ecdp.session_changed(None)
        if self.sync is not None:
            self.sync.stop()
            self.sync.deleteLater()
            self.sync = None
        await self.tasks.cancel_named(
            "sync", "store-display", "outbox", "refresh", "prefetch-invoices"
        )
        if self.session is not None:
            session, self.session = self.session, None
            self.orders.clear_session()
            await session.close()
        self._set_store_actions_enabled(False)
        if self._built:
            self.status_panel.hide()
        if stop_demo and self.demo is not None:
            demo, self.demo = self.demo, None
            await asyncio.to_thread(demo.stop)

    async def shutdown(self) -> None:
        """Close everything before the app exits."""
        await self.close_session()
        await self.tasks.shutdown()
        self.notifier.hide()

    # -- actions ----------------------------------------------------------------------

    def sync_now(self, full: bool = False) -> None:
        if self.sync is not None:
            self.sync.sync_now(full=full)

    def connect_store(self) -> None:
        from ui.connect_store_dialog import ConnectStoreDialog

        if self.accounts is None or self.secrets is None:
            self._warn("Accounts are unavailable", self._accounts_error or "")
            return
        dialog = ConnectStoreDialog(self.accounts, self.secrets, self.tasks, self)
        dialog.storeConnected.connect(lambda connected: self.open_account(connected.account.name))
        dialog.ecdpConnected.connect(lambda _account: self.ecdp.accounts_changed())
        dialog.open()

    def show_accounts(self) -> None:
        from ui.accounts_dialog import AccountsDialog

        if self.accounts is None or self.secrets is None:
            self._warn("Accounts are unavailable", self._accounts_error or "")
            return
        current = self.session.account.name if self.session else None
        dialog = AccountsDialog(self.accounts, self.secrets, self.tasks, current, self)
        dialog.accountChosen.connect(self.open_account)
        dialog.accountRemoved.connect(self._on_account_removed)
        dialog.storeConnected.connect(lambda connected: self.open_account(connected.account.name))
        dialog.open()

    def _on_account_removed(self, name: str) -> None:
        if self._built:
            self.ecdp.accounts_changed()
        if self.session is not None and self.session.account.name == name:
            self.tasks.run(self._close_and_welcome(), name="open-store")

    async def _close_and_welcome(self) -> None:
        await self.close_session()
        self.show_welcome()

    def show_outbox(self) -> None:
        from ui.outbox_dialog import OutboxDialog

        if self.session is None or self.sync is None:
            return
        dialog = OutboxDialog(
            self.session.outbox_summary(), self.sync.retry_failed, self._number_of, self
        )
        self.sync.outboxChanged.connect(dialog.show_summary)
        dialog.open()

    def show_shortcuts(self) -> None:
        from ui.ecdp_commands import ECDP_SHORTCUTS
        from ui.order_commands import ORDER_SHORTCUTS
        from ui.order_editor_keys import EDITOR_SHORTCUTS
        from ui.shortcuts_dialog import DEFAULT_SHORTCUTS, ShortcutsDialog

        shortcuts = DEFAULT_SHORTCUTS + ORDER_SHORTCUTS + EDITOR_SHORTCUTS + ECDP_SHORTCUTS
        ShortcutsDialog(shortcuts, self).open()

    def _show_about(self) -> None:
        from ui.about_dialog import AboutDialog

        AboutDialog(self).open()

    def show_log_folder(self) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        from app.paths import log_dir

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_dir())))

    def show_settings(self) -> None:
        from ui.settings_dialog import SettingsDialog

        session = self.session
        dialog = SettingsDialog(
            session.account.settings if session is not None else None,
            str(self.settings.value(COLOR_SCHEME_KEY, "system") or "system"),
            self,
            store_name=session.title if session is not None else "",
        )
        dialog.accepted.connect(lambda: self._on_settings_accepted(dialog))
        dialog.open()

    def _on_settings_accepted(self, dialog: object) -> None:
        from ui.settings_dialog import SettingsDialog

        assert isinstance(dialog, SettingsDialog)
        self._on_scheme_chosen(dialog.color_scheme())
        for action in self.scheme_actions.actions():
            action.setChecked(action.data() == dialog.color_scheme())
        chosen = dialog.account_settings()
        if chosen is None or self.session is None:
            return
        for name, value in chosen.model_dump().items():
            self._save_account_setting(name, value)
        self.notify_action.setChecked(chosen.notify_new_orders)
        self.sound_action.setChecked(chosen.notification_sound)
        if self.sync is not None:
            self.sync.set_interval_minutes(chosen.sync_interval_minutes)

    # -- slots ------------------------------------------------------------------------

    def _on_sync_progressed(self, done: int, total: int) -> None:
        self.status_panel.sync_progressed(done, total)
        session = self.session
        if session is None:
            return
        if session.reader.filling:
            # A first sync fills the cache without its indexes: a query then reads
            # every row, so the table is shown once early on and again at the end.
            if self._last_refresh == 0.0:
                self._last_refresh = time.monotonic()
                self.refresh_orders()
            return
        now = time.monotonic()
        if now - self._last_refresh >= REFRESH_DURING_SYNC_S:
            self._last_refresh = now
            self.refresh_orders()

    def _on_sync_finished(self, result: SyncResult) -> None:
        session = self.session
        if session is None:
            return
        self.status_panel.sync_ended(session.last_sync())
        self.refresh_orders()
        if result.new and self._was_synced_before:
            numbers = [self._number_of(key) for key in result.new[:3]] + result.new[3:]
            self.notifier.notify_new_orders(numbers)
        self._was_synced_before = True

    def _on_outbox_changed(self, _summary: object) -> None:
        self.refresh_orders()  # the Sync column shows the outbox

    def refresh_orders(self) -> None:
        """Show what the cache holds now; it is read off the GUI thread, latest wins."""
        self.tasks.run(self.orders.refresh_in_background(), name="refresh")

    def _on_sync_failed(self, message: str) -> None:
        self.status_panel.sync_ended(self.session.last_sync() if self.session else None)
        self.statusBar().showMessage(message, 15_000)

    def _on_notified(self, title: str, text: str) -> None:
        self.statusBar().showMessage(f"{title}: {text}", 15_000)

    def _on_find(self) -> None:
        if self._built:
            self.orders.focus_search()

    def _on_count_changed(self, shown: int) -> None:
        from app.store import OrderQuery

        if self.session is None:
            self.count_label.clear()
            return
        query = self.orders.model.query
        unfiltered = OrderQuery(sort=query.sort, descending=query.descending)
        if query == unfiltered and not self.orders.model.counting:
            total = shown  # no filter: the table's own count (no second count after a sync)
        else:
            total = self.session.reader.count(OrderQuery())
        noun = "order" if total == 1 else "orders"
        if shown == total:
            self.count_label.setText(f"{total:,} {noun}")
        else:
            self.count_label.setText(f"{shown:,} of {total:,} {noun}")

    def _on_scheme_chosen(self, value: str) -> None:
        self.settings.setValue(COLOR_SCHEME_KEY, value)
        apply_color_scheme(value)

    def _on_notify_toggled(self, on: bool) -> None:
        self.notifier.enabled = on
        self.sound_action.setEnabled(on and self.session is not None)
        self._save_account_setting("notify_new_orders", on)

    def _on_sound_toggled(self, on: bool) -> None:
        self.notifier.sound = on
        self._save_account_setting("notification_sound", on)

    def _save_account_setting(self, name: str, value: object) -> None:
        from app.config import ConfigError

        session = self.session
        if session is None or self.accounts is None:
            return
        account = session.account
        if getattr(account.settings, name) == value:
            return
        updated = account.model_copy(
            update={"settings": account.settings.model_copy(update={name: value})}
        )
        session.account = updated
        if any(a.name == account.name for a in self.accounts.accounts()):
            try:
                self.accounts.update(updated)
            except ConfigError as error:
                self._warn("The setting could not be saved", str(error))

    def _number_of(self, key: str) -> str:
        if self.session is None:
            return key
        order = self.session.reader.order_json(key) or {}
        return str(order.get("vendorOrderNumber") or order.get("orderNumber") or key)

    def _on_task_error(self, error: BaseException) -> None:
        """A task failed in a way nobody handled: tell the user plainly, keep running."""
        self.errors.report(error)

    def _show_opening(self, text: str) -> None:
        self.opening.setText(text)
        self.stack.setCurrentWidget(self.opening)

    def _warn(self, title: str, text: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self
        )
        box.open()

    # -- layout -----------------------------------------------------------------------

    def save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        if self._built:
            state = self.orders.save_state()
            self.settings.setValue("window/splitter", state["splitter"])
            self.settings.setValue("table/header", state["header"])
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.save_layout()
        self.closed.emit()
        super().closeEvent(event)
