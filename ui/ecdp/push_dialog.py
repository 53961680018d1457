""" "Send to ECDP": the selected orders, or every order the current filter
shows, pushed to an ECDP account with ``AddOrReplace`` in batches.

The dialog shows progress and can cancel (what ECDP confirmed stays
recorded; the rest is sent next time), then lists each order's result — sent,
already there, failed and why, cannot be matched to a customer and why —
with "Retry failed" and "Copy list". The work
runs as an owned task (:func:`app.services.ecdp.pushing.push_orders`); ``pushed`` tells
the window to refresh the table's ECDP column.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import LocalDataError
from app.domain.queries import OrderQuery
from app.services.accounts.account_actions import MissingTokenError
from app.services.ecdp.destinations import EcdpDestination, describe_ecdp_error
from app.services.ecdp.push import EcdpPushReport, PushProgress
from app.services.session import StoreSession
from app.services.shown import ShownOrders
from ui.common.keys import add_close_keys
from ui.common.result_table import result_table
from ui.common.tasks import TaskRunner

MAX_LISTED = 1_000  # orders listed one per row (failures always come first)
RESULT_ORDER = {"Failed": 0, "Cannot be matched": 1, "Sent": 2, "Already there": 3}


def _plural(count: int, noun: str = "order") -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def summary_text(report: EcdpPushReport, destination: str) -> str:
    """What a push did, in one or two sentences."""
    parts = [f"{len(report.sent):,} of {_plural(report.total)} sent to ECDP “{destination}”."]
    if report.skipped:
        parts.append(f"{len(report.skipped):,} were there already, unchanged.")
    if report.failed:
        parts.append(f"{len(report.failed):,} failed: the reasons are below.")
    if report.unmatched:
        parts.append(
            f"{len(report.unmatched):,} cannot be matched to a customer (no email, phone or "
            "customer id): send again once the order has one."
        )
    if report.interrupted is not None:
        parts.append(
            f"Stopped: {describe_ecdp_error(report.interrupted)} "
            "The rest were not sent; send again to go on."
        )
    return " ".join(parts)


class EcdpPushDialog(QDialog):
    """Progress, cancel, then the result per order with "Retry failed"."""

    pushed = Signal(object)  # EcdpPushReport, after each run (also a cancelled one: None)

    HEADERS = ("Order", "Result", "Reason")

    def __init__(
        self,
        session: ShownOrders[Any],
        destination: EcdpDestination,
        tasks: TaskRunner,
        *,
        keys: list[str] | None = None,
        query: OrderQuery | None = None,
        parent: QWidget | None = None,
        destination_for: Callable[[StoreSession], EcdpDestination | None] | None = None,
    ) -> None:
        super().__init__(parent)
        add_close_keys(self)
        self._session = session  # a store, or every store (an Inbox: it splits by store)
        self._destination = destination
        # across stores: each store's destination (the demo stores each have their own)
        self._route: Any = destination_for or destination
        self._tasks = tasks
        self._keys = list(keys) if keys is not None else None
        self._query = query if keys is None else None
        self._task: asyncio.Task[Any] | None = None
        self.report: EcdpPushReport | None = None
        self.listed: list[tuple[str, str, str, str]] = []  # key, number, result, reason
        self.model = QStandardItemModel(0, len(self.HEADERS), self)
        self.model.setHorizontalHeaderLabels(list(self.HEADERS))
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setWindowTitle(f"Send to ECDP “{self._destination.name}”")
        self.resize(680, 420)
        layout = QVBoxLayout(self)
        self.headline = QLabel(self._what_text(), wordWrap=True)
        self.headline.setAccessibleName("What is sent")
        layout.addWidget(self.headline)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Push progress")
        self.progress.setFormat("%v of %m")
        layout.addWidget(self.progress)
        self.counts = QLabel()
        layout.addWidget(self.counts)
        self.summary = QLabel(wordWrap=True)
        self.summary.setAccessibleName("Push result")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        self.table = result_table(self.model, "Result per order")
        self.table.setAlternatingRowColors(True)
        layout.addWidget(self.table, 100)
        layout.addStretch(1)  # keeps the text at the top while there is no list

        self.buttons = QDialogButtonBox()
        self.send_button = self.buttons.addButton("&Send", QDialogButtonBox.ButtonRole.AcceptRole)
        self.send_button.setDefault(True)
        self.retry_button = QPushButton("&Retry failed")
        self.retry_button.setToolTip("Send the orders that failed again")
        self.copy_button = QPushButton("C&opy list")
        self.copy_button.setToolTip("Copy every order's result as text")
        self.buttons.addButton(self.retry_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.send_button.clicked.connect(self.start)
        self.retry_button.clicked.connect(self._on_retry_clicked)
        self.copy_button.clicked.connect(self.copy_to_clipboard)
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self.close_button.clicked.connect(self.accept)
        layout.addWidget(self.buttons)
        self._show_state("ready")

    def _what_text(self) -> str:
        where = f"ECDP “{self._destination.name}”"
        if self._keys is not None:
            return f"Send the {_plural(len(self._keys), 'selected order')} to {where}."
        try:
            count = self._session.rows.count(self._query or OrderQuery())
        except LocalDataError:
            count = None
        what = f"the {_plural(count)}" if count is not None else "every order"
        return (
            f"Send {what} the current filter shows to {where}? Orders ECDP already has "
            "as they are now are skipped."
        )

    def _show_state(self, state: str) -> None:
        """``ready`` (Send), ``running`` (progress, Cancel) or ``done`` (results)."""
        running, done = state == "running", state == "done"
        self.send_button.setVisible(state == "ready")
        self.progress.setVisible(running or (done and self.progress.maximum() > 0))
        self.counts.setVisible(running)
        self.cancel_button.setVisible(state != "done")
        self.close_button.setVisible(done)
        self.retry_button.setVisible(done)
        self.copy_button.setVisible(done)
        self.summary.setVisible(done)
        self.table.setVisible(done and self.model.rowCount() > 0)
        self.retry_button.setEnabled(done and bool(self.report and self.report.failed))
        if done:
            self.close_button.setDefault(True)

    # -- running -------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._task is not None

    def start(self) -> None:
        """Send what the dialog was opened for."""
        self._run(keys=self._keys, query=self._query or OrderQuery(), retry=False)

    def _on_retry_clicked(self) -> None:
        if self.report is not None and self.report.failed:
            self._run(keys=list(self.report.failed), query=None, retry=True)

    def _run(self, *, keys: list[str] | None, query: OrderQuery | None, retry: bool) -> None:
        if self._task is not None:
            return
        self.progress.setRange(0, 0)  # busy until the orders are counted
        self.counts.setText("Preparing…")
        self._show_state("running")
        self._task = self._tasks.run(self._push(keys, query, retry), name=f"ecdp-push-{id(self)}")
        self._task.add_done_callback(self._on_task_done)

    async def _push(self, keys: list[str] | None, query: OrderQuery | None, retry: bool) -> None:
        session = self._session
        try:
            report = await session.push_to_ecdp(
                self._route,
                query=None if keys is not None else query,
                keys=keys,
                progress=self._on_progress,
            )
        except (MissingTokenError, LocalDataError) as error:
            self._show_problem(str(error))
            return
        shown = [*report.failed, *report.unmatched, *report.sent, *report.skipped]
        if retry and self.report is not None:
            shown += [*self.report.unmatched, *self.report.sent, *self.report.skipped]
        listed = shown[:MAX_LISTED]
        found = await asyncio.to_thread(session.rows.order_numbers, listed)
        numbers = {key: found.get(key) or key for key in listed}
        self._show_report(report, numbers, retry=retry)

    def _on_progress(self, state: PushProgress) -> None:
        if not shiboken6.isValid(self):
            return
        self.progress.setRange(0, max(state.total, 1))
        self.progress.setValue(state.done)
        self.counts.setText(
            f"{state.sent:,} sent · {state.skipped:,} already there · {state.failed:,} failed"
            + (f" · {state.unmatched:,} cannot be matched" if state.unmatched else "")
        )

    def _on_task_done(self, task: asyncio.Task[Any]) -> None:
        if not shiboken6.isValid(self) or task is not self._task:
            return
        self._task = None
        if task.cancelled():
            self.summary.setText(
                "Cancelled. The orders ECDP confirmed stay recorded; send again to go on."
            )
            self._show_state("done")
            self.pushed.emit(None)
        elif task.exception() is not None:  # the TaskRunner reports it
            self._show_problem("The push stopped because of an internal error.")

    def _show_problem(self, text: str) -> None:
        self.summary.setText(text)
        self._show_state("done")

    def _show_report(self, report: EcdpPushReport, numbers: dict[str, str], *, retry: bool) -> None:
        if retry and self.report is not None:  # one list: the first run, retried ones updated
            before = self.report
            report = EcdpPushReport(
                total=before.total,
                sent=before.sent + report.sent,
                skipped=before.skipped + report.skipped,
                failed=dict(report.failed),
                unmatched={**before.unmatched, **report.unmatched},
                interrupted=report.interrupted,
            )
        self.report = report
        rows = [(key, "Failed", reason) for key, reason in report.failed.items()]
        rows += [(key, "Cannot be matched", reason) for key, reason in report.unmatched.items()]
        rows += [(key, "Sent", "") for key in report.sent]
        rows += [(key, "Already there", "ECDP has it as it is now") for key in report.skipped]
        self.listed = [
            (key, numbers.get(key, key), word, reason) for key, word, reason in rows[:MAX_LISTED]
        ]
        self.model.removeRows(0, self.model.rowCount())
        for key, number, word, reason in self.listed:
            cells = [QStandardItem(f"#{number}"), QStandardItem(word), QStandardItem(reason)]
            if word == "Failed":
                font = cells[1].font()
                font.setBold(True)
                cells[1].setFont(font)
            if reason:
                cells[2].setToolTip(reason)
            cells[0].setData(key, Qt.ItemDataRole.UserRole)
            self.model.appendRow(cells)
        text = summary_text(report, self._destination.name)
        if len(rows) > MAX_LISTED:
            text += f" The first {MAX_LISTED:,} are listed."
        self.summary.setText(text)
        self._show_state("done")
        self.pushed.emit(report)

    # -- closing and copying -----------------------------------------------------------

    def text(self) -> str:
        """The list as "Copy list" copies it (tab separated)."""
        lines = ["Order\tResult\tReason"]
        lines += [f"#{number}\t{word}\t{reason}" for _key, number, word, reason in self.listed]
        return "\n".join(lines)

    def copy_to_clipboard(self) -> None:
        QGuiApplication.clipboard().setText(self.text())

    def _on_cancel_clicked(self) -> None:
        if self._task is not None:
            self._task.cancel()
        else:
            self.reject()

    def reject(self) -> None:
        if self._task is not None:
            self._task.cancel()  # what ECDP confirmed stays recorded
        super().reject()
