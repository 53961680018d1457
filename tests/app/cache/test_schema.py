"""Opening the cache file: creation, migrations, re-opening, and what happens
to a damaged, foreign or newer file."""

from __future__ import annotations

import os
import sqlite3

import pytest

from app.cache import CacheCorruptError, CacheError, OrderCache, schema
from app.domain.queries import OrderQuery
from tests.app.cache.support import key_of


def _pragma(path, name):
    with sqlite3.connect(path) as conn:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]


def test_a_new_file_gets_the_whole_schema(tmp_path):
    path = tmp_path / "new" / "folder" / "orders.sqlite3"
    with OrderCache.open(path) as cache:
        with cache._raw_connection() as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
            assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
            names = {row[0] for row in conn.execute("SELECT name FROM sqlite_schema")}
        assert schema.REQUIRED_TABLES <= names
        assert cache.count(OrderQuery()) == 0
    assert _pragma(path, "user_version") == schema.SCHEMA_VERSION == len(schema.MIGRATIONS)
    assert _pragma(path, "application_id") == schema.APPLICATION_ID


def test_an_empty_file_is_a_new_cache(tmp_path):
    path = tmp_path / "orders.sqlite3"
    path.write_bytes(b"")
    with OrderCache.open(path) as cache:
        assert cache.count() == 0


def test_reopening_keeps_everything(tmp_path, orders):
    path = tmp_path / "orders.sqlite3"
    with OrderCache.open(path) as cache:
        cache.upsert_orders(orders[:40], generation=3)
        cache.set_state("cursor", "abc")
        cache.set_marks({key_of(orders[5]): (1, False)})
    with OrderCache.open(path) as cache:
        assert cache.count(OrderQuery(include_incomplete=True)) == 40
        assert cache.get_state("cursor") == "abc"
        assert cache.marks() == {key_of(orders[5]): (1, False)}
        assert cache.order_json(key_of(orders[5])) == orders[5]
    assert _pragma(path, "user_version") == schema.SCHEMA_VERSION


def test_migrations_run_in_order_on_an_older_file(tmp_path, orders, monkeypatch):
    path = tmp_path / "orders.sqlite3"
    with OrderCache.open(path) as cache:
        cache.upsert_orders(orders[:10])
    calls = []

    def backfill(conn: sqlite3.Connection) -> None:
        calls.append(conn.execute("SELECT count(*) FROM orders").fetchone()[0])
        conn.execute("UPDATE sync_state_v2 SET value = 'filled'")

    newer = (
        *schema.MIGRATIONS,
        (
            "CREATE TABLE sync_state_v2 (value TEXT)",
            "INSERT INTO sync_state_v2 VALUES ('new')",
            backfill,
        ),
    )
    monkeypatch.setattr(schema, "MIGRATIONS", newer)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(newer))
    with OrderCache.open(path) as cache:
        assert cache.count(OrderQuery(include_incomplete=True)) == 10
    assert calls == [10]
    assert _pragma(path, "user_version") == len(newer)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT value FROM sync_state_v2").fetchall() == [("filled",)]
    with OrderCache.open(path):  # nothing left to run
        pass
    assert calls == [10]


def test_a_failing_migration_leaves_the_file_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "orders.sqlite3"
    OrderCache.open(path).close()

    def broken(conn: sqlite3.Connection) -> None:
        raise sqlite3.OperationalError("boom")

    newer = (*schema.MIGRATIONS, ("CREATE TABLE half (x)", broken))
    monkeypatch.setattr(schema, "MIGRATIONS", newer)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(newer))
    with pytest.raises(CacheError):
        OrderCache.open(path)
    assert _pragma(path, "user_version") == len(newer) - 1
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT name FROM sqlite_schema WHERE name = 'half'").fetchall() == []


@pytest.mark.parametrize(
    "content",
    [os.urandom(8192), b"not a database at all", b"SQLite format 3\x00" + os.urandom(4000)],
    ids=["random bytes", "text", "damaged header"],
)
def test_a_damaged_file_is_reported_and_moved_aside(tmp_path, content):
    path = tmp_path / "orders.sqlite3"
    path.write_bytes(content)
    with pytest.raises(CacheCorruptError):
        OrderCache.open(path)
    assert path.read_bytes() == content  # nothing written to it
    cache, moved = OrderCache.open_or_rebuild(path)
    with cache:
        assert moved is not None and moved.read_bytes() == content
        assert moved.name.startswith("orders.sqlite3.corrupt-")
        assert cache.count() == 0
    assert path.exists()


def test_a_foreign_sqlite_file_is_not_taken_over(tmp_path):
    path = tmp_path / "orders.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.execute("INSERT INTO notes VALUES ('keep me')")
    with pytest.raises(CacheCorruptError, match="not a Backroom order cache"):
        OrderCache.open(path)
    assert _pragma(path, "journal_mode") == "delete"  # untouched
    cache, moved = OrderCache.open_or_rebuild(path)
    cache.close()
    with sqlite3.connect(moved) as conn:
        assert conn.execute("SELECT body FROM notes").fetchall() == [("keep me",)]


def test_a_cache_from_a_newer_backroom_or_missing_tables(tmp_path):
    newer = tmp_path / "newer.sqlite3"
    OrderCache.open(newer).close()
    with sqlite3.connect(newer) as conn:
        conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    with pytest.raises(CacheCorruptError, match="newer Backroom"):
        OrderCache.open(newer)

    broken = tmp_path / "broken.sqlite3"
    OrderCache.open(broken).close()
    with sqlite3.connect(broken) as conn:
        conn.execute("DROP TABLE invoices")
    with pytest.raises(CacheCorruptError, match="invoices"):
        OrderCache.open(broken)


def test_open_or_rebuild_moves_wal_and_shm_too(tmp_path):
    path = tmp_path / "orders.sqlite3"
    other = sqlite3.connect(path)  # another program's WAL database, still open
    try:
        other.execute("PRAGMA journal_mode = WAL")
        other.execute("CREATE TABLE notes (body TEXT)")
        other.execute("INSERT INTO notes VALUES ('in the wal')")
        other.commit()
        cache, moved = OrderCache.open_or_rebuild(path)
        cache.close()
        assert moved is not None
        assert (tmp_path / f"{moved.name}-wal").stat().st_size > 0
        assert (tmp_path / f"{moved.name}-shm").exists()
    finally:
        other.close()
    with sqlite3.connect(moved) as conn:
        assert conn.execute("SELECT body FROM notes").fetchall() == [("in the wal",)]


def test_open_or_rebuild_leaves_a_good_file_alone(tmp_path, orders):
    path = tmp_path / "orders.sqlite3"
    with OrderCache.open(path) as cache:
        cache.upsert_orders(orders[:3])
    cache, moved = OrderCache.open_or_rebuild(path)
    with cache:
        assert moved is None
        assert cache.count(OrderQuery(include_incomplete=True)) == 3


def test_a_path_that_cannot_be_opened_is_a_plain_error(tmp_path):
    with pytest.raises(CacheError) as caught:
        OrderCache.open(tmp_path)  # a directory
    assert not isinstance(caught.value, CacheCorruptError)
    assert "cannot be opened" in str(caught.value)


def test_closing_twice_and_using_a_closed_cache(tmp_path):
    cache = OrderCache.open(tmp_path / "orders.sqlite3")
    cache.close()
    cache.close()
    assert cache.closed
    with pytest.raises(CacheError, match="closed"):
        cache.count()


def test_every_index_the_planner_names_exists(cache):
    from app.cache import planner

    with cache._raw_connection() as conn:
        indexes = {
            name: sql
            for name, sql in conn.execute(
                "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'orders'"
            )
        }
    for column, index in planner.SORT_COLUMNS.values():
        # the sort column first, then the rid (SQLite's own, or named: the tie-break)
        sql = indexes[index].replace(" ", "")
        assert sql.endswith(f"ONorders({column})") or f"ONorders({column},rid," in sql
    for index in planner._DRIVER_PRIORITY:
        assert index in indexes
    assert planner.STATUS_INDEX in indexes
