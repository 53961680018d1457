"""A store session over the demo store: opens from the cache with no
network, remembers how the store shows its orders, syncs, and sends or
retries the outbox."""

from __future__ import annotations

import pytest

from app.config import Account
from app.domain.outbox import OutboxState
from app.domain.queries import OrderQuery
from app.ecwid import RetryPolicy
from app.services.accounts.store_display import StoreDisplay, remember_display, remembered_display
from app.services.session import StoreSession
from tests.helpers.aio import run
from tests.helpers.desks import stage
from tests.helpers.sandbox import client_for


def _account(sandbox) -> Account:
    return Account(name="Shop", kind="ecwid", store_id=str(sandbox.store_id), api_url=sandbox.url)


def _open(sandbox, **options) -> StoreSession:
    return StoreSession.open(_account(sandbox), client_for(sandbox, **options), desk="Front desk")


def test_a_session_syncs_and_remembers_the_store_display_for_offline_use(sandbox):
    async def online():
        session = _open(sandbox)
        try:
            assert session.display == StoreDisplay()
            assert session.title == "Shop"
            assert session.last_sync() is None
            display = await session.refresh_display()
            result = await session.sync()
            assert session.last_sync() is not None
            # the window's own connection sees what the sync wrote
            return display, result, session.rows.count(OrderQuery(include_incomplete=True))
        finally:
            await session.close()

    display, result, cached = run(online())
    assert display.store_name and display.currency_code
    assert display.status_names["PAID"]
    assert result.full and len(result.new) == cached > 0

    sandbox.stop()  # offline: the next session opens from the cache alone
    offline = _open(sandbox, retry=RetryPolicy(attempts=1))
    try:
        assert offline.display == display
        assert offline.title == display.store_name
        assert offline.rows.count(OrderQuery(include_incomplete=True)) == cached
    finally:
        run(offline.close())


def test_an_unreadable_remembered_display_is_ignored(sandbox):
    session = _open(sandbox)
    try:
        session._cache.set_state("store.display", "{not json")
        assert remembered_display(session._cache) == StoreDisplay()
        remember_display(
            session._cache, StoreDisplay("Café <Zoë>", "EUR", "€", {"PAID": "Bezahlt"})
        )
        assert remembered_display(session._cache).status_names == {"PAID": "Bezahlt"}
    finally:
        run(session.close())


def test_outbox_summary_send_and_retry(sandbox):
    async def scenario():
        session = _open(sandbox)
        try:
            await session.sync()
            row = session.rows.rows(OrderQuery(), limit=1)[0]
            await stage(session, row.key, {"privateAdminNotes": "gift wrap"})
            summary = session.outbox_summary()
            assert summary.waiting == 1 and summary.needs_attention == 0
            round_result = await session.sync_round()
            assert [o.state for o in round_result.sent] == [OutboxState.CONFIRMED]
            assert session.outbox_summary().entries == []

            # the store refuses a change: it stays, refused, until retried or discarded
            await stage(session, row.key, {"total": "lots"})  # not a number: 400
            round_result = await session.sync_round()
            summary = session.outbox_summary()
            assert summary.needs_attention == 1 and summary.entries[0].reason
            assert [e.id for e in round_result.attention] == [summary.entries[0].id]
            before = summary.entries[0].attempts
            outcomes = await session.retry_entries([summary.entries[0].id])
            assert [o.state for o in outcomes] == [OutboxState.REFUSED]
            assert session.outbox_summary().entries[0].attempts == before + 1
        finally:
            await session.close()

    run(scenario())


def test_a_closed_session_closes_both_connections(sandbox):
    session = _open(sandbox)
    run(session.close())
    assert session._cache.closed and session._reader.closed and session.outbox.database.closed
    with pytest.raises(Exception, match="closed"):
        session.rows.count(OrderQuery())


def test_every_write_and_sync_round_reports_what_changed(sandbox):
    from app.domain.changes import Changes
    from tests.helpers.desks import stage

    async def scenario():
        session = _open(sandbox)
        seen: list[Changes] = []
        try:
            stop = session.subscribe(seen.append)
            await session.sync_round()
            assert any(c.synced and c.all_orders for c in seen)
            stored = {key for c in seen for key in c.orders}
            assert len(stored) == session.rows.count(OrderQuery(include_incomplete=True))
            seen.clear()
            key = session.rows.rows(OrderQuery(), limit=1)[0].key
            edit = await stage(session, key, {"orderComments": "reported"})
            await session.send_entries([edit])
            assert all(c.outbox and c.orders == {key} for c in seen) and len(seen) >= 2
            stop()
            seen.clear()
            await session.refresh_display()
            assert seen == []  # no longer listening
        finally:
            await session.close()

    run(scenario())
