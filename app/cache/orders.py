"""Writing orders into the cache: upsert, delete, and local edits.

These functions run inside a transaction the cache opened (and hold its
lock); they never commit. An upsert reads only the keys, rids, generations
and digests of the orders it gets, so re-fetching unchanged orders writes
nothing but their generation.

The cache holds the store's versions only: the user's edits wait in the
outbox (a file of its own), so nothing unconfirmed is ever shown, exported
or sent on as if the store had it.
An order in the deleted list (:mod:`app.cache.deleted`) is never stored
again by an upsert: its deletion waits to be sent, or the store has
deleted it.

An order that arrives as a :class:`~app.domain.raw_orders.RawOrder` is stored as
the very JSON text the server sent (encoding it again cost about as much as
parsing it), unless credentials inside its URLs had to be removed
(:func:`app.cache.prepared.without_credentials`; every body stored here,
the server's version kept beside an edited one too, goes through it); the
digest is of what is stored, so the same order sent again is recognised as
unchanged.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from app.domain.raw_orders import RawOrder

from . import codec, deleted, item_ids, prepared, text_index
from .bodies import BodyCodec
from .columns import INDEX_COLUMNS, OrderColumns, order_key
from .errors import CacheError
from .prepared import PreparedOrder
from .rows import UpsertResult

_CHUNK = 500  # bound parameters per IN (...) lookup

_ORDER_FIELDS = (
    "key, order_id, order_number, vendor_order_number, number, created_ts, updated_ts, "
    "payment_status, fulfillment_status, total, total_text, customer, customer_fold, email, "
    "email_fold, item_count, tracking_number, tracking_fold, payment_method, "
    "payment_method_fold, shipping_method, shipping_method_fold, coupon_code, coupon_fold, "
    "internal_id, total_cents, customer_id, payment_module_fold, pickup_ts, accept_marketing, "
    "product_ids, subscription_ids, has_preorder, referer_id"
)
_N_ORDER_FIELDS = _ORDER_FIELDS.count(",") + 1
_INSERT_ORDER = (
    f"INSERT INTO orders (rid, {_ORDER_FIELDS}, generation, digest) "
    f"VALUES ({','.join('?' * (_N_ORDER_FIELDS + 3))})"
)
_UPDATE_ORDER = (
    "UPDATE orders SET "
    + ", ".join(f"{name.strip()} = ?" for name in _ORDER_FIELDS.split(","))
    + ", generation = ?, digest = ? WHERE rid = ?"
)
_PRODUCTS = OrderColumns._fields.index("product_ids")
_ITEM_IDS = slice(_PRODUCTS + 1, _PRODUCTS + 3)  # in a new row: (rid, *columns, …)
_ITEM_IDS_CHANGED = slice(_PRODUCTS, _PRODUCTS + 2)  # in a changed row: (*columns, …, rid)
_TEXT_FIELDS = ", ".join(INDEX_COLUMNS)
_INSERT_TEXT = (
    f"INSERT INTO order_text (rid, {_TEXT_FIELDS}) "
    f"VALUES ({','.join('?' * (len(INDEX_COLUMNS) + 1))})"
)
_UPDATE_TEXT = (
    "UPDATE order_text SET " + ", ".join(f"{name} = ?" for name in INDEX_COLUMNS) + " WHERE rid = ?"
)


def _chunks(values: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _marks(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


def _rids(conn: sqlite3.Connection, keys: list[str]) -> list[int]:
    rids: list[int] = []
    for chunk in _chunks(keys):
        rids += [
            row[0]
            for row in conn.execute(f"SELECT rid FROM orders WHERE key IN ({_marks(chunk)})", chunk)
        ]
    return rids


def existing(conn: sqlite3.Connection, keys: list[str]) -> dict[str, tuple[int, int, bytes]]:
    """``key -> (rid, generation, digest)`` of the cached orders among ``keys``."""
    found: dict[str, tuple[int, int, bytes]] = {}
    for chunk in _chunks(keys):
        for key, rid, generation, digest in conn.execute(
            f"SELECT key, rid, generation, digest FROM orders WHERE key IN ({_marks(chunk)})",
            chunk,
        ):
            found[key] = (rid, generation, digest)
    return found


def upsert(
    conn: sqlite3.Connection,
    bodies: BodyCodec,
    orders: Sequence[dict[str, Any] | PreparedOrder],
    generation: int | None,
    *,
    fts_upto: int | None = None,
) -> UpsertResult:
    """Insert new orders, rewrite changed ones, leave identical ones (see the
    module doc). Each order is a JSON object or a :class:`PreparedOrder`;
    ``bodies`` compresses them. ``fts_upto`` is what the full-text index
    covers (see :func:`app.cache.filling.coverage`): orders beyond it are
    left out of it."""
    if generation is not None and (not isinstance(generation, int) or isinstance(generation, bool)):
        raise CacheError(f"A generation must be an integer, not {generation!r}.")
    incoming: dict[str, dict[str, Any] | PreparedOrder] = {}
    for order in orders:
        key = order.key if isinstance(order, PreparedOrder) else order_key(order)
        incoming[key] = order  # the last one of a key wins
    if incoming and not deleted.is_empty(conn):
        for key in deleted.keys_among(conn, list(incoming)):
            del incoming[key]
    if not incoming:
        return UpsertResult([], [])
    keys = list(incoming)
    stored = existing(conn, keys)

    next_rid = conn.execute("SELECT coalesce(max(rid), 0) + 1 FROM orders").fetchone()[0]
    new_orders: list[tuple[Any, ...]] = []
    new_bodies: list[tuple[int, bytes]] = []
    new_texts: list[tuple[Any, ...]] = []
    changed_orders: list[tuple[Any, ...]] = []
    changed_bodies: list[tuple[bytes, int]] = []
    changed_texts: list[tuple[Any, ...]] = []
    generations: list[tuple[int, int]] = []
    new_keys: list[str] = []
    updated_keys: list[str] = []

    for key, order in incoming.items():
        if isinstance(order, PreparedOrder):
            ready: PreparedOrder | None = order
            digest = order.digest
        else:
            ready = None
            body, raw = prepared.without_credentials(order, _encoded(key, order))
            digest = codec.digest(raw)
        previous = stored.get(key)
        if previous is not None and previous[2] == digest:
            if generation is not None and previous[1] != generation:
                generations.append((generation, previous[0]))
            continue
        if ready is None:
            ready = prepared.prepare(body, raw, key, scrubbed=True)
        _, _, raw_text, columns, text = ready
        blob = bodies.compress(raw_text)
        if previous is None:
            rid = next_rid
            next_rid += 1
            new_orders.append((rid, *columns, generation or 0, digest))
            new_bodies.append((rid, blob))
            new_texts.append((rid, *text))
            new_keys.append(key)
        else:
            rid, old_generation = previous[0], previous[1]
            row_generation = old_generation if generation is None else generation
            changed_orders.append((*columns, row_generation, digest, rid))
            changed_bodies.append((blob, rid))
            changed_texts.append((*text, rid))
            updated_keys.append(key)

    if new_orders:
        conn.executemany(_INSERT_ORDER, new_orders)
        item_ids.add(conn, [(row[0], *row[_ITEM_IDS]) for row in new_orders])
        conn.executemany("INSERT INTO order_bodies (rid, body) VALUES (?, ?)", new_bodies)
        conn.executemany(_INSERT_TEXT, new_texts)
        text_index.add(conn, new_texts, fts_upto)
    if changed_orders:
        item_ids.remove(conn, [row[-1] for row in changed_orders])
        conn.executemany(_UPDATE_ORDER, changed_orders)
        item_ids.add(conn, [(row[-1], *row[_ITEM_IDS_CHANGED]) for row in changed_orders])
        conn.executemany("UPDATE order_bodies SET body = ? WHERE rid = ?", changed_bodies)
        text_index.remove(conn, [row[-1] for row in changed_texts], fts_upto)
        conn.executemany(_UPDATE_TEXT, changed_texts)
        text_index.add(conn, [(row[-1], *row[:-1]) for row in changed_texts], fts_upto)
    if generations:
        conn.executemany("UPDATE orders SET generation = ? WHERE rid = ?", generations)
    return UpsertResult(new_keys, updated_keys)


def _encoded(key: str, order: dict[str, Any]) -> bytes:
    """The JSON text to store for ``order``: the text it arrived as, if known."""
    if isinstance(order, RawOrder):
        return order.source.encode("utf-8")  # stored as sent: no second encoding
    try:
        return codec.encode(order)
    except (TypeError, ValueError) as exc:
        raise CacheError(f"Order {key} cannot be stored: {exc}") from None


def rewrite(
    conn: sqlite3.Connection,
    bodies: BodyCodec,
    key: str,
    body: dict[str, Any],
    *,
    fts_upto: int | None = None,
    keep_item_ids: bool = True,
) -> None:
    """Store ``body`` as the cached order ``key`` (which must exist), keeping
    its generation (a migration rewriting stored bodies; one older than
    schema 4 has no ``order_item_ids`` to keep: ``keep_item_ids=False``)."""
    row = conn.execute("SELECT rid FROM orders WHERE key = ?", (key,)).fetchone()
    if row is None:
        raise CacheError(f"Order {key} is not in the cache.")
    (rid,) = row
    _, digest, raw, columns, text = prepared.prepare(body, _encoded(key, body), key)
    generation = conn.execute("SELECT generation FROM orders WHERE rid = ?", (rid,)).fetchone()[0]
    if keep_item_ids:
        item_ids.remove(conn, [rid])
    conn.execute(_UPDATE_ORDER, (*columns, generation, digest, rid))
    if keep_item_ids:
        item_ids.add(conn, [(rid, columns.product_ids, columns.subscription_ids)])
    conn.execute("UPDATE order_bodies SET body = ? WHERE rid = ?", (bodies.compress(raw), rid))
    text_index.remove(conn, [rid], fts_upto)
    conn.execute(_UPDATE_TEXT, (*text, rid))
    text_index.add(conn, [(rid, *text)], fts_upto)


def body(conn: sqlite3.Connection, bodies: BodyCodec, key: str) -> dict[str, Any] | None:
    """The stored order ``key``, parsed."""
    row = conn.execute(
        "SELECT body FROM order_bodies WHERE rid = (SELECT rid FROM orders WHERE key = ?)", (key,)
    ).fetchone()
    return None if row is None else bodies.decode(conn, row[0])


def delete(
    conn: sqlite3.Connection, keys: Iterable[str], *, fts_upto: int | None = None
) -> list[str]:
    """Delete the orders ``keys``; return those that were cached, in the order given."""
    wanted = list(dict.fromkeys(str(key) for key in keys))
    rids = _rids(conn, wanted)
    text_index.remove(conn, rids, fts_upto)
    item_ids.remove(conn, rids)
    deleted: set[str] = set()
    for chunk in _chunks(wanted):
        deleted.update(
            row[0]
            for row in conn.execute(
                f"DELETE FROM orders WHERE key IN ({_marks(chunk)}) RETURNING key", chunk
            )
        )
    return [key for key in wanted if key in deleted]


_UNSEEN = "FROM orders WHERE generation < ? AND key NOT IN (SELECT key FROM order_marks)"


def unseen_keys(conn: sqlite3.Connection, generation: int) -> list[str]:
    """Keys of orders of an older generation without open edits in the outbox."""
    return [row[0] for row in conn.execute(f"SELECT key {_UNSEEN}", (generation,))]


def delete_unseen(
    conn: sqlite3.Connection, generation: int, *, fts_upto: int | None = None
) -> list[str]:
    """Delete orders of an older generation without open edits in the outbox."""
    rids = [
        row[0]
        for row in conn.execute(
            f"SELECT rid {_UNSEEN}",
            (generation,),
        )
    ]
    text_index.remove(conn, rids, fts_upto)
    item_ids.remove(conn, rids)
    deleted: list[str] = []
    for chunk in _chunks(rids):
        deleted += [
            row[0]
            for row in conn.execute(
                f"DELETE FROM orders WHERE rid IN ({_marks(chunk)}) RETURNING key", chunk
            )
        ]
    return deleted
