"""The cache's kept order total (``order_count``, schema 5): exact after any
writes (random sequences, hypothesis), filled by the upgrade of a schema-4
file, read instead of counted as the table opens, and put right — loudly —
at the end of a full sync when the file was changed behind the cache's back."""

from __future__ import annotations

import logging
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.cache import OrderCache, order_count
from app.domain.queries import OrderQuery
from tests.app.cache.support import as_version_4, key_of, seeded_orders

ORDERS = seeded_orders(40, seed=5)
KEYS = [key_of(order) for order in ORDERS]


def _counted(cache: OrderCache) -> tuple[int, int]:
    """(the kept total, a real count)."""
    with cache._raw_connection() as conn:
        kept = conn.execute("SELECT orders FROM order_count").fetchone()[0]
        counted = conn.execute("SELECT count(*) FROM orders").fetchone()[0]
    return kept, counted


def _changed(order: dict[str, Any]) -> dict[str, Any]:
    return {**order, "privateAdminNotes": f"{order.get('privateAdminNotes') or ''} again"}


_some = st.lists(st.sampled_from(range(len(ORDERS))), max_size=12, unique=True)
_steps = st.lists(
    st.one_of(
        st.tuples(st.just("upsert"), _some),
        st.tuples(st.just("change"), _some),
        st.tuples(st.just("delete"), _some),
        st.tuples(st.just("set_aside"), _some),
        st.tuples(st.just("put_back"), _some),
        st.tuples(st.just("record_deleted"), _some),
        st.tuples(st.just("full_sync"), _some),
    ),
    max_size=10,
)


@settings(max_examples=60, deadline=None, database=None)
@given(steps=_steps)
def test_the_kept_total_is_exact_after_any_writes(steps):
    with tempfile.TemporaryDirectory() as folder:
        with OrderCache.open(Path(folder) / "cache.sqlite3") as cache:
            generation = 1
            for step, picked in steps:
                orders = [ORDERS[i] for i in picked]
                keys = [KEYS[i] for i in picked]
                if step == "upsert":
                    cache.upsert_orders(orders)
                elif step == "change":
                    cache.upsert_orders([_changed(order) for order in orders])
                elif step == "delete":
                    cache.delete_orders(keys)
                elif step == "set_aside":
                    cache.set_aside(keys)
                elif step == "put_back":
                    cache.put_back(keys)
                elif step == "record_deleted":
                    cache.record_deleted(keys)
                else:  # a full sync that saw these orders only
                    generation += 1
                    cache.upsert_orders(orders, generation=generation)
                    cache.delete_unseen(generation)
                kept, counted = _counted(cache)
                assert kept == counted, (step, picked)


def test_a_schema_4_cache_upgrades_with_its_orders_counted(tmp_path):
    path = tmp_path / "cache.sqlite3"
    with OrderCache.open(path) as cache:
        cache.upsert_orders(ORDERS, generation=1)
        cache.delete_unseen(1)
    as_version_4(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 4
        assert not conn.execute("SELECT 1 FROM sqlite_schema WHERE name = 'order_count'").fetchone()
    conn.close()
    with OrderCache.open(path) as cache:
        assert _counted(cache) == (len(ORDERS), len(ORDERS))
        cache.delete_orders(KEYS[:3])
        assert _counted(cache) == (len(ORDERS) - 3, len(ORDERS) - 3)


def test_the_table_s_total_is_read_not_counted(tmp_path):
    """Every order, and every order but the unfinished ones (the table as it
    opens), without reading every index entry: the kept total, and the
    unfinished ones from the status index."""
    with OrderCache.open(tmp_path / "cache.sqlite3") as cache:
        cache.upsert_orders(ORDERS, generation=1)
        cache.delete_unseen(1)
        unfinished = sum(order["paymentStatus"] == "INCOMPLETE" for order in ORDERS)
        cache._counts.clear()
        conn = cache._live()
        statements: list[str] = []
        conn.set_trace_callback(statements.append)
        try:
            assert cache.count(OrderQuery()) == len(ORDERS) - unfinished
            assert cache.count(OrderQuery(include_incomplete=True)) == len(ORDERS)
        finally:
            conn.set_trace_callback(None)
        counts = [s for s in statements if "count(" in s]
        assert counts and all("WHERE" in s and "WHERE 1" not in s for s in counts), counts
        assert any("FROM order_count" in s for s in statements), statements


def test_a_total_changed_behind_the_cache_s_back_is_put_right_after_a_full_sync(tmp_path, caplog):
    with OrderCache.open(tmp_path / "cache.sqlite3") as cache:
        cache.upsert_orders(ORDERS, generation=1)
        cache.delete_unseen(1)
        with cache._raw_connection() as conn:
            conn.execute("UPDATE order_count SET orders = 7")
        with caplog.at_level(logging.WARNING, logger=order_count.__name__):
            cache.upsert_orders(ORDERS, generation=2)
            cache.delete_unseen(2)
        assert _counted(cache) == (len(ORDERS), len(ORDERS))
        assert "was 7, not 40; corrected" in caplog.text


@pytest.mark.parametrize("row", ["missing", "present"])
def test_a_missing_total_is_counted_and_said(tmp_path, caplog, row):
    with OrderCache.open(tmp_path / "cache.sqlite3") as cache:
        cache.upsert_orders(ORDERS[:5], generation=1)
        with cache._raw_connection() as conn:
            if row == "missing":
                conn.execute("DELETE FROM order_count")
            with caplog.at_level(logging.WARNING, logger=order_count.__name__):
                assert order_count.read(conn) == 5
    assert ("missing; counting" in caplog.text) is (row == "missing")
