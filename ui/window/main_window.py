"""Backroom's main window: the welcome page on first run, otherwise one
store's orders or every store's at once (*All stores*); menus, keyboard
shortcuts, the status bar and background sync.

It is built in three steps so that it appears at once and shows the orders
soon after: the frame (menus, status bar, "Opening…") needs only Qt;
:meth:`MainWindow.build` then imports and adds the pages (pydantic models,
the cache, the HTTP client…); the ECDP menu (ECDP's client, mapping and phone
numbers) is made once the first rows are painted, or as soon as anything asks
for :attr:`MainWindow.ecdp`.

:class:`MainWindow` lays the window out (frame, menus, toolbar, pages) and is
what the rest of Backroom talks to. The open stores, their syncs and which
store is shown live in :class:`~ui.window.shown_store.ShownStore`, the tabs
and keys that switch between them in
:class:`~ui.window.store_switcher.StoreSwitcher`; the
preferences in :class:`~ui.window.preferences.WindowPreferences`; the account
dialogs in :class:`~ui.window.accounts_menu.AccountDialogs`; the Help menu in
:mod:`ui.window.help_menu`. Window layout is kept in QSettings.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QPoint, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.changes import Changes
from ui.common.error_dialog import ErrorReporter
from ui.common.icons import icon
from ui.common.keys import standard_keys
from ui.common.resources import app_icon, app_icon_path
from ui.common.tasks import TaskRunner
from ui.window.accounts_menu import AccountDialogs
from ui.window.change_hub import ChangeHub
from ui.window.help_menu import show_about, show_log_folder, show_shortcuts
from ui.window.new_order_notifier import NewOrderNotifier
from ui.window.preferences import COLOR_SCHEME_KEY, WindowPreferences
from ui.window.shown_store import ShownStore

if TYPE_CHECKING:  # imported when first needed: the window shows before they load
    from app.services.accounts import AccountStore, SecretStore
    from app.services.accounts.demo_store import DemoStore
    from app.services.inbox import Inbox
    from app.services.session import StoreSession
    from ui.ecdp.menu import EcdpCommands
    from ui.window.sync_controller import SyncController

# (ui.main applies the colour scheme before the window is made)
__all__ = ["COLOR_SCHEME_KEY", "MainWindow"]


class MainWindow(QMainWindow):
    """The window. ``closed`` is emitted when the user closes it;
    ``firstRowsPainted`` once the first store's orders are on screen."""

    closed = Signal()
    firstRowsPainted = Signal()

    def __init__(
        self,
        *,
        settings: QSettings,
        accounts: AccountStore | None = None,
        secrets: SecretStore | None = None,
        accounts_error: str | None = None,
        demo_orders: int | None = None,  # None: the demo store's default size
        demo_stores: int = 1,  # --demo-stores: that many demo stores, shown together
    ) -> None:
        super().__init__()
        self.accounts = accounts
        self.secrets = secrets
        self.settings = settings
        self.accounts_error = accounts_error
        self.tasks = TaskRunner(on_error=self._on_task_error)
        self.errors = ErrorReporter(self)
        self._built = False
        self._ecdp: EcdpCommands | None = None  # made after the first rows (see ecdp)
        self._first_rows: Literal["not yet", "awaited", "painted"] = "not yet"
        self.notifier = NewOrderNotifier(app_icon(), self, icon_path=app_icon_path())
        self.notifier.orderRequested.connect(self._on_order_requested)
        self.store = ShownStore(self, demo_orders=demo_orders, demo_stores=demo_stores)
        self.preferences = WindowPreferences(self)
        self.account_dialogs = AccountDialogs(self)
        self._setup_frame()
        self._setup_menus()
        self.restoreGeometry(self.settings.value("window/geometry") or b"")

    # -- the open stores (see ShownStore) ------------------------------------------------

    @property
    def session(self) -> StoreSession | None:
        """The store shown (across stores: the store of the order in hand)."""
        return self.store.session

    @property
    def shown(self) -> StoreSession | Inbox | None:
        """What the table shows: one store, or every store (an Inbox)."""
        return self.store.shown

    @property
    def sync(self) -> SyncController | None:
        return self.store.sync

    @property
    def demo(self) -> DemoStore | None:
        return self.store.demo

    @property
    def demo_orders(self) -> int | None:
        return self.store.demo_orders

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
        # The count is a permanent widget: a message (a new order, a sync that
        # failed…) takes the left of the bar and never covers or hides it.
        self.count_label = QLabel()
        self.count_label.setObjectName("orderCount")
        self.count_label.setAccessibleName("Orders shown")
        self.count_label.setContentsMargins(0, 0, 12, 0)  # apart from "Synced…"
        self.statusBar().addPermanentWidget(self.count_label)

    def set_accounts(
        self, accounts: AccountStore | None, secrets: SecretStore, error: str | None = None
    ) -> None:
        """The user's accounts (``None`` with ``error`` when they could not be read)."""
        self.accounts, self.secrets, self.accounts_error = accounts, secrets, error

    def build(self) -> None:
        """Add the pages and the sync status (once)."""
        if self._built:
            return
        from ui.common.icons import defer_glyph_font, icon
        from ui.orders.orders_page import OrdersPage
        from ui.window.order_menu import OrderCommands
        from ui.window.status_panel import SyncStatusPanel
        from ui.window.store_switcher import StoreSwitcher
        from ui.window.welcome_page import WelcomePage

        if self.secrets is None:
            from app.services.accounts import SecretStore

            self.secrets = SecretStore()
        self.welcome = WelcomePage()
        self.welcome.connectRequested.connect(self.connect_store)
        self.welcome.demoRequested.connect(self.open_demo)
        self.orders = OrdersPage()
        self.orders.countChanged.connect(self.store.on_count_changed)
        self.commands = OrderCommands(self, self.order_menu)
        self.central_layout.addWidget(self.commands.undo_bar)
        self.orders.orderActivated.connect(self.commands.open_in_window)
        self.orders.outboxRequested.connect(self.store.show_outbox)
        self.orders.table.contextMenuAsked.connect(self._on_context_menu_asked)
        defer_glyph_font()  # (the icons' font loads once the rows are on screen)
        toolbar = self.addToolBar("Orders")
        toolbar.setObjectName("ordersToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        sync_button = toolbar.addAction(icon("sync"), "Sync")
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
        self.changes = ChangeHub(
            syncing=lambda: self.store.syncing,
            filling=lambda: self.shown is not None and self.shown.rows.filling,
            parent=self,
        )
        self.changes.changed.connect(self._on_changes)
        self.switcher = StoreSwitcher(self, self.stores_menu)
        self.central_layout.insertWidget(0, self.switcher.bar)
        self.orders.restore_state(
            self.settings.value("window/splitter"), self.settings.value("table/header")
        )
        self._built = True

    @property
    def ecdp_built(self) -> bool:
        """Whether the ECDP menu has been made (see :attr:`ecdp`)."""
        return self._ecdp is not None

    @property
    def ecdp(self) -> EcdpCommands:
        """The ECDP menu's commands, made when first asked for: after the
        first rows are painted (:meth:`build_after_first_rows`), or sooner if
        anything needs them (its menu opened, F1, a sync finished…)."""
        if self._ecdp is None:
            from ui.ecdp.menu import EcdpCommands

            self.build()
            self._ecdp = EcdpCommands(self, self.ecdp_menu)
            self._ecdp.set_enabled(self.shown is not None)
            if self.session is not None:
                self._ecdp.session_changed(self.session)
        return self._ecdp

    @ecdp.setter
    def ecdp(self, commands: EcdpCommands) -> None:
        self._ecdp = commands

    def build_after_first_rows(self) -> None:
        """Once the orders table has painted its first rows, say so
        (``firstRowsPainted``), load the icons' font and make the ECDP menu,
        their modules loaded off the GUI thread (the rows do not wait for
        them); at once if the window is not on screen."""
        if self._first_rows != "not yet":
            return
        self._first_rows = "awaited"
        if not self.isVisible():
            QTimer.singleShot(0, self._after_first_rows)
            return
        from ui.common.first_paint import AfterFirstPaint

        AfterFirstPaint(self.orders.table.viewport(), self._after_first_rows)

    def _after_first_rows(self) -> None:
        self._first_rows = "painted"
        self.firstRowsPainted.emit()
        self.tasks.run(self._load_after_first_rows(), name="after-first-rows")

    async def _load_after_first_rows(self) -> None:
        # their modules (icons 0.1 s, ECDP 0.2 s) load off the GUI thread, one
        # after the other and after the store's client: the window keeps
        # answering meanwhile; the icons first, as they are on screen
        await self.store.none_connecting()
        await self._load_glyph_font()
        if self._ecdp is None:
            await asyncio.to_thread(importlib.import_module, "ui.ecdp.menu")
            self.ecdp  # noqa: B018 - made now

    async def _load_glyph_font(self) -> None:
        from ui.common.icons import load_glyph_font_off_loop

        await load_glyph_font_off_loop()

    def _setup_menus(self) -> None:
        """The menus. Every command has a key, shown beside it and listed by
        Help › Keyboard shortcuts (F1), the same on every platform: where the
        platform has no key of its own (Settings on Linux and Windows, Quit on
        Windows) :func:`~ui.common.keys.standard_keys` gives the usual one."""
        bar = self.menuBar()
        standard = QKeySequence.StandardKey
        file_menu = bar.addMenu("&File")
        self.connect_action = self._action(
            file_menu, "&Connect a store…", self.connect_store, "Ctrl+Shift+K"
        )
        self.accounts_action = self._action(
            file_menu, "&Accounts…", self.show_accounts, "Ctrl+Shift+A"
        )
        self.demo_action = self._action(
            file_menu, "Open the &demo store", self.open_demo, "Ctrl+Shift+J"
        )
        file_menu.addSeparator()
        self.export_action = self._action(
            file_menu, "&Export orders…", self.export_orders, "Ctrl+E"
        )
        file_menu.addSeparator()
        self.settings_action = self._action(
            file_menu, "&Settings…", self.show_settings, standard_keys(standard.Preferences)
        )
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        file_menu.addSeparator()
        self.quit_action = self._action(
            file_menu, "&Quit", self.close, standard_keys(standard.Quit)
        )
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)

        view_menu = bar.addMenu("&View")
        self.find_action = self._action(
            view_menu, "Search &orders", self._on_find, standard_keys(standard.Find)
        )
        view_menu.addSeparator()
        self.sync_action = self._action(view_menu, "&Sync now", self.sync_now, "F5")
        self.full_sync_action = self._action(
            view_menu, "Sync &everything again", lambda: self.sync_now(full=True), "Shift+F5"
        )
        view_menu.addSeparator()
        # (switches rather than commands: no keys; Settings has them too)
        self.notify_action = self._action(view_menu, "&Notify about new orders", None)
        self.notify_action.setCheckable(True)
        self.notify_action.toggled.connect(self.preferences.on_notify_toggled)
        self.sound_action = self._action(view_menu, "Play a &sound for new orders", None)
        self.sound_action.setCheckable(True)
        self.sound_action.toggled.connect(self.preferences.on_sound_toggled)

        view_menu.addSeparator()
        self.preferences.add_appearance_menu(view_menu)

        self.stores_menu = bar.addMenu("S&tores")  # filled by StoreSwitcher in build()
        self.stores_menu.setEnabled(False)
        self.order_menu = bar.addMenu("&Order")  # filled by OrderCommands in build()
        self.ecdp_menu = bar.addMenu("&ECDP")  # filled by EcdpCommands (see ecdp)
        self.ecdp_menu.aboutToShow.connect(lambda: self.ecdp)

        help_menu = bar.addMenu("&Help")
        self.shortcuts_action = self._action(
            help_menu, "&Keyboard shortcuts", self._show_shortcuts, "F1"
        )
        self._action(help_menu, "Show &log folder", show_log_folder, "Ctrl+F1")
        self._action(
            help_menu, "&About Backroom", lambda: show_about(self), "Ctrl+Shift+F1"
        ).setMenuRole(QAction.MenuRole.AboutRole)
        self.set_store_actions_enabled(False)
        for action, name in (
            (self.connect_action, "connect"),
            (self.accounts_action, "accounts"),
            (self.export_action, "export"),
            (self.sync_action, "sync"),
            (self.full_sync_action, "sync-all"),
        ):
            action.setIcon(icon(name))

    def _action(
        self,
        menu: QWidget,
        text: str,
        slot: Callable[[], object] | None,
        shortcut: str | list[QKeySequence] | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if isinstance(shortcut, list):
            action.setShortcuts(shortcut)
        elif shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if slot is not None:
            action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)  # type: ignore[attr-defined]
        return action

    def set_store_actions_enabled(self, enabled: bool) -> None:
        """Enable the actions that need an open store (or disable them)."""
        for action in (
            self.sync_action,
            self.full_sync_action,
            self.notify_action,
            self.export_action,
        ):
            action.setEnabled(enabled)
        if self._built:
            self.commands.set_enabled(enabled)
        if self._ecdp is not None:
            self._ecdp.set_enabled(enabled)
        self.sound_action.setEnabled(enabled and self.notify_action.isChecked())

    # -- start-up, pages and messages ------------------------------------------------

    def start(self, *, demo: bool) -> None:
        """Show what the user should see first: the demo store when asked,
        else the store shown last time, else the only store, else the welcome page."""
        self.build()
        if self.accounts_error:
            self.warn("Your accounts could not be read", self.accounts_error)
        self.store.open_first(demo=demo)

    def show_welcome(self) -> None:
        self.stack.setCurrentWidget(self.welcome)
        self.setWindowTitle("Backroom")
        self.count_label.clear()
        self.tasks.run(self._load_glyph_font(), name="load-icons")
        if self._ecdp is None:  # (its Connect command works from the welcome page too)
            QTimer.singleShot(0, lambda: self.ecdp)

    def show_opening(self, text: str) -> None:
        """The "Opening…" page, with ``text``."""
        self.opening.setText(text)
        self.stack.setCurrentWidget(self.opening)

    def warn(self, title: str, text: str) -> None:
        """A warning the user closes; the window goes on meanwhile."""
        box = QMessageBox(
            QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self
        )
        box.open()

    def inform(self, title: str, text: str) -> None:
        """A note the user closes; the window goes on meanwhile."""
        box = QMessageBox(
            QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, self
        )
        box.setObjectName("information")
        box.open()

    # -- opening and closing a store ----------------------------------------------------

    def open_account(self, name: str) -> asyncio.Task[None] | None:
        return self.store.open_account(name)

    def open_demo(self) -> asyncio.Task[None]:
        return self.store.open_demo()

    async def close_session(self, *, stop_demo: bool = True) -> None:
        """Stop syncing and close the open store (and the demo store, unless kept)."""
        await self.store.close_session(stop_demo=stop_demo)

    async def shutdown(self) -> None:
        """Close everything before the app exits."""
        from ui.common.icons import stop_deferring_glyph_font

        await self.close_session()
        await self.tasks.shutdown()
        self.notifier.hide()
        stop_deferring_glyph_font()  # (if it closes before they were loaded)

    # -- actions ----------------------------------------------------------------------

    def sync_now(self, full: bool = False) -> None:
        """Sync the store shown now (across stores: every store)."""
        self.store.sync_now(full=full)

    def refresh_orders(self) -> None:
        """Show what the cache holds now; it is read off the GUI thread, latest wins."""
        self.tasks.run(self.orders.refresh_in_background(), name="refresh")

    def _on_context_menu_asked(self, position: QPoint) -> None:
        if self.session is None:
            return
        menu = self.commands.context_menu()
        self.context_menu = menu  # (kept for tests; replaced by the next one)
        menu.popup(position)

    def _on_order_requested(self, key: str) -> None:
        """A notification was clicked: the window comes forward with that order open."""
        if self.isMinimized():
            self.showNormal()
        self.raise_()
        self.activateWindow()
        if self.session is not None and self._built:
            self.commands.open_in_window(key)

    def _on_changes(self, changes: Changes) -> None:
        """What the open stores changed: everything that shows them follows."""
        shown = self.shown
        if shown is None:
            return
        if changes.table:
            self.refresh_orders()
        if changes.outbox:
            self.status_panel.set_outbox(shown.outbox_summary())
        if changes.display:
            self.setWindowTitle(f"Backroom — {shown.title}")
            self.orders.set_display_from_session()

    def export_orders(self) -> None:
        """File › Export orders…: what the table shows, or the selection."""
        from ui.orders.export_dialog import ExportDialog

        shown = self.shown
        if shown is None or not self._built:
            return
        table, model = self.orders.table, self.orders.model
        dialog = ExportDialog(
            shown,
            model.query,
            model.rowCount(),
            table.selected_keys(),
            table.column_layout()["columns"],
            self,
        )
        dialog.exported.connect(
            lambda path, count: self.statusBar().showMessage(
                f"Exported {count:,} orders to {path}.", 10_000
            )
        )
        self.export_dialog = dialog
        dialog.open()

    def show_outbox(self) -> None:
        self.store.show_outbox()

    def show_settings(self) -> None:
        self.preferences.show_settings()

    def connect_store(self) -> None:
        self.account_dialogs.connect_store()

    def show_accounts(self) -> None:
        self.account_dialogs.show_accounts()

    # -- slots ------------------------------------------------------------------------

    def _show_shortcuts(self) -> None:
        self.ecdp  # noqa: B018 - its menu's keys are listed too
        show_shortcuts(self)

    def _on_find(self) -> None:
        if self._built:
            self.orders.focus_search()

    def _on_task_error(self, error: BaseException) -> None:
        """A task failed in a way nobody handled: tell the user plainly, keep running."""
        self.errors.report(error)

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
