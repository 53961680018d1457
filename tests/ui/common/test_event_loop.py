"""The event loop on Qt's (ui.common.event_loop): callbacks run as
scheduled, and a cancelled one is let go at once, not when its timer would
have fired (qasync keeps it until then)."""

from __future__ import annotations

import asyncio
import gc
import weakref

from tests.helpers.sandbox import client_for
from ui.common.event_loop import EventLoop


class Payload:
    """Something a callback holds (weakly referable)."""


def test_the_tests_and_the_app_run_on_this_loop(qt_loop) -> None:
    assert isinstance(qt_loop, EventLoop)


def test_a_cancelled_callback_is_let_go_at_once(qt_loop) -> None:
    ran: list[object] = []
    before = qt_loop.waiting_timers()
    payload = Payload()
    held = weakref.ref(payload)
    gc.disable()  # (freed by its last reference, not by the collector)
    try:
        handle = qt_loop.call_later(3600, ran.append, payload)
        del payload
        assert qt_loop.waiting_timers() == before + 1
        handle.cancel()
        assert qt_loop.waiting_timers() == before
        assert held() is None
    finally:
        gc.enable()
    assert ran == []


def test_callbacks_run_in_the_order_they_are_due(qt_loop, qtbot) -> None:
    ran: list[str] = []
    qt_loop.call_later(0.05, ran.append, "later")
    qt_loop.call_soon(ran.append, "soon")
    skipped = qt_loop.call_later(0.01, ran.append, "cancelled")
    qt_loop.call_at(qt_loop.time() + 0.02, ran.append, "at")
    skipped.cancel()
    qtbot.waitUntil(lambda: len(ran) == 3)
    assert ran == ["soon", "at", "later"]


def test_cancelling_a_callback_that_ran_leaves_newer_ones_alone(qt_loop, qtbot) -> None:
    # Qt hands a stopped timer's id to the next one started
    ran: list[str] = []
    first = qt_loop.call_soon(ran.append, "first")
    qtbot.waitUntil(lambda: ran == ["first"])
    for number in range(20):
        qt_loop.call_later(0.01, ran.append, number)
    first.cancel()
    qtbot.waitUntil(lambda: len(ran) == 21)
    assert ran == ["first", *range(20)]


def test_timeouts_that_were_not_needed_leave_no_timer(qt_loop, run_on_qt) -> None:
    before = qt_loop.waiting_timers()

    async def answered_in_time() -> str:
        return await asyncio.wait_for(asyncio.sleep(0.01, "answer"), timeout=30)

    assert run_on_qt(answered_in_time()) == "answer"
    assert qt_loop.waiting_timers() == before


def test_requests_leave_no_timer_behind(qt_loop, run_on_qt, sandbox) -> None:
    # httpx sets timeouts for each request (anyio's cancel scopes), all
    # cancelled as the answers come: qasync kept every one for its 30 s
    before = qt_loop.waiting_timers()

    async def fetch() -> int:
        async with client_for(sandbox) as client:
            pages = [await client.search_orders_content(None, offset, 20) for offset in (0, 20)]
            pages += [await client.search_orders_content(None, 40, 20) for _ in range(8)]
        return len(pages)

    assert run_on_qt(fetch()) == 10
    assert qt_loop.waiting_timers() <= before + 1  # (at most one is still due)
