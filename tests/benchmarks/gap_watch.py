"""Where the event loop stops: the real window runs a store's first full sync
while a watchdog thread looks at the GUI thread whenever the 10 ms heartbeat
is 40 ms late, and prints, for every gap over 50 ms, the GUI thread's Python
stack during it and the Qt events that started just before it (a stack that
ends in ``exec()`` means Qt's own C++ work: painting, layout).

    .venv/bin/python -m tests.benchmarks.gap_watch [--orders N] [--stores S]

``--stores 3``: three demo stores of ``--orders`` each, syncing at once in
*All stores*.

``bench_window`` counts the gaps; this says what they are. It found the
icons' font loading at the first paint and the network modules a client's
first request imported on the loop (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import threading
import time
import traceback
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from tests.benchmarks.bench_window import _env, connect_demo_stores

LATE_S = 0.04  # the watchdog looks at the GUI thread once a beat is this late
GAP_S = 0.05  # a gap worth reporting
STACK_FRAMES = 8


class GapWatch:
    """A heartbeat on the event loop, a watchdog thread, and the recent Qt events."""

    def __init__(self, app: Any) -> None:
        from PySide6.QtCore import QEvent, QObject, QTimer

        self.started = time.perf_counter()
        self.last = self.started
        self.gui_thread = threading.get_ident()
        self.samples: dict[float, list[str]] = {}
        self.events: list[tuple[float, str]] = []
        self.gaps: list[tuple[float, float]] = []
        self._stopped = threading.Event()
        watch = self

        class Events(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
                watch.events.append(
                    (time.perf_counter(), f"{type(watched).__name__}:{event.type().name}")
                )
                del watch.events[:-50]
                return False

        self._events = Events()
        app.installEventFilter(self._events)
        self._timer = QTimer(interval=10)
        self._timer.timeout.connect(self._beat)

    def start(self) -> None:
        self.last = time.perf_counter()
        self._timer.start()
        threading.Thread(target=self._watch, daemon=True).start()

    def stop(self) -> None:
        self._stopped.set()
        self._timer.stop()

    def _watch(self) -> None:
        while not self._stopped.wait(0.005):
            since = self.last
            if time.perf_counter() - since > LATE_S:
                frames = sys._current_frames()
                frame = frames.get(self.gui_thread)
                if frame is not None:
                    stack = "".join(traceback.format_stack(frame)[-STACK_FRAMES:])
                    self.samples.setdefault(since, []).append(stack + self._others(frames))

    def _others(self, frames: dict[int, Any]) -> str:
        """Where the other threads are (one of them may hold the interpreter):
        the innermost frame of Backroom's own code, and the innermost of all."""
        names = {thread.ident: thread.name for thread in threading.enumerate()}
        lines = []
        for ident, frame in frames.items():
            if ident in (self.gui_thread, threading.get_ident()):
                continue
            summary = traceback.extract_stack(frame)
            ours = [f for f in summary if "/app/" in f.filename or "/ui/" in f.filename]
            where = [f"{f.filename.rsplit('/', 2)[-1]}:{f.lineno} {f.name}" for f in ours[-1:]]
            where.append(f"{summary[-1].filename.rsplit('/', 2)[-1]}:{summary[-1].name}")
            lines.append(f"    {names.get(ident, ident)}: {' … '.join(where)}")
        return "  the other threads:\n" + "\n".join(lines) + "\n" if lines else ""

    def _beat(self) -> None:
        now = time.perf_counter()
        since, self.last = self.last, now
        if now - since <= GAP_S:
            return
        self.gaps.append((since - self.started, now - since))
        print(f"\nGAP {(now - since) * 1000:.0f} ms at {since - self.started:.2f} s", flush=True)
        before = [name for at, name in self.events if since - 0.002 <= at <= now][:12]
        print(f"  Qt events from its start: {before}", flush=True)
        stacks = self.samples.pop(since, [])
        if stacks:
            print(f"  the GUI thread during it:\n{stacks[len(stacks) // 2]}", flush=True)


def _run(orders: int, stores: int) -> None:
    from tests.benchmarks.bench_window import _window
    from ui.common.event_loop import EventLoop

    app, window = _window()
    window.show()
    window.build()  # as ui/main.py does before its event loop starts
    watch = GapWatch(app)

    async def run() -> None:
        watch.start()
        window.start(demo=False)
        while not (
            len(window.store.sessions) == stores
            and all(s.last_sync() is not None for s in window.store.sessions)
            and not window.store.syncing
        ):
            await asyncio.sleep(0.05)
        synced = time.perf_counter() - watch.started
        await asyncio.sleep(2)  # what follows the sync's end
        watch.stop()
        print(
            f"\nsynced {stores} × {orders:,} orders at {synced:.1f} s; "
            f"{len(watch.gaps)} gaps over 50 ms"
        )
        await window.shutdown()

    with asyncio.Runner(loop_factory=lambda: EventLoop(app)) as runner:
        runner.run(run())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=30_000)
    parser.add_argument("--stores", type=int, default=1)
    parser.add_argument("--servers-niceness", type=int, default=0, help="as bench_window's (POSIX)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        os.environ.update(_env(Path(tmp) / "data"))  # (as bench_window's children run)
        connect_demo_stores(
            stack, Path(tmp), args.orders, args.stores, dict(os.environ), args.servers_niceness
        )
        _run(args.orders, args.stores)


if __name__ == "__main__":  # (the sync's worker processes import this module again)
    main()
