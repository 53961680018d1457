"""The stores the main window shows, from opening to closing.

:class:`ShownStore` owns every open :class:`~app.services.session.StoreSession`
(each connected store, or the demo stores), a
:class:`~ui.window.sync_controller.SyncController` for each (every store syncs,
each within its own request budget), the :class:`~app.services.inbox.Inbox`
over them when there are several, and, while the demo is shown, its
:class:`~app.services.accounts.demo_store.DemoStore` servers. It shows one
store or *All stores* (switching opens nothing: every store stays open and
syncing), remembers which in QSettings, keeps the table, the counts and the
sync status up to date, tells the user about new orders naming their store,
and closes it all again.

The window reads from here: ``shown`` (the store shown, or the inbox),
``session`` (the store shown; across stores the store of the order in hand,
for what concerns one store: settings, a new order, the outbox), ``sync``
(that store's sync) and ``resolve`` (an order's own store). Everything beyond
Qt is imported when the first store opens.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:  # imported when first needed: the window shows before they load
    from app.services.accounts import Account
    from app.services.accounts.account_actions import StoreConnection
    from app.services.accounts.demo_store import DemoStore
    from app.services.inbox import Inbox
    from app.services.session import OutboxSummary, StoreSession
    from app.services.sync.engine import SyncResult
    from ui.outbox.outbox_dialog import OutboxDialog
    from ui.window.main_window import MainWindow
    from ui.window.sync_controller import SyncController

log = logging.getLogger(__name__)

DEMO_KEY = "__demo__"  # QSettings value of "last account" for the demo store(s)
ALL_KEY = "__all__"  # QSettings value of "last account" for All stores
SESSION_TASKS = ("sync", "store-display", "outbox", "refresh", "prefetch-invoices")

Opener = tuple["Account", "StoreConnection"]


class ShownStore(QObject):
    """The open stores of one main window and which of them it shows."""

    storesChanged = Signal()  # noqa: N815 - stores were opened or closed (the switcher follows)
    shownChanged = Signal(str)  # noqa: N815 - what is shown: an account name or ALL_KEY

    def __init__(
        self, window: MainWindow, *, demo_orders: int | None = None, demo_stores: int = 1
    ) -> None:
        super().__init__(window)
        self.window = window
        self.demo_orders = demo_orders  # None: the demo store's default size
        self.demo_stores = max(1, demo_stores)
        self.sessions: list[StoreSession] = []
        self.syncs: dict[str, SyncController] = {}  # by account name
        self.inbox: Inbox | None = None
        self.shown_name: str | None = None  # an account name, ALL_KEY, or None
        self.outbox_dialog: OutboxDialog | None = None
        self.demos: list[DemoStore] = []
        self._was_synced_before: dict[str, bool] = {}
        self._sync_state: dict[str, tuple[int, int]] = {}  # running syncs: name -> done, total
        self._online: dict[str, bool | None] = {}
        # stores shown but not connected (no token, certificates…): Sync tries again
        self._unconnected: dict[str, StoreConnection] = {}
        self._connecting = 0  # stores whose clients are being built
        self._none_connecting = asyncio.Event()
        self._none_connecting.set()
        window.notifier.notified.connect(self._on_notified)

    # -- what is shown ---------------------------------------------------------------

    @property
    def across(self) -> bool:
        """Whether every store is shown at once."""
        return self.shown_name == ALL_KEY and self.inbox is not None

    @property
    def shown(self) -> StoreSession | Inbox | None:
        """The store shown, or the inbox of every store (``None``: nothing open)."""
        if self.across:
            return self.inbox
        return self.session_named(self.shown_name)

    @property
    def session(self) -> StoreSession | None:
        """The store shown; across stores, the store of the current order
        (else the first): the store a new order, the settings or the outbox
        are about."""
        if not self.across:
            return self.session_named(self.shown_name)
        window = self.window
        if window._built:
            found = window.orders.resolve(window.orders.table.current_key() or "")
            if found is not None:
                return found[0]
        return self.sessions[0] if self.sessions else None

    @property
    def sync(self) -> SyncController | None:
        session = self.session
        return self.syncs.get(session.account.name) if session is not None else None

    @property
    def demo(self) -> DemoStore | None:
        return self.demos[0] if self.demos else None

    def demo_of(self, session: StoreSession) -> DemoStore | None:
        """The demo store ``session`` is (``None``: a real store)."""
        for demo in self.demos:
            if demo.account.name == session.account.name:
                return demo
        return None

    def session_named(self, name: str | None) -> StoreSession | None:
        for session in self.sessions:
            if session.account.name == name:
                return session
        return None

    def resolve(self, key: str) -> tuple[StoreSession, str] | None:
        """The open store of the order ``key`` names (a reference names its
        store: a notification's, or a row of All stores), and its key there."""
        if not key:
            return None
        if self.inbox is not None:
            try:
                return self.inbox.resolve(key)
            except KeyError:
                pass
        shown = self.shown
        if shown is None:
            return None
        try:
            return shown.resolve(key)
        except KeyError:
            return None

    def split(self, keys: Sequence[str]) -> list[tuple[StoreSession, list[str]]]:
        """``keys`` (as the table names orders) by their own stores."""
        found: dict[int, tuple[StoreSession, list[str]]] = {}
        for text in keys:
            resolved = self.resolve(text)
            if resolved is not None:
                session, key = resolved
                found.setdefault(id(session), (session, []))[1].append(key)
        return list(found.values())

    def ref(self, session: StoreSession, key: str) -> str:
        """How to name order ``key`` of ``session`` wherever the window is (a
        reference naming its store when several stores are open)."""
        return self.inbox.ref(session, key) if self.inbox is not None else key

    def show(self, name: str) -> None:
        """Show the store whose account is ``name``, or every store (ALL_KEY).
        Nothing is opened or closed: the stores stay open and syncing."""
        window = self.window
        if name == ALL_KEY and self.inbox is None:
            name = self.sessions[0].account.name if self.sessions else ""
        shown: StoreSession | Inbox | None
        if name == ALL_KEY:
            shown = self.inbox
            assert self.inbox is not None
        else:
            shown = self.session_named(name)
            if shown is None:
                return
        views = shown.saved_views()
        self.shown_name = name
        window.settings.setValue("session/account", DEMO_KEY if self.demos else name)
        problem = window.orders.show_session(shown, views)
        if problem:
            window.warn("Your saved views", problem)
        window.stack.setCurrentWidget(window.orders)
        self._show_title()
        session = self.session
        assert session is not None
        self._show_notify_switches(shown.sessions)
        window.set_store_actions_enabled(True)
        window.commands.session_changed(session)
        if window.ecdp_built:
            window.ecdp.session_changed(session)
        else:  # (made once the rows are on screen; it reads the store shown then)
            window.build_after_first_rows()
        panel = window.status_panel
        panel.show()
        panel.set_outbox(shown.outbox_summary())
        self._show_sync_state()
        self.shownChanged.emit(name)

    def _show_notify_switches(self, sessions: Sequence[StoreSession]) -> None:
        """The View menu's notification switches as the stores shown have them
        (set without writing them back: across stores, on when any store is)."""
        window = self.window
        notify = any(s.account.settings.notify_new_orders for s in sessions)
        sound = any(s.account.settings.notification_sound for s in sessions)
        for action, on in ((window.notify_action, notify), (window.sound_action, sound)):
            action.blockSignals(True)
            action.setChecked(on)
            action.blockSignals(False)
        window.notifier.enabled = notify
        window.notifier.sound = sound

    def _show_title(self) -> None:
        shown = self.shown
        if shown is not None:
            self.window.setWindowTitle(f"Backroom — {shown.title}")

    # -- opening stores -------------------------------------------------------------------

    def open_first(self, *, demo: bool) -> None:
        """The demo store(s) when asked; else every connected store, showing
        the one (or All stores) shown last time; else the welcome page."""
        window = self.window
        if demo:
            self.open_demo()
            return
        accounts = self._store_accounts()
        last = str(window.settings.value("session/account", "") or "")
        names = [account.name for account in accounts]
        if last == DEMO_KEY:
            self.open_demo()
        elif not accounts:
            window.show_welcome()
        else:
            shown = last if last in names or last == ALL_KEY else names[0]
            if last == "" and len(names) > 1:
                shown = ALL_KEY
            self.open_accounts(names, shown)

    def _store_accounts(self) -> list[Account]:
        window = self.window
        return [  # the stores; ECDP accounts are where orders go, not stores to open
            a for a in (window.accounts.accounts() if window.accounts else []) if a.kind == "ecwid"
        ]

    def open_account(self, name: str) -> asyncio.Task[None] | None:
        """Show the store ``name`` (opening every connected store when they
        are not open yet: a store just connected joins them)."""
        if self.session_named(name) is not None and not self.demos:
            self.show(name)
            return None
        names = [account.name for account in self._store_accounts()]
        if name not in names:
            names.append(name)
        return self.open_accounts(names, name)

    def open_accounts(self, names: Sequence[str], shown: str) -> asyncio.Task[None] | None:
        """Open the stores ``names`` (those already open stay as they are)
        and show ``shown`` (an account name or ALL_KEY)."""
        from app.services.accounts import ConfigError
        from app.services.accounts.account_actions import late_store_connection

        window = self.window
        if window.accounts is None or window.secrets is None:
            return None
        openers: list[Opener] = []
        for name in names:
            try:
                account = window.accounts.get(name)
            except ConfigError as error:
                window.warn(f"The store “{name}” cannot be opened", str(error))
                continue
            # (its token is read as it is connected, behind its saved orders)
            openers.append((account, late_store_connection(account, window.secrets)))
        if not openers:
            if not self.sessions:
                window.show_welcome()
            return None
        return window.tasks.run(self._open(openers, shown, demo=False), name="open-store")

    def open_demo(self) -> asyncio.Task[None]:
        return self.window.tasks.run(self._open_demo(), name="open-store")

    async def _open_demo(self) -> None:
        from app.services.accounts.demo_store import DemoStore

        if len(self.demos) != self.demo_stores:
            await self.close_session()
            noun = "demo store" if self.demo_stores == 1 else f"{self.demo_stores} demo stores"
            self.window.show_opening(f"Starting the {noun}…")
            size = () if self.demo_orders is None else (self.demo_orders,)
            self.demos = list(
                await asyncio.gather(
                    *(
                        asyncio.to_thread(DemoStore.start, *size, number=number)
                        for number in range(self.demo_stores)
                    )
                )
            )
        openers: list[Opener] = [(demo.account, demo.client) for demo in self.demos]
        shown = ALL_KEY if len(openers) > 1 else openers[0][0].name
        await self._open(openers, shown, demo=True)

    async def _open(self, openers: list[Opener], shown: str, *, demo: bool) -> None:
        from app.domain.errors import LocalDataError
        from app.services.accounts import default_desk_name
        from app.services.session import open_session

        window = self.window
        wanted = [account.name for account, _connection in openers]
        if demo != bool(self.demos) or any(
            session.account.name not in wanted for session in self.sessions
        ):
            await self.close_session(stop_demo=not demo)
        window.show_opening(
            f"Opening {openers[0][0].name}…"
            if len(openers) == 1
            else f"Opening {len(openers)} stores…"
        )
        desk = window.accounts.desk_name if window.accounts else default_desk_name()
        fresh = [(a, c) for a, c in openers if self.session_named(a.name) is None]
        # Each store opens read-only (its cache and outbox: a few ms, off the
        # GUI thread) and its cached orders are shown; its client (~80 ms: the
        # system's certificates, the network modules) is built behind them.
        # The whole-file check of each cache comes with its first sync round.
        opened = await asyncio.gather(
            *(open_session(account, None, desk=desk, check_cache=False) for account, _ in fresh),
            return_exceptions=True,
        )
        to_connect: list[tuple[StoreSession, StoreConnection]] = []
        for (account, connection), outcome in zip(fresh, opened, strict=True):
            if isinstance(outcome, LocalDataError):  # the cache or the outbox
                window.warn(
                    f"The orders of “{account.name}” saved on this computer cannot be opened",
                    str(outcome),
                )
            elif isinstance(outcome, BaseException):
                raise outcome
            else:
                self._adopt(outcome)
                to_connect.append((outcome, connection))
        if not self.sessions:
            window.show_welcome()
            return
        order = {name: place for place, name in enumerate(wanted)}
        self.sessions.sort(key=lambda s: order.get(s.account.name, len(order)))
        self._rebuild_inbox()
        if shown != ALL_KEY and self.session_named(shown) is None:
            shown = ALL_KEY if self.inbox is not None else self.sessions[0].account.name
        self.show(shown)
        await self._connect(to_connect)

    async def _connect(self, stores: list[tuple[StoreSession, StoreConnection]]) -> None:
        """Give the stores just shown their clients (each token read from the
        keyring then), then start their syncs and ask for their names and
        settings. A store that cannot be connected (no token, the keyring
        failing, the system's certificates unreadable…) stays shown from its
        cache, and the user is told why it does not sync."""
        from app.services.session import connect_session

        self._connecting += 1
        self._none_connecting.clear()
        try:
            outcomes = await asyncio.gather(
                *(connect_session(session, connection) for session, connection in stores),
                return_exceptions=True,
            )
        finally:
            self._connecting -= 1
            if not self._connecting:
                self._none_connecting.set()
        for (session, connection), outcome in zip(stores, outcomes, strict=True):
            if session not in self.sessions:
                continue  # (closed meanwhile)
            name = session.account.name
            if isinstance(outcome, Exception):
                log.warning("no client for %s: %s", name, type(outcome).__name__)
                self._unconnected[name] = connection
                self._online[name] = False
                self._show_sync_state()
                self.window.warn(
                    f"“{session.title}” is not connected",
                    "Its saved orders are shown, but Backroom cannot connect to the store. "
                    f"{outcome}\n\nUntil it can, the store is not synced and your edits wait "
                    "in the outbox. Sync (F5) tries again.",
                )
                continue
            if isinstance(outcome, BaseException):
                raise outcome
            self._unconnected.pop(name, None)
            self._online.pop(name, None)
            self._start_sync(session)
            self.window.tasks.run(self._refresh_display(session), name=f"store-display:{name}")

    def _adopt(self, session: StoreSession) -> None:
        """A store just opened: its warnings (its sync starts once it is connected)."""
        window = self.window
        self.sessions.append(session)
        name = session.account.name
        if session.moved_aside is not None:
            window.warn(
                "The saved orders were damaged",
                f"The damaged file of “{session.title}” was set aside as "
                f"{session.moved_aside.name}; Backroom is fetching every order again. Your "
                "edits waiting for the store are kept apart and are not affected.",
            )
        notice = session.damage_notice()
        if notice:
            window.warn(f"Edits waiting for “{session.title}”", notice)
        self._was_synced_before[name] = session.last_sync() is not None

    def _rebuild_inbox(self) -> None:
        """The inbox over the open stores (when there are several) and the
        change signal of them all."""
        from app.services.inbox import Inbox

        if self.inbox is not None:
            self.inbox.close()
        self.inbox = Inbox(self.sessions) if len(self.sessions) > 1 else None
        follow = (
            self.inbox
            if self.inbox is not None
            else self.session_named(self.sessions[0].account.name if self.sessions else None)
        )
        self.window.changes.follow(follow)
        self.storesChanged.emit()

    def _start_sync(self, session: StoreSession) -> None:
        from ui.window.sync_controller import SyncController

        window = self.window
        sync = SyncController(session, window.tasks, window, family=session.account.name)
        sync.started.connect(lambda s=session: self._on_sync_started(s))
        sync.progressed.connect(
            lambda done, total, s=session: self._on_sync_progressed(s, done, total)
        )
        sync.finished.connect(lambda result, s=session: self._on_sync_finished(s, result))
        sync.finished.connect(lambda result, s=session: window.ecdp.on_sync_finished(result, s))
        sync.failed.connect(lambda message, s=session: self._on_sync_failed(s, message))
        sync.onlineChanged.connect(lambda online, s=session: self._on_online_changed(s, online))
        sync.overwritten.connect(lambda edits, s=session: self._on_overwritten(s, edits))
        sync.cacheDamaged.connect(lambda moved, s=session: self._on_cache_damaged(s, moved))
        self.syncs[session.account.name] = sync
        sync.start()

    async def none_connecting(self) -> None:
        """Return once no store's client is being built (the window loads
        what can wait until then: two threads loading modules at once slow
        each other and the GUI thread, which waits for the interpreter)."""
        await self._none_connecting.wait()

    async def _refresh_display(self, session: StoreSession) -> None:
        from app.services.accounts.store_display import new_scope_notice

        before = session.display  # as remembered
        try:
            await session.refresh_display()
        except Exception as error:  # offline: the remembered display stays
            log.info("store display not refreshed: %s", error)
            return
        if session in self.sessions:
            self._show_title()
            self.window.orders.set_display_from_session()
            self.storesChanged.emit()
            notice = new_scope_notice(before, session.display)  # said once: then remembered
            if notice:
                self.window.inform(f"Some details of “{session.title}” cannot be read", notice)

    def sync_now(self, *, full: bool = False) -> None:
        """Sync the store shown now (across stores: every store); a store
        shown but not connected is connected again first (its sync starts
        once it is)."""
        retry = [
            (session, self._unconnected.pop(session.account.name))
            for session in self._shown_sessions()
            if session.account.name in self._unconnected
        ]
        if retry:
            self.window.tasks.run(self._connect(retry), name="connect-again")
        if self.across:
            for sync in self.syncs.values():
                sync.sync_now(full=full)
        elif self.sync is not None:
            self.sync.sync_now(full=full)

    @property
    def syncing(self) -> bool:
        return any(sync.running for sync in self.syncs.values())

    def outbox_summary(self) -> OutboxSummary | None:
        shown = self.shown
        return shown.outbox_summary() if shown is not None else None

    # -- closing --------------------------------------------------------------------------

    async def close_session(self, *, stop_demo: bool = True) -> None:
        """Stop syncing and close every open store (and the demo stores, unless kept)."""
        window = self.window
        if window._built:
            window.changes.follow(None)
            await window.commands.before_close_session()
            window.commands.session_changed(None)
        if window.ecdp_built:
            await window.ecdp.before_close_session()
            window.ecdp.session_changed(None)
        if self.outbox_dialog is not None:
            self.outbox_dialog.close()
            self.outbox_dialog = None
        for sync in self.syncs.values():
            sync.stop()
            sync.deleteLater()
        self.syncs.clear()
        self._sync_state.clear()
        self._online.clear()
        self._unconnected.clear()
        await window.tasks.cancel_named(*SESSION_TASKS)
        sessions, self.sessions = self.sessions, []
        if self.inbox is not None:
            self.inbox.close()
            self.inbox = None
        self.shown_name = None
        if sessions and window._built:
            window.orders.clear_session()
        for session in sessions:
            await session.close()
        window.set_store_actions_enabled(False)
        if window._built:
            window.status_panel.hide()
        self.storesChanged.emit()
        if stop_demo and self.demos:
            demos, self.demos = self.demos, []
            await asyncio.gather(*(asyncio.to_thread(demo.stop) for demo in demos))

    async def close_store(self, name: str) -> None:
        """Close the store ``name`` (its account was removed); the others stay."""
        session = self.session_named(name)
        if session is None:
            return
        if len(self.sessions) == 1:
            await self.close_and_welcome()
            return
        window = self.window
        was_shown = self.shown_name in (name, ALL_KEY)
        sync = self.syncs.pop(name, None)
        if sync is not None:
            sync.stop()
            sync.deleteLater()
        self._sync_state.pop(name, None)
        self._online.pop(name, None)
        self._unconnected.pop(name, None)
        await window.tasks.cancel_named(*(f"{task}:{name}" for task in SESSION_TASKS))
        self.sessions.remove(session)
        self._rebuild_inbox()
        if was_shown:
            self.show(ALL_KEY if self.inbox is not None else self.sessions[0].account.name)
        await session.close()

    async def close_and_welcome(self) -> None:
        await self.close_session()
        self.window.show_welcome()

    # -- the outbox -----------------------------------------------------------------------

    def show_outbox(self, edit_id: int | None = None, session: StoreSession | None = None) -> None:
        """The outbox dialog of ``session`` (default: the store in hand, or
        across stores the first store whose edits wait), the edit ``edit_id``
        selected when given."""
        from ui.outbox.outbox_dialog import OutboxDialog

        if session is None:
            session = self.session
            if self.across and session is not None and not session.outbox_summary().entries:
                waiting = [s for s in self.sessions if s.outbox_summary().entries]
                session = waiting[0] if waiting else session
        sync = self.syncs.get(session.account.name) if session is not None else None
        if session is None or sync is None:
            return
        dialog = self.outbox_dialog
        if dialog is not None and dialog.isVisible() and dialog.session is session:
            dialog.select_edit(edit_id)
            dialog.raise_()
            dialog.activateWindow()
            return
        if dialog is not None:
            dialog.close()
        dialog = OutboxDialog(session, sync, self.window)
        if len(self.sessions) > 1:
            dialog.setWindowTitle(f"{dialog.windowTitle()} — {session.title}")
        self.window.changes.changed.connect(dialog.on_changes)
        dialog.select_edit(edit_id)
        self.outbox_dialog = dialog
        dialog.open()

    def number_of(self, key: str) -> str:
        """The order number the user knows an order by (its key when unknown)."""
        found = self.resolve(key)
        if found is None:
            return key
        session, plain = found
        return session.rows.order_numbers([plain]).get(plain, plain)

    # -- the sync status ------------------------------------------------------------------

    def _shown_sessions(self) -> list[StoreSession]:
        shown = self.shown
        return list(shown.sessions) if shown is not None else []

    def _show_sync_state(self) -> None:
        """The status bar's sync state of what is shown (across stores: of them all)."""
        window = self.window
        if not window._built:
            return
        panel = window.status_panel
        names = [session.account.name for session in self._shown_sessions()]
        running = [self._sync_state[name] for name in names if name in self._sync_state]
        shown = self.shown
        if running:
            panel.sync_started()
            done, total = sum(d for d, _ in running), sum(t for _, t in running)
            if total:
                panel.sync_progressed(done, total)
        else:
            panel.sync_ended(shown.last_sync() if shown is not None else None)
        online = [self._online.get(name) for name in names]
        if any(state is False for state in online):
            panel.set_online(False)
        elif online and all(state is True for state in online):
            panel.set_online(True)
        else:
            panel.set_online(None)

    def _on_sync_started(self, session: StoreSession) -> None:
        self._sync_state[session.account.name] = (0, 0)
        self._show_sync_state()

    def _on_sync_progressed(self, session: StoreSession, done: int, total: int) -> None:
        self._sync_state[session.account.name] = (done, total)
        if session in self._shown_sessions():
            self.window.status_panel.sync_progressed(
                *map(sum, zip(*self._running_shown(), strict=True))
            )

    def _running_shown(self) -> list[tuple[int, int]]:
        names = [session.account.name for session in self._shown_sessions()]
        return [self._sync_state[name] for name in names if name in self._sync_state] or [(0, 0)]

    def _on_sync_finished(self, session: StoreSession, result: SyncResult) -> None:
        name = session.account.name
        self._sync_state.pop(name, None)
        if session not in self.sessions:
            return
        self._show_sync_state()
        wanted = session.account.settings.notify_new_orders or len(self.sessions) == 1
        if result.new and self._was_synced_before.get(name) and wanted:
            from ui.window.new_order_notifier import NewOrder

            newest = list(reversed(result.new))  # the newest first: a click opens it
            numbers = session.rows.order_numbers(newest[:3])
            orders = [NewOrder(self.ref(session, key), numbers.get(key, key)) for key in newest]
            self.window.notifier.notify_new_orders(orders, session.title)
        self._was_synced_before[name] = True

    def _on_sync_failed(self, session: StoreSession, message: str) -> None:
        self._sync_state.pop(session.account.name, None)
        self._show_sync_state()
        if len(self.sessions) > 1:
            message = f"{session.title}: {message}"
        self.window.statusBar().showMessage(message, 15_000)

    def _on_online_changed(self, session: StoreSession, online: bool) -> None:
        self._online[session.account.name] = online
        self._show_sync_state()

    def _on_overwritten(self, session: StoreSession, edits: list) -> None:
        """Someone changed again what this desk wrote: say so, with a way to the edits."""
        from ui.outbox.overwritten_notice import show_overwritten

        if session in self.sessions and edits:
            show_overwritten(
                self.window,
                session,
                edits,
                lambda edit_id=None, s=session: self.show_outbox(edit_id, s),
            )

    def _on_cache_damaged(self, session: StoreSession, moved: object) -> None:
        self.window.warn(
            "The saved orders were damaged",
            f"The damaged file of “{session.title}” was set aside as "
            f"{getattr(moved, 'name', moved)}; Backroom is fetching every order again. Your "
            "edits waiting for the store are kept apart and are not affected.",
        )

    # -- counts -------------------------------------------------------------------------

    def on_count_changed(self, shown: int) -> None:
        """The status bar's count: the orders shown, and of how many when
        filtered; across stores, how many of them each store has."""
        from app.domain.queries import OrderQuery

        label, model = self.window.count_label, self.window.orders.model
        source = self.shown
        if source is None:
            label.clear()
            return
        query = model.query
        unfiltered = OrderQuery(sort=query.sort, descending=query.descending)
        if query.model_copy(update={"by_store": None}) == unfiltered and not model.counting:
            total = shown  # no filter: the table's own count (no second count after a sync)
        else:
            total = source.rows.count(OrderQuery())
        noun = "order" if total == 1 else "orders"
        if model.counting:  # the first rows are shown; how many match is still counted
            text = f"{shown:,}+ of {total:,} {noun} (counting…)"
        else:
            text = f"{total:,} {noun}" if shown == total else f"{shown:,} of {total:,} {noun}"
        if self.across and self.inbox is not None and not model.counting:
            parts = [
                f"{tag.title.removesuffix(' (demo)')} {count:,}"
                for tag, count in self.inbox.rows.counts(query)
            ]
            label.setToolTip("Orders shown, by store: " + ", ".join(parts))
            text = f"{text} — " + " · ".join(parts)
        else:
            label.setToolTip("")
        label.setText(text)

    def _on_notified(self, title: str, text: str) -> None:
        self.window.statusBar().showMessage(f"{title}: {text}", 15_000)
