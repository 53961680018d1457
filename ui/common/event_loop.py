"""The asyncio event loop that runs on Qt's: qasync's, with cancelled timers
let go at once (:class:`EventLoop`).

qasync runs each callback scheduled for later (``call_later``, ``call_at``,
``call_soon``) on a Qt timer of its own, and keeps the callback until that
timer fires, even when it was cancelled long before. Nearly every one is:
each network request sets timeouts (httpcore's cancel scopes, through
anyio) that it cancels as the answer comes, 50 ms into 30 s or more. During
a first sync 2,217 of 2,219 waiting callbacks were cancelled ones, each a
live Qt timer and objects the cycle collector walks on the GUI thread
(Handles and their contexts were two thirds of the objects of one of its
longest pauses). Here a cancelled callback stops its timer and is dropped
as it is cancelled; one not cancelled runs as in qasync.
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
from collections.abc import Callable
from typing import Any

import qasync
from PySide6.QtCore import QObject, QTimerEvent


class _TimerHandle(asyncio.Handle):
    """A callback waiting on a Qt timer, which lets go of it when cancelled."""

    __slots__ = ("forget",)

    def __init__(
        self,
        callback: Callable[..., object],
        args: tuple[Any, ...],
        loop: asyncio.AbstractEventLoop,
        context: contextvars.Context | None = None,
    ) -> None:
        super().__init__(callback, args, loop, context=context)
        self.forget: Callable[[_TimerHandle], None] | None = None

    def cancel(self) -> None:
        super().cancel()
        forget, self.forget = self.forget, None
        if forget is not None:
            forget(self)


class _Timers(QObject):
    """One Qt timer for each callback waiting (as qasync's), stopped and
    dropped when the callback is cancelled."""

    def __init__(self) -> None:
        super().__init__()
        self._waiting: dict[int, asyncio.Handle] = {}
        self._stopped = False

    def add_callback(self, handle: asyncio.Handle, delay: float = 0) -> asyncio.Handle:
        timer = self.startTimer(int(max(0.0, delay) * 1000))
        self._waiting[timer] = handle
        if isinstance(handle, _TimerHandle):
            handle.forget = lambda cancelled, timer=timer: self._drop(timer, cancelled)
        return handle

    def _drop(self, timer: int, handle: asyncio.Handle) -> None:
        # (only its own: Qt gives a stopped timer's id to a new one)
        if self._waiting.get(timer) is handle:
            del self._waiting[timer]
            self.killTimer(timer)

    def timerEvent(self, event: QTimerEvent) -> None:  # noqa: N802
        timer = event.timerId()
        self.killTimer(timer)
        handle = self._waiting.pop(timer, None)
        if handle is None or self._stopped or handle.cancelled():
            return
        if isinstance(handle, _TimerHandle):
            handle.forget = None
        handle._run()

    def waiting(self) -> int:
        """How many callbacks wait on a timer."""
        return len(self._waiting)

    def stop(self) -> None:
        self._stopped = True

    def set_debug(self, enabled: bool) -> None:
        """(qasync logs every timer in debug mode; these do not.)"""


class EventLoop(qasync.QEventLoop):  # type: ignore[misc]
    """qasync's event loop, whose cancelled timers are let go at once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._timer = _Timers()

    def call_later(
        self,
        delay: float,
        callback: Callable[..., object],
        *args: Any,
        context: contextvars.Context | None = None,
    ) -> asyncio.Handle:
        if inspect.iscoroutinefunction(callback):
            raise TypeError("coroutines cannot be used with call_later")
        if not callable(callback):
            raise TypeError(f"callback must be callable: {type(callback).__name__}")
        handle = _TimerHandle(callback, args, self, context=context)
        return self._timer.add_callback(handle, delay)  # type: ignore[no-any-return]

    def waiting_timers(self) -> int:
        """How many callbacks wait on a timer (cancelled ones are not kept)."""
        return self._timer.waiting()  # type: ignore[no-any-return]
