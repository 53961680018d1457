"""The bodies' compression (app.cache.bodies): zstd with a dictionary trained
from the store's own orders, kept in the cache. Bodies written before any
dictionary, or with an older one, read back exactly; upkeep writes them
again with the newest; a damaged or missing dictionary is a damaged cache
(the path that moves it aside), never a traceback or a wrong order."""

from __future__ import annotations

import sqlite3

import pytest
import zstandard

from app.cache import CacheCorruptError, OrderCache, bodies
from tests.app.cache.support import key_of, seeded_orders

TRAIN_AT = 150


@pytest.fixture
def small_training(monkeypatch):
    """Train after 150 orders (2,000 in the app) so the tests stay small."""
    monkeypatch.setattr(bodies, "TRAIN_AT", TRAIN_AT)
    monkeypatch.setattr(bodies, "TRAIN_SAMPLES", TRAIN_AT)


@pytest.fixture(scope="module")
def many() -> list[dict]:
    return seeded_orders(420, seed=5)


def _dictionary_ids(cache: OrderCache) -> list[int]:
    with cache._raw_connection() as conn:
        return [
            zstandard.get_frame_parameters(row[0]).dict_id
            for row in conn.execute("SELECT body FROM order_bodies ORDER BY rid")
        ]


def _all_read_back(cache: OrderCache, orders: list[dict]) -> None:
    for order in orders:
        assert cache.order_json(key_of(order)) == order


def test_bodies_written_before_a_dictionary_read_back_and_are_rewritten_with_it(
    tmp_path, many, small_training
):
    path = tmp_path / "orders.sqlite3"
    with OrderCache.open(path) as cache, OrderCache.open(path) as reader:
        cache.upsert_orders(many[:100], generation=1)  # the first pages of a first sync
        assert set(_dictionary_ids(cache)) == {0}  # zstd without a dictionary
        cache.upsert_orders(many[100:200], generation=1)  # crosses the mark: trained
        cache.upsert_orders(many[200:300], generation=1)
        cache.delete_unseen(1)
        ids = _dictionary_ids(cache)
        assert set(ids[:200]) == {0} and set(ids[200:]) == {1}
        _all_read_back(cache, many[:300])
        _all_read_back(reader, many[:300])  # another connection, opened before the training
        assert cache.compacting
        while cache.compact_step():
            pass
        assert set(_dictionary_ids(cache)) == {1}
        _all_read_back(cache, many[:300])
        _all_read_back(reader, many[:300])

        # a later dictionary: new bodies use it, the older ones still read, upkeep moves them
        assert cache.train_dictionary() == 2
        cache.upsert_orders(many[300:])
        assert set(_dictionary_ids(cache)[300:]) == {2}
        _all_read_back(reader, many)
        while cache.compact_step():
            pass
        assert set(_dictionary_ids(cache)) == {2}
        _all_read_back(cache, many)
        # an order deleted while its body used dictionary 1 reads after all that
        cache.record_deleted([key_of(many[3])])
        assert cache.order_json(key_of(many[3])) == many[3]
        with cache._raw_connection() as conn:
            sizes = [len(row[0]) for row in conn.execute("SELECT body FROM order_bodies")]
        assert sum(sizes) / len(sizes) < 700  # zlib kept ~2,200 bytes of these


def test_a_small_store_never_trains_and_reads_its_bodies(tmp_path, many):
    with OrderCache.open(tmp_path / "orders.sqlite3") as cache:
        cache.upsert_orders(many[:50], generation=1)
        cache.delete_unseen(1)
        while cache.compact_step():
            pass
        assert set(_dictionary_ids(cache)) == {0}
        _all_read_back(cache, many[:50])


def _trained(path, many) -> None:
    with OrderCache.open(path) as cache:
        cache.upsert_orders(many[:200], generation=1)
        cache.delete_unseen(1)
        while cache.compact_step():
            pass


@pytest.mark.parametrize(
    "damage",
    [
        "UPDATE body_dictionaries SET data = substr(data, 1, 1000) || zeroblob(10)",
        "UPDATE body_dictionaries SET digest = zeroblob(16)",
        "UPDATE body_dictionaries SET data = 'not a dictionary'",
    ],
)
def test_a_damaged_dictionary_is_a_damaged_cache(tmp_path, many, small_training, damage):
    path = tmp_path / "orders.sqlite3"
    _trained(path, many)
    with sqlite3.connect(path) as conn:
        conn.execute(damage)
    conn.close()
    with pytest.raises(CacheCorruptError, match="dictionary"):
        OrderCache.open(path)
    cache, moved = OrderCache.open_or_rebuild(path)  # the existing path: set aside, start afresh
    with cache:
        assert moved is not None and moved.exists()
        assert cache.count() == 0


def test_a_missing_older_dictionary_is_a_damaged_cache_when_a_body_needs_it(
    tmp_path, many, small_training
):
    path = tmp_path / "orders.sqlite3"
    _trained(path, many)
    with OrderCache.open(path) as cache:
        assert cache.train_dictionary() == 2  # the bodies still use dictionary 1
        with cache._raw_connection() as conn:
            conn.execute("DELETE FROM body_dictionaries WHERE id = 1")
    with OrderCache.open(path) as cache:
        assert len(cache.rows(limit=500)) == cache.count() > 150  # listing reads no bodies
        with pytest.raises(CacheCorruptError, match="dictionary 1 is missing"):
            cache.order_json(key_of(many[0]))
