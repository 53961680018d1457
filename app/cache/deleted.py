"""Deleted orders: kept aside, listed under ``OrderQuery(deleted=True)``.

An order the user deletes leaves ``orders`` at once (so no normal query pays
for it) and waits here while its outbox entry is sent; an order an
incremental sync learns was deleted on the server is moved here too. Each
keeps its indexed columns, search text and body, so the table lists it with
the same :class:`~app.cache.rows.CachedOrderRow` and the detail pane still
shows it. A full sync empties the list (:func:`purge`), except orders whose
deletion is still waiting to be sent. A deletion the store refuses puts the
order back (:func:`take_back`).

A query reads the list with the planner's own SQL (:mod:`app.cache.planner`),
so deleted and live orders are filtered and sorted by one implementation.
Like :mod:`app.cache.orders`, these functions run inside the cache's
transactions.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from app.domain.outbox import state_of
from app.domain.queries import OrderQuery

from . import item_ids
from .bodies import BodyCodec
from .columns import OrderColumns, SearchText, index_entry
from .planner import build_where, count_sql, page_sql, position_sql, sort_value_sql
from .rows import CachedOrderRow

LOCAL = "local"  # deleted by the user here
SERVER = "server"  # seen deleted by an incremental sync


def is_empty(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM deleted_orders LIMIT 1").fetchone() is None


def keys_among(conn: sqlite3.Connection, keys: list[str]) -> set[str]:
    """Those of ``keys`` that are in the deleted list."""
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        marks = ",".join("?" * len(chunk))
        found.update(
            row[0]
            for row in conn.execute(f"SELECT key FROM deleted_orders WHERE key IN ({marks})", chunk)
        )
    return found


def set_aside(
    conn: sqlite3.Connection, bodies: BodyCodec, keys: Iterable[str], origin: str
) -> list[str]:
    """Copy the cached orders ``keys`` into the deleted list (the caller then
    deletes them from ``orders``); return the keys that were cached."""
    moved = []
    for key in dict.fromkeys(keys):
        row = conn.execute(
            "SELECT body FROM order_bodies WHERE rid = (SELECT rid FROM orders WHERE key = ?)",
            (key,),
        ).fetchone()
        if row is None:
            continue
        blob = row[0]
        columns, text = index_entry(bodies.decode(conn, blob), key)
        conn.execute(
            "INSERT INTO deleted_orders (key, origin, deleted_at, columns, text, body) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET origin = excluded.origin, "
            "deleted_at = excluded.deleted_at, columns = excluded.columns, "
            "text = excluded.text, body = excluded.body",
            (key, origin, time.time(), json.dumps(list(columns)), json.dumps(list(text)), blob),
        )
        moved.append(key)
    return moved


def take_back(conn: sqlite3.Connection, bodies: BodyCodec, key: str) -> dict[str, Any] | None:
    """Remove ``key`` from the deleted list; return its body (``None`` if absent)."""
    row = conn.execute("SELECT body FROM deleted_orders WHERE key = ?", (key,)).fetchone()
    if row is None:
        return None
    conn.execute("DELETE FROM deleted_orders WHERE key = ?", (key,))
    return bodies.decode(conn, row[0])


def body(conn: sqlite3.Connection, bodies: BodyCodec, key: str) -> dict[str, Any] | None:
    """The deleted order ``key`` as it was cached when deleted."""
    row = conn.execute("SELECT body FROM deleted_orders WHERE key = ?", (key,)).fetchone()
    return None if row is None else bodies.decode(conn, row[0])


def numbers(conn: sqlite3.Connection, keys: list[str]) -> dict[str, str]:
    """``key -> number as shown`` of those of ``keys`` in the deleted list."""
    found = {}
    for key in dict.fromkeys(keys):
        row = conn.execute("SELECT columns FROM deleted_orders WHERE key = ?", (key,)).fetchone()
        if row is not None:
            found[key] = OrderColumns(*json.loads(row[0])).number
    return found


def purge(conn: sqlite3.Connection) -> int:
    """Empty the list, but for orders whose deletion is still to be sent; return how many went."""
    return conn.execute(
        "DELETE FROM deleted_orders WHERE key NOT IN (SELECT key FROM order_marks WHERE deleting)"
    ).rowcount


# -- listing -------------------------------------------------------------------
#
# The deleted list is read with the planner's own SQL: under a WITH clause,
# ``orders`` and ``order_text`` are the deleted list's columns and search
# text (the JSON arrays it keeps, unpacked), and ``order_item_ids`` the
# items' ids of its ``",1,2,"`` lists, so every filter, sort, tie and
# position means exactly what it means for the live orders. The full-text
# index is not used (it holds live orders only): every search word is
# matched with ``instr`` over the same folded text, as while the cache fills.

_ROW_COLUMNS = ", ".join(
    f"json_extract(columns, '$[{i}]') AS {name}" for i, name in enumerate(OrderColumns._fields)
)
_TEXT_COLUMNS = ", ".join(
    f"json_extract(text, '$[{i}]') AS {name}" for i, name in enumerate(SearchText._fields)
)


def _item_ids(kind: int, column: str) -> str:
    """The ``order_item_ids`` rows of the ``",1,2,"`` lists in ``column``."""
    listed = f"'[' || trim(orders.{column}, ',') || ']'"
    return (
        f"SELECT {kind:d} AS kind, ids.value AS id, orders.rid AS rid "
        f"FROM orders, json_each({listed}) AS ids"
    )


AS_ORDERS = (
    f"WITH orders AS (SELECT did AS rid, {_ROW_COLUMNS} FROM deleted_orders), "
    f"order_text AS (SELECT did AS rid, {_TEXT_COLUMNS} FROM deleted_orders), "
    f"order_item_ids AS ({_item_ids(item_ids.PRODUCT, 'product_ids')} "
    f"UNION ALL {_item_ids(item_ids.SUBSCRIPTION, 'subscription_ids')}) "
)
"""Prefix of a planner statement that makes it read the deleted list."""


def _run(conn: sqlite3.Connection, statement: tuple[str, list[Any]]) -> sqlite3.Cursor:
    sql, args = statement
    return conn.execute(AS_ORDERS + sql, args)


def count(conn: sqlite3.Connection, query: OrderQuery) -> int:
    return _run(conn, count_sql(build_where(query, use_fts=False))).fetchone()[0]


def rows(
    conn: sqlite3.Connection, query: OrderQuery, offset: int, limit: int
) -> list[CachedOrderRow]:
    if limit <= 0:
        return []
    page = page_sql(query, offset, limit, along_sort_index=None)
    dids = [row[0] for row in _run(conn, page)]
    if not dids:
        return []
    found = {
        did: _row(columns, severity, printed_at)
        for did, columns, severity, printed_at in conn.execute(
            f"{_SELECT_LISTED} WHERE did IN ({','.join('?' * len(dids))})", dids
        )
    }
    return [found[did] for did in dids if did in found]


def position(conn: sqlite3.Connection, query: OrderQuery, key: str) -> int | None:
    target = _run(conn, (sort_value_sql(query), [key])).fetchone()
    if target is None:
        return None
    did, value = target
    member, counts = position_sql(query, value, did, use_fts=False)
    if not _run(conn, member).fetchone()[0]:
        return None
    return sum(sign * _run(conn, (sql, args)).fetchone()[0] for sign, sql, args in counts)


_SELECT_LISTED = (
    "SELECT did, columns, "
    "(SELECT severity FROM order_marks WHERE order_marks.key = deleted_orders.key), "
    "(SELECT printed_at FROM invoice_prints WHERE invoice_prints.key = deleted_orders.key) "
    "FROM deleted_orders"
)


def _row(columns_json: str, severity: int | None, printed_at: float | None) -> CachedOrderRow:
    c = OrderColumns(*json.loads(columns_json))
    return CachedOrderRow(
        c.key,
        c.number,
        datetime.fromtimestamp(c.created_ts, UTC) if c.created_ts is not None else None,
        c.updated_ts,
        c.customer,
        c.email,
        c.item_count,
        Decimal(c.total_text) if c.total_text is not None else None,
        c.payment_status,
        c.fulfillment_status,
        c.tracking_number,
        c.payment_method,
        c.shipping_method,
        c.coupon_code,
        state_of(severity),
        datetime.fromtimestamp(printed_at, UTC) if printed_at is not None else None,
    )


def find_by_reference(
    conn: sqlite3.Connection, reference: str, number: int | None
) -> list[tuple[str, str, str]]:
    """``(key, number as shown, customer)`` of the deleted orders ``reference`` names exactly."""
    found = []
    for key, columns_json in conn.execute("SELECT key, columns FROM deleted_orders"):
        c = OrderColumns(*json.loads(columns_json))
        names = (c.key, c.order_id, c.vendor_order_number)
        if reference in names or (number is not None and number in (c.order_number, c.internal_id)):
            found.append((key, c.number, c.customer))
    return found
