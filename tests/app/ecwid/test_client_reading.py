"""EcwidClient reading endpoints against the demo store over real HTTP."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.domain.statuses import PaymentStatus
from app.ecwid import EcwidNotFoundError, EcwidUnfinishedOrderError, Order, OrderFilters
from tests.helpers.aio import run
from tests.helpers.sandbox import client_for


def test_search_orders_returns_a_page_and_always_sends_limit(sandbox):
    async def scenario():
        async with client_for(sandbox) as client:
            return await client.search_orders(offset=10, limit=25)

    page = run(scenario())
    assert (page.offset, page.limit, page.count) == (10, 25, 25)
    assert page.total > 200
    assert all(isinstance(order, Order) for order in page.items)
    searches = [
        path for method, path, _ in sandbox.request_log if path.split("?")[0].endswith("/orders")
    ]
    assert searches and all("limit=25" in path for path in searches)


def test_iter_orders_fetches_every_page_once_in_order(sandbox):
    async def scenario():
        async with client_for(sandbox, pages_in_flight=4) as client:
            first = await client.search_orders(limit=100)
            every = [order async for order in client.iter_orders(page_size=20)]
            return first.total, every

    total, orders = run(scenario())
    keys = [order.key for order in orders]
    assert len(orders) == total
    assert len(set(keys)) == total
    internal_ids = [order.internal_id for order in orders]
    assert internal_ids == sorted(internal_ids)  # the server's order is kept
    assert all(order.payment_status != PaymentStatus.INCOMPLETE for order in orders)
    pages = [p for m, p, _ in sandbox.request_log if "/orders?" in p]
    assert len(pages) >= total // 20


def test_iter_orders_with_filters_matches_search(sandbox):
    filters = OrderFilters(payment_status=["PAID", "INCOMPLETE"], total_from=20)

    async def scenario():
        async with client_for(sandbox) as client:
            return [order async for order in client.iter_orders(filters, page_size=15)]

    orders = run(scenario())
    assert orders
    assert {order.payment_status for order in orders} <= {"PAID", "INCOMPLETE"}
    assert any(order.payment_status == "INCOMPLETE" for order in orders)
    assert all(order.total >= 20 for order in orders)


def test_stopping_iteration_early_cancels_pages_in_flight(sandbox):
    async def scenario():
        async with client_for(sandbox, pages_in_flight=3) as client:
            seen = []
            async for order in client.iter_orders(page_size=10):
                seen.append(order)
                if len(seen) == 15:
                    break
            return seen

    assert len(run(scenario())) == 15


def test_get_order_by_string_id_and_by_number(sandbox):
    async def scenario():
        async with client_for(sandbox) as client:
            page = await client.search_orders(limit=5)
            sample = next(order for order in page.items if order.id)
            by_id = await client.get_order(sample.id)
            by_number = await client.get_order(sample.order_number)
            return sample, by_id, by_number

    sample, by_id, by_number = run(scenario())
    assert by_id == sample
    assert by_number.id == sample.id


def test_get_missing_order_is_not_found(sandbox):
    async def scenario():
        async with client_for(sandbox) as client:
            await client.get_order("NO-SUCH-ORDER")

    with pytest.raises(EcwidNotFoundError) as caught:
        run(scenario())
    assert caught.value.status == 404
    assert caught.value.code == "ORDER_NOT_FOUND"


def test_get_invoice_returns_html_and_refuses_unfinished_orders(sandbox):
    async def scenario():
        async with client_for(sandbox) as client:
            paid = await client.search_orders(OrderFilters(payment_status=["PAID"]), limit=1)
            html = await client.get_invoice(paid.items[0].key)
            unfinished = await client.search_orders(
                OrderFilters(payment_status=["INCOMPLETE"]), limit=1
            )
            try:
                await client.get_invoice(unfinished.items[0].key)
            except EcwidUnfinishedOrderError as exc:
                return paid.items[0], html, exc
            raise AssertionError("an invoice for an unfinished order was served")

    order, html, error = run(scenario())
    assert "<html" in html.lower()
    assert str(order.order_number) in html or (order.vendor_order_number or "") in html
    assert error.status == 422


def test_deleted_orders_lists_what_was_deleted_since(sandbox):
    since = datetime.now(UTC).replace(microsecond=0)

    async def scenario():
        async with client_for(sandbox) as client:
            page = await client.search_orders(limit=3)
            for order in page.items:
                await client.delete_order(order.key)
            return page.items, await client.deleted_orders(since)

    removed, deleted = run(scenario())
    assert {entry.order_id for entry in deleted} >= {order.id for order in removed if order.id}
    assert all(entry.date is not None and entry.date >= since for entry in deleted)


def test_order_statuses_and_profile(sandbox):
    async def scenario():
        async with client_for(sandbox) as client:
            return await client.order_statuses(), await client.get_profile()

    statuses, profile = run(scenario())
    ids = {status.status_id for status in statuses}
    assert {"PAID", "AWAITING_PROCESSING", "CUSTOM_PAYMENT_STATUS_1"} <= ids
    assert any(status.send_notification_when_status_is_assigned for status in statuses)
    assert profile["formatsAndUnits"]["currency"]
