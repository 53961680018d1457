"""UI test fixtures: a qasync event loop per test on pytest-qt's QApplication."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from typing import Any

import pytest

from app.cache import OrderCache
from app.sandbox.seed import seed_orders
from tests.helpers.sandbox import FIXED_NOW
from ui.common.event_loop import EventLoop
from ui.common.gc_guard import GuiThreadCollector


@pytest.fixture(scope="session", autouse=True)
def gui_thread_garbage_collection(qapp):
    """As in the app: cycles are collected in the GUI thread only (see ui/common/gc_guard.py);
    without it a worker thread can free a Qt object and crash a later test."""
    collector = GuiThreadCollector()
    yield collector
    collector.stop()


@pytest.fixture(autouse=True)
def collect_after_each_test():
    yield
    gc.collect()  # here, in the GUI thread


@pytest.fixture
def qt_loop(qapp, qtbot):
    """An asyncio loop driven by Qt, so tasks run while qtbot waits.

    Teardown cancels what is left, waits for it to end, and closes the loop
    without ``loop.stop()``: that calls ``QApplication.exit()``, after which
    every later ``qtbot.wait*`` returns at once (see shared/qt-facts.md)."""
    loop = EventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    yield loop
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    if pending:
        qtbot.waitUntil(lambda: all(task.done() for task in pending), timeout=5_000)
    # What stop() does, minus QApplication.exit(): mark the loop as not running.
    loop._QEventLoop__is_running = False  # noqa: SLF001
    qapp.aboutToQuit.disconnect(loop._after_run_forever)  # noqa: SLF001
    loop._after_run_forever()  # noqa: SLF001
    asyncio.events._set_running_loop(None)  # noqa: SLF001
    asyncio.set_event_loop(None)
    loop.close()


@pytest.fixture
def run_on_qt(qt_loop, qtbot):
    """Run a coroutine as a task on the Qt loop and wait (with qtbot) for its result."""

    def run(coro, timeout: int = 20_000):
        task = qt_loop.create_task(coro)
        qtbot.waitUntil(task.done, timeout=timeout)
        return task.result()

    return run


@pytest.fixture(scope="module")
def seeded() -> list[dict[str, Any]]:
    """300 demo-store orders (9 of them unfinished); copy before changing."""
    return seed_orders(300, 7, FIXED_NOW, 4870020)


@pytest.fixture
def cache(tmp_path, seeded) -> Iterator[OrderCache]:
    """A cache holding ``seeded``, filled as a first full sync fills it."""
    with OrderCache.open(tmp_path / "orders.sqlite3") as cache:
        cache.upsert_orders(seeded, generation=1)
        cache.delete_unseen(1)
        yield cache
