"""A damaged outbox file is never replaced silently: it is moved aside, the
user is told how many edits it held, and what can still be read comes back
as *recovered* edits to send or discard. Damaged three ways, as a disk or a
crash damages files: garbage in the header, 0 bytes, garbage in the middle."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from app.domain.outbox import OutboxState
from app.domain.queries import OrderQuery
from app.ecwid import RetryPolicy
from app.services.outbox import OUTBOX_FILE_NAME, OutboxDatabase
from app.services.session import StoreSession
from tests.helpers.aio import run
from tests.helpers.desks import open_desk, stage
from tests.helpers.sandbox import client_for

EDITS = 12  # enough rows to fill more than one page of the file


def _queue_edits(sandbox) -> tuple[Path, list[str]]:
    """Sync, then queue EDITS edits while the store is away; the outbox file's path."""

    async def scenario():
        session = open_desk(sandbox, retry=RetryPolicy(attempts=1))
        try:
            await session.sync()
            keys = [row.key for row in session.rows.rows(OrderQuery(), limit=EDITS)]
            for index, key in enumerate(keys):
                await stage(session, key, {"privateAdminNotes": f"note {index} " + "x" * 300})
            return session.outbox.database.path, keys
        finally:
            await session.close()

    return run(scenario())


def _damage(path: Path, how: str) -> None:
    data = bytearray(path.read_bytes())
    if how == "header":
        data[:100] = os.urandom(100)
    elif how == "empty":
        data = bytearray()
    else:  # a page in the middle of the edits
        start = (len(data) // 4096 // 2) * 4096
        data[start : start + 4096] = os.urandom(4096)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["header", "empty", "middle"])
def test_a_damaged_outbox_is_moved_aside_and_what_can_be_read_comes_back(sandbox, how):
    path, keys = _queue_edits(sandbox)
    assert not path.with_name(path.name + "-wal").exists()  # closed cleanly: all in the file
    _damage(path, how)

    async def reopen():
        session = open_desk(sandbox)
        try:
            report = session.outbox_damage
            notice = session.outbox.damage_notice()
            recovered = session.outbox.entries([OutboxState.RECOVERED])
            results = await session.retry_entries([edit.id for edit in recovered])
            session.outbox.damage_notice()  # shown once more after they are settled, then gone
            return report, notice, recovered, results, session.outbox.damage_notice()
        finally:
            await session.close()

    report, notice, recovered, results, notice_after = run(reopen())
    assert report is not None and report.moved_to.exists()
    assert report.moved_to.name.startswith(f"{OUTBOX_FILE_NAME}.damaged-")
    assert notice and "damaged" in notice and str(report.moved_to) in notice
    if how == "empty":
        assert (report.held, report.recovered) == (None, 0)
        assert "an unknown number of edits" in notice
    else:
        assert report.held == EDITS  # told how many it held
        assert 0 < report.recovered <= EDITS
        assert report.recovered == EDITS or how == "middle"  # a garbled page costs its rows
        assert f"It held {EDITS} edits" in notice
        assert all(result.ok for result in results)
        sent = {edit.key: edit.changes["privateAdminNotes"] for edit in recovered}
        for key, note in sent.items():  # each recovered edit reached the store as it was
            assert run(_store_note(sandbox, key)) == note
        assert notice_after is None  # settled: the notice is no longer shown


async def _store_note(sandbox, key: str) -> str:
    async with client_for(sandbox) as client:
        return (await client.get_order_raw(key)).get("privateAdminNotes")


def test_a_fresh_outbox_is_never_a_half_made_file(tmp_path):
    folder = tmp_path / "account"
    database, report = OutboxDatabase.open(folder / OUTBOX_FILE_NAME)
    database.close()
    assert report is None
    assert sorted(p.name for p in folder.iterdir()) == [OUTBOX_FILE_NAME]


def test_edits_an_older_version_kept_in_the_cache_are_carried_over(sandbox):
    """Before this version the outbox lived inside the order cache: its edits
    move to the outbox file, and the cache shows the store's versions again."""
    from app.cache import OrderCache, codec, schema

    async def first():
        session = open_desk(sandbox)
        try:
            await session.sync()
            return session._cache.path, [
                row.key for row in session.rows.rows(OrderQuery(), limit=2)
            ]
        finally:
            await session.close()

    cache_path, (key, other) = run(first())
    with OrderCache.open(cache_path) as cache:
        store_version = cache.order_json(key)
        with cache._raw_connection() as conn:  # the tables of schema version 2, with an edit
            conn.execute(
                "CREATE TABLE legacy_outbox (id INTEGER PRIMARY KEY, key TEXT, changes TEXT, "
                "base_update_ts INTEGER, state TEXT, severity INTEGER, attempts INTEGER, "
                "reason TEXT, server_json TEXT, created_at REAL, updated_at REAL, action TEXT, "
                "base_json TEXT)"
            )
            conn.execute("CREATE TABLE legacy_server_bodies (key TEXT PRIMARY KEY, body BLOB)")
            conn.execute(
                "INSERT INTO legacy_outbox VALUES (1, ?, ?, NULL, 'PENDING', 1, 0, NULL, NULL, "
                "0, 0, 'update', ?)",
                (
                    key,
                    json.dumps({"trackingNumber": "OLD-EDIT"}),
                    json.dumps({"trackingNumber": store_version.get("trackingNumber")}),
                ),
            )
            conn.execute(
                "INSERT INTO legacy_server_bodies VALUES (?, ?)",
                (key, codec.compress(codec.encode(store_version))),
            )
    assert schema.SCHEMA_VERSION >= 3

    async def reopen():
        session: StoreSession = open_desk(sandbox)
        try:
            [edit] = session.outbox.entries()
            results = await session.send_entries([edit.id])
            return edit, results, session._cache.legacy_outbox()
        finally:
            await session.close()

    edit, results, leftover = run(reopen())
    assert (edit.key, edit.changes, edit.state) == (
        key,
        {"trackingNumber": "OLD-EDIT"},
        OutboxState.WAITING,
    )
    assert results[0].ok and leftover == []
    assert run(_store_tracking(sandbox, key)) == "OLD-EDIT"
    assert other != key


async def _store_tracking(sandbox, key: str) -> str:
    async with client_for(sandbox) as client:
        return (await client.get_order_raw(key)).get("trackingNumber")
