"""How many orders the cache holds, kept as they are written: ``order_count``.

Counting a table reads every page of its smallest index: 4–8 ms for a store
of 300,000 orders when nothing else runs, 15–20 ms as a window opens three
such stores at once (their connections start with empty page caches), more
at a million. The table asks for that total before its first page. Schema 5
keeps it in a one-row table that two triggers keep exact inside every
transaction that adds or removes an order (~1.2 µs an order written: 1.2 s
over a million orders' first sync, which takes a quarter of an hour).

The total is checked against a real count at the end of each full sync
(:func:`verify`, on the sync's worker): a file edited by hand or restored in
part is put right there, and the log says so.
"""

from __future__ import annotations

import logging
import sqlite3

log = logging.getLogger(__name__)

CREATE: tuple[str, ...] = (
    """CREATE TABLE order_count (
        one INTEGER PRIMARY KEY CHECK (one = 1),
        orders INTEGER NOT NULL
    )""",
    "INSERT INTO order_count (one, orders) SELECT 1, count(*) FROM orders",
    """CREATE TRIGGER orders_counted_in AFTER INSERT ON orders BEGIN
        UPDATE order_count SET orders = orders + 1;
    END""",
    """CREATE TRIGGER orders_counted_out AFTER DELETE ON orders BEGIN
        UPDATE order_count SET orders = orders - 1;
    END""",
)
"""The schema-5 steps: the table, its first value, and the triggers."""


def read(conn: sqlite3.Connection) -> int:
    """Every cached order (the deleted ones kept apart are not counted)."""
    row = conn.execute("SELECT orders FROM order_count").fetchone()
    if row is None:  # (only a damaged file loses the row: count, and say so)
        log.warning("The cache's order count is missing; counting the orders.")
        return int(conn.execute("SELECT count(*) FROM orders").fetchone()[0])
    return int(row[0])


def verify(conn: sqlite3.Connection) -> int:
    """Count the orders and put the kept total right if it differs (inside
    a write transaction); return the count."""
    counted = int(conn.execute("SELECT count(*) FROM orders").fetchone()[0])
    kept = conn.execute("SELECT orders FROM order_count").fetchone()
    if kept is None or kept[0] != counted:
        log.warning(
            "The cache's order count was %s, not %d; corrected.",
            "missing" if kept is None else kept[0],
            counted,
        )
        conn.execute("INSERT OR REPLACE INTO order_count (one, orders) VALUES (1, ?)", (counted,))
    return counted
