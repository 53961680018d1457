"""Bulk actions on the selected orders, with a few seconds to undo.

:class:`BulkActionRunner` takes an action (chosen in
:class:`~ui.orders.bulk_action_dialog.BulkActionDialog`, see :meth:`choose`) and
shows it in the :class:`~ui.orders.undo_bar.UndoBar` ("Marking 12 orders as Shipped —
sending in 5 s [Undo]"). Nothing is staged before the time is up: Undo leaves
the outbox untouched. Then the changes are staged (the table shows them as
pending) and sent one order after another, with progress and "Cancel" in the
bar (cancelled or unreachable: the rest stay queued for the next sync), and
:class:`~ui.orders.bulk_result_dialog.BulkResultDialog` lists what each order came
to, with "Retry failed". Closing the window while an action waits applies it:
the window awaits :meth:`flush`, which stages it for the next sync.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from app.domain.outbox import OutboxState
from app.services.orders.bulk import BulkAction, OrderResult
from app.services.outbox.sender import FAILING_IN_A_ROW
from ui.common.tasks import TaskRunner
from ui.orders.bulk_action_dialog import PREVIEWED, BulkActionDialog
from ui.orders.bulk_result_dialog import BulkResultDialog
from ui.orders.status_filter_button import status_name
from ui.orders.undo_bar import UndoBar

if TYPE_CHECKING:
    from app.services.shown import ShownOrders

log = logging.getLogger(__name__)

UNDO_DELAY_MS = 5_000
NOT_SENT_CANCELLED = "Not sent: sending was cancelled. It stays queued for the next sync."
NOT_SENT_OFFLINE = "Not sent: the store is unreachable. It stays queued for the next sync."
NOT_SENT_FAILING = "Not sent: the store keeps failing. It stays queued for the next sync."

# An edit is named as the orders shown name it: its outbox id, or across stores an EditRef.
Send = Callable[[list[Any]], Awaitable[list[OrderResult]]]


def describe_action(action: BulkAction, count: int, names: Mapping[str, str] | None = None) -> str:
    """What the action does, as the undo bar says it ("Marking 12 orders as Shipped")."""
    noun = "order" if count == 1 else "orders"
    if action.kind in ("payment", "fulfillment"):
        return f"Marking {count} {noun} as {status_name(str(action.value), dict(names or {}))}"
    if action.kind == "tracking":
        return f"Adding tracking numbers to {count} {noun}"
    return f"{'Hiding' if action.value else 'Unhiding'} {count} {noun}"


def is_unreachable(result: OrderResult) -> bool:
    """Not sent for want of the store (no network, a refused token, a
    suspended store): the next orders would fare no better."""
    return (
        not result.ok
        and result.state in (OutboxState.FAILED, OutboxState.WAITING)
        and result.http_status is None
    )


def is_server_failure(result: OrderResult) -> bool:
    """The store answered with an error of its own (5xx): the change stays queued."""
    return (
        not result.ok
        and result.state is OutboxState.FAILED
        and result.http_status is not None
        and result.http_status >= 500
    )


@dataclass
class _Pending:
    session: ShownOrders[Any]  # one store, or every store (it splits by store)
    keys: list[str]
    action: BulkAction
    description: str
    entries: dict[str, Any] = field(default_factory=dict)  # order key -> its outbox entry


class BulkActionRunner(QObject):
    """Runs bulk actions: undo window, staging, sending with progress, results."""

    started = Signal(object)  # BulkAction: the undo window is over, the orders change now
    staged = Signal(list)  # order keys whose pending change the table can show now
    finished = Signal(list)  # list[OrderResult] of a send (or a retry)
    undone = Signal()  # the user took the action back: nothing was staged

    def __init__(
        self,
        tasks: TaskRunner,
        undo_bar: UndoBar,
        parent: QWidget | None = None,
        *,
        delay_ms: int = UNDO_DELAY_MS,
    ) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.bar = undo_bar
        self.delay_ms = delay_ms
        self.dialog_parent = parent
        self.result_dialog: BulkResultDialog | None = None
        self.chooser: BulkActionDialog | None = None
        self._pending: _Pending | None = None
        self._sending = 0
        self._cancelled = False
        self.bar.undoRequested.connect(self._on_bar_undo_requested)
        self.bar.countdownEnded.connect(self._on_bar_countdown_ended)
        self.bar.cancelRequested.connect(self._on_bar_cancel_requested)

    # -- public ----------------------------------------------------------------------

    @property
    def pending(self) -> bool:
        """True while an action waits for its undo window to end."""
        return self._pending is not None

    @property
    def sending(self) -> bool:
        return self._sending > 0

    def choose(
        self,
        session: ShownOrders[Any],
        keys: list[str],
        kind: str = "fulfillment",
        value: str | None = None,
    ) -> None:
        """Open the dialog that chooses and confirms an action for ``keys``
        (preset to ``kind``/``value``); confirmed, the action :meth:`run` s."""
        if keys:
            self.tasks.run(self._choose(session, list(keys), kind, value), name="bulk-choose")

    def run(self, session: ShownOrders[Any], keys: list[str], action: BulkAction) -> None:
        """Start the undo window for ``action`` on ``keys``. An action still
        waiting is applied at once (it is not dropped)."""
        if not keys:
            return
        if self._pending is not None:
            earlier, self._pending = self._pending, None
            self.tasks.run(self._apply(earlier))
        description = describe_action(action, len(keys), session.display.status_names)
        self._pending = _Pending(session, list(keys), action, description)
        self.bar.start_countdown(description, self.delay_ms)

    def undo(self) -> None:
        """Take the waiting action back: nothing is staged, nothing sent."""
        self.bar.undo()

    def cancel(self) -> None:
        """Stop sending after the order being sent; the rest stay queued."""
        self._cancelled = True

    async def flush(self) -> list[Any]:
        """Apply a waiting action now without sending it (the next sync sends it),
        e.g. when the window closes. Returns the outbox entries staged."""
        pending, self._pending = self._pending, None
        if pending is None:
            return []
        self.bar.finish()
        return await self._stage(pending)

    # -- the work --------------------------------------------------------------------

    async def _choose(
        self, session: ShownOrders[Any], keys: list[str], kind: str, value: str | None
    ) -> None:
        sample = []
        for key in keys[:PREVIEWED]:
            order = await session.order_json(key)
            if order is not None:
                sample.append(order)
        display = session.display
        dialog = BulkActionDialog(
            len(keys),
            sample,
            kind=kind,
            value=value,
            status_names=display.status_names,
            status_notifies=display.status_notifies,
            status_disabled=display.status_disabled,
            parent=self.dialog_parent,
        )
        dialog.accepted.connect(lambda: self.run(session, keys, dialog.action()))
        dialog.finished.connect(self._on_chooser_finished)
        self.chooser = dialog
        dialog.open()

    async def _stage(self, pending: _Pending) -> list[Any]:
        session = pending.session
        pending.entries = await session.stage_bulk(pending.keys, pending.action)
        self.staged.emit(list(pending.entries))
        return list(pending.entries.values())

    async def _apply(self, pending: _Pending) -> None:
        self.started.emit(pending.action)
        self._sending += 1
        try:
            entry_ids = await self._stage(pending)
            results = await self._send(pending, entry_ids, pending.session.send_entries)
        finally:
            self._sending -= 1
            self._hide_progress()
        self.finished.emit(results)
        self._show_results(pending, results)

    async def _send(self, pending: _Pending, entry_ids: list[Any], send: Send) -> list[OrderResult]:
        """Send ``entry_ids`` one by one, so "Cancel" stops between two orders.
        An unreachable store, or one failing on several orders in a row, stops
        it too; the orders not sent are reported as queued."""
        self._cancelled = False
        results: list[OrderResult] = []
        attempted: set[Any] = set()
        total, failing, stop_reason = len(entry_ids), 0, NOT_SENT_OFFLINE
        for done, entry_id in enumerate(entry_ids):
            if self._cancelled:
                stop_reason = NOT_SENT_CANCELLED
                break
            self._show_progress(f"{pending.description}: {done + 1} of {total}…", done, total)
            attempted.add(entry_id)
            sent = await send([entry_id])
            results += sent
            failing = failing + 1 if sent and is_server_failure(sent[-1]) else 0
            if failing >= FAILING_IN_A_ROW:
                stop_reason = NOT_SENT_FAILING
                break
            if sent and is_unreachable(sent[-1]):
                break
        key_of = {entry_id: key for key, entry_id in pending.entries.items()}
        unsent = [key_of[i] for i in entry_ids if i not in attempted and i in key_of]
        if unsent:
            numbers = await asyncio.to_thread(pending.session.rows.order_numbers, unsent)
            for key in unsent:
                number = numbers.get(key, key)
                results.append(OrderResult(key, number, False, OutboxState.WAITING, stop_reason))
        return results

    async def _retry(self, pending: _Pending, dialog: BulkResultDialog) -> None:
        entry_ids = [pending.entries[r.key] for r in dialog.retryable() if r.key in pending.entries]
        self._sending += 1
        try:
            results = await self._send(pending, entry_ids, pending.session.retry_entries)
        except BaseException:
            dialog.set_retrying(False)
            raise
        finally:
            self._sending -= 1
            self._hide_progress()
        fresh = {result.key: result for result in results}
        dialog.show_results([fresh.get(r.key, r) for r in dialog.results()])
        self.finished.emit(results)

    def _show_progress(self, text: str, done: int, total: int) -> None:
        if self._pending is None:  # a newer action's undo window keeps the bar meanwhile
            self.bar.show_progress(text, done, total)

    def _hide_progress(self) -> None:
        if self._pending is None:
            self.bar.finish()

    def _show_results(self, pending: _Pending, results: list[OrderResult]) -> None:
        if self.result_dialog is not None:  # the last action's results make way
            self.result_dialog.close()
            self.result_dialog.deleteLater()
        dialog = BulkResultDialog(f"Results — {pending.description}", results, self.dialog_parent)
        dialog.retryRequested.connect(lambda: self.tasks.run(self._retry(pending, dialog)))
        self.result_dialog = dialog
        dialog.open()

    # -- slots -----------------------------------------------------------------------

    def _on_bar_undo_requested(self) -> None:
        if self._pending is not None:
            self._pending = None
            self.undone.emit()

    def _on_bar_countdown_ended(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            self.tasks.run(self._apply(pending))

    def _on_chooser_finished(self) -> None:
        if self.chooser is not None:
            self.chooser.deleteLater()
            self.chooser = None

    def _on_bar_cancel_requested(self) -> None:
        self.cancel()
