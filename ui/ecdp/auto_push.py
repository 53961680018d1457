"""The automatic push to ECDP after each sync: new and changed orders only.

:class:`EcdpAutoPush` is driven by the sync controllers' ``finished``
signals (:meth:`EcdpAutoPush.on_sync_finished`, told which store synced:
every open store syncs, and each is pushed on its own, to its own
destination). When that store's account has ``auto_push_to_ecdp`` on and
the window has an ECDP account for it, it pushes
the orders whose current version ECDP has not confirmed (never sent, changed
since, or failed last time) as an owned task, one at a time. It says what
happened in ``message`` — for the status bar, never a modal dialog — and
emits ``pushed`` so the table's ECDP column refreshes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from app.domain.errors import LocalDataError
from app.domain.queries import OrderQuery
from app.services.accounts.account_actions import MissingTokenError
from app.services.ecdp.destinations import EcdpDestination, describe_ecdp_error
from app.services.ecdp.push import EcdpPushReport
from app.services.session import StoreSession
from ui.common.tasks import TaskRunner

log = logging.getLogger(__name__)

AUTO_PUSH_TASK = "ecdp-auto-push"


def describe_auto_push(report: EcdpPushReport, destination: str) -> str | None:
    """The status bar's words for an automatic push (``None``: nothing to say)."""
    if report.interrupted is not None:
        return (
            f"ECDP push to “{destination}” stopped: {describe_ecdp_error(report.interrupted)} "
            "It goes on after the next sync."
        )
    if report.failed:
        first = next(iter(report.failed.values()))
        return (
            f"ECDP: {len(report.sent):,} orders sent to “{destination}”, "
            f"{len(report.failed):,} failed ({first})"
        )
    if report.sent:
        noun = "order" if len(report.sent) == 1 else "orders"
        return f"ECDP: {len(report.sent):,} new or changed {noun} sent to “{destination}”."
    return None


class EcdpAutoPush(QObject):
    """Pushes new and changed orders to ECDP after each sync, when switched on."""

    message = Signal(str)  # what happened, for the status bar
    pushed = Signal(object)  # EcdpPushReport

    def __init__(self, tasks: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self.session: StoreSession | None = None
        self.destination: EcdpDestination | None = None
        self.destination_for: Callable[[StoreSession], EcdpDestination | None] = lambda _session: (
            self.destination
        )
        self.last_report: EcdpPushReport | None = None

    def set_session(
        self,
        session: StoreSession | None,
        destination: EcdpDestination | None,
        destination_for: Callable[[StoreSession], EcdpDestination | None] | None = None,
    ) -> None:
        """Push to ``destination`` from now on (either may be None; each
        store's own, when ``destination_for`` says); ``session`` is the store
        in hand (whose setting :attr:`enabled` reports)."""
        self.session = session
        self.destination = destination
        self.destination_for = destination_for or (lambda _session: self.destination)

    @property
    def enabled(self) -> bool:
        """Whether the store's account wants its orders pushed after each sync."""
        return self.session is not None and self.session.account.settings.auto_push_to_ecdp

    @property
    def running(self) -> bool:
        return self._tasks.is_running(AUTO_PUSH_TASK)

    def on_sync_finished(self, _result: object = None, session: StoreSession | None = None) -> None:
        """``session``'s sync ended (default: the store in hand's): push what
        is new or changed (if its account wants it, and it is not being pushed
        already)."""
        session = session or self.session
        if session is None or not session.account.settings.auto_push_to_ecdp:
            return
        destination = self.destination_for(session)
        name = f"{AUTO_PUSH_TASK}:{session.account.name}"
        if destination is None or self._tasks.is_running(name):
            return
        self._tasks.run(self._push(session, destination), name=name)

    async def stop(self) -> None:
        """Cancel a push under way (what ECDP confirmed stays recorded)."""
        await self._tasks.cancel_named(AUTO_PUSH_TASK)

    async def _push(self, session: StoreSession, destination: EcdpDestination) -> None:
        try:
            report = await session.push_to_ecdp(destination, query=OrderQuery(), only_changed=True)
        except (MissingTokenError, LocalDataError) as error:
            log.warning("automatic ECDP push failed: %s", error)
            self.message.emit(f"ECDP push to “{destination.name}” failed: {error}")
            return
        except Exception as error:  # noqa: BLE001 - a background job: the status bar, no dialog
            log.exception("automatic ECDP push failed")
            self.message.emit(
                f"ECDP push to “{destination.name}” failed: {describe_ecdp_error(error)}"
            )
            return
        self.last_report = report
        log.info(
            "automatic ECDP push: %d sent, %d failed, %d up to date, %d cannot be matched",
            len(report.sent),
            len(report.failed),
            len(report.skipped),
            len(report.unmatched),
        )
        text = describe_auto_push(report, destination.name)
        if text:
            self.message.emit(text)
        self.pushed.emit(report)
