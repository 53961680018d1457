"""Telling the shop owner about new orders found by a sync: a desktop
notification (system tray) and, if wanted, a sound; each can be switched off.

Where the desktop has no tray (or in tests, offscreen), the message still goes
out through the ``notified`` signal, which the window shows in its status bar.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

NOTIFICATION_MS = 8_000


def describe_new_orders(numbers: list[str]) -> tuple[str, str]:
    """Title and text of the notification for new orders with these numbers."""
    count = len(numbers)
    if count == 1:
        return "New order", f"Order {numbers[0]} has arrived."
    shown = ", ".join(numbers[:3])
    more = f" and {count - 3} more" if count > 3 else ""
    return f"{count} new orders", f"Orders {shown}{more} have arrived."


class NewOrderNotifier(QObject):
    """Shows notifications for new orders."""

    notified = Signal(str, str)  # title, text

    def __init__(self, icon: QIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.enabled = True
        self.sound = False
        self._icon = icon
        self._tray: QSystemTrayIcon | None = None

    def notify_new_orders(self, numbers: list[str]) -> bool:
        """Notify about these new orders; False when notifications are off or none are new."""
        if not self.enabled or not numbers:
            return False
        title, text = describe_new_orders(numbers)
        tray = self._tray_icon()
        if tray is not None:
            tray.showMessage(title, text, self._icon, NOTIFICATION_MS)
        if self.sound:
            QApplication.beep()
        self.notified.emit(title, text)
        return True

    def _tray_icon(self) -> QSystemTrayIcon | None:
        if self._tray is None and QSystemTrayIcon.isSystemTrayAvailable():
            self._tray = QSystemTrayIcon(self._icon, self)
            self._tray.setToolTip("Backroom")
            self._tray.show()
        return self._tray

    def hide(self) -> None:
        if self._tray is not None:
            self._tray.hide()
