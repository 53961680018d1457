"""The one place the window learns what changed.

The open session reports a :class:`~app.domain.changes.Changes` after every
write, settled edit, stored sync page, push and display refresh — from
whichever thread did the work. :class:`ChangeHub` turns those reports into
one Qt signal delivered in the GUI thread, merges the reports that arrive
close together, and keeps a sync from refreshing the table more often than
it can bear: while a sync stores pages the table is refreshed at most every
few seconds (and while a first sync fills the cache without its indexes,
once early on), then once when the sync ends.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from app.domain.changes import NOTHING, Changes

if TYPE_CHECKING:
    from app.services.shown import ShownOrders

MERGE_MS = 30  # reports this close together are applied as one
REFRESH_DURING_SYNC_S = 5.0  # the table shows a sync's orders as they arrive, this often


class ChangeHub(QObject):
    """Follows one session's reports; :attr:`changed` carries them, merged."""

    changed = Signal(object)  # Changes
    _reported = Signal(object)  # from any thread, delivered in the hub's

    def __init__(
        self,
        syncing: Callable[[], bool] = lambda: False,
        filling: Callable[[], bool] = lambda: False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._syncing = syncing
        self._filling = filling
        self._pending = NOTHING
        self._unsubscribe: Callable[[], None] | None = None
        self._last_sync_refresh = 0.0
        self._timer = QTimer(self, singleShot=True, interval=MERGE_MS)
        self._timer.timeout.connect(self._on_timeout)
        self._reported.connect(self._on_reported)

    def follow(self, session: ShownOrders[Any] | None) -> None:
        """Listen to ``session`` (one store, or every store: an
        :class:`~app.services.inbox.Inbox`) from now on; ``None`` stops listening."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self._pending = NOTHING
        self._last_sync_refresh = 0.0
        if session is not None:
            self._unsubscribe = session.subscribe(self._reported.emit)

    @property
    def busy(self) -> bool:
        """Whether reports wait to be applied (a test waits for this, not a sleep)."""
        return self._timer.isActive()

    def _on_reported(self, changes: Changes) -> None:
        self._pending = self._pending | changes
        if not self._timer.isActive():
            self._timer.start()

    def _on_timeout(self) -> None:
        changes, self._pending = self._pending, NOTHING
        if changes.synced:
            self._last_sync_refresh = 0.0
        elif changes.orders and not (changes.outbox or changes.push_states) and self._syncing():
            changes = self._throttled(changes)
        if changes:
            self.changed.emit(changes)

    def _throttled(self, changes: Changes) -> Changes:
        """Pages of a running sync: the table follows them, but not at every page."""
        now = time.monotonic()
        first = self._last_sync_refresh == 0.0
        due = now - self._last_sync_refresh >= REFRESH_DURING_SYNC_S
        if first or (due and not self._filling()):
            self._last_sync_refresh = now
            return changes
        return Changes(display=changes.display)
