"""The store the main window shows, from opening to closing.

:class:`ShownStore` owns the open :class:`~app.services.session.StoreSession`,
its :class:`~ui.window.sync_controller.SyncController` and, while the demo store is
shown, the :class:`~app.services.accounts.demo_store.DemoStore` server. It opens a
store (at start-up the one shown last time, which it remembers in QSettings),
shows its orders, keeps the table, the order count and the sync status up to
date while it syncs, tells the user about new orders, and closes it all
again. The window reads ``session``, ``sync`` and ``demo`` from here;
everything beyond Qt is imported when the first store opens.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

if TYPE_CHECKING:  # imported when first needed: the window shows before they load
    from app.services.accounts import Account
    from app.services.accounts.account_actions import StoreConnection
    from app.services.accounts.demo_store import DemoStore
    from app.services.session import StoreSession
    from app.services.sync.engine import SyncResult
    from ui.outbox.outbox_dialog import OutboxDialog
    from ui.window.main_window import MainWindow
    from ui.window.sync_controller import SyncController

log = logging.getLogger(__name__)

DEMO_KEY = "__demo__"  # QSettings value of "last account" for the demo store
SESSION_TASKS = ("sync", "store-display", "outbox", "refresh", "prefetch-invoices")


class ShownStore(QObject):
    """The open store of one main window (``session`` is ``None`` when there is none)."""

    def __init__(self, window: MainWindow, *, demo_orders: int | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.demo_orders = demo_orders  # None: the demo store's default size
        self.session: StoreSession | None = None
        self.sync: SyncController | None = None
        self.outbox_dialog: OutboxDialog | None = None
        self.demo: DemoStore | None = None
        self._was_synced_before = False
        window.notifier.notified.connect(self._on_notified)

    # -- opening a store ----------------------------------------------------------------

    def open_first(self, *, demo: bool) -> None:
        """The demo store when asked, else the store shown last time, else the
        only store, else the welcome page."""
        window = self.window
        if demo:
            self.open_demo()
            return
        accounts = [  # the stores; ECDP accounts are where orders go, not stores to open
            a for a in (window.accounts.accounts() if window.accounts else []) if a.kind == "ecwid"
        ]
        last = str(window.settings.value("session/account", "") or "")
        names = {account.name for account in accounts}
        if last == DEMO_KEY:
            self.open_demo()
        elif last in names:
            self.open_account(last)
        elif len(accounts) == 1:
            self.open_account(accounts[0].name)
        else:
            window.show_welcome()

    def open_account(self, name: str) -> asyncio.Task[None] | None:
        from app.services.accounts import ConfigError
        from app.services.accounts.account_actions import MissingTokenError, store_connection

        window = self.window
        if window.accounts is None or window.secrets is None:
            return None
        try:
            account = window.accounts.get(name)
            connection = store_connection(account, window.secrets)
        except (ConfigError, MissingTokenError) as error:
            window.warn("This store cannot be opened", str(error))
            window.show_welcome()
            return None
        return window.tasks.run(
            self._open(account, connection, remember=name),
            name="open-store",
        )

    def open_demo(self) -> asyncio.Task[None]:
        return self.window.tasks.run(self._open_demo(), name="open-store")

    async def _open_demo(self) -> None:
        from app.services.accounts.demo_store import DemoStore, demo_account

        if self.demo is None:
            self.window.show_opening("Starting the demo store…")
            size = () if self.demo_orders is None else (self.demo_orders,)
            self.demo = await asyncio.to_thread(DemoStore.start, *size)
        demo = self.demo
        await self._open(demo_account(), demo.client, remember=DEMO_KEY, keep_demo=True)

    async def _open(
        self,
        account: Account,
        connection: StoreConnection,
        *,
        remember: str,
        keep_demo: bool = False,
    ) -> None:
        from app.domain.errors import LocalDataError
        from app.services.accounts import default_desk_name
        from app.services.session import open_session

        window = self.window
        await self.close_session(stop_demo=not keep_demo)
        window.show_opening(f"Opening {account.name}…")
        desk = window.accounts.desk_name if window.accounts else default_desk_name()
        try:  # (off the GUI thread: the client, the cache and the outbox)
            # the whole-file check comes after the first rows (the sync's first round)
            session = await open_session(account, connection, desk=desk, check_cache=False)
        except LocalDataError as error:  # the cache or the outbox
            window.warn("The orders saved on this computer cannot be opened", str(error))
            window.show_welcome()
            return
        self.session = session
        window.changes.follow(session)
        window.settings.setValue("session/account", remember)
        if session.moved_aside is not None:
            window.warn(
                "The saved orders were damaged",
                f"The damaged file was set aside as {session.moved_aside.name}; "
                "Backroom is fetching every order again. Your edits waiting for the store "
                "are kept apart and are not affected.",
            )
        notice = session.damage_notice()
        if notice:
            window.warn("Edits waiting for the store", notice)
        self._was_synced_before = session.last_sync() is not None
        views = session.saved_views()
        problem = window.orders.show_session(session, views)
        if problem:
            window.warn("Your saved views", problem)
        window.stack.setCurrentWidget(window.orders)
        window.setWindowTitle(f"Backroom — {session.title}")
        window.notify_action.setChecked(account.settings.notify_new_orders)
        window.sound_action.setChecked(account.settings.notification_sound)
        window.set_store_actions_enabled(True)
        window.commands.session_changed(session)
        window.ecdp.session_changed(session)
        panel = window.status_panel
        panel.show()
        panel.set_online(None)
        panel.set_last_sync(session.last_sync())
        panel.set_outbox(session.outbox_summary())
        self._start_sync(session)
        window.tasks.run(self._refresh_display(session), name="store-display")

    def _start_sync(self, session: StoreSession) -> None:
        from ui.window.sync_controller import SyncController

        window = self.window
        sync = SyncController(session, window.tasks, window)
        sync.started.connect(window.status_panel.sync_started)
        sync.progressed.connect(self._on_sync_progressed)
        sync.finished.connect(self._on_sync_finished)
        sync.finished.connect(window.ecdp.on_sync_finished)
        sync.failed.connect(self._on_sync_failed)
        sync.onlineChanged.connect(window.status_panel.set_online)
        sync.overwritten.connect(self._on_overwritten)
        sync.cacheDamaged.connect(self._on_cache_damaged)
        self.sync = sync
        sync.start()

    async def _refresh_display(self, session: StoreSession) -> None:
        from app.services.accounts.store_display import new_scope_notice

        before = session.display  # as remembered
        try:
            await session.refresh_display()
        except Exception as error:  # offline: the remembered display stays
            log.info("store display not refreshed: %s", error)
            return
        if session is self.session:
            self.window.setWindowTitle(f"Backroom — {session.title}")
            self.window.orders.set_display_from_session()
            notice = new_scope_notice(before, session.display)  # said once: then remembered
            if notice:
                self.window.inform("Some store details cannot be read", notice)

    # -- closing it -----------------------------------------------------------------------

    async def close_session(self, *, stop_demo: bool = True) -> None:
        """Stop syncing and close the open store (and the demo store, unless kept)."""
        window = self.window
        if window._built:
            window.changes.follow(None)
            await window.commands.before_close_session()
            window.commands.session_changed(None)
            await window.ecdp.before_close_session()
            window.ecdp.session_changed(None)
        if self.outbox_dialog is not None:
            self.outbox_dialog.close()
            self.outbox_dialog = None
        if self.sync is not None:
            self.sync.stop()
            self.sync.deleteLater()
            self.sync = None
        await window.tasks.cancel_named(*SESSION_TASKS)
        if self.session is not None:
            session, self.session = self.session, None
            window.orders.clear_session()
            await session.close()
        window.set_store_actions_enabled(False)
        if window._built:
            window.status_panel.hide()
        if stop_demo and self.demo is not None:
            demo, self.demo = self.demo, None
            await asyncio.to_thread(demo.stop)

    async def close_and_welcome(self) -> None:
        await self.close_session()
        self.window.show_welcome()

    # -- the outbox -----------------------------------------------------------------------

    def show_outbox(self, edit_id: int | None = None) -> None:
        """The outbox dialog (the edit ``edit_id`` selected, when given)."""
        from ui.outbox.outbox_dialog import OutboxDialog

        if self.session is None or self.sync is None:
            return
        if self.outbox_dialog is not None and self.outbox_dialog.isVisible():
            self.outbox_dialog.select_edit(edit_id)
            self.outbox_dialog.raise_()
            self.outbox_dialog.activateWindow()
            return
        dialog = OutboxDialog(self.session, self.sync, self.window)
        self.window.changes.changed.connect(dialog.on_changes)
        dialog.select_edit(edit_id)
        self.outbox_dialog = dialog
        dialog.open()

    def number_of(self, key: str) -> str:
        """The order number the user knows an order by (its key when unknown)."""
        if self.session is None:
            return key
        return self.session.rows.order_numbers([key]).get(key, key)

    # -- slots ------------------------------------------------------------------------------

    def _on_sync_progressed(self, done: int, total: int) -> None:
        self.window.status_panel.sync_progressed(done, total)

    def _on_sync_finished(self, result: SyncResult) -> None:
        session = self.session
        if session is None:
            return
        self.window.status_panel.sync_ended(session.last_sync())
        if result.new and self._was_synced_before:
            from ui.window.new_order_notifier import NewOrder

            newest = list(reversed(result.new))  # the newest first: a click opens it
            numbers = session.rows.order_numbers(newest[:3])
            orders = [NewOrder(key, numbers.get(key, key)) for key in newest]
            self.window.notifier.notify_new_orders(orders, session.title)
        self._was_synced_before = True

    def _on_sync_failed(self, message: str) -> None:
        self.window.status_panel.sync_ended(self.session.last_sync() if self.session else None)
        self.window.statusBar().showMessage(message, 15_000)

    def _on_overwritten(self, edits: list) -> None:
        """Someone changed again what this desk wrote: say so, with a way to the edits."""
        from ui.outbox.overwritten_notice import show_overwritten

        if self.session is not None and edits:
            show_overwritten(self.window, self.session, edits, self.show_outbox)

    def _on_cache_damaged(self, moved: object) -> None:
        self.window.warn(
            "The saved orders were damaged",
            f"The damaged file was set aside as {getattr(moved, 'name', moved)}; Backroom is "
            "fetching every order again. Your edits waiting for the store are kept apart "
            "and are not affected.",
        )

    def on_count_changed(self, shown: int) -> None:
        """The status bar's count: the orders shown, and of how many when filtered."""
        from app.domain.queries import OrderQuery

        label, model = self.window.count_label, self.window.orders.model
        if self.session is None:
            label.clear()
            return
        query = model.query
        unfiltered = OrderQuery(sort=query.sort, descending=query.descending)
        if query == unfiltered and not model.counting:
            total = shown  # no filter: the table's own count (no second count after a sync)
        else:
            total = self.session.rows.count(OrderQuery())
        noun = "order" if total == 1 else "orders"
        if model.counting:  # the first rows are shown; how many match is still counted
            label.setText(f"{shown:,}+ of {total:,} {noun} (counting…)")
        elif shown == total:
            label.setText(f"{total:,} {noun}")
        else:
            label.setText(f"{shown:,} of {total:,} {noun}")

    def _on_notified(self, title: str, text: str) -> None:
        self.window.statusBar().showMessage(f"{title}: {text}", 15_000)
