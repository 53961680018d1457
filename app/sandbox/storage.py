"""The demo store's SQLite file: orders, deleted orders, uploaded files, counters.

An order is kept as its JSON text (``order_bodies``) plus one narrow row of
indexed columns (``orders``, see :mod:`app.sandbox.indexing`) that every
search filter runs on. The file is in WAL mode so readers never wait for the
writer. Connections come from a small pool (one per concurrent request
thread) and every change runs under one lock in an ``IMMEDIATE``
transaction, so a read-modify-write (a PUT, an upload) is atomic under
``ThreadingHTTPServer``.
"""

from __future__ import annotations

import gc
import json
import queue
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from app.sandbox.body_filters import SQL_FUNCTIONS
from app.sandbox.indexing import COLUMNS, IndexRow, index_row

_SCHEMA = """
CREATE TABLE IF NOT EXISTS orders (
    internal_id INTEGER PRIMARY KEY,
    order_id TEXT,
    order_number INTEGER,
    vendor_order_number TEXT,
    payment_status TEXT,
    fulfillment_status TEXT,
    total REAL,
    create_ts INTEGER,
    update_ts INTEGER,
    email TEXT,
    coupon_code TEXT,
    payment_method TEXT,
    shipping_method TEXT,
    customer_text TEXT,
    keywords_text TEXT
);
CREATE TABLE IF NOT EXISTS order_bodies (internal_id INTEGER PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS deleted_orders (
    internal_id INTEGER PRIMARY KEY,
    order_id TEXT,
    deleted_ts INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS files (
    file_id INTEGER PRIMARY KEY,
    internal_id INTEGER NOT NULL,
    item_id INTEGER NOT NULL,
    option_name TEXT NOT NULL,
    name TEXT NOT NULL,
    size INTEGER NOT NULL,
    path TEXT,
    external_url TEXT,
    created_ts INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""
_INDEXES = """
-- Most filters run beside "payment_status IS NOT 'INCOMPLETE'": carrying the
-- status in the index lets SQLite count and page without touching the table.
CREATE UNIQUE INDEX IF NOT EXISTS orders_order_id ON orders(order_id);
CREATE INDEX IF NOT EXISTS orders_order_number ON orders(order_number);
CREATE INDEX IF NOT EXISTS orders_vendor_number ON orders(vendor_order_number);
CREATE INDEX IF NOT EXISTS orders_payment ON orders(payment_status);
CREATE INDEX IF NOT EXISTS orders_fulfillment ON orders(fulfillment_status, payment_status);
CREATE INDEX IF NOT EXISTS orders_total ON orders(total, payment_status);
CREATE INDEX IF NOT EXISTS orders_created ON orders(create_ts, payment_status);
CREATE INDEX IF NOT EXISTS orders_updated ON orders(update_ts, payment_status);
CREATE INDEX IF NOT EXISTS orders_email ON orders(email, payment_status);
CREATE INDEX IF NOT EXISTS orders_coupon ON orders(coupon_code, payment_status);
CREATE INDEX IF NOT EXISTS orders_payment_method ON orders(payment_method, payment_status);
CREATE INDEX IF NOT EXISTS orders_shipping_method ON orders(shipping_method, payment_status);
CREATE INDEX IF NOT EXISTS deleted_when ON deleted_orders(deleted_ts);
CREATE INDEX IF NOT EXISTS files_order ON files(internal_id);
"""
_INSERT_ROW = (
    f"INSERT OR REPLACE INTO orders ({','.join(COLUMNS)}) VALUES ({','.join('?' * len(COLUMNS))})"
)
_INSERT_BODY = "INSERT OR REPLACE INTO order_bodies (internal_id, body) VALUES (?, ?)"
_BATCH = 2000
REMEMBERED_SEARCHES = 8  # match lists kept for paging (a sync pages through one)


def dump_order(order: dict[str, Any]) -> str:
    return json.dumps(order, separators=(",", ":"))


class OrderStore:
    """Thread-safe access to one sandbox database file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._pool: queue.SimpleQueue[sqlite3.Connection] = queue.SimpleQueue()
        self._connections: list[sqlite3.Connection] = []
        self._pool_lock = threading.Lock()
        self._write_lock = threading.RLock()
        # Paging through a search by offset would make SQLite count the matches and
        # skip ``offset`` rows for every page: a full sync of 100,000 orders spent
        # most of the demo store's CPU there. The ordered ids of the last searches
        # are kept instead, for the data version they were read at (every write
        # moves the version on).
        self._version = 0
        self._matches: OrderedDict[tuple[str, tuple[Any, ...]], tuple[int, list[int]]] = (
            OrderedDict()
        )
        self._matches_lock = threading.Lock()
        with self._connection() as conn:
            conn.executescript(_SCHEMA)

    # -- connections -------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout = 10000")
        conn.execute("PRAGMA page_size = 16384")  # new files only: a 4 KB order fits a page
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        for name, function in SQL_FUNCTIONS.items():
            conn.create_function(name, 1, function, deterministic=True)
        with self._pool_lock:
            self._connections.append(conn)
        return conn

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        try:
            conn = self._pool.get_nowait()
        except queue.Empty:
            conn = self._open()
        try:
            yield conn
        finally:
            self._pool.put(conn)

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A connection in a read transaction: one consistent snapshot (WAL: never
        blocked by the writer), so a search's total and its page agree."""
        with self._connection() as conn:
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                conn.execute("ROLLBACK")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A connection inside a write transaction; one writer at a time."""
        with self._write_lock, self._connection() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            self._version += 1

    def close(self) -> None:
        with self._pool_lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()

    # -- seeding -----------------------------------------------------------
    def order_count(self) -> int:
        with self.read() as conn:
            return conn.execute("SELECT count(*) FROM orders").fetchone()[0]

    def is_seeded(self) -> bool:
        """True once a seed has run (even if every order was deleted since)."""
        with self.read() as conn:
            return conn.execute("SELECT 1 FROM counters LIMIT 1").fetchone() is not None

    def seed(self, orders: Iterable[tuple[IndexRow, str]], counters: Any) -> None:
        """Bulk-insert seeded ``(row, body)`` pairs, then index them and set counters.

        ``counters`` is read after ``orders`` is exhausted (the seeder knows
        its next free ids only then).
        """
        gc_was_enabled = gc.isenabled()
        gc.disable()  # millions of short-lived tuples: the cyclic GC only slows this down
        try:
            self._bulk_insert(orders, counters)
        finally:
            if gc_was_enabled:
                gc.enable()
        self.ensure_indexes()
        self._version += 1

    def _bulk_insert(self, orders: Iterable[tuple[IndexRow, str]], counters: Any) -> None:
        with self._write_lock, self._connection() as conn:
            conn.execute("PRAGMA journal_mode = OFF")  # a fresh file: nothing to roll back to
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute("PRAGMA cache_size = -65536")
            conn.execute("BEGIN")
            rows: list[IndexRow] = []
            bodies: list[tuple[int, str]] = []
            for row, body in orders:
                rows.append(row)
                bodies.append((row.internal_id, body))
                if len(rows) >= _BATCH:
                    conn.executemany(_INSERT_ROW, rows)
                    conn.executemany(_INSERT_BODY, bodies)
                    rows.clear()
                    bodies.clear()
            conn.executemany(_INSERT_ROW, rows)
            conn.executemany(_INSERT_BODY, bodies)
            conn.executemany(
                "INSERT OR REPLACE INTO counters (name, value) VALUES (?, ?)",
                [
                    ("internal_id", counters.next_internal_id),
                    ("order_number", counters.next_order_number),
                    ("item_id", counters.next_item_id),
                    ("file_id", counters.next_file_id),
                ],
            )
            conn.execute("COMMIT")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")

    def ensure_indexes(self) -> None:
        """Create the indexes (after a bulk insert: faster than keeping them up to date)."""
        with self._write_lock, self._connection() as conn:
            conn.execute("PRAGMA cache_size = -65536")
            conn.execute("PRAGMA threads = 2")
            conn.executescript(_INDEXES)
            conn.execute("PRAGMA analysis_limit = 1000")
            conn.execute("ANALYZE")
            conn.execute("PRAGMA cache_size = -2000")
            conn.execute("PRAGMA threads = 0")

    # -- orders ------------------------------------------------------------
    def search(self, where: str, args: list[Any], offset: int, limit: int) -> tuple[int, list[str]]:
        """``(total, bodies)`` of the orders matching ``where``, ascending ``internalId``."""
        ids = self._matching_ids(where, args)
        page = ids[offset : offset + limit] if limit > 0 else []
        if not page:
            return len(ids), []
        with self.read() as conn:
            rows = conn.execute(
                f"SELECT body FROM order_bodies WHERE internal_id IN ({','.join('?' * len(page))}) "
                "ORDER BY internal_id",
                page,
            ).fetchall()
        return len(ids), [row[0] for row in rows]

    def _matching_ids(self, where: str, args: list[Any]) -> list[int]:
        """The internal ids matching ``where``, ascending (remembered per data version)."""
        key = (where, tuple(args))
        version = self._version  # read first: a write after it makes the entry stale
        with self._matches_lock:
            found = self._matches.get(key)
            if found is not None and found[0] == version:
                self._matches.move_to_end(key)
                return found[1]
        # An indexed filter: let SQLite find the matches through its index and sort
        # them ("+" keeps it from walking the primary key instead). A text search
        # (no index): walk the primary key.
        order = "+internal_id" if "instr(" not in where else "internal_id"
        with self.read() as conn:
            ids = [
                row[0]
                for row in conn.execute(
                    f"SELECT internal_id FROM orders WHERE {where} ORDER BY {order}", args
                )
            ]
        with self._matches_lock:
            self._matches[key] = (version, ids)
            self._matches.move_to_end(key)
            while len(self._matches) > REMEMBERED_SEARCHES:
                self._matches.popitem(last=False)
        return ids

    @staticmethod
    def find_id(conn: sqlite3.Connection, ref: str) -> int | None:
        """The internal id of the order called ``ref``: string id, order number or internal id."""
        row = conn.execute("SELECT internal_id FROM orders WHERE order_id = ?", (ref,)).fetchone()
        if row is None and ref.isdigit():
            number = int(ref)
            row = conn.execute(
                "SELECT internal_id FROM orders WHERE order_number = ? "
                "ORDER BY internal_id LIMIT 1",
                (number,),
            ).fetchone()
            if row is None:
                row = conn.execute(
                    "SELECT internal_id FROM orders WHERE internal_id = ?", (number,)
                ).fetchone()
        return row[0] if row else None

    @staticmethod
    def load(conn: sqlite3.Connection, internal_id: int) -> dict[str, Any]:
        row = conn.execute(
            "SELECT body FROM order_bodies WHERE internal_id = ?", (internal_id,)
        ).fetchone()
        return json.loads(row[0])

    def get_body(self, ref: str) -> str | None:
        with self.read() as conn:
            internal_id = self.find_id(conn, ref)
            if internal_id is None:
                return None
            row = conn.execute(
                "SELECT body FROM order_bodies WHERE internal_id = ?", (internal_id,)
            ).fetchone()
            return row[0] if row else None

    @staticmethod
    def save(
        conn: sqlite3.Connection, order: dict[str, Any], internal_id: int | None = None
    ) -> None:
        """Insert or replace ``order`` as row ``internal_id`` (by default its
        own ``internalId``; a recorded old order may have none)."""
        row = index_row(order if internal_id is None else {**order, "internalId": internal_id})
        conn.execute(_INSERT_ROW, row)
        conn.execute(_INSERT_BODY, (row.internal_id, dump_order(order)))

    def put_recorded(self, body: str) -> int:
        """Store an order exactly as a real store sent it (``body``, its JSON
        text, is served byte for byte): for replaying recorded answers. An
        order without an integer ``internalId`` (old stores' orders) gets the
        next free one for the row, not in its body. Returns the row's id."""
        order = json.loads(body)
        if not isinstance(order, dict):
            raise ValueError("a recorded order must be a JSON object")
        with self.transaction() as conn:
            internal_id = order.get("internalId")
            if not isinstance(internal_id, int) or isinstance(internal_id, bool):
                internal_id = self.next_id(conn, "internal_id")
            conn.execute(_INSERT_ROW, index_row({**order, "internalId": internal_id}))
            conn.execute(_INSERT_BODY, (internal_id, body))
        return internal_id

    @staticmethod
    def order_id_taken(conn: sqlite3.Connection, order_id: str) -> bool:
        return (
            conn.execute("SELECT 1 FROM orders WHERE order_id = ?", (order_id,)).fetchone()
            is not None
        )

    @staticmethod
    def remove(conn: sqlite3.Connection, internal_id: int, order_id: str | None, when: int) -> None:
        conn.execute("DELETE FROM orders WHERE internal_id = ?", (internal_id,))
        conn.execute("DELETE FROM order_bodies WHERE internal_id = ?", (internal_id,))
        conn.execute(
            "INSERT OR REPLACE INTO deleted_orders (internal_id, order_id, deleted_ts) "
            "VALUES (?, ?, ?)",
            (internal_id, order_id, when),
        )

    def deleted(
        self, from_ts: int | None, to_ts: int | None, offset: int, limit: int
    ) -> tuple[int, list[tuple[int, str | None, int]]]:
        where, args = ["1"], []
        if from_ts is not None:
            where.append("deleted_ts >= ?")
            args.append(from_ts)
        if to_ts is not None:
            where.append("deleted_ts <= ?")
            args.append(to_ts)
        condition = " AND ".join(where)
        with self.read() as conn:
            total = conn.execute(
                f"SELECT count(*) FROM deleted_orders WHERE {condition}", args
            ).fetchone()[0]
            rows = conn.execute(
                f"SELECT internal_id, order_id, deleted_ts FROM deleted_orders WHERE {condition} "
                "ORDER BY deleted_ts, internal_id LIMIT ? OFFSET ?",
                [*args, limit, offset],
            ).fetchall()
        return total, rows

    # -- counters and files --------------------------------------------------
    @staticmethod
    def next_id(conn: sqlite3.Connection, name: str) -> int:
        row = conn.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()
        value = row[0] if row else 1
        conn.execute(
            "INSERT OR REPLACE INTO counters (name, value) VALUES (?, ?)", (name, value + 1)
        )
        return value

    @staticmethod
    def add_file(conn: sqlite3.Connection, **fields: Any) -> None:
        columns = ",".join(fields)
        conn.execute(
            f"INSERT INTO files ({columns}) VALUES ({','.join('?' * len(fields))})",
            list(fields.values()),
        )

    @staticmethod
    def forget_files(conn: sqlite3.Connection, file_ids: Iterable[int]) -> list[str]:
        """Drop the metadata of ``file_ids``; return the paths of their stored copies."""
        paths = []
        for file_id in file_ids:
            row = conn.execute("SELECT path FROM files WHERE file_id = ?", (file_id,)).fetchone()
            if row is None:
                continue
            if row[0]:
                paths.append(row[0])
            conn.execute("DELETE FROM files WHERE file_id = ?", (file_id,))
        return paths

    def file_path(self, file_id: int) -> tuple[str, str | None] | None:
        with self.read() as conn:
            row = conn.execute(
                "SELECT name, path FROM files WHERE file_id = ?", (file_id,)
            ).fetchone()
        return (row[0], row[1]) if row else None
