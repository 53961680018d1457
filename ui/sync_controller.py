"""Runs one store session's syncs for the window: on demand (F5), at the
account's interval in the background, and the outbox after each sync.

It reports in signals, never touches widgets: progress, the result (what
changed), a failure in a shop owner's words, whether the store is
reachable, and the state of the outbox.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from app.ecwid import EcwidError, EcwidNetworkError, EcwidUnauthorizedError
from app.services.store_session import StoreSession
from app.services.sync import SyncProgress
from app.store import CacheError
from ui.tasks import TaskRunner

log = logging.getLogger(__name__)

SYNC_TASK = "sync"


def describe_sync_error(error: BaseException) -> tuple[str, bool]:
    """``(message, offline)`` for a failed sync, in plain words."""
    if isinstance(error, EcwidNetworkError):
        return (
            "Offline: the store cannot be reached. Showing the orders saved on this computer.",
            True,
        )
    if isinstance(error, EcwidUnauthorizedError):
        return (
            "Ecwid no longer accepts this store's token. Connect the store again "
            "(File > Accounts) to keep syncing.",
            False,
        )
    if isinstance(error, EcwidError):
        return f"Sync stopped: {error}", False
    if isinstance(error, CacheError):
        return f"The orders on this computer could not be updated: {error}", False
    return f"Sync stopped by an unexpected error ({type(error).__name__}). It is logged.", False


class SyncController(QObject):
    """Syncs ``session`` now and then; one sync at a time."""

    started = Signal()
    progressed = Signal(int, int)  # done, total
    finished = Signal(object)  # SyncResult
    failed = Signal(str)  # what went wrong, in plain words
    onlineChanged = Signal(bool)  # noqa: N815 (Qt signal naming)
    outboxChanged = Signal(object)  # OutboxSummary

    def __init__(self, session: StoreSession, tasks: TaskRunner, parent: QObject | None = None):
        super().__init__(parent)
        self.session = session
        self._tasks = tasks
        self._running = False
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
        """Start a sync unless one is running (then this one is that one)."""
        if self._running:
            return
        self._running = True
        self._tasks.run(self._sync(full), name=SYNC_TASK)

    def retry_failed(self) -> None:
        """Send again the changes the store refused."""
        self._tasks.run(self._send(retry=True), name="outbox")

    async def _sync(self, full: bool) -> None:
        try:
            self.started.emit()
            try:
                result = await self.session.sync(full=full, progress=self._on_progress)
            except Exception as error:  # reported in words; the next round tries again
                log.warning("sync failed: %s", error)
                message, offline = describe_sync_error(error)
                if offline:
                    self._set_online(False)
                self.failed.emit(message)
                return
            self._set_online(True)
            self.finished.emit(result)
            await self._send(retry=False)
            self._tasks.run(self._prefetch_invoices(), name="prefetch-invoices")
        finally:
            self._running = False

    async def _send(self, *, retry: bool) -> None:
        try:
            if retry:
                await self.session.retry_failed()
            else:
                await self.session.send_outbox()
        except EcwidError as error:
            message, offline = describe_sync_error(error)
            if offline:
                self._set_online(False)
            self.failed.emit(message)
        self.outboxChanged.emit(self.session.outbox_summary())

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
