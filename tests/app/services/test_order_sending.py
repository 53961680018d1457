"""Changing orders through a store session against the demo store: edits
that keep items and files, conflicts resolved three ways, offline edits,
bulk changes with one order failing, deletions and new orders."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from app.domain.outbox import OutboxState
from app.domain.queries import OrderQuery
from app.ecwid import EcwidNotFoundError, RetryPolicy
from app.services.accounts.store_display import StoreDisplay
from app.services.orders.bulk import BulkAction, ConflictField
from app.services.orders.changes import EditInvalid, changes_between, editable_copy, new_item
from app.services.outbox import edits as edit_rows
from app.services.session import StoreSession
from tests.helpers.aio import run
from tests.helpers.desks import open_desk, stage, stage_delete
from tests.helpers.sandbox import client_for

ONE_TRY = RetryPolicy(attempts=1)


def _session(sandbox, **options) -> StoreSession:
    return open_desk(sandbox, **options)


def in_session(sandbox, scenario: Callable[[StoreSession], Awaitable[Any]], **options) -> Any:
    """Run ``scenario`` on a session that has synced the demo store."""

    async def main():
        session = _session(sandbox, **options)
        try:
            await session.sync()
            return await scenario(session)
        finally:
            await session.close()

    return run(main())


async def server_order(sandbox, key: str) -> dict[str, Any]:
    async with client_for(sandbox) as client:
        return await client.get_order_raw(key)


async def colleague_changes(sandbox, key: str, changes: dict[str, Any]) -> None:
    async with client_for(sandbox) as client:
        await client.update_order(key, changes)


def with_files(order: dict[str, Any]) -> int:
    return sum(
        len(option.get("files") or [])
        for item in order.get("items") or []
        for option in item.get("selectedOptions") or []
    )


def order_with_three_items_and_a_file(session: StoreSession) -> dict[str, Any]:
    for row in session.rows.rows(OrderQuery(), limit=1000):
        order = session.rows.order_json(row.key)
        if order.get("id") and len(order["items"]) == 3 and with_files(order):
            return order
    raise AssertionError("the demo seed has no order with 3 items and a file")


def plain_keys(session: StoreSession, count: int) -> list[str]:
    rows = session.rows.rows(OrderQuery(payment_status=["AWAITING_PAYMENT", "PAID"]), limit=50)
    keys = [row.key for row in rows if row.updated_ts and not row.key.isdigit()]
    return keys[:count]


def test_editing_the_tracking_number_keeps_every_item_and_file(sandbox):
    async def scenario(session: StoreSession):
        order = order_with_three_items_and_a_file(session)
        edited = editable_copy(order)
        edited["trackingNumber"] = "1Z-KEEPS-FILES"
        changes = changes_between(order, edited)
        assert changes == {"trackingNumber": "1Z-KEEPS-FILES"}  # no items: nothing dropped
        entry = await stage(session, order["id"], changes)
        [result] = await session.send_entries([entry])
        assert result.ok and result.state is OutboxState.CONFIRMED and result.reason is None
        assert result.number == str(order.get("vendorOrderNumber") or order["orderNumber"])
        return order, await server_order(sandbox, order["id"])

    order, server = in_session(sandbox, scenario)
    assert server["trackingNumber"] == "1Z-KEEPS-FILES"
    assert server["items"] == order["items"]
    assert with_files(server) == with_files(order) > 0


def test_removing_an_item_sends_the_others_complete(sandbox):
    async def scenario(session: StoreSession):
        order = order_with_three_items_and_a_file(session)
        dropped = next(
            i for i, item in enumerate(order["items"]) if not with_files({"items": [item]})
        )
        edited = editable_copy(order)
        del edited["items"][dropped]
        changes = changes_between(order, edited)
        assert len(changes["items"]) == 2
        entry = await stage(session, order["id"], changes)
        # the cache keeps the store's version until the store confirms; the row is marked
        assert len(session.rows.order_json(order["id"])["items"]) == 3
        [row] = [r for r in session.rows.rows(OrderQuery(ids=[order["id"]]))]
        assert row.outbox_state is OutboxState.WAITING
        [result] = await session.send_entries([entry])
        assert result.ok
        kept = [item for i, item in enumerate(order["items"]) if i != dropped]
        return order, kept, await server_order(sandbox, order["id"])

    order, kept, server = in_session(sandbox, scenario)
    assert server["items"] == kept  # every field, options and files included
    assert with_files(server) == with_files(order)


@pytest.mark.parametrize("way", ["keep mine", "take the server's", "merge"])
def test_a_conflict_is_shown_field_by_field_and_resolved(sandbox, way):
    async def scenario(session: StoreSession):
        key = plain_keys(session, 1)[0]
        before = session.rows.order_json(key)
        changes = {"trackingNumber": "MINE-1", "privateAdminNotes": "mine: call first"}
        entry = await stage(session, key, changes)
        await colleague_changes(sandbox, key, {"trackingNumber": "THEIRS-1"})

        [result] = await session.send_entries([entry])
        assert (result.ok, result.state) == (False, OutboxState.CONFLICT)
        assert "Changed in the store" in result.reason
        assert "THEIRS-1" in result.reason and "MINE-1" in result.reason
        fields = {f.name: f for f in await session.conflict_fields(entry)}
        assert fields["trackingNumber"] == ConflictField(
            "trackingNumber",
            "Tracking number",
            mine="MINE-1",
            server="THEIRS-1",
            base=before.get("trackingNumber"),
            changed_remotely=True,
        )
        notes = fields["privateAdminNotes"]
        assert (notes.mine, notes.changed_remotely) == ("mine: call first", False)
        assert (await server_order(sandbox, key))["trackingNumber"] == "THEIRS-1"  # untouched

        choices = {
            "keep mine": {"trackingNumber": "mine", "privateAdminNotes": "mine"},
            "take the server's": {"trackingNumber": "server", "privateAdminNotes": "server"},
            "merge": {"trackingNumber": "server", "privateAdminNotes": "mine"},
        }[way]
        kept = await session.resolve_conflict(entry, choices)
        if kept is None:
            assert session.outbox_summary().entries == []
        else:
            assert kept == entry
            [resent] = await session.send_entries([kept])
            assert resent.ok
        local = await session.order_json(key)
        return before, local, await server_order(sandbox, key)

    before, local, server = in_session(sandbox, scenario)
    expected = {
        "keep mine": ("MINE-1", "mine: call first"),
        "take the server's": ("THEIRS-1", before.get("privateAdminNotes")),
        "merge": ("THEIRS-1", "mine: call first"),
    }[way]
    assert (server["trackingNumber"], server.get("privateAdminNotes")) == expected
    assert (local["trackingNumber"], local.get("privateAdminNotes")) == expected
    assert local["updateTimestamp"] == server["updateTimestamp"]


def test_resolving_needs_a_known_choice(sandbox):
    async def scenario(session: StoreSession):
        key = plain_keys(session, 1)[0]
        before = session.rows.order_json(key)
        assert before is not None
        entry = await stage(session, key, {"orderComments": "x"})
        await colleague_changes(sandbox, key, {"orderComments": "y"})
        await session.send_entries([entry])
        with pytest.raises(ValueError, match="mine"):
            await session.resolve_conflict(entry, {"orderComments": "theirs"})  # type: ignore[dict-item]

    in_session(sandbox, scenario)


def test_an_offline_edit_is_queued_then_sent(sandbox):
    async def scenario(session: StoreSession):
        key, other = plain_keys(session, 2)
        before = session.rows.order_json(key)
        sandbox.stop()  # the store is gone
        entry = await stage(session, key, {"orderComments": "written offline"})
        second = await stage_delete(session, other)
        queued = await session.send_entries([entry, second])
        unreachable = "the store cannot be reached (no network?)."
        assert [(r.key, r.ok, r.state, r.reason) for r in queued] == [
            (key, False, OutboxState.FAILED, unreachable),
            (other, False, OutboxState.WAITING, f"Not sent yet: {unreachable}"),
        ]
        # the table shows the store's value, marked as not sent yet
        assert session.rows.order_json(key) == before
        [row] = session.rows.rows(OrderQuery(ids=[key]))
        assert row.outbox_state is OutboxState.FAILED
        assert session.rows.count(OrderQuery(ids=[other])) == 0  # still out of the lists
        assert session.outbox_summary().waiting == 2

        sandbox.start()  # back, same port and data
        sent = await session.retry_entries([entry, second])
        assert [r.ok for r in sent] == [True, True]
        assert session.outbox_summary().entries == []
        return key

    key = in_session(sandbox, scenario, retry=ONE_TRY)
    assert run(server_order(sandbox, key))["orderComments"] == "written offline"


def test_bulk_status_change_reports_the_failing_order_and_applies_the_rest(sandbox):
    async def scenario(session: StoreSession):
        keys = plain_keys(session, 4)
        failing = keys[1]
        sandbox.faults.fail_orders = {failing: 500}
        ids = list((await session.stage_bulk(keys, BulkAction("payment", "CANCELLED"))).values())
        assert len(ids) == 4
        assert all(
            r.outbox_state is OutboxState.WAITING for r in session.rows.rows(OrderQuery(ids=keys))
        )
        progress: list[tuple[int, int]] = []
        results = await session.send_entries(
            ids, lambda done, total: progress.append((done, total))
        )
        assert progress == [(1, 4), (2, 4), (3, 4), (4, 4)]
        assert [r.key for r in results] == keys
        assert [r.ok for r in results] == [True, False, True, True]
        bad = results[1]
        assert bad.state is OutboxState.FAILED and bad.http_status == 500
        assert "next sync" in bad.reason and "500" in bad.reason
        on_server = {k: (await server_order(sandbox, k))["paymentStatus"] for k in keys}
        assert on_server[failing] != "CANCELLED"
        assert {on_server[k] for k in keys if k != failing} == {"CANCELLED"}

        sandbox.faults.fail_orders = {}
        [retried] = await session.retry_entries([ids[1]])
        assert retried.ok and retried.key == failing
        return failing

    failing = in_session(sandbox, scenario)
    assert run(server_order(sandbox, failing))["paymentStatus"] == "CANCELLED"


def test_a_refusal_keeps_the_servers_message_and_the_others_go_through(sandbox):
    async def scenario(session: StoreSession):
        first, second = plain_keys(session, 2)
        refused = await stage(session, first, {"paymentStatus": "QUEUED"})
        fine = await stage(session, second, {"privateAdminNotes": "fine"})
        results = await session.send_entries([refused, fine])
        assert [r.state for r in results] == [OutboxState.REFUSED, OutboxState.CONFIRMED]
        assert results[0].reason == "Status QUEUED is deprecated, use AWAITING_PAYMENT instead"
        assert results[0].http_status == 400
        assert session.outbox_summary().needs_attention == 1

    in_session(sandbox, scenario)


def test_bulk_tracking_numbers_from_a_pattern(sandbox):
    async def scenario(session: StoreSession):
        keys = plain_keys(session, 3)
        with pytest.raises(ValueError, match="Unknown placeholder"):
            await session.stage_bulk(keys, BulkAction("tracking", "DHL-{numbr}"))
        assert session.outbox_summary().entries == []  # nothing staged
        ids = await session.stage_bulk([*keys, "NOT-CACHED"], BulkAction("tracking", "DHL-{n:02}"))
        assert list(ids) == keys
        results = await session.send_entries(list(ids.values()))
        assert [r.ok for r in results] == [True, True, True]
        return keys

    keys = in_session(sandbox, scenario)
    numbers = [run(server_order(sandbox, key))["trackingNumber"] for key in keys]
    assert numbers == ["DHL-01", "DHL-02", "DHL-03"]


def test_hiding_in_bulk(sandbox):
    async def scenario(session: StoreSession):
        keys = plain_keys(session, 2)
        staged = await session.stage_bulk(keys, BulkAction("hidden", True))
        results = await session.send_entries(list(staged.values()))
        assert all(r.ok for r in results)
        return keys

    keys = in_session(sandbox, scenario)
    assert [run(server_order(sandbox, key))["hidden"] for key in keys] == [True, True]


def test_a_deleted_order_leaves_the_lists_at_once_and_the_store_when_sent(sandbox):
    async def scenario(session: StoreSession):
        key = plain_keys(session, 1)[0]
        total = session.rows.count(OrderQuery())
        entry = await stage_delete(session, key)
        assert session.rows.count(OrderQuery()) == total - 1
        assert session.rows.count(OrderQuery(ids=[key])) == 0
        [row] = session.rows.rows(OrderQuery(deleted=True))
        assert (row.key, row.outbox_state) == (key, OutboxState.WAITING)
        assert session.rows.position(OrderQuery(deleted=True), key) == 0
        assert (await session.order_json(key))["id"] == key  # still readable

        await session.sync()  # the store still has it: a sync does not bring it back
        assert session.rows.count(OrderQuery(ids=[key])) == 0

        [result] = await session.send_entries([entry])
        assert result.ok
        with pytest.raises(EcwidNotFoundError):
            await server_order(sandbox, key)
        assert [r.key for r in session.rows.rows(OrderQuery(deleted=True))] == [key]
        await session.sync(full=True)  # a full sync empties the deleted list
        assert session.rows.count(OrderQuery(deleted=True)) == 0

    in_session(sandbox, scenario)


def test_a_refused_deletion_puts_the_order_back_and_a_gone_order_counts_as_deleted(sandbox):
    async def scenario(session: StoreSession):
        locked, gone = plain_keys(session, 2)
        sandbox.faults.fail_orders = {locked: 400}
        refused = await stage_delete(session, locked)
        already = await stage_delete(session, gone)
        async with client_for(sandbox) as other:
            await other.delete_order(gone)  # a colleague was faster
        results = await session.send_entries([refused, already])
        assert [(r.ok, r.state) for r in results] == [
            (False, OutboxState.REFUSED),
            (True, OutboxState.CONFIRMED),
        ]
        assert "locked for review" in results[0].reason
        [back] = session.rows.rows(OrderQuery(ids=[locked]))
        assert back.outbox_state is OutboxState.REFUSED
        assert [r.key for r in session.rows.rows(OrderQuery(deleted=True))] == [gone]

        sandbox.faults.fail_orders = {}
        [retried] = await session.retry_entries([refused])
        assert retried.ok
        assert session.rows.count(OrderQuery(ids=[locked])) == 0

    in_session(sandbox, scenario)


def test_a_server_deletion_seen_by_an_incremental_sync_is_listed_as_deleted(sandbox):
    async def scenario(session: StoreSession):
        key = plain_keys(session, 1)[0]
        async with client_for(sandbox) as other:
            await other.delete_order(key)
        result = await session.sync()
        assert not result.full and result.deleted == [key]
        assert [r.key for r in session.rows.rows(OrderQuery(deleted=True))] == [key]

    in_session(sandbox, scenario)


def test_a_new_order_is_created_and_cached_with_the_stores_id(sandbox):
    async def scenario(session: StoreSession):
        order = {
            "email": "phone.order@example.org",
            "paymentStatus": "AWAITING_PAYMENT",
            "fulfillmentStatus": "AWAITING_PROCESSING",
            "billingPerson": {"name": "Ada Okafor", "countryCode": "gb"},
            "items": [new_item(name="Walnut board", sku="WB-1", price="24,50", quantity="2")],
            "total": "49,00",
        }
        key = await session.create_order(order)
        cached = await session.order_json(key)
        server = await server_order(sandbox, key)
        assert cached == server
        assert server["items"][0]["price"] == 24.5 and server["items"][0]["quantity"] == 2
        assert [r.key for r in session.rows.rows(OrderQuery(ids=[key]))] == [key]

        posts = sum(1 for method, _, _ in sandbox.request_log if method == "POST")
        bad = dict(order, items=[new_item(name="", price="abc", quantity="0")])
        with pytest.raises(EditInvalid) as refused:
            await session.create_order(bad)
        assert {p.path[0] for p in refused.value.problems} == {"items"}
        assert sum(1 for method, _, _ in sandbox.request_log if method == "POST") == posts

    in_session(sandbox, scenario)


def test_the_display_knows_which_statuses_email_the_customer(sandbox):
    async def scenario(session: StoreSession):
        return await session.refresh_display()

    display = in_session(sandbox, scenario)
    assert display.status_notifies["PAID"] is True
    assert display.status_notifies["AWAITING_PAYMENT"] is False
    assert display.status_notifies["CUSTOM_FULFILLMENT_STATUS_2"] is True
    assert StoreDisplay.from_json(display.to_json()) == display
    old = '{"store_name": "Shop", "currency_code": "EUR", "status_names": {"PAID": "Bezahlt"}}'
    assert StoreDisplay.from_json(old) == StoreDisplay("Shop", "EUR", "", {"PAID": "Bezahlt"})


def test_a_change_left_sending_by_a_crash_is_confirmed_not_sent_twice(sandbox):
    async def scenario(session: StoreSession):
        key = plain_keys(session, 1)[0]
        entry = await stage(session, key, {"trackingNumber": "SENT-BEFORE-CRASH"})
        await colleague_changes(sandbox, key, {"trackingNumber": "SENT-BEFORE-CRASH"})
        # the process died after its PUT, with the edit claimed as SENDING by a dead process
        session.outbox.database.write(
            "test", lambda conn: edit_rows.set_state(conn, entry, OutboxState.SENDING)
        )
        puts = sum(1 for method, _, _ in sandbox.request_log if method == "PUT")

        [outcome] = await session.send_entries([entry])
        assert (outcome.edit_id, outcome.state) == (entry, OutboxState.CONFIRMED)
        assert sum(1 for method, _, _ in sandbox.request_log if method == "PUT") == puts
        assert session.outbox_summary().entries == []
        server = await server_order(sandbox, key)
        assert session.rows.order_json(key)["updateTimestamp"] == server["updateTimestamp"]
        assert server["trackingNumber"] == "SENT-BEFORE-CRASH"

    in_session(sandbox, scenario)
