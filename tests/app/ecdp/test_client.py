"""The ECDP client against the demo store over loopback: every endpoint and
mode, batches, validation before sending, and the errors ECDP answers."""

from __future__ import annotations

import logging

import pytest

from app.ecdp import (
    EcdpBadRequestError,
    EcdpClient,
    EcdpNotFoundError,
    EcdpUnauthorizedError,
    EcdpValidationError,
)
from tests.app.ecdp.support import an_order, ecdp_client_for, ecdp_requests
from tests.helpers.aio import run


def _orders(count: int, prefix: str = "O-") -> list[dict]:
    return [an_order(f"{prefix}{n}", totalValue=10 + n) for n in range(count)]


def test_add_then_get_returns_what_was_sent(sandbox):
    async def scenario():
        async with ecdp_client_for(sandbox) as client:
            results = await client.add_orders([an_order("A-1")], mode="Add")
            return results, await client.get_order("A-1")

    results, order = run(scenario())
    assert [r.ok for r in results] == [True]
    assert order.id == "A-1" and order.status == "completed"  # sent in lower case
    assert order.total_value == 150 and order.customer.email == "customer@example.com"
    assert order.customer.id is not None  # ECDP numbers the customer it matched
    assert [a.name for a in order.products[0].product_attributes] == ["Color", "Warranty"]
    assert [a.name for a in order.order_attributes] == ["Shipping Method", "Gift Wrap"]
    assert order.time_zone == "Pacific Standard Time" and not order.deleted
    [(method, path, headers)] = [r for r in ecdp_requests(sandbox) if r[0] == "POST"]
    assert path == "/ecdp/orders"


def test_orders_go_in_batches_of_100_by_default(sandbox):
    async def scenario():
        async with ecdp_client_for(sandbox) as client:
            return await client.add_orders(_orders(250))

    results = run(scenario())
    assert [len(r.order_ids) for r in results] == [100, 100, 50]
    assert all(r.ok and r.sent for r in results)
    assert len([r for r in ecdp_requests(sandbox) if r[0] == "POST"]) == 3
    assert sandbox.ecdp_store.count() == 250
    assert {mode for mode, _ in sandbox.ecdp_store.received()} == {"AddOrReplace"}


def test_add_of_an_existing_order_is_refused_and_saves_nothing(sandbox):
    async def scenario():
        async with ecdp_client_for(sandbox) as client:
            await client.add_orders([an_order("X-1")], mode="Add")
            return await client.add_orders([an_order("X-2"), an_order("X-1")], mode="Add")

    [result] = run(scenario())
    error = result.error
    assert isinstance(error, EcdpBadRequestError) and result.sent
    assert error.substatus == "OrderAlreadyExists"
    assert error.errors == {
        "data[1].id": ["Order 'X-1' already exists; use AddOrReplace or Replace."]
    }
    assert sandbox.ecdp_store.get("X-2") is None  # all or nothing


def test_replace_needs_the_order_and_add_or_replace_replaces(sandbox):
    async def scenario():
        async with ecdp_client_for(sandbox) as client:
            [missing] = await client.add_orders([an_order("R-1")], mode="Replace")
            await client.add_orders([an_order("R-1")], mode="AddOrReplace")
            await client.add_orders([an_order("R-1", totalValue=99)], mode="AddOrReplace")
            after_upsert = await client.get_order("R-1")
            await client.add_orders([an_order("R-1", totalValue=7, status="paid")], mode="replace")
            return missing, after_upsert, await client.get_order("R-1")

    missing, after_upsert, replaced = run(scenario())
    assert isinstance(missing.error, EcdpBadRequestError)
    assert missing.error.substatus == "OrderNotFound"
    assert missing.error.errors == {"data[0].id": ["Order 'R-1' does not exist."]}
    assert after_upsert.total_value == 99
    assert (replaced.total_value, replaced.status) == (7, "paid")


def test_set_status_any_case_and_delete_marks_the_order(sandbox):
    async def scenario():
        async with ecdp_client_for(sandbox) as client:
            await client.add_orders([an_order("S-1", websiteId=3)])
            changed = await client.set_status("S-1", "CANCELED", website_id=3)
            deleted = await client.delete_order("S-1")
            return changed, deleted, await client.get_order("S-1")

    changed, deleted, found = run(scenario())
    assert changed.status == "canceled"
    assert deleted.deleted and deleted.id == "S-1"
    assert found.deleted  # marked, not removed


def test_unknown_orders_are_not_found(sandbox):
    async def scenario():
        async with ecdp_client_for(sandbox) as client:
            for call in (
                client.get_order("NOPE"),
                client.delete_order("NOPE"),
                client.set_status("NOPE", "paid"),
            ):
                with pytest.raises(EcdpNotFoundError) as caught:
                    await call
                assert caught.value.substatus == "OrderNotFound"
                assert caught.value.status == 404

    run(scenario())


def test_status_of_another_website_is_not_found(sandbox):
    async def scenario():
        async with ecdp_client_for(sandbox) as client:
            await client.add_orders([an_order("W-1", websiteId=1)])
            await client.set_status("W-1", "paid", website_id=2)

    with pytest.raises(EcdpNotFoundError, match="does not exist on website 2"):
        run(scenario())


def test_ids_with_slashes_and_spaces_are_one_path_segment(sandbox):
    async def scenario():
        async with ecdp_client_for(sandbox) as client:
            await client.add_orders([an_order("A/B #1")])
            return await client.get_order("A/B #1")

    assert run(scenario()).id == "A/B #1"


def test_nothing_is_sent_when_an_order_breaks_a_rule(sandbox):
    async def scenario():
        async with ecdp_client_for(sandbox) as client:
            with pytest.raises(EcdpValidationError) as caught:
                await client.add_orders([an_order("OK"), an_order("BAD", currency="EURO")])
            with pytest.raises(EcdpValidationError):
                await client.set_status("OK", "shipped")
            with pytest.raises(EcdpValidationError):
                await client.get_order("")
            with pytest.raises(ValueError, match="mode must be one of"):
                await client.add_orders([an_order("OK")], mode="Upsert")
            return caught.value

    error = run(scenario())
    assert "Order 'BAD': currency must be a 3-letter currency code" in str(error)
    assert list(error.errors) == ["data[1].currency"]
    assert ecdp_requests(sandbox) == []


def test_the_demo_store_checks_the_rules_on_its_own(sandbox):
    # Sent around the client's checks: the server's answer names the fields.
    async def scenario():
        async with ecdp_client_for(sandbox) as client:
            body = {"mode": "Add", "data": [{**an_order("Z"), "totalValue": -1, "products": []}]}
            await client._transport.request("POST", "/orders", json=body)

    with pytest.raises(EcdpBadRequestError) as caught:
        run(scenario())
    assert caught.value.substatus == "OrderInvalidModelState"
    assert set(caught.value.errors) == {"data[0].totalValue", "data[0].products"}


def test_the_key_goes_only_in_the_x_api_key_header(sandbox, caplog):
    caplog.set_level(logging.DEBUG)

    async def scenario():
        async with ecdp_client_for(sandbox) as client:
            await client.check_key()
            await client.add_orders([an_order("K-1")])
            await client.get_order("K-1")
            await client.set_status("K-1", "paid")
            await client.delete_order("K-1")
            with pytest.raises(EcdpNotFoundError) as caught:
                await client.get_order("K-2")
            return [repr(client), repr(caught.value), str(caught.value)]

    texts = run(scenario())
    key = sandbox.ecdp_key
    requests = ecdp_requests(sandbox)
    assert len(requests) == 6
    for _method, path, headers in requests:
        assert key not in path
        lowered = {k.lower(): v for k, v in headers.items()}
        assert lowered["x-api-key"] == key and "authorization" not in lowered
    assert caplog.records
    assert all(key not in record.getMessage() for record in caplog.records)
    assert all(key not in text for text in texts)


def test_a_wrong_key_is_refused_in_problem_details(sandbox):
    async def scenario():
        async with EcdpClient("not-the-key", base_url=sandbox.ecdp_url) as client:
            await client.check_key()

    with pytest.raises(EcdpUnauthorizedError) as caught:
        run(scenario())
    assert caught.value.status == 401 and caught.value.substatus == "ApiKeyInvalid"
    assert "not-the-key" not in str(caught.value)


def test_keys_that_cannot_be_keys_are_refused_before_sending():
    for key in ("", "   ", "two words", "tab\tkey", "ключ"):
        with pytest.raises(ValueError, match="ECDP API key"):
            EcdpClient(key)
