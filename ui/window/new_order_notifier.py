"""Telling the shop owner about new orders found by a sync: a notification
through the desktop's own service and, if wanted, a sound; each can be
switched off.

The notification goes through `desktop-notifier`: the freedesktop
notification service on the session bus on Linux (GNOME, KDE, dunst…), the
platform's own on Windows and macOS. Clicking it opens the order (the newest
when several arrived): :attr:`NewOrderNotifier.orderRequested`. Where no
notification service answers (no session bus, say), the system tray's
balloon is the fallback; and the message always goes out through the
``notified`` signal too, which the window shows in its status bar.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from ui.common.tasks import TaskRunner

log = logging.getLogger(__name__)

NOTIFICATION_MS = 8_000
APP_NAME = "Backroom"


@dataclass(frozen=True)
class NewOrder:
    """One new order as the notification names it."""

    key: str
    number: str


def describe_new_orders(numbers: list[str], store: str = "") -> tuple[str, str]:
    """Title and text of the notification for new orders with these numbers
    (in ``store``, named when given)."""
    count = len(numbers)
    where = f" in {store}" if store else ""
    if count == 1:
        return f"New order{where}", f"Order {numbers[0]} has arrived."
    shown = ", ".join(numbers[:3])
    more = f" and {count - 3} more" if count > 3 else ""
    return f"{count} new orders{where}", f"Orders {shown}{more} have arrived."


class NewOrderNotifier(QObject):
    """Shows notifications for new orders."""

    notified = Signal(str, str)  # title, text
    orderRequested = Signal(str)  # noqa: N815 - a notification was clicked: this order's key

    def __init__(
        self, icon: QIcon, parent: QObject | None = None, *, icon_path: Path | None = None
    ) -> None:
        super().__init__(parent)
        self.enabled = True
        self.sound = False
        self._icon = icon
        self._icon_path = icon_path
        self._tray: QSystemTrayIcon | None = None
        self._desktop: object | None = None  # a DesktopNotifier, made on first use
        self._desktop_failed = False  # no notification service answered: the tray from then on
        self.tasks = TaskRunner()
        self.last_sent: str | None = None  # the desktop's id of the last notification
        self._last_key: str | None = None  # the order the last notification opens

    def notify_new_orders(self, orders: list[NewOrder], store: str = "") -> bool:
        """Notify about these new orders; False when notifications are off or none are new."""
        if not self.enabled or not orders:
            return False
        title, text = describe_new_orders([order.number for order in orders], store)
        self._last_key = orders[0].key
        if self._desktop_failed:
            self._show_in_tray(title, text)
        else:
            self.tasks.run(self._send(title, text, orders[0].key), name="new-order-notification")
        if self.sound:
            QApplication.beep()
        self.notified.emit(title, text)
        return True

    async def _send(self, title: str, text: str, key: str) -> None:
        dispatched: list[bool] = []
        try:
            notifier = self._desktop_notifier()
            self.last_sent = await notifier.send(  # type: ignore[attr-defined]
                title=title,
                message=text,
                on_dispatched=lambda: dispatched.append(True),
                on_clicked=lambda: self.orderRequested.emit(key),
                timeout=NOTIFICATION_MS // 1000,
            )
            problem = None if dispatched else "the service did not take it"
        except Exception as error:  # noqa: BLE001 - no service on this desktop: the tray
            problem = str(error)
        if problem is not None:
            log.info("no desktop notification service (%s); using the tray", problem)
            self._desktop_failed = True
            self._show_in_tray(title, text)

    def _desktop_notifier(self) -> object:
        if self._desktop is None:
            from desktop_notifier import DesktopNotifier, Icon  # loaded with the first order

            icon = Icon(path=self._icon_path) if self._icon_path is not None else None
            self._desktop = (
                DesktopNotifier(app_name=APP_NAME, app_icon=icon)
                if icon is not None
                else DesktopNotifier(app_name=APP_NAME)
            )
        return self._desktop

    def _show_in_tray(self, title: str, text: str) -> None:
        tray = self._tray_icon()
        if tray is not None:
            tray.showMessage(title, text, self._icon, NOTIFICATION_MS)

    def _tray_icon(self) -> QSystemTrayIcon | None:
        if self._tray is None and QSystemTrayIcon.isSystemTrayAvailable():
            self._tray = QSystemTrayIcon(self._icon, self)
            self._tray.setToolTip(APP_NAME)
            self._tray.messageClicked.connect(self._on_tray_message_clicked)
            self._tray.show()
        return self._tray

    def _on_tray_message_clicked(self) -> None:
        if self._last_key is not None:
            self.orderRequested.emit(self._last_key)

    def hide(self) -> None:
        self.tasks.cancel_all()
        if self._tray is not None:
            self._tray.hide()
