"""Migration to schema version 3: a cache written by the previous version
(orders, deleted orders; or a first full sync
still filling it) gains the columns of the current search filters, filled
from the stored bodies, and answers those filters at once."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from app.cache import OrderCache, codec, schema
from app.cache.columns import OrderColumns, index_entry
from app.domain.queries import OrderQuery
from tests.app.cache.support import V3_INDEXES, V3_KEPT, as_version_2, key_of

QUERIES = (
    OrderQuery(total_from="29.44", total_to="29.44"),
    OrderQuery(customer_id=50000028),
    OrderQuery(product_id=[71011, 71020]),
    OrderQuery(subscription_id=260011),
    OrderQuery(pickup_time_from="2025-11-01"),
    OrderQuery(payment_module="stripe", accept_marketing=True),
    OrderQuery(contains_preorder_items=True),
    OrderQuery(referer_id="1207"),
)


def _columns(path: Path) -> dict[str, tuple]:
    with sqlite3.connect(path) as conn:
        names = ", ".join(OrderColumns._fields)
        return {row[0]: tuple(row) for row in conn.execute(f"SELECT {names} FROM orders")}


def _indexes(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {row[0] for row in conn.execute("SELECT name FROM sqlite_schema WHERE type='index'")}


def test_an_older_cache_is_filled_from_its_bodies(tmp_path, orders):
    path, fresh = tmp_path / "old.sqlite3", tmp_path / "fresh.sqlite3"
    edited = next(o for o in orders if o.get("id") and o["paymentStatus"] == "PAID")
    gone = [key_of(o) for o in orders[-8:]]  # the variations among them
    for file in (path, fresh):
        with OrderCache.open(file) as cache:
            cache.upsert_orders(orders, generation=1)
            cache.delete_unseen(1)
            cache.upsert_orders([dict(edited, customerId=424242)])  # changed in the store
            cache.record_deleted(gone)
    expected = _columns(fresh)
    as_version_2(path)
    assert "orders_customer_id" not in _indexes(path)

    with OrderCache.open(path) as cache:
        # the changed body's values are in the columns too
        assert cache.count(OrderQuery(customer_id=424242)) == 1
        assert _columns(path) == expected
        with OrderCache.open(fresh) as twin:
            for query in QUERIES:
                assert cache.rows(query, limit=1000) == twin.rows(query, limit=1000), query
                deleted = query.model_copy(update={"deleted": True})
                assert cache.rows(deleted, limit=100) == twin.rows(deleted, limit=100), query
        artefact = cache.rows(
            OrderQuery(deleted=True, total_from="29.44", total_to="29.44"), limit=10
        )
        assert "VAR-00004" in [row.key for row in artefact]
    assert set(V3_KEPT) <= _indexes(path)  # (schema 4 drops the items' ids index)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        for key, columns, blob in conn.execute("SELECT key, columns, body FROM deleted_orders"):
            assert json.loads(columns) == list(index_entry(codec.decode(blob), key)[0])


def test_a_cache_still_filling_gets_the_new_indexes_when_the_fill_ends(tmp_path, orders):
    path = tmp_path / "filling.sqlite3"
    with OrderCache.open(path) as cache:
        cache.upsert_orders(orders[:200], generation=1)
        assert cache.filling
    as_version_2(path)
    with OrderCache.open(path) as cache:
        assert cache.filling
        assert not set(V3_INDEXES) & _indexes(path)  # not while the fill runs
        assert cache.count(OrderQuery(contains_preorder_items=True))  # answered meanwhile
        cache.upsert_orders(orders[200:], generation=1)
        cache.delete_unseen(1)
        assert not cache.filling
        assert set(V3_KEPT) <= _indexes(path)
        wanted = sum(
            1
            for o in orders
            if o.get("customerId") == 50000028 and o["paymentStatus"] != "INCOMPLETE"
        )
        assert cache.count(OrderQuery(customer_id=50000028)) == wanted > 0
