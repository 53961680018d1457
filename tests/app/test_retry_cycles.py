"""What a request leaves behind: nothing for the cycle collector.

In the window the cycle collector runs on the GUI thread only
(ui/common/gc_guard.py), so whatever a request leaves in reference cycles is
freed there, in pauses of the event loop. tenacity keeps a call's state in
a cycle with the retrier (and, iterated with ``async for``, the last
response too); :func:`app.http_transport.call_retrying` lets go of it as the
call returns. httpx's response and its stream refer to each other; the
transport gives a read response its content as its stream instead.
Requests go to the sandbox over loopback HTTP; the collector is off while
they run, and what it then finds is inspected. (A call that
fails for good still leaves its state to the collector: a raised exception's
traceback holds the frames that hold it, as in any Python code; failures
are rare, pages are not.)"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import httpx
import pytest
from tenacity import AsyncRetrying, RetryCallState

from app.ecwid import EcwidNetworkError
from app.http_transport import RetryPolicy, call_retrying, retrying
from tests.helpers.aio import run
from tests.helpers.sandbox import client_for

FAST = RetryPolicy(attempts=3, backoff_min=0.001, backoff_max=0.002)


@pytest.fixture
def collector_off() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _left_in_cycles(*types: type) -> list[object]:
    """The objects of ``types`` that only the cycle collector would free."""
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        gc.collect()
        return [thing for thing in gc.garbage if isinstance(thing, types)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()


class Result:
    """Something a call returns (weakly referable)."""


def test_a_retrier_and_its_result_are_freed_as_the_call_returns(collector_off) -> None:
    failures = [EcwidNetworkError("no answer")]

    async def attempt(value: int) -> Result:
        if failures:
            raise failures.pop()  # retried once
        result = Result()
        result.value = value  # type: ignore[attr-defined]
        return result

    async def scenario() -> tuple[weakref.ref[AsyncRetrying], weakref.ref[Result]]:
        retrier = retrying(FAST, lambda error: True, lambda error: None)
        result = await call_retrying(retrier, attempt, 7)
        assert result.value == 7  # type: ignore[attr-defined]
        return weakref.ref(retrier), weakref.ref(result)

    retrier, result = run(scenario())
    assert failures == []
    assert retrier() is None  # freed by its last reference, not left to the collector
    assert result() is None


def test_pages_fetched_leave_no_response_or_retry_state_to_the_collector(
    sandbox, collector_off
) -> None:
    async def scenario() -> int:
        async with client_for(sandbox) as client:
            pages = [await client.search_orders_content(None, offset, 50) for offset in (0, 50)]
            pages.append((await client.search_orders(offset=100, limit=50)).model_dump_json())
        return sum(len(page) for page in pages)

    assert run(scenario()) > 0
    assert _left_in_cycles(httpx.Response, httpx.Request, AsyncRetrying, RetryCallState) == []


def test_a_response_read_again_gives_the_same_content(sandbox) -> None:
    async def scenario() -> tuple[bytes, bytes, str]:
        async with client_for(sandbox) as client:
            response = await client._transport.request("GET", "/orders", params={"limit": 3})
            streamed = b"".join([part async for part in response.aiter_bytes()])
            return response.content, streamed, response.headers["content-type"]

    content, streamed, kind = run(scenario())
    assert content == streamed and b'"items"' in content
    assert kind.startswith("application/json")
