"""UI test fixtures: a qasync event loop per test on pytest-qt's QApplication."""

from __future__ import annotations

import asyncio

import pytest
import qasync


@pytest.fixture
def qt_loop(qapp, qtbot):
    """An asyncio loop driven by Qt, so tasks run while qtbot waits.

    Teardown cancels what is left, waits for it to end, and closes the loop
    without ``loop.stop()``: that calls ``QApplication.exit()``, after which
    every later ``qtbot.wait*`` returns at once (see shared/qt-facts.md)."""
    loop = qasync.QEventLoop(qapp, already_running=True)
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
