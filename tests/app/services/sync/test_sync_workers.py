"""A `backroom sync` killed with kill -9 leaves no process behind: its page
workers and multiprocessing's resource tracker end with it (real processes,
found through /proc, killed at different moments of a large full sync)."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from app.cache import OrderCache
from app.domain.queries import OrderQuery
from app.services.sync.engine import WORKER_THRESHOLD, default_workers
from tests.helpers.cli import ROOT, backroom_command, backroom_env, connect_demo
from tests.helpers.processes import (
    command_line,
    descendants,
    is_running,
    proc_available,
    processes_with_environment,
    wait_until,
)
from tests.helpers.sandbox import running_sandbox

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not sys.platform.startswith("linux") or not proc_available(),
        reason="finds the processes through Linux's /proc",
    ),
]

WORKER_MARK = "multiprocessing.spawn import spawn_main"
TRACKER_MARK = "multiprocessing.resource_tracker import main"


@pytest.fixture(scope="module")
def large_store(tmp_path_factory):
    """A store large enough that a full sync starts its worker pool."""
    path = tmp_path_factory.mktemp("large-store") / "store.sqlite3"
    with running_sandbox(path, orders=WORKER_THRESHOLD + 1000) as server:
        yield server


def _cached_orders(data) -> int:
    files = list(data.glob("data/accounts/*/cache.sqlite3"))
    if not files:
        return 0
    with OrderCache.open(files[0]) as cache:
        return cache.count(OrderQuery(include_incomplete=True))


def _helpers(pid: int) -> dict[int, str]:
    """The worker processes and the resource tracker below ``pid``."""
    found = {}
    for child in descendants(pid):
        line = command_line(child)
        if WORKER_MARK in line:
            found[child] = "worker"
        elif TRACKER_MARK in line:
            found[child] = "tracker"
    return found


MOMENTS = {
    # a worker exists (it may still be importing, before its start-up hook ran)
    "first-worker": lambda helpers, data: "worker" in helpers.values(),
    # every worker is up and pages are being prepared and stored
    "preparing": lambda helpers, data: (
        list(helpers.values()).count("worker") >= default_workers() and _cached_orders(data) > 0
    ),
    # well into the sync
    "halfway": lambda helpers, data: (
        "worker" in helpers.values() and _cached_orders(data) >= WORKER_THRESHOLD // 2
    ),
}


@pytest.mark.parametrize("attempt", [1, 2])
@pytest.mark.parametrize("moment", list(MOMENTS))
def test_kill_9_of_a_sync_leaves_no_worker_and_no_resource_tracker(
    large_store, tmp_path, moment, attempt
):
    data = tmp_path / "data"
    assert connect_demo(data, large_store).returncode == 0
    large_store.faults.latency = 0.5  # a sync of several seconds: killed while it runs
    env = backroom_env(data, large_store.token)
    sync = subprocess.Popen(
        backroom_command("sync"),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    helpers: dict[int, str] = {}
    try:

        def reached() -> bool:
            helpers.clear()
            helpers.update(_helpers(sync.pid))
            return sync.poll() is None and MOMENTS[moment](helpers, data)

        wait_until(reached, 60, f"the sync to reach the moment {moment!r}")
    finally:
        sync.send_signal(signal.SIGKILL)
        sync.wait(timeout=10)
        large_store.faults.latency = 0.0
    assert sync.returncode == -signal.SIGKILL  # killed mid-sync, not finished
    assert "worker" in helpers.values() and "tracker" in helpers.values(), helpers

    def leftovers() -> list[int]:
        # wherever they were reparented to: found by the data folder in their environment
        found = processes_with_environment("BACKROOM_DATA_DIR", env["BACKROOM_DATA_DIR"])
        return sorted({*found, *(pid for pid in helpers if is_running(pid))})

    try:
        wait_until(lambda: not leftovers(), 20, "the workers and the resource tracker to end")
    except AssertionError:
        left = {pid: command_line(pid) for pid in leftovers()}
        raise AssertionError(f"still running after the sync was killed: {left}") from None
    finally:
        for pid in leftovers():  # never leave them running for the next test
            subprocess.run(["kill", "-9", str(pid)], check=False)


def test_workers_outlive_the_thread_that_asked_for_them():
    """Linux sends the parent-death signal when the *thread* that started a
    worker ends: a pool started from a short-lived thread must keep working."""
    import asyncio
    import threading

    from app.services.sync.workers import start_worker_pool_off_loop

    started = {}

    async def start_and_use():
        pool = await start_worker_pool_off_loop(1)
        loop = asyncio.get_running_loop()
        assert await loop.run_in_executor(pool, pow, 2, 5) == 32  # the worker is set up
        return pool

    def in_a_thread_that_ends():
        started["pool"] = asyncio.run(start_and_use())  # its loop and its threads end too

    thread = threading.Thread(target=in_a_thread_that_ends)
    thread.start()
    thread.join()
    pool = started["pool"]
    try:
        assert pool.submit(pow, 2, 10).result(timeout=60) == 1024
    finally:
        pool.shutdown(wait=True)


@pytest.mark.skipif(not hasattr(__import__("os"), "nice"), reason="niceness is POSIX's")
def test_workers_give_way_to_the_window_for_the_processor():
    """A worker's niceness is the window's plus WORKER_NICENESS (at most 19):
    with every core busy preparing pages, the window still gets one first."""
    import os

    from app.services.sync.workers import WORKER_NICENESS, start_worker_pool

    pool = start_worker_pool(1)
    try:
        mine = os.nice(0)
        assert pool.submit(os.nice, 0).result(timeout=60) == min(19, mine + WORKER_NICENESS)
    finally:
        pool.shutdown(wait=True)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a thread's niceness is Linux's")
def test_workers_are_born_behind_the_window():
    """The thread that starts the pools runs at a worker's niceness, and a
    process is born with its starting thread's: a worker boots its whole
    interpreter (before its initializer runs) behind the window, not beside it."""
    import asyncio
    import os

    from app.services.sync import workers

    mine = os.nice(0)
    pool = asyncio.run(workers.start_worker_pool_off_loop(1))
    try:
        expected = workers.worker_niceness()
        assert expected == min(19, mine + workers.WORKER_NICENESS)
        born = workers._POOL_STARTER.submit(
            subprocess.run,
            [sys.executable, "-c", "import os; print(os.nice(0))"],
            capture_output=True,
            text=True,
            check=True,
        ).result(timeout=60)
        assert int(born.stdout) == expected
        assert pool.submit(os.nice, 0).result(timeout=60) == expected  # (not lowered twice)
        assert os.nice(0) == mine  # the window's own is unchanged
    finally:
        pool.shutdown(wait=True)
