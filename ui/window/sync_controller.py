"""Runs one store session's sync rounds for the window: on demand (F5), at
the account's interval in the background, and after the user settles edits.

A round (:meth:`StoreSession.sync_round`) sends the edits that wait, fetches
what changed, and looks for edits someone overwrote. The controller reports
in signals, never touches widgets: progress, the result (what changed), a
failure in a shop owner's words, whether the store is reachable, the state
of the outbox, edits found overwritten, and a damaged cache set aside.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from app.domain.errors import LocalDataError, StoreServiceError, TokenRefused, Unreachable
from app.services.outbox import OutboxError
from app.services.session import StoreSession, is_damaged_cache
from app.services.sync.engine import SyncProgress
from ui.common.tasks import TaskRunner

log = logging.getLogger(__name__)

SYNC_TASK = "sync"


def describe_sync_error(error: BaseException) -> tuple[str, bool]:
    """``(message, offline)`` for a failed sync, in plain words."""
    if isinstance(error, Unreachable):
        return (
            "Offline: the store cannot be reached. Showing the orders saved on this computer.",
            True,
        )
    if isinstance(error, TokenRefused):
        return (
            "Ecwid no longer accepts this store's token. Connect the store again "
            "(File > Accounts) to keep syncing.",
            False,
        )
    if isinstance(error, StoreServiceError):
        return f"Sync stopped: {error}", False
    if isinstance(error, OutboxError):
        return f"The edits waiting for the store could not be read: {error}", False
    if isinstance(error, LocalDataError):  # the order cache
        return f"The orders on this computer could not be updated: {error}", False
    return f"Sync stopped by an unexpected error ({type(error).__name__}). It is logged.", False


class SyncController(QObject):
    """Syncs ``session`` now and then; one round at a time."""

    started = Signal()
    progressed = Signal(int, int)  # done, total
    finished = Signal(object)  # SyncResult
    failed = Signal(str)  # what went wrong, in plain words
    onlineChanged = Signal(bool)  # noqa: N815 (Qt signal naming)
    overwritten = Signal(list)  # edits found overwritten by this round
    cacheDamaged = Signal(object)  # Path: where the damaged cache was set aside

    def __init__(
        self,
        session: StoreSession,
        tasks: TaskRunner,
        parent: QObject | None = None,
        *,
        family: str | None = None,
    ):
        super().__init__(parent)
        self.session = session
        self._tasks = tasks
        # its tasks' names: "sync", or "sync:<family>" when several stores sync side by side
        self._suffix = f":{family}" if family else ""
        self._running = False
        self._cache_checked = False  # the session was opened without the whole-file check
        self._online: bool | None = None
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.sync_now)

    @property
    def running(self) -> bool:
        return self._running

    @property
    def online(self) -> bool | None:
        """Whether the last contact with the store worked (None: not tried yet)."""
        return self._online

    def start(self, *, sync_now: bool = True) -> None:
        """Sync at the account's interval from now on (and now, unless told not to)."""
        minutes = self.session.account.settings.sync_interval_minutes
        self._timer.start(minutes * 60_000)
        if sync_now:
            self.sync_now()

    def stop(self) -> None:
        self._timer.stop()

    def set_interval_minutes(self, minutes: int) -> None:
        self._timer.setInterval(max(1, minutes) * 60_000)

    def sync_now(self, full: bool = False) -> None:
        """Start a round unless one is running (then this one is that one)."""
        if self._running:
            return
        self._running = True
        self._tasks.run(self._round(full), name=SYNC_TASK + self._suffix)

    def run_outbox_action(self, work: Callable[[], Coroutine[Any, Any, Any]]) -> None:
        """Run an outbox action (retry, discard, resolve), then report the outbox."""
        self._tasks.run(self._outbox_action(work), name="outbox" + self._suffix)

    async def _round(self, full: bool) -> None:
        try:
            self.started.emit()
            try:
                if not self._cache_checked:  # once, before the first round writes
                    await self.session.check_cache()
                    self._cache_checked = True
                result = await self.session.sync_round(full=full, progress=self._on_progress)
            except Exception as error:  # reported in words; the next round tries again
                if is_damaged_cache(error):
                    log.warning("the cache is damaged: %s", error)
                    moved = await self.session.set_damaged_cache_aside()
                    self.cacheDamaged.emit(moved)
                    self._running = False
                    self.sync_now(full=True)
                    return
                log.warning("sync failed: %s", error)
                message, offline = describe_sync_error(error)
                if offline:
                    self._set_online(False)
                self.failed.emit(message)
                return
            self._set_online(True)
            self.finished.emit(result.sync)
            if result.overwritten:
                self.overwritten.emit(result.overwritten)
            self._tasks.run(self._prefetch_invoices(), name="prefetch-invoices" + self._suffix)
            self._tasks.run(self._compact_cache(), name="compact-cache" + self._suffix)
        finally:
            self._running = False

    async def _outbox_action(self, work: Callable[[], Coroutine[Any, Any, Any]]) -> None:
        try:
            await work()
        except StoreServiceError as error:
            message, offline = describe_sync_error(error)
            if offline:
                self._set_online(False)
            self.failed.emit(message)
        except (ValueError, OutboxError) as error:  # e.g. an edit settled meanwhile
            self.failed.emit(str(error))

    async def _compact_cache(self) -> None:
        """The cache's upkeep in short steps, until the next round (a failure only costs that)."""
        try:
            await self.session.compact_cache(should_stop=lambda: self._running)
        except Exception as error:  # noqa: BLE001 - logged; the next round goes on with it
            log.warning("tidying the order cache failed: %s", error)

    async def _prefetch_invoices(self) -> None:
        """Invoices of recent orders, for printing offline (a failure only costs that)."""
        try:
            fetched = await self.session.prefetch_invoices(should_stop=lambda: self._running)
        except Exception as error:  # noqa: BLE001 - logged; the next sync tries again
            log.warning("prefetching invoices failed: %s", error)
            return
        if fetched:
            log.info("prefetched %d invoices", fetched)

    def _on_progress(self, progress: SyncProgress) -> None:
        self.progressed.emit(progress.done, progress.total)

    def _set_online(self, online: bool) -> None:
        if online != self._online:
            self._online = online
            self.onlineChanged.emit(online)
