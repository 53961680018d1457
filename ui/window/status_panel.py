"""The status bar's right side: sync progress, when the last sync ran, whether
the store is reachable, and the changes still waiting to be sent."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from app.services.session import OutboxSummary
from ui.common.dates import display_locale, medium_date, medium_date_time

ONLINE_COLOUR = QColor("#2e9d4f")
OFFLINE_COLOUR = QColor("#c9452f")


def describe_age(when: datetime, now: datetime) -> str:
    """``when`` relative to ``now`` in a few words ("just now", "5 min ago", "at 14:02")."""
    seconds = (now - when).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    local = when.astimezone()
    if local.date() == now.astimezone().date():
        return "at " + display_locale().toString(local.time(), QLocale.FormatType.ShortFormat)
    return "on " + medium_date(local.date())


class SyncStatusPanel(QWidget):
    """Shows sync state; emits ``outboxRequested`` when its outbox button is clicked."""

    outboxRequested = Signal()  # noqa: N815 (Qt signal naming)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._last_sync: datetime | None = None
        self._setup_ui()
        self._age_timer = QTimer(self, interval=30_000)
        self._age_timer.timeout.connect(self._show_last_sync)
        self._age_timer.start()

    def _setup_ui(self) -> None:
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.setSpacing(12)

        self.outbox_button = QToolButton(autoRaise=True)
        self.outbox_button.setAccessibleName("Changes waiting to be sent")
        self.outbox_button.clicked.connect(self.outboxRequested)
        self.outbox_button.hide()

        self.progress = QProgressBar(maximumWidth=160, textVisible=False)
        self.progress.setAccessibleName("Sync progress")
        self.progress.hide()
        self.progress_label = QLabel()
        self.progress_label.hide()

        self.last_sync_label = QLabel("Not synced yet")
        self.connection_label = QLabel()
        self.connection_label.setAccessibleName("Connection")
        self.connection_label.setTextFormat(Qt.TextFormat.RichText)

        parts = (
            self.outbox_button,
            self.progress_label,
            self.progress,
            self.last_sync_label,
            self.connection_label,
        )
        for widget in parts:
            layout.addWidget(widget)
        # as tall as its tallest part, shown or not: the status bar, and so the
        # table above it, keep their height as a sync starts and ends (a new
        # height laid the whole window out and painted it again: 90–140 ms)
        self.setMinimumHeight(max(widget.sizeHint().height() for widget in parts))
        self.set_online(None)

    # -- sync ------------------------------------------------------------------

    def sync_started(self) -> None:
        self.progress.setRange(0, 0)  # busy until the first page says how many
        self.progress.show()
        self.progress_label.setText("Syncing…")
        self.progress_label.show()

    def sync_progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        locale = QLocale()
        self.progress_label.setText(f"Syncing {locale.toString(done)} of {locale.toString(total)}")

    def sync_ended(self, last_sync: datetime | None) -> None:
        self.progress.hide()
        self.progress_label.hide()
        self.set_last_sync(last_sync)

    def set_last_sync(self, when: datetime | None) -> None:
        self._last_sync = when
        self._show_last_sync()

    def _show_last_sync(self) -> None:
        if self._last_sync is None:
            self.last_sync_label.setText("Not synced yet")
            self.last_sync_label.setToolTip("")
            return
        self.last_sync_label.setText("Synced " + describe_age(self._last_sync, datetime.now(UTC)))
        self.last_sync_label.setToolTip(medium_date_time(self._last_sync))

    # -- connection and outbox ---------------------------------------------------

    def set_online(self, online: bool | None) -> None:
        if online is None:
            colour = self.palette().color(QPalette.ColorRole.PlaceholderText)
            text, tip = "Connecting…", "Backroom has not reached the store yet."
        elif online:
            colour, text, tip = ONLINE_COLOUR, "Online", "The store answered the last sync."
        else:
            colour, text = OFFLINE_COLOUR, "Offline"
            tip = "The store cannot be reached; the orders shown are the ones saved here."
        self.connection_label.setText(f'<span style="color:{colour.name()}">●</span> {text}')
        self.connection_label.setToolTip(tip)
        self.connection_label.setProperty("online", online)

    def set_outbox(self, summary: OutboxSummary) -> None:
        failed, waiting = summary.needs_attention, summary.waiting
        if failed:
            text = (
                "⚠ 1 change needs your attention"
                if failed == 1
                else f"⚠ {failed} changes need your attention"
            )
        elif waiting:
            text = (
                "1 change waiting to be sent"
                if waiting == 1
                else f"{waiting} changes waiting to be sent"
            )
        else:
            self.outbox_button.hide()
            return
        self.outbox_button.setText(text)
        self.outbox_button.setToolTip("Show the changes not yet confirmed by the store")
        self.outbox_button.show()
