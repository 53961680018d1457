"""The cache's record of ECDP pushes: confirmed, failed and "cannot be matched"
attempts, which of them a push may leave alone (settled until the order
changes), and a file from before "cannot be matched" existed."""

from __future__ import annotations

import copy
import sqlite3

import pytest

from app.cache import OrderCache, codec, schema
from app.cache.ecdp_pushes import EcdpPushRecord
from tests.app.cache.support import key_of

TARGET = "unit@ecdp"
WHY = "it has no email, phone or customer id, so ECDP cannot match it to a customer"


@pytest.fixture
def cached(cache, orders):
    """Three cached orders and their current digests."""
    chosen = [copy.deepcopy(order) for order in orders if order.get("id")][:3]
    cache.upsert_orders(chosen)
    keys = [key_of(order) for order in chosen]
    digests = {key: digest for key, (digest, _) in cache.orders_with_digests(keys).items()}
    return cache, keys, digests


def _change(cache: OrderCache, key: str) -> None:
    order = cache.order_json(key)
    order["email"] = "changed@example.org"
    cache.upsert_orders([order])


def test_settled_orders_are_the_confirmed_and_the_unmatched_as_cached(cached):
    cache, (sent, unmatched, failed), digest = cached
    cache.record_ecdp_pushes(
        [
            EcdpPushRecord(
                sent, TARGET, 1.0, sent_at=1.0, sent_digest=b"s", source_digest=digest[sent]
            ),
            EcdpPushRecord(unmatched, TARGET, 2.0, error=WHY, unmatched_digest=digest[unmatched]),
            EcdpPushRecord(failed, TARGET, 3.0, error="ECDP answered 500"),
        ]
    )
    keys = [sent, unmatched, failed, "NOT-CACHED"]
    assert cache.ecdp_settled(keys, TARGET) == {sent: None, unmatched: WHY}
    assert cache.ecdp_settled(keys, "other@ecdp") == {}
    record = cache.ecdp_pushes([unmatched], TARGET)[unmatched]
    assert record.unmatched_as_cached and record.error == WHY and record.sent_at is None

    _change(cache, unmatched)  # a new version: worth trying again
    assert cache.ecdp_settled(keys, TARGET) == {sent: None}
    assert not cache.ecdp_pushes([unmatched], TARGET)[unmatched].unmatched_as_cached


def test_an_unmatched_attempt_keeps_the_last_confirmed_push_and_a_later_one_clears_it(cached):
    cache, (key, *_), digest = cached
    confirmed = EcdpPushRecord(
        key, TARGET, 1.0, sent_at=1.0, sent_digest=b"sent", source_digest=b"older version"
    )
    cache.record_ecdp_pushes([confirmed])
    cache.record_ecdp_pushes(
        [EcdpPushRecord(key, TARGET, 2.0, error=WHY, unmatched_digest=digest[key])]
    )
    record = cache.ecdp_pushes([key], TARGET)[key]
    assert (record.sent_at, record.sent_digest, record.attempted_at) == (1.0, b"sent", 2.0)
    assert record.unmatched_as_cached

    cache.record_ecdp_pushes([EcdpPushRecord(key, TARGET, 3.0, error="ECDP answered 500")])
    record = cache.ecdp_pushes([key], TARGET)[key]
    assert record.unmatched_digest is None and record.error == "ECDP answered 500"
    assert cache.ecdp_settled([key], TARGET) == {}

    cache.record_ecdp_pushes(
        [EcdpPushRecord(key, TARGET, 4.0, error=WHY, unmatched_digest=digest[key])]
    )
    cache.record_ecdp_pushes(
        [
            EcdpPushRecord(
                key, TARGET, 5.0, sent_at=5.0, sent_digest=b"new", source_digest=digest[key]
            )
        ]
    )
    record = cache.ecdp_pushes([key], TARGET)[key]
    assert record.unmatched_digest is None and record.error is None
    assert cache.ecdp_settled([key], TARGET) == {key: None}


def test_a_file_from_before_unmatched_pushes_keeps_its_records(tmp_path, orders):
    path = tmp_path / "orders.sqlite3"
    added_at = next(
        index
        for index, steps in enumerate(schema.MIGRATIONS)
        if any(isinstance(step, str) and "unmatched_digest" in step for step in steps)
    )
    order = copy.deepcopy(orders[0])
    with sqlite3.connect(path, isolation_level=None) as conn:  # as the older Backroom made it
        conn.execute("BEGIN")
        for steps in schema.MIGRATIONS[:added_at]:
            for step in steps:
                if callable(step):
                    step(conn)
                else:
                    conn.execute(step)
        conn.execute(f"PRAGMA user_version = {added_at}")
        conn.execute("COMMIT")
        conn.execute(
            "INSERT INTO ecdp_pushes (key, target, attempted_at, error, sent_at, sent_digest, "
            "source_digest) VALUES (?, ?, 1.0, NULL, 1.0, x'01', ?)",
            (key_of(order), TARGET, codec.digest(codec.encode(order))),
        )
    conn.close()
    with OrderCache.open(path) as cache:
        cache.upsert_orders([order])
        record = cache.ecdp_pushes([key_of(order)], TARGET)[key_of(order)]
        assert record.unmatched_digest is None and not record.changed_since_sent
        assert cache.ecdp_settled([key_of(order)], TARGET) == {key_of(order): None}
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
