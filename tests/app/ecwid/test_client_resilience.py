"""Rate limits, server errors, dropped connections and unreadable answers:
each is retried where safe, or becomes a clear EcwidError."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from app.ecwid import (
    EcwidClient,
    EcwidNetworkError,
    EcwidPaymentRequiredError,
    EcwidProtocolError,
    EcwidRateLimitedError,
    EcwidServerError,
    EcwidUnauthorizedError,
    Order,
    OrderItem,
    RetryPolicy,
)
from app.ecwid.transport import parse_retry_after
from tests.helpers.aio import run
from tests.helpers.sandbox import client_for, running_sandbox


def _api_requests(server):
    return [(m, p) for m, p, _ in server.request_log if "/api/v3/" in p]


def test_429_is_retried_after_retry_after(sandbox):
    sandbox.faults.rate_limit_every = 2
    sandbox.faults.retry_after = "1"

    async def scenario():
        async with client_for(sandbox) as client:
            return [await client.search_orders(offset=i * 10, limit=10) for i in range(3)]

    pages = run(scenario())
    assert [page.offset for page in pages] == [0, 10, 20]
    assert len(_api_requests(sandbox)) > 3  # some answers were 429 and were retried


def test_429_with_an_http_date_is_honoured():
    later = datetime.now(UTC) + timedelta(seconds=30)
    assert 25 <= parse_retry_after(format_datetime(later, usegmt=True)) <= 30
    assert parse_retry_after("7") == 7
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_a_retry_after_too_long_to_wait_surfaces_as_rate_limited(sandbox):
    sandbox.faults.rate_limit_every = 1
    sandbox.faults.retry_after = "3600"

    async def scenario():
        async with client_for(sandbox) as client:
            await client.search_orders(limit=1)

    with pytest.raises(EcwidRateLimitedError) as caught:
        run(scenario())
    assert caught.value.status == 429
    assert caught.value.retry_after == 3600
    assert len(_api_requests(sandbox)) == 1  # no hammering


def test_5xx_is_retried_for_reads(sandbox):
    sandbox.faults.error_every = 2

    async def scenario():
        async with client_for(sandbox) as client:
            return [order async for order in client.iter_orders(page_size=50)]

    orders = run(scenario())
    assert len(orders) == len({o.key for o in orders}) > 100


def test_5xx_on_create_is_not_retried(sandbox):
    sandbox.faults.error_every = 1

    async def scenario():
        async with client_for(sandbox) as client:
            await client.create_order(Order(items=[OrderItem(name="Cherry", quantity=1, price=2)]))

    with pytest.raises(EcwidServerError) as caught:
        run(scenario())
    assert caught.value.status == 500
    assert [m for m, _ in _api_requests(sandbox)] == ["POST"]


def test_persistent_5xx_gives_up_after_the_policy_allows(sandbox):
    sandbox.faults.error_every = 1

    async def scenario():
        async with client_for(
            sandbox, retry=RetryPolicy(attempts=3, backoff_min=0.01, backoff_max=0.02)
        ) as client:
            await client.search_orders(limit=1)

    with pytest.raises(EcwidServerError):
        run(scenario())
    assert len(_api_requests(sandbox)) == 3


def test_dropped_connections_are_retried_for_reads(sandbox):
    sandbox.faults.drop_every = 2

    async def scenario():
        async with client_for(sandbox) as client:
            return [await client.search_orders(offset=i, limit=5) for i in range(4)]

    assert len(run(scenario())) == 4


def test_html_error_pages_become_clear_errors(sandbox):
    sandbox.faults.html_error_every = 1

    async def scenario():
        async with client_for(sandbox, retry=RetryPolicy(attempts=1)) as client:
            await client.search_orders(limit=1)

    with pytest.raises(EcwidServerError) as caught:
        run(scenario())
    assert caught.value.status == 502
    assert "HTML error page" in str(caught.value)
    assert "<" not in str(caught.value)


def test_malformed_json_becomes_a_protocol_error(sandbox):
    sandbox.faults.garbage_every = 1

    async def scenario():
        async with client_for(sandbox) as client:
            await client.search_orders(limit=1)

    with pytest.raises(EcwidProtocolError, match="cannot read"):
        run(scenario())


def test_a_200_of_an_unexpected_shape_is_a_protocol_error_naming_the_place(sandbox):
    sandbox.faults.wrong_shape_every = 1

    async def scenario():
        async with client_for(sandbox) as client:
            await client.search_orders(limit=1)

    with pytest.raises(EcwidProtocolError) as caught:
        run(scenario())
    assert "order list" in str(caught.value) and "total" in str(caught.value)


def test_suspended_store_is_payment_required(sandbox):
    sandbox.faults.suspended = True

    async def scenario():
        async with client_for(sandbox) as client:
            await client.get_order(1)

    with pytest.raises(EcwidPaymentRequiredError) as caught:
        run(scenario())
    assert caught.value.code == "STORE_IS_SUSPENDED"


def test_wrong_token_is_unauthorized_and_the_error_never_shows_it(sandbox):
    wrong = "secret_wrongwrongwrongwrong"

    async def scenario():
        async with EcwidClient(sandbox.store_id, wrong, base_url=sandbox.url) as client:
            await client.search_orders(limit=1)

    with pytest.raises(EcwidUnauthorizedError) as caught:
        run(scenario())
    assert caught.value.status == 403
    assert wrong not in str(caught.value) and wrong not in repr(caught.value)


def test_server_gone_is_a_network_error(tmp_path):
    with running_sandbox(tmp_path / "gone.sqlite3", orders=5) as server:
        url, store_id, token = server.url, server.store_id, server.token

    async def scenario():
        async with EcwidClient(
            store_id,
            token,
            base_url=url,
            retry=RetryPolicy(attempts=2, backoff_min=0.01, backoff_max=0.02),
        ) as client:
            await client.search_orders(limit=1)

    with pytest.raises(EcwidNetworkError):
        run(scenario())


def test_client_budget_keeps_under_the_servers_rate_limit(tmp_path):
    with running_sandbox(
        tmp_path / "limited.sqlite3", orders=20, requests_per_minute=120
    ) as server:

        async def scenario():
            async with client_for(server, requests_per_minute=120) as client:
                keys = [order.key for order in (await client.search_orders(limit=10)).items]
                for i in range(124):  # with the search: 5 more than the minute's burst
                    await client.get_order(keys[i % len(keys)])

        run(scenario())
        # every request was answered at once: none was refused with 429 and retried
        assert len(_api_requests(server)) == 125


def test_bad_arguments_are_refused_locally():
    with pytest.raises(ValueError, match="store id"):
        EcwidClient("my store", "secret_x")
    with pytest.raises(ValueError, match="token"):
        EcwidClient(1, "")
