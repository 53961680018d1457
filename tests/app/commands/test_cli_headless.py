"""The headless commands end to end, as real processes against the demo store:
connect, sync, list offline, remove — and the token in no file afterwards."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.helpers.cli import backroom, connect_demo
from tests.helpers.sandbox import running_sandbox


@pytest.fixture
def store(tmp_path):
    with running_sandbox(tmp_path / "store.sqlite3", orders=180) as server:
        yield server


def test_connect_sync_list_offline_and_remove(store, tmp_path):
    data = tmp_path / "data"
    add = connect_demo(data, store)
    assert add.returncode == 0, add.stderr
    assert "Connected 'Walnut & Linen (demo)'" in add.stdout
    assert "session only" in add.stdout  # no keyring here, and it says so

    listed = backroom(data, "account", "list")
    assert listed.returncode == 0 and listed.stdout.startswith("Demo\tecwid\tstore 4870020")

    synced = backroom(data, "sync", token=store.token)
    assert synced.returncode == 0, synced.stderr
    assert "Full sync of 'Demo' done:" in synced.stdout
    again = backroom(data, "sync", token=store.token)
    assert "Sync of 'Demo' done: 0 new, 0 updated, 0 deleted." in again.stdout

    store.stop()  # offline from here on

    table = backroom(data, "orders", "--limit", "5")
    assert table.returncode == 0, table.stderr
    assert table.stdout.splitlines()[0].split()[:3] == ["number", "created", "customer"]
    assert len(table.stdout.splitlines()) == 6
    assert "(from the local cache)" in table.stderr

    paid = backroom(data, "orders", "--status", "PAID", "--format", "csv", "--limit", "500")
    rows = list(csv.DictReader(io.StringIO(paid.stdout)))
    assert rows and {row["payment"] for row in rows} == {"PAID"}

    email = rows[0]["email"]
    found = backroom(data, "orders", "--search", email[2:12], "--format", "json")
    orders = json.loads(found.stdout)
    assert any(order["email"] == email for order in orders)
    assert all("items" in order for order in orders)  # json prints full orders

    offline_sync = backroom(data, "sync", token=store.token)
    assert offline_sync.returncode == 3
    assert "could not be reached" in offline_sync.stderr

    removed = backroom(data, "account", "remove", "Demo", "--purge")
    assert removed.returncode == 0
    assert "No accounts yet" in backroom(data, "account", "list").stdout

    leaked = [p for p in data.rglob("*") if p.is_file() and store.token.encode() in p.read_bytes()]
    assert leaked == []


def test_refused_token_saves_nothing(store, tmp_path):
    data = tmp_path / "data"
    result = backroom(
        data,
        "account",
        "add",
        "Demo",
        "--store-id",
        str(store.store_id),
        "--api-url",
        store.url,
        token="secret_notthetokennotthetoken",
    )
    assert result.returncode == 4
    assert "refused the token" in result.stderr
    assert "notthetoken" not in result.stderr
    assert "No accounts yet" in backroom(data, "account", "list").stdout


def test_a_token_without_the_profile_scope_connects_says_so_once_and_syncs(store, tmp_path):
    data = tmp_path / "data"
    add = backroom(
        data,
        "account",
        "add",
        "Corner Shop",
        "--store-id",
        str(store.store_id),
        "--api-url",
        store.url,
        token=store.orders_only_token,
    )
    assert add.returncode == 0, add.stderr
    assert "Connected 'Corner Shop' as account 'Corner Shop'." in add.stdout
    notice = "This token cannot read the store profile (scope read_store_profile)"
    assert add.stdout.count(notice) == 1
    assert "refused" not in add.stdout + add.stderr

    synced = backroom(data, "sync", token=store.orders_only_token)
    assert synced.returncode == 0, synced.stderr
    assert "Full sync of 'Corner Shop' done:" in synced.stdout
    listed = backroom(data, "orders", "--status", "PAID", "--limit", "3")
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == 4
    assert "Paid" in listed.stdout or "PAID" in listed.stdout  # the standard name


def test_usage_errors_are_plain(tmp_path):
    data = tmp_path / "data"
    bad_id = backroom(data, "account", "add", "X", "--store-id", "abc", token="secret_x")
    assert bad_id.returncode == 2 and "store_id" in bad_id.stderr
    no_store = backroom(data, "orders")
    assert no_store.returncode == 2 and "No store is connected" in no_store.stderr
    no_token = backroom(data, "account", "add", "X", "--store-id", "1")
    assert no_token.returncode == 2 and "BACKROOM_TOKEN" in no_token.stderr
    bad_date = backroom(data, "orders", "--from", "someday")
    assert bad_date.returncode == 2 and "--from: not a date" in bad_date.stderr


def test_a_damaged_cache_is_moved_aside_and_rebuilt(store, tmp_path):
    data = tmp_path / "data"
    add = connect_demo(data, store)
    assert add.returncode == 0, add.stderr
    assert backroom(data, "sync", token=store.token).returncode == 0
    [cache_file] = data.glob("data/accounts/*/cache.sqlite3")
    for leftover in cache_file.parent.glob("cache.sqlite3-*"):
        leftover.unlink()
    cache_file.write_bytes(b"this is not a database" * 100)

    again = backroom(data, "sync", token=store.token)
    assert again.returncode == 0, again.stderr
    assert "damaged" in again.stderr and "moved aside" in again.stderr
    assert "Full sync of 'Demo' done:" in again.stdout
    assert list(cache_file.parent.glob("cache.sqlite3.corrupt-*"))
    listed = backroom(data, "orders", "--format", "csv", "--limit", "1000")
    assert len(listed.stdout.splitlines()) > 100
