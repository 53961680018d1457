"""Rate limits, server errors, dropped connections and unreadable answers from
ECDP: retried where repeating is safe, otherwise a clear EcdpError, and the
batches after a failure of the service are not sent."""

from __future__ import annotations

import pytest

from app.ecdp import (
    EcdpNetworkError,
    EcdpProtocolError,
    EcdpRateLimitedError,
    EcdpServerError,
    RetryPolicy,
)
from tests.app.ecdp.support import an_order, ecdp_client_for, ecdp_requests
from tests.helpers.aio import run


def _posts(server) -> int:
    return len([r for r in ecdp_requests(server) if r[0] == "POST"])


def test_5xx_is_retried_for_add_or_replace(sandbox):
    sandbox.faults.error_every = 2

    async def scenario():
        async with ecdp_client_for(sandbox) as client:
            return await client.add_orders([an_order(f"E-{n}") for n in range(40)], batch_size=10)

    results = run(scenario())
    assert all(r.ok for r in results)
    assert _posts(sandbox) > 4  # some answers were 500 and were sent again
    assert sorted(sandbox.ecdp_store.received()) == sorted(
        ("AddOrReplace", f"E-{n}") for n in range(40)
    )


def test_5xx_on_add_is_not_retried(sandbox):
    sandbox.faults.error_every = 1

    async def scenario():
        async with ecdp_client_for(sandbox) as client:
            return await client.add_orders([an_order("A-1")], mode="Add")

    [result] = run(scenario())
    assert isinstance(result.error, EcdpServerError) and result.error.status == 500
    assert result.error.title == "Internal Server Error"  # problem details, from the fault
    assert _posts(sandbox) == 1


def test_429_waits_for_retry_after_even_for_add(sandbox):
    sandbox.faults.rate_limit_every = 2
    sandbox.faults.retry_after = "1"

    async def scenario():
        async with ecdp_client_for(sandbox) as client:
            return await client.add_orders(
                [an_order(f"L-{n}") for n in range(3)], "Add", batch_size=1
            )

    assert all(r.ok for r in run(scenario()))
    assert _posts(sandbox) == 5  # every 2nd answer was a 429, and its request went again


def test_a_retry_after_too_long_stops_the_rest(sandbox):
    sandbox.faults.rate_limit_every = 1
    sandbox.faults.retry_after = "3600"

    async def scenario():
        async with ecdp_client_for(sandbox) as client:
            return await client.add_orders([an_order(f"T-{n}") for n in range(3)], batch_size=1)

    first, *rest = run(scenario())
    assert isinstance(first.error, EcdpRateLimitedError) and first.error.retry_after == 3600
    assert [(r.sent, r.error is first.error) for r in rest] == [(False, True), (False, True)]
    assert _posts(sandbox) == 1  # no hammering


def test_persistent_failures_give_up_and_leave_later_batches_unsent(sandbox):
    sandbox.faults.error_every = 1

    async def scenario():
        retry = RetryPolicy(attempts=3, backoff_min=0.01, backoff_max=0.02)
        async with ecdp_client_for(sandbox, retry=retry) as client:
            return await client.add_orders([an_order(f"P-{n}") for n in range(30)], batch_size=10)

    results = run(scenario())
    assert isinstance(results[0].error, EcdpServerError) and results[0].sent
    assert [r.sent for r in results] == [True, False, False]
    assert _posts(sandbox) == 3
    assert sandbox.ecdp_store.count() == 0


def test_dropped_connections_are_retried_and_reported(sandbox):
    sandbox.faults.drop_every = 2

    async def scenario():
        async with ecdp_client_for(sandbox) as client:
            await client.add_orders([an_order("D-1")])
            return await client.get_order("D-1")

    assert run(scenario()).id == "D-1"
    sandbox.faults.drop_every = 1

    async def unreachable():
        async with ecdp_client_for(sandbox) as client:
            await client.get_order("D-1")

    with pytest.raises(EcdpNetworkError, match="Could not talk to ECDP"):
        run(unreachable())


def test_unreadable_answers_become_protocol_errors(sandbox):
    async def scenario():
        async with ecdp_client_for(sandbox, retry=RetryPolicy(attempts=1)) as client:
            await client.add_orders([an_order("G-1")])
            sandbox.faults.garbage_every = 1
            await client.get_order("G-1")

    with pytest.raises(EcdpProtocolError, match="ECDP sent an order that Backroom cannot read"):
        run(scenario())


def test_an_html_error_page_is_summarised(sandbox):
    sandbox.faults.html_error_every = 1

    async def scenario():
        async with ecdp_client_for(sandbox, retry=RetryPolicy(attempts=1)) as client:
            await client.get_order("H-1")

    with pytest.raises(EcdpServerError) as caught:
        run(scenario())
    assert caught.value.status == 502 and "HTML error page" in str(caught.value)
    assert "<html>" not in str(caught.value)
