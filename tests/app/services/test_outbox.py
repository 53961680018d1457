"""Staged edits: sent, confirmed, conflicting or failing, never lost."""

from __future__ import annotations

import pytest
from app.store import OrderCache, OrderQuery, OutboxState

from app.services.outbox import OutboxSender, stage_edit
from app.services.sync import SyncEngine
from tests.helpers.aio import run
from tests.helpers.sandbox import client_for, running_sandbox


@pytest.fixture
def synced(sandbox, tmp_path):
    with OrderCache.open(tmp_path / "cache.sqlite3") as cache:

        async def first_sync():
            async with client_for(sandbox) as client:
                await SyncEngine(cache, client).sync()

        run(first_sync())
        yield cache


def _send(sandbox, cache):
    async def scenario():
        async with client_for(sandbox) as client:
            return await OutboxSender(cache, client).send_pending()

    return run(scenario())


def _server_order(sandbox, key):
    async def scenario():
        async with client_for(sandbox) as client:
            return await client.get_order_raw(key)

    return run(scenario())


def _a_key(cache) -> str:
    return next(r.key for r in cache.rows(OrderQuery(), limit=20) if r.updated_ts)


def test_a_staged_edit_shows_at_once_and_is_confirmed_after_sending(sandbox, synced):
    key = _a_key(synced)
    stage_edit(synced, key, {"trackingNumber": "1Z-STAGED"})
    assert synced.order_json(key)["trackingNumber"] == "1Z-STAGED"
    assert synced.rows(OrderQuery(ids=[key]))[0].outbox_state == OutboxState.PENDING

    outcomes = _send(sandbox, synced)
    assert [o.state for o in outcomes] == [OutboxState.CONFIRMED]
    assert _server_order(sandbox, key)["trackingNumber"] == "1Z-STAGED"
    assert synced.outbox([OutboxState.PENDING]) == []
    assert synced.rows(OrderQuery(ids=[key]))[0].outbox_state is None
    assert (
        synced.order_json(key)["updateTimestamp"] == _server_order(sandbox, key)["updateTimestamp"]
    )


def test_two_edits_of_one_order_are_sent_in_order_without_a_false_conflict(sandbox, synced):
    key = _a_key(synced)
    stage_edit(synced, key, {"trackingNumber": "FIRST"})
    stage_edit(synced, key, {"privateAdminNotes": "second"})
    outcomes = _send(sandbox, synced)
    assert [o.state for o in outcomes] == [OutboxState.CONFIRMED, OutboxState.CONFIRMED]
    server = _server_order(sandbox, key)
    assert (server["trackingNumber"], server["privateAdminNotes"]) == ("FIRST", "second")


def test_a_remote_change_meanwhile_is_a_conflict_not_an_overwrite(sandbox, synced):
    key = _a_key(synced)
    stage_edit(synced, key, {"trackingNumber": "MINE"})

    async def colleague():
        async with client_for(sandbox) as client:
            await client.update_order(key, {"trackingNumber": "THEIRS"})

    run(colleague())
    outcomes = _send(sandbox, synced)
    assert [o.state for o in outcomes] == [OutboxState.CONFLICT]
    assert _server_order(sandbox, key)["trackingNumber"] == "THEIRS"
    [entry] = synced.outbox([OutboxState.CONFLICT])
    assert entry.server_json["trackingNumber"] == "THEIRS"
    assert entry.changes == {"trackingNumber": "MINE"}
    assert synced.rows(OrderQuery(ids=[key]))[0].outbox_state == OutboxState.CONFLICT


def test_offline_edits_stay_pending_and_go_out_later(tmp_path):
    with running_sandbox(tmp_path / "s.sqlite3", orders=40) as server:
        with OrderCache.open(tmp_path / "cache.sqlite3") as cache:

            async def first_sync():
                async with client_for(server) as client:
                    await SyncEngine(cache, client).sync()

            run(first_sync())
            key = _a_key(cache)
            server.faults.drop_every = 1  # the network is gone
            stage_edit(cache, key, {"orderComments": "written offline"})
            outcomes = _send(server, cache)
            assert [o.state for o in outcomes] == [OutboxState.PENDING]
            assert cache.order_json(key)["orderComments"] == "written offline"

            server.faults.drop_every = 0  # back online
            assert [o.state for o in _send(server, cache)] == [OutboxState.CONFIRMED]
            assert _server_order(server, key)["orderComments"] == "written offline"


def test_a_refused_edit_fails_with_the_servers_reason(sandbox, synced):
    key = _a_key(synced)
    stage_edit(synced, key, {"paymentStatus": "QUEUED"})
    [outcome] = _send(sandbox, synced)
    assert outcome.state == OutboxState.FAILED
    assert "QUEUED" in outcome.reason
    [entry] = synced.outbox([OutboxState.FAILED])
    assert entry.attempts >= 1 and "QUEUED" in entry.reason
