"""The outbox against the demo store over loopback: edits wait apart from the
cache, are checked by content before a write and read back after it, are
watched for being overwritten, and wait for the user when something is wrong.
"""

from __future__ import annotations

from typing import Any

import pytest

from app.config import AccountSettings
from app.domain.outbox import OutboxState
from app.domain.queries import OrderQuery
from app.ecwid import EcwidNetworkError, RetryPolicy
from app.services.outbox import OutboxProblem
from app.services.session import StoreSession
from tests.helpers.aio import run
from tests.helpers.desks import open_desk, stage, stage_delete
from tests.helpers.sandbox import client_for


def in_desk(sandbox, scenario, desk: str = "Front desk", **options: Any) -> Any:
    async def main():
        session = open_desk(sandbox, desk, **options)
        try:
            await session.sync()
            return await scenario(session)
        finally:
            await session.close()

    return run(main())


async def store_order(sandbox, key: str) -> dict[str, Any]:
    async with client_for(sandbox) as client:
        return await client.get_order_raw(key)


async def colleague(sandbox, key: str, changes: dict[str, Any]) -> None:
    async with client_for(sandbox) as client:
        await client.update_order(key, changes)


def a_key(session: StoreSession, *, legacy: bool = False) -> str:
    rows = session.rows.rows(OrderQuery(payment_status=["PAID", "AWAITING_PAYMENT"]), limit=5000)
    taken = {edit.key for edit in session.outbox.entries()}
    for row in rows if not legacy else reversed(rows):
        order = session.rows.order_json(row.key)
        if legacy == ("updateTimestamp" not in order) and row.key not in taken:
            return row.key
    raise AssertionError("no such order in the demo store")


def mark_of(session: StoreSession, key: str) -> OutboxState | None:
    """The outbox's mark on order ``key`` in the table."""
    rows = session.rows.rows(OrderQuery(include_incomplete=True), limit=5000)
    [row] = [row for row in rows if row.key == key]
    return row.outbox_state


def puts(sandbox, key: str) -> int:
    return sum(1 for method, target, _ in sandbox.request_log if method == "PUT" and key in target)


def test_an_edit_waits_apart_from_the_cache_and_is_confirmed_by_read_back(sandbox):
    async def scenario(session: StoreSession):
        key = a_key(session)
        before = session.rows.order_json(key)
        edit_id = await stage(session, key, {"trackingNumber": "1Z-WAITS"})
        assert session.rows.order_json(key) == before  # never shown as if the store had it
        assert mark_of(session, key) is OutboxState.WAITING
        [result] = await session.send_entries([edit_id])
        assert result.ok and result.state is OutboxState.CONFIRMED
        assert session.rows.order_json(key) == await store_order(sandbox, key)
        assert mark_of(session, key) is None
        assert session.outbox_summary().entries == []  # confirmed: only watched now
        [entry] = await session.activity(key)
        assert entry.summary.startswith("Tracking number: ")
        assert entry.summary.endswith("→ 1Z-WAITS") and entry.outcome == "confirmed by the store"
        assert entry.desk == "Front desk"

    in_desk(sandbox, scenario)


def test_two_edits_of_one_order_by_one_desk_never_conflict_with_each_other(sandbox):
    async def scenario(session: StoreSession):
        key = a_key(session)
        first = await stage(session, key, {"trackingNumber": "FIRST"})
        second = await stage(session, key, {"trackingNumber": "SECOND", "orderComments": "x"})
        results = await session.send_entries([first, second])
        assert [r.state for r in results] == [OutboxState.CONFIRMED, OutboxState.CONFIRMED]
        return key

    key = in_desk(sandbox, scenario)
    assert run(store_order(sandbox, key))["trackingNumber"] == "SECOND"


@pytest.mark.parametrize("legacy", [False, True], ids=["with-timestamp", "legacy-no-timestamp"])
def test_a_field_changed_in_the_store_meanwhile_is_a_conflict_by_content(sandbox, legacy):
    """Orders of older stores have no ``updateTimestamp``: the check compares
    the values themselves, so they are protected too."""

    async def scenario(session: StoreSession):
        key = a_key(session, legacy=legacy)
        edit_id = await stage(session, key, {"trackingNumber": "MINE"})
        await colleague(sandbox, key, {"trackingNumber": "THEIRS"})
        [result] = await session.send_entries([edit_id])
        assert result.state is OutboxState.CONFLICT
        assert "THEIRS" in result.reason and "MINE" in result.reason
        assert (await store_order(sandbox, key))["trackingNumber"] == "THEIRS"
        # the table shows the store's value, marked as a conflict
        assert session.rows.order_json(key)["trackingNumber"] == "THEIRS"
        assert mark_of(session, key) is OutboxState.CONFLICT
        return key

    in_desk(sandbox, scenario)


def test_a_change_of_another_field_meanwhile_is_no_conflict(sandbox):
    async def scenario(session: StoreSession):
        key = a_key(session, legacy=True)
        edit_id = await stage(session, key, {"trackingNumber": "MINE"})
        await colleague(sandbox, key, {"orderComments": "theirs, another field"})
        [result] = await session.send_entries([edit_id])
        assert result.ok
        order = await store_order(sandbox, key)
        assert (order["trackingNumber"], order["orderComments"]) == (
            "MINE",
            "theirs, another field",
        )

    in_desk(sandbox, scenario)


def test_a_write_at_the_same_moment_is_reported_never_updated(sandbox):
    """Another desk writes the field right after this desk's PUT: the
    read-back sees it, and the edit is a conflict naming both values."""

    async def scenario(session: StoreSession):
        key = a_key(session)
        edit_id = await stage(session, key, {"trackingNumber": "MINE"})
        sandbox.faults.overwrite_after_update = {"trackingNumber": "THEIRS-AT-ONCE"}
        [result] = await session.send_entries([edit_id])
        sandbox.faults.overwrite_after_update = {}
        assert result.state is OutboxState.CONFLICT and not result.ok
        assert "same moment" in result.reason
        assert "THEIRS-AT-ONCE" in result.reason and "MINE" in result.reason
        [edit] = session.outbox_summary().entries
        assert edit.store_json["trackingNumber"] == "THEIRS-AT-ONCE"

    in_desk(sandbox, scenario)


def test_an_unreadable_answer_is_settled_by_reading_the_order_back(sandbox):
    async def scenario(session: StoreSession):
        landed, lost = a_key(session), a_key(session, legacy=True)
        # the write lands but its answer is garbled: the read-back confirms it
        sandbox.faults.garble_writes = True
        [result] = await session.send_entries(
            [await stage(session, landed, {"orderComments": "A"})]
        )
        sandbox.faults.garble_writes = False
        assert result.ok
        # the answer is garbled before the write happens: it waits, and says why
        edit_id = await stage(session, lost, {"orderComments": "B"})
        sandbox.faults.garbage_every = 2  # the GET before the PUT passes, the PUT does not
        [result] = await session.send_entries([edit_id])
        sandbox.faults.garbage_every = 0
        assert result.state is OutboxState.WAITING
        assert "could not be read" in result.reason
        assert (await store_order(sandbox, lost)).get("orderComments") != "B"
        [retried] = await session.send_entries([edit_id])
        assert retried.ok
        return lost

    lost = in_desk(sandbox, scenario)
    assert run(store_order(sandbox, lost))["orderComments"] == "B"


def test_a_refused_edit_waits_for_the_user_then_retry_discard_and_resolve(sandbox):
    async def scenario(session: StoreSession):
        key, other = a_key(session), a_key(session, legacy=True)
        refused = await stage(session, key, {"paymentStatus": "QUEUED"})
        [result] = await session.send_entries([refused])
        assert result.state is OutboxState.REFUSED and result.http_status == 400
        assert session.outbox_summary().needs_attention == 1
        with pytest.raises(OutboxProblem, match="nothing to resolve"):
            await session.resolve_conflict(refused, {"paymentStatus": "mine"})
        [again] = await session.retry_entries([refused])
        assert again.state is OutboxState.REFUSED  # the store still says no
        [gone] = await session.discard_entries([refused])
        assert gone.id == refused and session.outbox_summary().entries == []
        assert mark_of(session, key) is None

        conflict = await stage(session, other, {"trackingNumber": "MINE"})
        await colleague(sandbox, other, {"trackingNumber": "THEIRS"})
        await session.send_entries([conflict])
        with pytest.raises(OutboxProblem, match="resolve it"):
            await session.retry_entries([conflict])
        fields = await session.conflict_fields(conflict)
        assert [(f.name, f.mine, f.server, f.changed_remotely) for f in fields] == [
            ("trackingNumber", "MINE", "THEIRS", True)
        ]
        kept = await session.resolve_conflict(conflict, {"trackingNumber": "mine"})
        [sent] = await session.send_entries([kept])
        assert sent.ok
        log = await session.activity(other)
        assert "resolved" in log[0].outcome or log[0].outcome == "confirmed by the store"
        return other

    other = in_desk(sandbox, scenario)
    assert run(store_order(sandbox, other))["trackingNumber"] == "MINE"


def test_an_overwrite_after_confirmation_is_found_by_the_next_sync(sandbox):
    async def scenario(session: StoreSession):
        key = a_key(session)
        [result] = await session.send_entries([await stage(session, key, {"trackingNumber": "X"})])
        assert result.ok
        round_result = await session.sync_round()
        assert round_result.overwritten == [] and round_result.attention == []
        await colleague(sandbox, key, {"trackingNumber": "Y"})
        round_result = await session.sync_round()
        [edit] = round_result.overwritten
        assert edit.state is OutboxState.OVERWRITTEN and edit.key == key
        assert "is now Y" in edit.reason and "wrote X" in edit.reason
        assert [e.id for e in round_result.attention] == [edit.id]
        assert session.rows.order_json(key)["trackingNumber"] == "Y"  # the store's value
        assert mark_of(session, key) is OutboxState.OVERWRITTEN
        assert (await session.sync_round()).overwritten == []  # told once, listed until settled
        kept = await session.resolve_conflict(edit.id, {"trackingNumber": "mine"})
        [sent] = await session.send_entries([kept])
        assert sent.ok
        return key

    key = in_desk(sandbox, scenario)
    assert run(store_order(sandbox, key))["trackingNumber"] == "X"


def test_a_later_edit_of_this_desk_is_not_an_overwrite(sandbox):
    async def scenario(session: StoreSession):
        key = a_key(session)
        for value in ("FIRST", "SECOND"):
            edit_id = await stage(session, key, {"trackingNumber": value})
            [result] = await session.send_entries([edit_id])
            assert result.ok
        assert (await session.sync_round()).overwritten == []

    in_desk(sandbox, scenario)


def test_after_the_watch_window_a_colleagues_change_is_theirs_to_make(sandbox):
    async def scenario(session: StoreSession):
        key = a_key(session)
        [result] = await session.send_entries([await stage(session, key, {"orderComments": "Z"})])
        assert result.ok
        await colleague(sandbox, key, {"orderComments": "theirs, later"})
        assert (await session.sync_round()).overwritten == []
        assert session.outbox_summary().entries == []

    in_desk(sandbox, scenario, settings=AccountSettings(overwrite_watch_minutes=0))


def test_a_deletion_hides_the_order_until_settled(sandbox):
    async def scenario(session: StoreSession):
        key = a_key(session)
        sandbox.faults.fail_orders = {key: 400}
        edit_id = await stage_delete(session, key)
        assert session.rows.count(OrderQuery(ids=[key])) == 0
        [result] = await session.send_entries([edit_id])
        assert result.state is OutboxState.REFUSED
        assert session.rows.count(OrderQuery(ids=[key])) == 1  # refused: back in the lists
        sandbox.faults.fail_orders = {}
        [result] = await session.retry_entries([edit_id])
        assert result.ok and session.rows.count(OrderQuery(ids=[key])) == 0

    in_desk(sandbox, scenario)


def test_a_queued_edit_that_meets_a_colleagues_change_is_listed_until_settled(sandbox):
    async def scenario(session: StoreSession):
        key = a_key(session)
        sandbox.stop()
        edit_id = await stage(session, key, {"trackingNumber": "OFFLINE"})
        with pytest.raises(EcwidNetworkError):
            await session.sync_round()
        assert mark_of(session, key) is OutboxState.FAILED  # tried, not sent: on its way
        sandbox.start()
        await colleague(sandbox, key, {"trackingNumber": "COLLEAGUE"})
        result = await session.sync_round()
        assert [e.id for e in result.attention] == [edit_id]
        assert result.attention[0].state is OutboxState.CONFLICT
        full = await session.sync_round(full=True)
        assert [e.id for e in full.attention] == [edit_id]  # still listed after a full sync
        assert session.rows.order_json(key)["trackingNumber"] == "COLLEAGUE"
        assert await session.resolve_conflict(edit_id, {"trackingNumber": "server"}) is None
        assert (await session.sync_round()).attention == []

    in_desk(sandbox, scenario, retry=RetryPolicy(attempts=1))


def test_an_ecdp_push_is_written_in_each_orders_activity(sandbox):
    from app.services.ecdp.push import EcdpPusher
    from tests.app.ecdp.support import ecdp_client_for

    async def scenario(session: StoreSession):
        keys = [row.key for row in session.rows.rows(OrderQuery(payment_status=["PAID"]), limit=3)]
        async with ecdp_client_for(sandbox) as client:
            pusher = EcdpPusher(
                session._cache, client, target="ecdp", on_sent=session.outbox.ecdp_logger("CDP")
            )
            report = await pusher.push(keys=keys)
        assert sorted(report.sent) == sorted(keys)
        for key in keys:
            [entry] = await session.activity(key)
            assert (entry.kind, entry.summary) == ("ecdp-push", "Sent to ECDP (CDP)")
            assert entry.outcome == "confirmed by ECDP" and entry.desk == "Front desk"

    in_desk(sandbox, scenario)
