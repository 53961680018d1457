"""Which orders hold which product or subscription: ``order_item_ids``.

Ecwid's ``productId`` and ``subscriptionId`` filters ask for orders with an
item of a given product (or subscription). Schema 3 kept each order's ids as
a ``",1,2,"`` list in its row and found them with ``instr`` over a narrow
index of those lists: a scan of every order (15 ms for 100,000 orders,
~200 ms for a million, however few hold the product). Schema 4 keeps one
row per order and id, ``(kind, id, rid)`` in a table without rowids, so an
id's orders are one range of it: counted at once, and read directly when
they are few. The lists stay in ``orders`` (the deleted orders' filters and
the upgrade read them); this table is kept beside them by
:mod:`app.cache.orders`, inside the same transactions.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

PRODUCT = 0
SUBSCRIPTION = 1

CREATE = """CREATE TABLE order_item_ids (
    kind INTEGER NOT NULL,
    id INTEGER NOT NULL,
    rid INTEGER NOT NULL,
    PRIMARY KEY (kind, id, rid)
) WITHOUT ROWID"""

_INSERT = "INSERT OR IGNORE INTO order_item_ids (kind, id, rid) VALUES (?, ?, ?)"
_DELETE = "DELETE FROM order_item_ids WHERE kind = ? AND id = ? AND rid = ?"


def _ids(listed: str) -> list[int]:
    """The ids of a ``",1,2,"`` list."""
    return [int(part) for part in listed.split(",") if part]


def entries(rid: int, products: str, subscriptions: str) -> list[tuple[int, int, int]]:
    return [(PRODUCT, product, rid) for product in _ids(products)] + [
        (SUBSCRIPTION, subscription, rid) for subscription in _ids(subscriptions)
    ]


def add(conn: sqlite3.Connection, rows: Iterable[Sequence[Any]]) -> None:
    """Record ``(rid, product_ids, subscription_ids)`` rows (the lists of ``orders``)."""
    found = [entry for rid, products, subs in rows for entry in entries(rid, products, subs)]
    conn.executemany(_INSERT, found)


def remove(conn: sqlite3.Connection, rids: list[int]) -> None:
    """Forget the ids of ``rids`` (before their rows in ``orders`` change or go)."""
    for start in range(0, len(rids), 500):
        chunk = rids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            "SELECT rid, product_ids, subscription_ids FROM orders "
            f"WHERE rid IN ({marks}) AND (product_ids <> '' OR subscription_ids <> '')",
            chunk,
        ).fetchall()
        conn.executemany(
            _DELETE, [entry for rid, prods, subs in rows for entry in entries(rid, prods, subs)]
        )


def fill(conn: sqlite3.Connection) -> None:
    """Record the ids of every cached order (the upgrade to schema 4)."""
    rows = conn.execute(
        "SELECT rid, product_ids, subscription_ids FROM orders "
        "WHERE product_ids <> '' OR subscription_ids <> ''"
    )
    while chunk := rows.fetchmany(5000):
        add(conn, chunk)


def rows_sql(kind: int, ids: list[int]) -> str:
    """SQL selecting a row per order holding one of ``ids`` (for counting;
    the arguments are ``ids``, as for :func:`condition`)."""
    marks = ",".join("?" * len(ids))
    return f"SELECT 1 FROM order_item_ids WHERE kind = {kind:d} AND id IN ({marks})"


def condition(kind: int, ids: list[int], *, correlated: bool = False) -> tuple[str, list[int]]:
    """The SQL condition "the order holds one of ``ids``" and its arguments:
    the orders read from the table first, or (``correlated``) a lookup of
    each order a walk along the sort index meets."""
    marks = ",".join("?" * len(ids))
    if correlated:
        return (
            f"EXISTS (SELECT 1 FROM order_item_ids WHERE kind = {kind:d} "
            f"AND id IN ({marks}) AND rid = orders.rid)",
            list(ids),
        )
    return (
        f"orders.rid IN (SELECT rid FROM order_item_ids WHERE kind = {kind:d} AND id IN ({marks}))",
        list(ids),
    )
