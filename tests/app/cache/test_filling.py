"""A first full sync fills an empty cache without indexes and builds them
once at its end; queries stay correct throughout, and an interrupted fill
survives a restart."""

from __future__ import annotations

import copy

from app.cache import OrderCache
from app.domain.queries import OrderQuery, SortKey
from tests.app.cache.support import key_of


def _indexes(cache: OrderCache) -> set[str]:
    with cache._raw_connection() as conn:
        rows = conn.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'orders'"
        ).fetchall()
    return {row[0] for row in rows}


def _fts_rows(cache: OrderCache, term: str) -> int:
    with cache._raw_connection() as conn:
        conn.execute("INSERT INTO orders_fts (orders_fts) VALUES ('integrity-check')")
        return conn.execute(
            "SELECT count(*) FROM orders_fts WHERE orders_fts MATCH ?", (f'"{term}"',)
        ).fetchone()[0]


QUERIES = [
    OrderQuery(text="linen"),
    OrderQuery(text="mu", sort=SortKey.CUSTOMER),
    OrderQuery(payment_status=["PAID"], total_from=40, sort=SortKey.TOTAL, descending=False),
    OrderQuery(keywords="mug", customer="an"),
    OrderQuery(include_incomplete=True, sort=SortKey.EMAIL),
]


def _answers(cache: OrderCache) -> list[tuple[int, list[str]]]:
    return [(cache.count(q), [r.key for r in cache.rows(q, limit=1000)]) for q in QUERIES]


def test_a_full_sync_fills_then_indexes(tmp_path, orders):
    with OrderCache.open(tmp_path / "reference.sqlite3") as reference:
        reference.upsert_orders(orders)  # no generation: indexed all along
        assert not reference.filling
        expected = _answers(reference)
        all_indexes = _indexes(reference)

    with OrderCache.open(tmp_path / "orders.sqlite3") as cache:
        cache.upsert_orders(orders[:300], generation=1)
        assert cache.filling
        assert _indexes(cache) == {"sqlite_autoindex_orders_1"}  # only the key
        assert _fts_rows(cache, "linen") == 0  # the search index waits
        cache.upsert_orders(orders[300:], generation=1)
        assert _answers(cache) == expected  # correct meanwhile

        assert cache.delete_unseen(1) == []
        assert not cache.filling
        assert _indexes(cache) == all_indexes
        assert _fts_rows(cache, "linen") > 0
        assert _answers(cache) == expected
        with cache._raw_connection() as conn:
            assert conn.execute("SELECT count(*) FROM cache_meta").fetchone()[0] == 0
            assert conn.execute("SELECT count(*) FROM sqlite_stat1").fetchone()[0] > 0

        # later full syncs keep the indexes up to date row by row
        cache.upsert_orders(orders[:10], generation=2)
        assert not cache.filling


def test_changes_during_the_fill_are_indexed_at_its_end(tmp_path, orders):
    with OrderCache.open(tmp_path / "orders.sqlite3") as cache:
        cache.upsert_orders(orders[:100], generation=1)
        changed = copy.deepcopy(orders[40])
        changed["privateAdminNotes"] = "quokkafile"
        cache.upsert_orders([changed], generation=1)
        cache.upsert_orders([dict(orders[41], orderComments="wombatnote")])
        cache.delete_orders([key_of(orders[42])])
        assert [r.key for r in cache.rows(OrderQuery(text="quokka", include_incomplete=True))] == [
            key_of(changed)
        ]
        cache.delete_unseen(1)
        assert _fts_rows(cache, "quokkafile") == 1
        assert _fts_rows(cache, "wombatnote") == 1
        assert cache.count(OrderQuery(text="wombat", include_incomplete=True)) == 1
        assert cache.count(OrderQuery(ids=[key_of(orders[42])], include_incomplete=True)) == 0


def test_an_interrupted_fill_resumes_after_a_restart(tmp_path, orders):
    path = tmp_path / "orders.sqlite3"
    with OrderCache.open(path) as cache:
        cache.upsert_orders(orders[:200], generation=1)
    with OrderCache.open(path) as cache:
        assert cache.filling
        cache.upsert_orders(orders[200:], generation=1)
        assert cache.count(OrderQuery(text="linen")) > 0
        cache.delete_unseen(1)
    with OrderCache.open(path) as cache:
        assert not cache.filling
        assert _fts_rows(cache, "linen") > 0


def test_only_an_empty_cache_fills(cache, orders):
    cache.upsert_orders(orders[:5])  # an incremental write first
    cache.upsert_orders(orders[5:50], generation=1)
    assert not cache.filling
    assert "orders_created" in _indexes(cache)


def test_a_second_connection_follows_the_fill_of_the_first(tmp_path, orders):
    """The window reads through its own connection while the sync writes
    through another: its answers stay right before, during and after a fill."""
    with OrderCache.open(tmp_path / "reference.sqlite3") as reference:
        reference.upsert_orders(orders)
        expected = _answers(reference)

    path = tmp_path / "orders.sqlite3"
    with OrderCache.open(path) as writer, OrderCache.open(path) as reader:
        assert _answers(reader) == [(0, [])] * len(QUERIES)
        writer.upsert_orders(orders, generation=1)
        assert writer.filling
        assert _answers(reader) == expected  # the search index is empty: it must not be used
        writer.delete_unseen(1)
        assert _answers(reader) == expected
        assert not reader.filling
