"""The worker processes of a large full sync, which never outlive the
process that started them.

A full sync prepares its pages (see :mod:`app.services.sync.pages`) in a
:class:`~concurrent.futures.ProcessPoolExecutor` (spawn context). Left to
itself, such a pool's workers survive a parent killed without warning
(``kill -9``, a crash, the task manager): each worker holds both ends of the
pool's queues, so it waits on them for ever, and each holds the write end of
the pipe of multiprocessing's resource tracker (passed to spawned children as
``tracker_fd``), so the tracker never reads end-of-file and lingers too
(~105 MB in all). Once the workers are gone, the tracker sees end-of-file,
cleans up what the dead parent left and exits by itself.

So every worker, as it starts (:func:`_on_worker_start`):

- on Linux asks the kernel to kill it when its parent dies
  (``prctl(PR_SET_PDEATHSIG, SIGKILL)``), then checks that the parent has
  not died already (the request only covers deaths after it);
- everywhere, starts a daemon thread that waits on the parent's sentinel
  (the end of a pipe the parent holds open on POSIX, the parent's process
  handle on Windows) and ends the worker when it fires;
- on POSIX, lowers its own scheduling priority (:data:`WORKER_NICENESS`):
  the workers keep every core busy while a large sync runs, and the window
  that started them must still get a core the moment it has something to
  draw (on a busy 2-core machine its event loop otherwise waited up to
  0.1 s for one). With the cores idle they run as fast as before.

A worker that lowers its priority as it starts has already booted a new
interpreter at the window's (~0.3 s of a core each; three stores syncing at
once boot six). On Linux a process is born with the niceness of the thread
that starts it, so the pool-starting thread runs at the workers' niceness
(:func:`_lower_starter_priority`): they boot behind the window too.

Linux sends that signal when the *thread* that started the worker ends, not
only the process, so pools are started from one thread kept for the life of
the process (:data:`_POOL_STARTER`), never from a pooled thread that may be
retired.
"""

from __future__ import annotations

import asyncio
import ctypes
import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
EXIT_PARENT_GONE = 70  # a worker's exit status when it ends because its parent died
WORKER_NICENESS = 10  # added to a worker's niceness (POSIX): the window comes first
MAX_NICENESS = 19  # POSIX's lowest priority

_POOL_STARTER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-pool-starter")
"""The one thread that starts worker pools: it lives as long as the process,
so a worker's parent-death signal fires only when the process dies."""


def start_worker_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes, started now (they boot while pages
    arrive), each bound to end with this process. Call it from
    :data:`_POOL_STARTER` (see :func:`start_worker_pool_off_loop`)."""
    context = multiprocessing.get_context("spawn")  # never fork a process with threads
    pool = ProcessPoolExecutor(
        workers,
        mp_context=context,
        initializer=_on_worker_start,
        initargs=(os.getpid(), worker_niceness()),
    )
    for _ in range(workers):
        pool.submit(int)  # ProcessPoolExecutor starts its processes on submit
    return pool


async def start_worker_pool_off_loop(workers: int) -> ProcessPoolExecutor:
    """:func:`start_worker_pool` on the pool-starting thread (starting a process
    copies this one's page tables: tens of milliseconds for a GUI process, so
    it never happens on the event loop's thread)."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_POOL_STARTER, _start_behind_the_window, workers)


def worker_niceness() -> int | None:
    """The niceness of a worker: the process's (its main thread's) plus
    :data:`WORKER_NICENESS`, at most 19; ``None`` where there is no niceness."""
    if not hasattr(os, "getpriority"):
        return None
    return min(MAX_NICENESS, os.getpriority(os.PRIO_PROCESS, os.getpid()) + WORKER_NICENESS)


def _start_behind_the_window(workers: int) -> ProcessPoolExecutor:
    _lower_starter_priority()
    return start_worker_pool(workers)


def _lower_starter_priority() -> None:
    """On Linux, give the calling thread (the pool starter) a worker's
    niceness: the processes it starts are born with it (see the module doc).
    Linux alone takes a thread's id where POSIX takes a process's."""
    niceness = worker_niceness()
    if niceness is None or not sys.platform.startswith("linux"):
        return
    thread = threading.get_native_id()
    try:
        if os.getpriority(os.PRIO_PROCESS, thread) < niceness:
            os.setpriority(os.PRIO_PROCESS, thread, niceness)
    except OSError as error:  # (a sandbox may refuse it: the workers still lower their own)
        log.warning("could not lower the sync workers' starting priority: %s", error)


def _on_worker_start(parent_pid: int, niceness: int | None = None) -> None:
    """Run in each worker before its first task: end with the parent, and
    give way to it for the processor (``niceness``: the worker's, see
    :func:`worker_niceness`)."""
    if niceness is not None and hasattr(os, "nice"):
        current = os.nice(0)
        if current < niceness:
            os.nice(niceness - current)
    if sys.platform.startswith("linux"):
        _die_with_parent_on_linux()
    if os.getppid() != parent_pid:  # it died before the worker got here
        os._exit(EXIT_PARENT_GONE)
    parent = multiprocessing.parent_process()
    if parent is not None and parent.sentinel is not None:
        threading.Thread(
            target=_exit_when_ready, args=(parent.sentinel,), name="parent-watch", daemon=True
        ).start()


def _die_with_parent_on_linux() -> None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            log.warning("prctl(PR_SET_PDEATHSIG) failed: %s", os.strerror(ctypes.get_errno()))
    except (OSError, AttributeError) as error:  # no libc symbol: the watch thread still works
        log.warning("prctl is not available (%s)", error)


def _exit_when_ready(sentinel: int) -> None:
    """Wait until the parent's sentinel fires (the parent died), then end this
    process at once: it has nothing to save, and its queues are dead."""
    multiprocessing.connection.wait([sentinel])
    os._exit(EXIT_PARENT_GONE)


__all__ = [
    "EXIT_PARENT_GONE",
    "WORKER_NICENESS",
    "start_worker_pool",
    "start_worker_pool_off_loop",
    "worker_niceness",
]
