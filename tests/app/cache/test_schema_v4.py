"""Migration to schema version 4: a real cache written by schema 3
(``tests/fixtures/schema3-cache.sqlite3.gz``: zlib bodies, the stored
``alltext`` copy, an external-content search index) opens at once, answers
every query as a cache built by the current code does — while its upkeep
runs in steps and after it — and ends compact: every body in zstd with the
dictionary, the search index rebuilt with its end marks, the file written
again without its free pages."""

from __future__ import annotations

import gzip
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.cache import OrderCache, schema
from app.cache.bodies import ZSTD_MAGIC
from app.domain.queries import OrderQuery, SortKey
from tests.app.cache.support import key_of, seeded_orders, variations

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "schema3-cache.sqlite3.gz"
GONE, DELETED_HERE, PUSHED = "DEMO-Q56AJ", "DEMO-VAP8J", "DEMO-5NF1K"

QUERIES = [
    OrderQuery(),
    OrderQuery(text="okafor"),
    OrderQuery(text="a"),  # common short words: scanned
    OrderQuery(text="ok"),
    OrderQuery(text="zz"),  # rare short words: from the index once rebuilt
    OrderQuery(text="qx"),
    OrderQuery(text="ü 1"),
    OrderQuery(keywords="mug", customer="ok"),
    OrderQuery(payment_status=["PAID"], sort=SortKey.TOTAL),
    OrderQuery(payment_module="stripe", sort=SortKey.TOTAL, descending=False),
    OrderQuery(ids=[PUSHED]),
    OrderQuery(product_id=[71011, 71020], sort=SortKey.ITEMS),  # the items' ids' table
    OrderQuery(subscription_id=260011),
    OrderQuery(deleted=True),
    OrderQuery(include_incomplete=True, sort=SortKey.CUSTOMER),
]


@pytest.fixture
def schema3_file(tmp_path) -> Path:
    path = tmp_path / "orders.sqlite3"
    with gzip.open(FIXTURE) as packed, path.open("wb") as out:
        shutil.copyfileobj(packed, out)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
        (columns,) = conn.execute("SELECT sql FROM sqlite_schema WHERE name = 'order_text'")
        assert "alltext" in columns[0]
    conn.close()
    return path


@pytest.fixture
def twin(tmp_path) -> OrderCache:
    """The same orders, written by the current code."""
    base = seeded_orders(60, seed=11)
    orders = base + variations(base)
    cache = OrderCache.open(tmp_path / "twin.sqlite3")
    cache.upsert_orders(orders, generation=1)
    cache.delete_unseen(1)
    cache.record_deleted([GONE])
    cache.set_aside([DELETED_HERE])
    cache.set_marks({DELETED_HERE: (1, True), key_of(orders[7]): (2, False)})
    cache.record_printed([PUSHED], datetime(2026, 11, 1, tzinfo=UTC))
    yield cache
    cache.close()


def _same_answers(cache: OrderCache, twin: OrderCache) -> None:
    for query in QUERIES:
        assert cache.count(query) == twin.count(query), query
        assert cache.rows(query, limit=500) == twin.rows(query, limit=500), query


def _bodies(path: Path) -> list[bytes]:
    with sqlite3.connect(path) as conn:
        return [row[0] for row in conn.execute("SELECT body FROM order_bodies")]


def test_a_schema_3_cache_upgrades_and_answers_as_before_during_and_after_its_upkeep(
    schema3_file, twin
):
    with OrderCache.open(schema3_file) as cache:
        with cache._raw_connection() as conn:
            assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
            names = {row[0] for row in conn.execute("SELECT name FROM sqlite_schema")}
        assert "orders_total" not in names and "body_dictionaries" in names
        assert cache.compacting
        # at once: the old bodies read as they are, words are matched without the index
        assert cache.order_json(PUSHED) == twin.order_json(PUSHED)
        assert cache.order_json(GONE) == twin.order_json(GONE)
        _same_answers(cache, twin)
        assert cache.counts_slowly(OrderQuery(text="zz"))  # no index yet: scanned

        steps = 0
        while cache.compact_step():
            steps += 1
            if steps == 1:  # part of the index built: answers stay the same
                _same_answers(cache, twin)
        assert steps > 1 and not cache.compacting
        _same_answers(cache, twin)
        assert not cache.counts_slowly(OrderQuery(text="zz"))  # rare: from the index now
        for order in twin.rows(OrderQuery(include_incomplete=True), limit=500):
            assert cache.order_json(order.key) == twin.order_json(order.key)
        # what was kept beside the orders survives the upgrade
        assert not cache.ecdp_pushes([PUSHED])[PUSHED].changed_since_sent
        assert cache.invoice(PUSHED) == (1700000000, "<p>Invoice</p>")
        assert cache.printed_at(PUSHED) is not None
        assert cache.marks()[DELETED_HERE] == (1, True)
        with cache._raw_connection() as conn:
            conn.execute("INSERT INTO orders_fts (orders_fts) VALUES ('integrity-check')")
            assert conn.execute("PRAGMA auto_vacuum").fetchone()[0] == 2  # written again
    assert all(body.startswith(ZSTD_MAGIC) for body in _bodies(schema3_file))


def test_an_upgraded_cache_that_gets_new_orders_during_its_upkeep_indexes_them_once(
    schema3_file, twin
):
    fresh = dict(twin.order_json(PUSHED), id="NEW-1", orderNumber=999_001, vendorOrderNumber="N1")
    changed = dict(twin.order_json(PUSHED), privateAdminNotes="zq note")
    with OrderCache.open(schema3_file) as cache:
        cache.compact_step()
        cache.upsert_orders([fresh, changed])
        twin.upsert_orders([fresh, changed])
        while cache.compact_step():
            pass
        _same_answers(cache, twin)
        assert [row.key for row in cache.rows(OrderQuery(text="zq"))] == [PUSHED]
        with cache._raw_connection() as conn:
            conn.execute("INSERT INTO orders_fts (orders_fts) VALUES ('integrity-check')")
