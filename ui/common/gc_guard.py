"""Garbage collection in the GUI thread only.

Python's cyclic garbage collector runs in whichever thread happens to cross
an allocation threshold: often a worker thread (``asyncio.to_thread``, the
demo store's HTTP threads). When a cycle it frees holds a Qt object, the C++
object is destroyed in that thread, and Qt later crashes in the GUI thread
(for example when a timer of the dead object fires). As pyqtgraph's
``GarbageCollector`` does, Backroom turns automatic collection off while the
window runs and collects on a timer in the GUI thread, with the same
thresholds, so every Qt object dies in the thread that owns it.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

CHECK_INTERVAL_MS = 100
"""How often the counts are looked at: the longer, the more a busy sync (its
pages decoded in other threads) piles up between two collections, and the
longer each one stops the event loop (a young collection took up to 52 ms
at 100,000 orders with 500 ms)."""


class GuiThreadCollector(QObject):
    """While alive (until :meth:`stop`), cycles are collected only in the GUI thread."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = CHECK_INTERVAL_MS):
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self, interval=interval_ms)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start()

    def collect_due(self) -> int:
        """Collect the generations whose thresholds were crossed; returns objects freed."""
        first, second, third = self._thresholds
        count0, count1, count2 = gc.get_count()
        freed = 0
        if count0 > first:
            freed += gc.collect(0)
            if count1 > second:
                freed += gc.collect(1)
                if count2 > third:
                    freed += gc.collect(2)
        return freed

    def stop(self) -> None:
        """Collect once more, here, and give collection back to Python."""
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()
