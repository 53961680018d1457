"""One open store: the only door through which the window and the command
line read and change its orders.

A :class:`StoreSession` holds what an account needs while it is used: its
order cache (one connection for the sync and the outbox, a second for the
window's reads, so a query never waits behind a sync's write), its client,
its sync engine, and its outbox (a file of its own). Opening needs no
network: the cached orders show at once and a sync runs in the background.

The cache and the client stay inside: callers get what they need from the
session — the table's rows (:attr:`StoreSession.rows`), the store's invoices
(:attr:`StoreSession.invoices`), an order, saving, syncing, pushing — so no
window or command holds a cache or a client object. :func:`open_session`
opens one for the window (off the event loop, the client built from a
:data:`~app.services.accounts.account_actions.StoreConnection`).

Every write goes through here — an edit, a bulk change, a deletion, a new
order, a file added to or removed from an item, an outbox retry, discard or
resolve — and every sync round (:meth:`sync_round`): send what waits, then
fetch, then look for overwrites. Sending first, because every send reads the
order fresh from the store before writing (a fetch before it buys no
safety), and fetching afterwards makes the cache show the store as it is
after this desk's writes, which is what the overwrite check compares with.

Every SQLite call runs in a worker thread and every HTTP call is async, so
none of it blocks the GUI thread.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cache import CacheCorruptError, OrderCache
from app.cache.cache_file import move_aside
from app.config import Account, account_dir, cache_path, default_desk_name
from app.domain.changes import Changes
from app.domain.errors import LocalDataError
from app.domain.outbox import NEEDS_ATTENTION, OPEN, UNSENT, OutboxState
from app.domain.queries import OrderQuery
from app.services.accounts.store_display import (
    StoreDisplay,
    remember_display,
    remembered_display,
    store_display,
)
from app.services.attachments.files import OptionRef, remove_all_files, remove_file
from app.services.attachments.uploads import Upload, UploadQueue
from app.services.invoices.source import StoreInvoices
from app.services.orders import bulk as order_actions
from app.services.orders.bulk import BulkAction
from app.services.orders.creation import create_order
from app.services.orders.customers import CustomerSummary, customer_of
from app.services.orders.lookup import FoundOrder, find_order
from app.services.orders.rows import OrderRows, StoreOrderRows
from app.services.orders.saved_views import VIEWS_FILE_NAME, SavedViewStore
from app.services.orders.saving import AskConflict, SaveResult, save_edit, send_edit
from app.services.outbox import (
    Activity,
    ConflictField,
    DamageReport,
    Edit,
    OrderResult,
    Outbox,
    activity,
)
from app.services.sync.state import STATE_LAST_SYNC

if TYPE_CHECKING:  # (ECDP's client and mapping load when an order is first pushed;
    # the store's client, its network modules and the keyring when the store is connected)
    from app.ecwid import EcwidClient
    from app.services.accounts.account_actions import StoreConnection
    from app.services.ecdp.destinations import EcdpDestination
    from app.services.ecdp.push import EcdpPushReport, PushProgress
    from app.services.sync.engine import ProgressCallback, SyncEngine, SyncResult

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutboxSummary:
    """The edits not yet settled with the store."""

    entries: list[Edit]

    def count(self, state: OutboxState) -> int:
        return sum(1 for entry in self.entries if entry.state == state)

    @property
    def waiting(self) -> int:
        """Edits on their way (waiting, being sent, or failed for a passing cause)."""
        return sum(1 for entry in self.entries if entry.state in UNSENT)

    @property
    def needs_attention(self) -> int:
        """Edits that wait for the user: refused, in conflict, overwritten or recovered."""
        return sum(1 for entry in self.entries if entry.state in NEEDS_ATTENTION)


@dataclass
class RoundResult:
    """What one sync round did: the edits sent, what the fetch changed, the
    edits found overwritten, and every edit that now needs the user."""

    sent: list[OrderResult]
    sync: SyncResult
    overwritten: list[Edit] = field(default_factory=list)
    attention: list[Edit] = field(default_factory=list)


class StoreSession:
    """An account's cache, client, sync and outbox while it is used."""

    def __init__(
        self,
        account: Account,
        client: EcwidClient | None,
        cache: OrderCache,
        reader: OrderCache,
        outbox: Outbox,
        *,
        moved_aside: Path | None = None,
        outbox_damage: DamageReport | None = None,
        **engine_options: Any,
    ) -> None:
        self.account = account
        self.closed = False
        self._last_sync: datetime | None = None  # (see last_sync)
        self._client = client
        self._cache = cache
        self._reader = reader
        self._sharing = 1  # stores open together (see share_page_cache)
        self.rows: OrderRows = StoreOrderRows(lambda: self._reader)  # what the table reads
        self.invoices = StoreInvoices(  # what the invoice windows and the bulk PDF read
            lambda: self._cache,
            client,
            on_printed=lambda keys: self.report(Changes.of_orders(keys)),
            display=lambda: self.display,
        )
        self.outbox = outbox
        self.moved_aside = moved_aside
        self.outbox_damage = outbox_damage
        self._engine_options = engine_options
        self._listeners: list[Callable[[Changes], Any]] = []
        self._listeners_lock = threading.Lock()
        self.engine: SyncEngine | None = None
        if client is not None:
            self._start_engine(client)
        self.outbox._notify = self.report  # noqa: SLF001 - the outbox reports through the session
        self.display = remembered_display(cache)

    @classmethod
    def open(
        cls,
        account: Account,
        client: EcwidClient | None,
        *,
        desk: str | None = None,
        check_cache: bool = True,
        **engine_options: Any,
    ) -> StoreSession:
        """Open the account's cache (a damaged one is moved aside and started
        afresh: see ``moved_aside``) and its outbox (a damaged one is moved
        aside and what can be read is recovered: see ``outbox_damage``). Fast,
        no network. Raises :class:`~app.cache.CacheError` or
        :class:`~app.services.outbox.OutboxError` with a plain message when
        either cannot be opened. Without ``client`` the session only reads.
        ``desk`` names this installation in the activity log (default: the
        computer's name)."""
        cache, moved_aside = OrderCache.open_or_rebuild(cache_path(account), check=check_cache)
        try:
            reader = OrderCache.open(cache.path)
        except BaseException:
            cache.close()
            raise
        session: StoreSession | None = None
        try:
            outbox, damage = Outbox.open(
                account_dir(account),
                cache,
                client,
                desk=desk or default_desk_name(),
                watch_minutes=lambda: float(
                    (session.account if session else account).settings.overwrite_watch_minutes
                ),
                status_names=lambda: session.display.status_names if session else {},
            )
        except BaseException:
            reader.close()
            cache.close()
            raise
        session = cls(
            account,
            client,
            cache,
            reader,
            outbox,
            moved_aside=moved_aside,
            outbox_damage=damage,
            **engine_options,
        )
        return session

    def connect(self, client: EcwidClient) -> None:
        """Reach the store through ``client`` from now on: a session opened
        read-only (to show its cached orders at once) can sync, send its
        outbox and fetch invoices from here. Once only."""
        if self._client is not None:
            raise RuntimeError("this session already has a client")
        self._client = client
        self.invoices.connect(client)
        self.outbox.connect(client)
        self._start_engine(client)

    def _start_engine(self, client: EcwidClient) -> None:
        # (loaded with the client: see _connect, which loads it off the event loop)
        from app.services.sync.engine import SyncEngine

        self.engine = SyncEngine(
            self._cache, client, on_stored=self._on_stored, **self._engine_options
        )

    # -- what changed ------------------------------------------------------------------

    def subscribe(self, listener: Callable[[Changes], Any]) -> Callable[[], None]:
        """Call ``listener`` with what changed after every write, settled edit,
        stored sync page and push (from any thread); returns how to stop."""
        with self._listeners_lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._listeners_lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def report(self, changes: Changes) -> None:
        """Tell every listener what changed (nothing is said about nothing)."""
        if not changes:
            return
        with self._listeners_lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(changes)
            except Exception:  # a listener's bug never breaks the write that reported
                log.exception("a listener of the session's changes failed")

    def _on_stored(self, keys: list[str]) -> None:
        self.report(Changes.of_orders(keys))

    @property
    def title(self) -> str:
        """The store's own name once known, else the account's."""
        return self.display.store_name or self.account.name

    @property
    def desk(self) -> str:
        return self.outbox.desk

    # -- one store among several (see app.services.inbox) ---------------------------

    def resolve(self, key: str) -> tuple[StoreSession, str]:
        """The store of order ``key`` and its key there: this one. (The view
        across stores, :class:`~app.services.inbox.Inbox`, answers the same
        with each order's own store, so the window asks either alike.)"""
        return self, key

    def split(self, keys: Sequence[str]) -> list[tuple[StoreSession, list[str]]]:
        """``keys`` by store: all of them this one's."""
        return [(self, list(keys))] if keys else []

    @property
    def sessions(self) -> list[StoreSession]:
        """The stores shown: this one."""
        return [self]

    @property
    def can_reach_store(self) -> bool:
        """Whether the session has a client for its store (a read-only one has none)."""
        return self._client is not None

    def saved_views(self) -> SavedViewStore:
        """The account's saved views of the order table (not loaded yet: call ``load``)."""
        return SavedViewStore(account_dir(self.account) / VIEWS_FILE_NAME)

    def damage_notice(self) -> str | None:
        """What to tell the user about a damaged outbox found when opening (or ``None``)."""
        return self.outbox.damage_notice()

    def last_sync(self) -> datetime | None:
        """When the last successful sync began. While the cache cannot be read
        (a damaged one being set aside and replaced, in a worker thread): what
        was read last, rather than an error in the window's slot that asked."""
        try:
            value = self._reader.get_state(STATE_LAST_SYNC)  # never waits for the sync's writes
        except LocalDataError:
            return self._last_sync
        self._last_sync = datetime.fromtimestamp(int(value), UTC) if value else None
        return self._last_sync

    async def refresh_display(self) -> StoreDisplay:
        """Read the store's name, currency and status names, and remember them."""
        display = await store_display(self._store_client(), account_name=self.account.name)
        await asyncio.to_thread(remember_display, self._cache, display)
        self.display = display
        self.report(Changes(display=True))
        return display

    def _store_client(self) -> EcwidClient:
        if self._client is None:
            raise RuntimeError("this session was opened without a store to talk to")
        return self._client

    # -- sync -----------------------------------------------------------------------------

    async def sync_round(
        self, *, full: bool = False, progress: ProgressCallback | None = None
    ) -> RoundResult:
        """Send what waits, fetch what changed (everything with ``full``),
        then look for edits someone overwrote. A store that cannot be
        reached stops the round with the client's error after the edits were
        tried (they stay in the outbox)."""
        sent = await self.outbox.send()
        assert self.engine is not None
        result = await self.engine.sync(full=full, progress=progress)
        overwritten = await self.outbox.check_overwrites()
        attention = await asyncio.to_thread(self.outbox.entries, NEEDS_ATTENTION)
        self.report(Changes(all_orders=result.changed, outbox=True, synced=True))
        return RoundResult(sent, result, overwritten, attention)

    async def sync(
        self, *, full: bool = False, progress: ProgressCallback | None = None
    ) -> SyncResult:
        """A sync round; only what the fetch changed (see :meth:`sync_round`)."""
        return (await self.sync_round(full=full, progress=progress)).sync

    # -- finding orders ----------------------------------------------------------------------

    async def find_order(self, reference: str) -> FoundOrder:
        """The one order ``reference`` names (see :mod:`app.services.orders.lookup`)."""
        return await find_order(self._cache, self._client, reference)

    async def order_json(self, key: str) -> dict[str, Any] | None:
        """The cached order ``key`` as the store has it (also a deleted one,
        as it was when deleted)."""
        return await asyncio.to_thread(self._reader.order_json, key)

    async def open_edits(self, key: str) -> list[Edit]:
        """The open edits of order ``key``, oldest first."""
        return await asyncio.to_thread(self.outbox.entries, OPEN, key)

    # -- writing -------------------------------------------------------------------------------

    async def save_edit(
        self,
        key: str,
        changes: dict[str, Any],
        base_order: Mapping[str, Any],
        ask: AskConflict | None,
        *,
        supersedes: Sequence[int] = (),
    ) -> SaveResult:
        """Save one edit of order ``key`` made from ``base_order`` (see
        :mod:`app.services.orders.saving`)."""
        return await save_edit(self.outbox, key, changes, base_order, ask, supersedes=supersedes)

    async def resend_edit(self, edit_id: int, ask: AskConflict | None) -> SaveResult:
        """Send an edit already in the outbox the way :meth:`save_edit` does."""
        return await send_edit(self.outbox, edit_id, ask)

    async def update_order(self, reference: str, changes: dict[str, Any]) -> SaveResult:
        """Change the order ``reference`` names exactly (see :meth:`find_order`),
        measured from the cached store version; conflicts wait in the outbox."""
        found = await self.find_order(reference)
        base = await asyncio.to_thread(self._cache.order_json, found.key) or {}
        return await self.save_edit(found.key, changes, base, None)

    async def stage_bulk(
        self, keys: list[str], action: BulkAction, *, places: Sequence[int] | None = None
    ) -> dict[str, int]:
        """Stage ``action`` on each of ``keys`` (one edit per order, in one
        transaction); returns ``key -> edit id``. Orders no longer cached are
        skipped. Raises :class:`ValueError` (nothing staged) when the action
        cannot apply, e.g. an unknown placeholder in a tracking pattern.
        ``places``: each order's 1-based place in the whole selection (a
        tracking pattern's ``{n}``), when the selection spans several stores."""
        staged = await asyncio.to_thread(self._bulk_changes, list(keys), action, places)
        ids = await self.outbox.stage_updates(staged)
        return {key: edit_id for (key, _, _), edit_id in zip(staged, ids, strict=True)}

    def _bulk_changes(
        self, keys: list[str], action: BulkAction, places: Sequence[int] | None = None
    ) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
        staged = []
        numbered = zip(places, keys, strict=True) if places is not None else enumerate(keys, 1)
        for index, key in numbered:
            order = self._cache.order_json(key)
            if order is None:
                log.info("bulk change: order %s is no longer cached; skipped", key)
                continue
            staged.append((key, order_actions.bulk_changes(order, action, index=index), order))
        return staged

    async def delete_orders(
        self, keys: Sequence[str], progress: Callable[[int, int], Any] | None = None
    ) -> list[OrderResult]:
        """Delete these orders: each leaves the lists at once, then the
        deletions are sent; one result each."""
        edit_ids = await self.outbox.stage_deletes(list(keys))
        return await self.outbox.send(edit_ids, progress)

    async def send_entries(
        self, edit_ids: list[int], progress: Callable[[int, int], Any] | None = None
    ) -> list[OrderResult]:
        """Send these edits, in order, one result each."""
        return await self.outbox.send(edit_ids, progress)

    async def retry_entries(
        self, edit_ids: list[int], progress: Callable[[int, int], Any] | None = None
    ) -> list[OrderResult]:
        """Send again edits that failed, were refused or were recovered."""
        return await self.outbox.retry(edit_ids, progress)

    async def discard_entries(self, edit_ids: list[int]) -> list[Edit]:
        """Forget these edits unsent (the store's versions stay)."""
        return await self.outbox.discard(edit_ids)

    async def conflict_fields(self, edit_id: int) -> list[ConflictField]:
        return await self.outbox.conflict_fields(edit_id)

    async def resolve_conflict(self, edit_id: int, choices: Mapping[str, str]) -> int | None:
        """Settle an edit per field (see :meth:`Outbox.resolve`); send it afterwards."""
        return await self.outbox.resolve(edit_id, choices)

    async def create_order(self, order: dict[str, Any]) -> str:
        """Create ``order`` on the store, store the store's version in the
        cache and return its key (see :mod:`app.services.orders.creation`)."""
        key = await create_order(self._cache, self._store_client(), order)
        await asyncio.to_thread(
            self.outbox.record, key, activity.CREATE, "Created the order", "confirmed by the store"
        )
        self.report(Changes.of_orders([key]))
        return key

    # -- item option files -------------------------------------------------------------

    def upload_queue(
        self,
        target: OptionRef,
        on_change: Callable[[Upload], Any] | None = None,
        on_uploaded: Callable[[dict[str, Any]], Any] | None = None,
    ) -> UploadQueue:
        """A queue uploading files to ``target`` (see :mod:`app.services.attachments.uploads`);
        each upload is recorded in the activity log."""

        def uploaded(upload: Upload) -> None:
            self._log_file(target, activity.FILE_UPLOAD, f"Added the file {upload.name}")
            self.report(Changes.of_orders([target.order_key]))

        return UploadQueue(
            self._store_client(),
            self._cache,
            target,
            on_change=on_change,
            on_uploaded=on_uploaded,
            on_file_done=uploaded,
        )

    async def remove_option_file(self, target: OptionRef, file_id: int) -> dict[str, Any] | None:
        """Delete one file of ``target``; returns the order as the store has it now."""
        fresh = await remove_file(self._store_client(), self._cache, target, file_id)
        await asyncio.to_thread(
            self._log_file, target, activity.FILE_REMOVAL, f"Removed file {file_id}"
        )
        self.report(Changes.of_orders([target.order_key]))
        return fresh

    async def remove_option_files(self, target: OptionRef) -> dict[str, Any] | None:
        """Delete every file of ``target``; returns the order as the store has it now."""
        fresh = await remove_all_files(self._store_client(), self._cache, target)
        await asyncio.to_thread(
            self._log_file, target, activity.FILE_REMOVAL, "Removed all files of the option"
        )
        self.report(Changes.of_orders([target.order_key]))
        return fresh

    def _log_file(self, target: OptionRef, kind: str, summary: str) -> None:
        try:
            self.outbox.record(
                target.order_key,
                kind,
                f"{summary} ({target.option_name})",
                "confirmed by the store",
                {"item": target.item_id, "option": target.option_name},
            )
        except Exception as exc:  # noqa: BLE001 - the log is a record; the upload stands
            log.warning("the activity log was not written: %s", exc)

    async def prefetch_invoices(self, should_stop: Callable[[], bool] = lambda: False) -> int:
        """Keep the invoices of recent orders for offline use (the account's
        ``prefetch_invoices_days``; 0 = off); returns how many were downloaded."""
        days = self.account.settings.prefetch_invoices_days
        return await self.invoices.prefetch(days=days, should_stop=should_stop)

    async def compact_cache(self, should_stop: Callable[[], bool] = lambda: False) -> int:
        """Do the cache's waiting upkeep (training the orders' compression
        dictionary, compressing older orders with it, rebuilding the search
        index after an upgrade) in short steps off the event loop, until
        done or ``should_stop()``; returns the steps done. Searching and
        paging go on meanwhile (see :mod:`app.cache.cache_compaction`)."""
        steps = 0
        while not should_stop():
            cache = self._cache  # (replaced when a damaged cache is set aside)
            if not await asyncio.to_thread(cache.compact_step):
                break
            steps += 1
        return steps

    # -- customers --------------------------------------------------------------------------

    async def customer_of(self, key: str) -> CustomerSummary:
        """The customer of order ``key`` and all their orders, from the cache
        (see :mod:`app.services.orders.customers`)."""
        return await asyncio.to_thread(customer_of, self._reader, key)

    # -- export -----------------------------------------------------------------------------

    async def export_orders(
        self,
        target: Path,
        *,
        columns: Sequence[str],
        query: OrderQuery | None = None,
        keys: Sequence[str] | None = None,
        file_format: str = "csv",
        progress: Callable[[int, int], Any] | None = None,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> int:
        """Export the orders ``query`` shows (or ``keys``) to ``target`` (see
        :mod:`app.services.orders.export`), off the event loop; how many."""
        from app.services.orders.export import export_orders

        return await asyncio.to_thread(
            export_orders,
            self._reader,
            target,
            columns=columns,
            query=query,
            keys=keys,
            file_format=file_format,  # type: ignore[arg-type]
            status_names=self.display.status_names,
            progress=progress,
            should_stop=should_stop,
        )

    # -- ECDP -----------------------------------------------------------------------------

    async def push_to_ecdp(
        self,
        destination: EcdpDestination,
        *,
        query: OrderQuery | None = None,
        keys: list[str] | None = None,
        only_changed: bool = False,
        force: bool = False,
        progress: Callable[[PushProgress], Any] | None = None,
    ) -> EcdpPushReport:
        """Push the cached orders ``query`` (or ``keys``) selects to
        ``destination`` (see :mod:`app.services.ecdp.pushing`; ``force`` sends
        again what ECDP has confirmed); each order ECDP confirms is written in
        its activity log."""
        from app.services.ecdp.pushing import push_orders

        try:
            return await push_orders(
                self._cache,
                destination,
                website_id=destination.website_id(self.account),
                currency=self.display.currency_code or None,
                query=query,
                keys=keys,
                only_changed=only_changed,
                force=force,
                progress=progress,
                on_sent=self.outbox.ecdp_logger(destination.name),
            )
        finally:
            self.report(Changes(push_states=True))

    # -- the outbox -------------------------------------------------------------------

    def outbox_summary(self) -> OutboxSummary:
        return OutboxSummary(self.outbox.entries(OPEN))

    async def outbox_entries(self) -> list[Edit]:
        return await asyncio.to_thread(self.outbox.entries, OPEN)

    async def activity(self, key: str) -> list[Activity]:
        """What was written to order ``key`` from this desk, newest first."""
        return await asyncio.to_thread(self.outbox.activity, key)

    def describe_edit(self, edit: Edit) -> str:
        return self.outbox.describe(edit)

    # -- a damaged cache -----------------------------------------------------------------

    async def check_cache(self) -> None:
        """Read every page of the cache (``PRAGMA quick_check``) on a
        connection of its own, off the event loop: the window opens a store
        without this check (it reads the whole file: seconds for a million
        orders) and runs it once its first rows are on screen. Raises
        :class:`~app.cache.CacheCorruptError` when a page is damaged (then
        :meth:`set_damaged_cache_aside`)."""
        path = self._cache.path

        def work() -> None:
            with OrderCache.open(path) as checking:
                checking.check_integrity()

        await asyncio.to_thread(work)

    async def set_damaged_cache_aside(self) -> Path:
        """The cache was found damaged while in use: move it aside and start
        a fresh one (the next sync fills it; the outbox is untouched).
        Returns where the damaged file went."""

        def work() -> Path:
            path = self._cache.path
            self._reader.close()
            self._cache.close()
            moved = move_aside(path)
            cache = OrderCache.open(path)
            reader = OrderCache.open(path)
            self._cache, self._reader = cache, reader
            self.share_page_cache(self._sharing)
            if self.engine is not None:
                self.engine.cache = cache
            self.outbox.attach_cache(cache)
            return moved

        moved = await asyncio.to_thread(work)
        self.report(Changes(all_orders=True, outbox=True))
        self.moved_aside = moved
        log.warning("the order cache was damaged; moved aside to %s", moved)
        return moved

    def share_page_cache(self, stores: int) -> None:
        """``stores`` stores are open together (*All stores*): this one's
        cache connections keep a ``stores``-th of their memory (see
        :meth:`~app.cache.OrderCache.share_page_cache`); 1 gives it all back."""
        self._sharing = stores
        self._cache.share_page_cache(stores)
        self._reader.share_page_cache(stores)

    async def close(self) -> None:
        """Close the client, both cache connections and the outbox."""
        self.closed = True
        try:
            if self._client is not None:
                await self._client.aclose()
        finally:
            self._reader.close()
            self._cache.close()
            self.outbox.close()


async def open_session(
    account: Account,
    connect: StoreConnection | None,
    *,
    desk: str | None = None,
    check_cache: bool = True,
) -> StoreSession:
    """Open ``account``'s session off the event loop: its client built by
    ``connect`` (``None``: read-only), then :meth:`StoreSession.open`
    (``check_cache=False``: without reading every page of the cache first —
    the caller then runs :meth:`StoreSession.check_cache`). When the session
    cannot be opened (:class:`~app.domain.errors.LocalDataError`), the client
    is closed again and the error raised."""
    # (building a client loads the system's certificates: ~50 ms, not on the
    # loop; nor the modules its first request would import there)
    client = await asyncio.to_thread(_connect, connect) if connect is not None else None
    try:
        return await asyncio.to_thread(
            StoreSession.open, account, client, desk=desk, check_cache=check_cache
        )
    except BaseException:
        if client is not None:
            await client.aclose()
        raise


async def connect_session(session: StoreSession, connect: StoreConnection) -> None:
    """Give a session opened read-only (``open_session(account, None)``) its
    client, built by ``connect`` off the event loop: the window shows a store's
    cached orders first and connects it behind them. The client is closed
    again if the session was closed meanwhile."""
    client = await asyncio.to_thread(_connect, connect)
    if session.closed:
        await client.aclose()
        return
    session.connect(client)


def _connect(connect: StoreConnection) -> EcwidClient:
    """Build the client and load what a connected session needs (the sync
    engine, the modules a first request imports): in a worker thread, so the
    event loop never waits for them."""
    from app.http_transport import load_network_modules

    client = connect()
    load_network_modules()
    importlib.import_module("app.services.sync.engine")
    return client


def is_damaged_cache(error: BaseException) -> bool:
    """Whether ``error`` says the account's order cache is damaged (see
    :meth:`StoreSession.set_damaged_cache_aside` and :func:`set_cache_aside`)."""
    return isinstance(error, CacheCorruptError)


def set_cache_aside(account: Account) -> Path:
    """Move ``account``'s damaged order cache aside (its connections closed
    first); the next sync rebuilds it. Returns where it went."""
    return move_aside(cache_path(account))
