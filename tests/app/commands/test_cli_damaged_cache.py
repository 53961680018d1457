"""A damaged order cache — garbage in its header, 0 bytes, garbage in the
middle — is found by whatever command runs first, moved aside with a message
that says so, and rebuilt by the next sync; the edits queued meanwhile live
apart from it and every one of them still reaches the store."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.helpers.aio import run
from tests.helpers.cli import backroom, connect_demo
from tests.helpers.sandbox import client_for


def _cache_file(data: Path) -> Path:
    [path] = data.glob("data/accounts/*/cache.sqlite3")
    return path


def _damage(path: Path, how: str) -> None:
    data = bytearray(path.read_bytes())
    if how == "header":
        data[:100] = os.urandom(100)
    elif how == "empty":
        data = bytearray()
    else:  # whole pages in the middle: b-tree pages of the orders
        start = (len(data) // 4096 // 2) * 4096
        data[start : start + 8 * 4096] = os.urandom(8 * 4096)
    path.write_bytes(bytes(data))


def _store_note(sandbox, key: str) -> str | None:
    async def read():
        async with client_for(sandbox) as client:
            return (await client.get_order_raw(key)).get("privateAdminNotes")

    return run(read())


@pytest.mark.parametrize("how", ["header", "empty", "middle"])
def test_a_damaged_cache_is_rebuilt_and_every_queued_edit_still_reaches_the_store(
    tmp_path, sandbox, how
):
    data = tmp_path / "desk"
    assert connect_demo(data, sandbox).returncode == 0
    assert backroom(data, "sync", token=sandbox.token).returncode == 0
    listed = backroom(data, "orders", "--format", "csv", "--status", "PAID", "--limit", "3")
    numbers = [line.split(",")[0] for line in listed.stdout.splitlines()[1:]]
    sandbox.faults.drop_every = 1  # the store is away: the edits are queued
    for number in numbers:
        queued = backroom(
            data, "order", "update", number, "--note", f"N-{number}", token=sandbox.token
        )
        assert queued.returncode == 4, queued.stderr
    sandbox.faults.drop_every = 0
    cache = _cache_file(data)
    assert not cache.with_name(cache.name + "-wal").exists()
    _damage(cache, how)

    first = backroom(data, "orders")  # whatever runs first finds it, and says so
    assert first.returncode == 1, first.stdout + first.stderr
    assert "damaged" in first.stderr and "moved aside" in first.stderr
    assert "not affected" in first.stderr and "Traceback" not in first.stderr
    assert list(cache.parent.glob("cache.sqlite3.corrupt-*"))

    synced = backroom(data, "sync", token=sandbox.token)
    assert synced.returncode == 0, synced.stderr
    assert "Full sync" in synced.stdout and "Edits sent: 3 confirmed" in synced.stdout
    assert backroom(data, "outbox", "list").stdout.startswith("No edits wait")
    again = backroom(data, "orders", "--format", "csv", "--status", "PAID", "--limit", "3")
    assert again.returncode == 0 and again.stdout.splitlines()[1:] and not again.stderr.strip()
    for number in numbers:
        shown = backroom(data, "orders", "--search", number, "--format", "json")
        [order] = [o for o in json.loads(shown.stdout) if str(o.get("orderNumber")) == number]
        assert _store_note(sandbox, order.get("id") or number) == f"N-{number}"
        assert order["privateAdminNotes"] == f"N-{number}"  # the rebuilt cache holds it
