"""Ownership of asyncio tasks started by widgets.

Widgets have no ``async def`` of their own: they hand coroutines to a
:class:`TaskRunner`, which keeps a strong reference to every task (qasync's
``asyncSlot`` alone does not, qasync #98), lets a newer task with the same name
cancel the older one ("latest wins", e.g. a new search), reports failures to a
callback instead of losing them, and cancels everything on shutdown.

A name may name a family: ``"sync:Walnut"`` and ``"sync:Birch"`` (one per
store) are both ``"sync"`` to :meth:`TaskRunner.is_running` and
:meth:`TaskRunner.cancel_named`, while each still cancels only its own
older task.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

log = logging.getLogger(__name__)

ErrorHandler = Callable[[BaseException], None]


class TaskRunner:
    """Starts, names and owns the tasks of one window."""

    def __init__(self, on_error: ErrorHandler | None = None) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        self._named: dict[str, asyncio.Task[Any]] = {}
        self._on_error = on_error

    def run(self, coro: Coroutine[Any, Any, Any], *, name: str | None = None) -> asyncio.Task[Any]:
        """Start ``coro`` now; a running task of the same ``name`` is cancelled."""
        if name is not None and (older := self._named.get(name)) is not None:
            older.cancel()
        task = asyncio.get_event_loop().create_task(coro, name=name)
        self._tasks.add(task)
        if name is not None:
            self._named[name] = task
        task.add_done_callback(self._finished)
        return task

    def is_running(self, name: str) -> bool:
        """Whether a task of this name (or of this family: ``name:…``) is running."""
        return bool(self._family(name))

    def _family(self, name: str) -> list[asyncio.Task[Any]]:
        prefix = f"{name}:"
        return [task for n, task in self._named.items() if n == name or n.startswith(prefix)]

    @property
    def running(self) -> int:
        return len(self._tasks)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        name = task.get_name()
        if self._named.get(name) is task:
            del self._named[name]
        if task.cancelled():
            return
        error = task.exception()
        if error is not None:
            log.error("task %s failed", name, exc_info=error)
            if self._on_error is not None:
                self._on_error(error)

    def cancel_all(self) -> None:
        """Cancel every task started here (without waiting for them to end)."""
        for task in list(self._tasks):
            task.cancel()

    async def cancel_named(self, *names: str) -> None:
        """Cancel the running tasks with these names (or of these families)
        and wait until they have ended."""
        tasks = [task for name in names for task in self._family(name)]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def shutdown(self) -> None:
        """Cancel every task and wait until they have all ended."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
