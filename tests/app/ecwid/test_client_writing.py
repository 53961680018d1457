"""EcwidClient create / update / delete against the demo store."""

from __future__ import annotations

import pytest

from app.ecwid import EcwidBadRequestError, EcwidNotFoundError, Order, OrderItem
from tests.helpers.aio import run
from tests.helpers.sandbox import client_for


def _an_order_with_items(page) -> Order:
    return next(o for o in page.items if o.items and len(o.items) >= 2 and o.id)


def test_update_is_partial_and_keeps_unknown_fields(sandbox):
    async def scenario():
        async with client_for(sandbox) as client:
            page = await client.search_orders(limit=50)
            modern = next(o for o in page.items if o.id and o.update_timestamp)
            before = await client.get_order(modern.key)
            count = await client.update_order(
                before.key, {"trackingNumber": "1Z999", "privateAdminNotes": "Fragile"}
            )
            return before, count, await client.get_order(before.key)

    before, count, after = run(scenario())
    assert count == 1
    assert after.tracking_number == "1Z999"
    assert after.private_admin_notes == "Fragile"
    assert after.email == before.email
    assert after.items == before.items
    assert after.model_extra == before.model_extra  # fields the page doesn't list survive
    assert after.update_timestamp > before.update_timestamp


def test_update_with_a_whole_order_round_trips_it(sandbox):
    async def scenario():
        async with client_for(sandbox) as client:
            order = await client.get_order((await client.search_orders(limit=1)).items[0].key)
            order.order_comments = "Left at the door"
            await client.update_order(order.key, order)
            return order, await client.get_order(order.key)

    sent, stored = run(scenario())
    assert stored.order_comments == "Left at the door"
    assert stored.items == sent.items
    assert stored.billing_person == sent.billing_person


def test_items_array_replaces_all_items(sandbox):
    async def scenario():
        async with client_for(sandbox) as client:
            order = _an_order_with_items(await client.search_orders(limit=100))
            kept = order.items[0]
            await client.update_order(order.key, {"items": [kept.to_api()]})
            return kept, await client.get_order(order.key)

    kept, after = run(scenario())
    assert [item.id for item in after.items] == [kept.id]


def test_bad_status_is_rejected_with_the_servers_message(sandbox):
    async def scenario():
        async with client_for(sandbox) as client:
            key = (await client.search_orders(limit=1)).items[0].key
            await client.update_order(key, {"paymentStatus": "QUEUED"})

    with pytest.raises(EcwidBadRequestError) as caught:
        run(scenario())
    assert caught.value.status == 400
    assert "QUEUED" in str(caught.value)


def test_create_then_get_then_delete(sandbox):
    new = Order(
        email="phone.order@example.org",
        payment_method="Phone order",
        payment_status="AWAITING_PAYMENT",
        fulfillment_status="AWAITING_PROCESSING",
        subtotal=30,
        total=40,
        items=[OrderItem(name="Walnut board", sku="WB-1", price=15, quantity=2)],
    )

    async def scenario():
        async with client_for(sandbox) as client:
            created = await client.create_order(new)
            fetched = await client.get_order(created.orderid)
            deleted = await client.delete_order(created.orderid)
            try:
                await client.get_order(created.orderid)
            except EcwidNotFoundError:
                gone = True
            else:
                gone = False
            return created, fetched, deleted, gone

    created, fetched, deleted, gone = run(scenario())
    assert isinstance(created.id, int) and created.orderid
    assert fetched.order_number == created.id
    assert fetched.email == "phone.order@example.org"
    assert fetched.items[0].name == "Walnut board" and fetched.items[0].quantity == 2
    assert fetched.items[0].id is not None
    assert deleted == 1 and gone


def test_create_without_quantity_is_a_clear_bad_request(sandbox):
    async def scenario():
        async with client_for(sandbox) as client:
            await client.create_order({"email": "x@example.org", "items": [{"name": "Cherry"}]})

    with pytest.raises(EcwidBadRequestError, match="quantity"):
        run(scenario())


def test_delete_missing_order_is_not_found(sandbox):
    async def scenario():
        async with client_for(sandbox) as client:
            await client.delete_order("NOPE-12345")

    with pytest.raises(EcwidNotFoundError):
        run(scenario())
