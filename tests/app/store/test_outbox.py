"""The outbox: a user's change is merged into the cached order and queued in
one transaction, stays visible through syncs until it is confirmed, and its
state shows on the order's row."""

from __future__ import annotations

import copy

import pytest

from app.store import CacheError, OrderCache, OrderQuery, OutboxEntry, OutboxState
from tests.app.store.support import key_of


@pytest.fixture
def loaded(cache, orders) -> OrderCache:
    cache.upsert_orders(orders[:60])
    return cache


def _row(cache: OrderCache, key: str):
    (row,) = [
        r for r in cache.rows(OrderQuery(include_incomplete=True), limit=1000) if r.key == key
    ]
    return row


def _with_person(orders):
    return next(o for o in orders[:60] if o.get("id") and o.get("billingPerson") and o["items"])


def test_stage_merges_into_the_order_and_queues_an_entry(loaded, orders):
    order = _with_person(orders)
    key = order["id"]
    new_items = [dict(order["items"][0], quantity=7)]
    changes = {
        "fulfillmentStatus": "SHIPPED",
        "trackingNumber": "TRK-42",
        "billingPerson": {"phone": "+1 555 0100"},  # objects merge field by field
        "items": new_items,  # lists are replaced whole
    }
    entry_id = loaded.stage_change(key, changes, order.get("updateTimestamp"))

    stored = loaded.order_json(key)
    assert stored["fulfillmentStatus"] == "SHIPPED"
    assert stored["billingPerson"]["phone"] == "+1 555 0100"
    assert stored["billingPerson"]["name"] == order["billingPerson"]["name"]
    assert stored["items"] == new_items
    assert stored["email"] == order["email"]  # untouched fields stay

    row = _row(loaded, key)
    assert (row.tracking_number, row.fulfillment_status, row.item_count) == ("TRK-42", "SHIPPED", 7)
    assert row.outbox_state is OutboxState.PENDING
    assert [r.key for r in loaded.rows(OrderQuery(text="trk-42"))] == [key]

    (entry,) = loaded.outbox()
    assert isinstance(entry, OutboxEntry)
    assert entry.id == entry_id and entry.key == key
    assert entry.changes == changes
    assert entry.base_update_timestamp == order.get("updateTimestamp")
    assert (entry.state, entry.attempts, entry.reason, entry.server_json) == (
        OutboxState.PENDING,
        0,
        None,
        None,
    )
    assert entry.created_at.tzinfo is not None and entry.updated_at >= entry.created_at


def test_stage_needs_a_cached_order_and_a_json_object(loaded):
    with pytest.raises(CacheError, match="not in the cache"):
        loaded.stage_change("NOPE", {"trackingNumber": "x"}, None)
    with pytest.raises(CacheError):
        loaded.stage_change("NOPE", {"when": object()}, None)
    assert loaded.outbox() == []


def test_the_order_change_rolls_back_when_the_outbox_insert_fails(loaded, orders):
    order = _with_person(orders)
    with loaded._raw_connection() as conn:
        conn.execute(
            "CREATE TEMP TRIGGER refuse BEFORE INSERT ON outbox "
            "BEGIN SELECT RAISE(ABORT, 'outbox refused'); END"
        )
    with pytest.raises(CacheError, match="outbox refused"):
        loaded.stage_change(order["id"], {"trackingNumber": "LOST"}, None)
    assert loaded.order_json(order["id"]) == order
    assert loaded.count(OrderQuery(text="lost")) == 0
    assert loaded.outbox() == []
    with loaded._raw_connection() as conn:
        conn.execute("DROP TRIGGER refuse")
        conn.execute("INSERT INTO orders_fts (orders_fts) VALUES ('integrity-check')")


def test_states_attempts_and_confirmation(loaded, orders):
    keys = [key_of(o) for o in orders[:4]]
    ids = [
        loaded.stage_change(k, {"privateAdminNotes": f"note {i}"}, 100 + i)
        for i, k in enumerate(keys)
    ]
    assert [e.id for e in loaded.outbox()] == ids  # oldest first

    loaded.mark_outbox(ids[0], OutboxState.SENDING)
    loaded.mark_outbox(ids[1], OutboxState.FAILED, reason="Network unreachable")
    loaded.mark_outbox(ids[1], OutboxState.FAILED, reason="Timed out")
    server = {"id": keys[2], "updateTimestamp": 999, "trackingNumber": "THEIRS"}
    loaded.mark_outbox(ids[2], "CONFLICT", reason="Changed on the server", server_json=server)

    by_id = {e.id: e for e in loaded.outbox()}
    assert by_id[ids[0]].state is OutboxState.SENDING
    assert (by_id[ids[1]].state, by_id[ids[1]].attempts, by_id[ids[1]].reason) == (
        OutboxState.FAILED,
        2,
        "Timed out",
    )
    assert by_id[ids[2]].server_json == server
    assert [e.id for e in loaded.outbox([OutboxState.FAILED, OutboxState.CONFLICT])] == ids[1:3]
    assert loaded.outbox([]) == []

    # keep mine after a conflict: re-based, back to pending
    loaded.mark_outbox(ids[2], OutboxState.PENDING, base_update_timestamp=999)
    entry = next(e for e in loaded.outbox() if e.id == ids[2])
    assert (entry.state, entry.base_update_timestamp, entry.server_json) == (
        OutboxState.PENDING,
        999,
        None,
    )

    loaded.mark_outbox(ids[0], OutboxState.CONFIRMED)  # confirmed entries are deleted
    assert ids[0] not in [e.id for e in loaded.outbox()]
    assert loaded.outbox([OutboxState.CONFIRMED]) == []
    with pytest.raises(CacheError, match="no outbox entry"):
        loaded.mark_outbox(ids[0], OutboxState.FAILED)
    with pytest.raises(ValueError):
        loaded.mark_outbox(ids[1], "LOST")  # type: ignore[arg-type]


def test_rows_show_the_worst_unconfirmed_state(loaded, orders):
    key = key_of(orders[10])
    first = loaded.stage_change(key, {"privateAdminNotes": "a"}, None)
    second = loaded.stage_change(key, {"privateAdminNotes": "b"}, None)
    assert _row(loaded, key).outbox_state is OutboxState.PENDING
    loaded.mark_outbox(first, OutboxState.SENDING)
    assert _row(loaded, key).outbox_state is OutboxState.SENDING
    loaded.mark_outbox(second, OutboxState.FAILED)
    assert _row(loaded, key).outbox_state is OutboxState.FAILED
    loaded.mark_outbox(first, OutboxState.CONFLICT)
    assert _row(loaded, key).outbox_state is OutboxState.CONFLICT
    assert [
        r.key for r in loaded.rows(OrderQuery(outbox_states=["CONFLICT"], include_incomplete=True))
    ] == [key]
    assert loaded.rows(OrderQuery(outbox_states=["FAILED"], include_incomplete=True)) == []
    loaded.mark_outbox(first, OutboxState.CONFIRMED)
    assert _row(loaded, key).outbox_state is OutboxState.FAILED
    loaded.mark_outbox(second, OutboxState.CONFIRMED)
    assert _row(loaded, key).outbox_state is None


def test_a_sync_keeps_unsent_changes_visible(loaded, orders):
    order = _with_person(orders)
    key = order["id"]
    entry = loaded.stage_change(key, {"trackingNumber": "MINE"}, order.get("updateTimestamp"))

    # the server's version arrives (someone else changed the notes meanwhile)
    server = copy.deepcopy(order)
    server["privateAdminNotes"] = "theirs"
    server["updateTimestamp"] = (order.get("updateTimestamp") or 0) + 60
    assert loaded.upsert_orders([server]).updated == [key]
    stored = loaded.order_json(key)
    assert (stored["privateAdminNotes"], stored["trackingNumber"]) == ("theirs", "MINE")
    assert loaded.upsert_orders([server]) == loaded.upsert_orders([])  # unchanged now

    # confirmed: the next sync stores the server's version as it is
    loaded.mark_outbox(entry, OutboxState.CONFIRMED)
    confirmed = dict(server, trackingNumber="MINE", updateTimestamp=server["updateTimestamp"] + 5)
    assert loaded.upsert_orders([confirmed]).updated == [key]
    assert loaded.order_json(key) == confirmed
    # and a discarded change ("take theirs") disappears on the next upsert
    second = loaded.stage_change(key, {"trackingNumber": "DISCARD"}, None)
    loaded.mark_outbox(second, OutboxState.CONFIRMED)
    assert loaded.upsert_orders([confirmed]).updated == [key]
    assert loaded.order_json(key) == confirmed


def test_deleting_an_order_keeps_its_outbox_entries(loaded, orders):
    key = key_of(orders[7])
    loaded.stage_change(key, {"privateAdminNotes": "x"}, None)
    assert loaded.delete_orders([key]) == [key]
    assert [e.key for e in loaded.outbox()] == [key]
