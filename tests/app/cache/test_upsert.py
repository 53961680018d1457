"""Storing orders: new, changed and unchanged orders, generations and
full-sync reconciliation, deletion, and the search index kept in step."""

from __future__ import annotations

import copy
import json

import pytest

from app.cache import CacheError, OrderCache, UpsertResult, item_ids
from app.domain.outbox import OutboxState
from app.domain.queries import OrderQuery
from app.domain.raw_orders import RawOrder
from tests.app.cache.support import key_of, stored_text


def _fts_ok(cache: OrderCache) -> None:
    with cache._raw_connection() as conn:
        conn.execute("INSERT INTO orders_fts (orders_fts) VALUES ('integrity-check')")


def _generations(cache: OrderCache) -> dict[str, int]:
    with cache._raw_connection() as conn:
        return dict(conn.execute("SELECT key, generation FROM orders"))


def test_new_updated_and_unchanged(cache, orders):
    first = cache.upsert_orders(orders[:30])
    assert first == UpsertResult(new=[key_of(o) for o in orders[:30]], updated=[])

    changed = copy.deepcopy(orders[3])
    changed["fulfillmentStatus"] = "SHIPPED"
    changed["trackingNumber"] = "NEW-TRACK-123"
    again = cache.upsert_orders([*orders[:3], changed, *orders[4:35]])
    assert again.new == [key_of(o) for o in orders[30:35]]
    assert again.updated == [key_of(changed)]
    assert again.changed == again.new + again.updated

    assert cache.upsert_orders(copy.deepcopy(orders[:35])) == UpsertResult(
        [], [changed_key := key_of(orders[3])]
    )
    assert cache.order_json(changed_key) == orders[3]
    assert cache.upsert_orders(orders[:35]) == UpsertResult([], [])
    assert cache.upsert_orders([]) == UpsertResult([], [])


def test_the_stored_json_is_the_order_as_sent(cache, orders):
    cache.upsert_orders(orders)
    for order in orders[::37]:
        assert cache.order_json(key_of(order)) == order
        assert cache.has_order(key_of(order))
    assert cache.order_json("NOPE") is None
    assert not cache.has_order("NOPE")
    with cache._raw_connection() as conn:
        blob = conn.execute("SELECT body FROM order_bodies LIMIT 1").fetchone()[0]
        raw = stored_text(conn, blob)
    assert json.loads(raw) == orders[0]
    assert b", " not in raw[:200] and b'": ' not in raw[:200]  # compact
    assert len(blob) < len(raw) / 2


def test_key_is_the_id_or_the_number_of_a_legacy_order(cache, orders):
    legacy = next(o for o in orders if not o.get("id"))
    assert cache.upsert_orders([legacy]).new == [str(legacy["orderNumber"])]
    with pytest.raises(CacheError, match="neither an id nor an order number"):
        cache.upsert_orders([{"total": 1}])
    with pytest.raises(CacheError):
        cache.upsert_orders(["not an order"])  # type: ignore[list-item]


def test_a_failed_batch_stores_nothing(cache, orders):
    bad = copy.deepcopy(orders[5])
    bad["unserialisable"] = object()
    with pytest.raises(CacheError, match="cannot be stored"):
        cache.upsert_orders([*orders[:5], bad])
    assert cache.count(OrderQuery(include_incomplete=True)) == 0


def test_the_last_copy_of_a_key_in_a_batch_wins(cache, orders):
    newer = copy.deepcopy(orders[0])
    newer["paymentStatus"] = "REFUNDED"
    result = cache.upsert_orders([orders[0], newer])
    assert result.new == [key_of(orders[0])]
    assert cache.order_json(key_of(orders[0]))["paymentStatus"] == "REFUNDED"


def test_generations_and_delete_unseen(cache, orders):
    cache.upsert_orders(orders[:20], generation=1)
    cache.upsert_orders(orders[20:25])  # no generation: new rows get 0
    assert set(_generations(cache).values()) == {0, 1}

    # a full sync (generation 2) sees 0..9 (unchanged) and 12 (changed) only
    changed = copy.deepcopy(orders[12])
    changed["privateAdminNotes"] = "seen again"
    result = cache.upsert_orders([*orders[:10], changed], generation=2)
    assert result == UpsertResult([], [key_of(changed)])
    # rows upserted without a generation keep theirs
    cache.upsert_orders([orders[0], orders[15]])
    generations = _generations(cache)
    assert generations[key_of(orders[0])] == 2 and generations[key_of(orders[15])] == 1

    pending_key = key_of(orders[18])
    cache.set_marks({pending_key: (1, False)})  # an edit of it waits in the outbox

    deleted = cache.delete_unseen(2)
    seen = {key_of(o) for o in [*orders[:10], orders[12]]}
    assert set(deleted) == {key_of(o) for o in orders[:25]} - seen - {pending_key}
    assert {row for row in _generations(cache)} == seen | {pending_key}
    assert cache.delete_unseen(2) == []
    _fts_ok(cache)


def test_delete_orders(cache, orders):
    cache.upsert_orders(orders[:10])
    keys = [key_of(o) for o in orders[:3]]
    cache.put_invoice(keys[0], 1, "<p>invoice</p>")
    assert cache.delete_orders([*keys, "NOPE", keys[0]]) == keys
    assert cache.delete_orders(keys) == []
    assert not cache.has_order(keys[0])
    assert cache.invoice(keys[0]) is None  # the invoice goes with the order
    assert cache.delete_orders(key_of(orders[4])) == [key_of(orders[4])]  # one key as a str
    with cache._raw_connection() as conn:
        assert conn.execute("SELECT count(*) FROM order_bodies").fetchone()[0] == 6
        assert conn.execute("SELECT count(*) FROM order_text").fetchone()[0] == 6
    _fts_ok(cache)


def test_the_search_index_follows_updates_and_deletes(cache, orders):
    order = copy.deepcopy(
        next(o for o in orders[100:] if o.get("id") and o["paymentStatus"] == "PAID")
    )
    order["privateAdminNotes"] = "zebracorn alpha"
    cache.upsert_orders([order, *orders[:50]])
    assert [r.key for r in cache.rows(OrderQuery(text="zebracorn"))] == [order["id"]]

    order["privateAdminNotes"] = "unicornzeb beta"
    assert cache.upsert_orders([order]).updated == [order["id"]]
    assert cache.rows(OrderQuery(text="zebracorn")) == []
    assert cache.count(OrderQuery(text="alpha")) == 0
    assert [r.key for r in cache.rows(OrderQuery(text="unicornz"))] == [order["id"]]

    # an order turning unfinished leaves the default searches
    order["paymentStatus"] = "INCOMPLETE"
    cache.upsert_orders([order])
    assert cache.rows(OrderQuery(text="unicornz")) == []
    assert cache.count(OrderQuery(text="unicornz", include_incomplete=True)) == 1

    cache.delete_orders([order["id"]])
    assert cache.count(OrderQuery(text="unicornz", include_incomplete=True)) == 0
    _fts_ok(cache)


def test_statistics_are_gathered_as_the_cache_grows(cache, orders):
    for start in range(0, 600, 100):
        cache.upsert_orders(orders[start : start + 100])
    with cache._raw_connection() as conn:
        has_stats = conn.execute(
            "SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'"
        ).fetchone()[0]
    assert has_stats == 0  # not for a few hundred orders
    many = []
    for index in range(1200):
        order = copy.deepcopy(orders[index % 50])
        order["id"] = f"BULK-{index}"
        many.append(order)
    cache.upsert_orders(many)
    with cache._raw_connection() as conn:
        stats = conn.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'orders'").fetchone()[0]
    assert stats > 0
    cache.analyze()


def test_unseen_keys_are_what_delete_unseen_deletes(tmp_path):
    from app.cache import OrderCache

    orders = [{"id": f"K-{n}", "orderNumber": n, "items": []} for n in range(1, 6)]
    with OrderCache.open(tmp_path / "c.sqlite3") as cache:
        cache.upsert_orders(orders, generation=1)
        cache.upsert_orders(orders[:3], generation=2)
        assert sorted(cache.unseen_keys(2)) == ["K-4", "K-5"]
        assert sorted(cache.delete_unseen(2)) == ["K-4", "K-5"]
        assert cache.unseen_keys(2) == []


def _stored_text(cache: OrderCache, key: str) -> bytes:
    with cache._raw_connection() as conn:
        (blob,) = conn.execute(
            "SELECT body FROM order_bodies WHERE rid = (SELECT rid FROM orders WHERE key = ?)",
            (key,),
        ).fetchone()
        return stored_text(conn, blob)


def test_an_order_as_received_is_stored_as_its_own_text(cache, orders):
    source = json.dumps(orders[0], indent=1)  # however the server spaced it
    received = RawOrder(json.loads(source), source)
    key = key_of(orders[0])
    assert cache.upsert_orders([received]).new == [key]
    assert _stored_text(cache, key) == source.encode()
    assert cache.order_json(key) == orders[0]
    # the same text again is unchanged; different text of a changed order is stored
    assert not cache.upsert_orders([RawOrder(json.loads(source), source)]).changed
    changed = dict(orders[0], trackingNumber="TRK-RAW-1")
    text = json.dumps(changed)
    assert cache.upsert_orders([RawOrder(changed, text)]).updated == [key]
    assert _stored_text(cache, key) == text.encode()
    assert cache.rows(OrderQuery(text="TRK-RAW-1"))[0].key == key


def test_an_order_with_an_edit_waiting_is_stored_as_the_store_sent_it(cache, orders):
    """The cache holds the store's versions only: a waiting edit marks the
    order but never changes what is stored (or exported, or pushed)."""
    key = key_of(orders[0])
    cache.upsert_orders([orders[0]])
    cache.set_marks({key: (1, False)})
    changed = dict(orders[0], privateAdminNotes="changed in the store")
    source = json.dumps(changed)
    cache.upsert_orders([RawOrder(json.loads(source), source)])
    assert cache.order_json(key)["privateAdminNotes"] == "changed in the store"
    assert _stored_text(cache, key) == source.encode()
    [row] = cache.rows(OrderQuery(include_incomplete=True), limit=10)
    assert (row.key, row.outbox_state) == (key, OutboxState.WAITING)


def test_the_items_ids_table_follows_every_change(cache, orders):
    """``order_item_ids`` holds exactly the ids the orders' rows list, through
    inserts, changes (items added and removed), deletions and put-backs."""
    cache.upsert_orders(orders, generation=1)
    cache.delete_unseen(1)
    some = [o for o in orders if o.get("items") and o.get("id")][:20]
    changed = []
    for index, order in enumerate(some[:10]):
        items = [dict(item, productId=99_000 + index) for item in order["items"][:1]]
        changed.append(dict(order, items=items))
    cache.upsert_orders(changed)
    cache.delete_orders([key_of(o) for o in some[10:13]])
    cache.set_aside([key_of(some[13])])
    cache.put_back([key_of(some[13])])
    with cache._raw_connection() as conn:
        table = set(conn.execute("SELECT kind, id, rid FROM order_item_ids"))
        expected = {
            entry
            for rid, products, subscriptions in conn.execute(
                "SELECT rid, product_ids, subscription_ids FROM orders"
            )
            for entry in item_ids.entries(rid, products, subscriptions)
        }
    assert table == expected and (0, 99_003, _rid(cache, key_of(some[3]))) in table


def _rid(cache, key):
    with cache._raw_connection() as conn:
        return conn.execute("SELECT rid FROM orders WHERE key = ?", (key,)).fetchone()[0]
