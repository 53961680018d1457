"""The demo store's ECDP side, in the same SQLite file as its Ecwid orders.

``ecdp_orders`` keeps each order ECDP accepted (its JSON as received, the
status in lower case, ``isDeleted`` and the matched customer's id);
``ecdp_customers`` numbers the customers it matched (by email, else phone,
else CRM id, ECDP's default matching order); ``ecdp_received`` logs every
order of every ``POST /orders`` that passed the key check, with its mode and
whether the request was accepted, so tests can count what was sent.
Every change runs in one transaction of :class:`~app.sandbox.storage.OrderStore`.
"""

from __future__ import annotations

import json
import sqlite3
import time
from typing import Any

from app.sandbox.storage import OrderStore

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS ecdp_orders (
        order_id TEXT PRIMARY KEY,
        body TEXT NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0,
        updated_ts REAL NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS ecdp_customers (
        customer_id INTEGER PRIMARY KEY,
        match TEXT NOT NULL UNIQUE
    )""",
    """CREATE TABLE IF NOT EXISTS ecdp_received (
        seq INTEGER PRIMARY KEY,
        order_id TEXT,
        mode TEXT,
        accepted INTEGER NOT NULL,
        received_ts REAL NOT NULL
    )""",
)


class ConflictingIds(Exception):
    """Orders of an Add that exist already, or of a Replace that do not: ``(index, id)``."""

    def __init__(self, mode: str, found: list[tuple[int, str]]) -> None:
        super().__init__(f"{mode}: {found}")
        self.mode = mode
        self.found = found


class EcdpStore:
    """ECDP orders of the demo store, over the sandbox's :class:`OrderStore`."""

    def __init__(self, store: OrderStore) -> None:
        self.store = store
        with store.transaction() as conn:
            for statement in _SCHEMA:
                conn.execute(statement)

    def add(self, mode: str, orders: list[dict[str, Any]]) -> None:
        """Store ``orders`` as ``mode`` says, all or none. Raises
        :class:`ConflictingIds` for an Add of existing ids or a Replace of missing ones."""
        with self.store.transaction() as conn:
            existing = {
                order["id"]
                for order in orders
                if conn.execute(
                    "SELECT 1 FROM ecdp_orders WHERE order_id = ?", (order["id"],)
                ).fetchone()
            }
            if mode == "Add":
                conflicts = [(i, o["id"]) for i, o in enumerate(orders) if o["id"] in existing]
            elif mode == "Replace":
                conflicts = [(i, o["id"]) for i, o in enumerate(orders) if o["id"] not in existing]
            else:
                conflicts = []
            if conflicts:
                raise ConflictingIds(mode, conflicts)
            now = time.time()
            for order in orders:
                stored = dict(order, isDeleted=False)
                if isinstance(stored.get("status"), str):
                    stored["status"] = stored["status"].lower()
                customer = dict(stored.get("customer") or {})
                customer["id"] = _customer_id(conn, customer)
                stored["customer"] = customer
                conn.execute(
                    "INSERT OR REPLACE INTO ecdp_orders (order_id, body, deleted, updated_ts) "
                    "VALUES (?, ?, 0, ?)",
                    (order["id"], json.dumps(stored, separators=(",", ":")), now),
                )

    def log_received(self, mode: str | None, order_ids: list[str | None], accepted: bool) -> None:
        with self.store.transaction() as conn:
            now = time.time()
            conn.executemany(
                "INSERT INTO ecdp_received (order_id, mode, accepted, received_ts) "
                "VALUES (?, ?, ?, ?)",
                [(order_id, mode, int(accepted), now) for order_id in order_ids],
            )

    def get(self, order_id: str) -> dict[str, Any] | None:
        with self.store.read() as conn:
            row = conn.execute(
                "SELECT body FROM ecdp_orders WHERE order_id = ?", (order_id,)
            ).fetchone()
        return json.loads(row[0]) if row else None

    def update(self, order_id: str, **changes: Any) -> dict[str, Any] | None:
        """Set fields of a stored order (``status=``, ``isDeleted=``); the order, or None."""
        with self.store.transaction() as conn:
            row = conn.execute(
                "SELECT body FROM ecdp_orders WHERE order_id = ?", (order_id,)
            ).fetchone()
            if row is None:
                return None
            order = json.loads(row[0])
            order.update(changes)
            conn.execute(
                "UPDATE ecdp_orders SET body = ?, deleted = ?, updated_ts = ? WHERE order_id = ?",
                (
                    json.dumps(order, separators=(",", ":")),
                    int(bool(order.get("isDeleted"))),
                    time.time(),
                    order_id,
                ),
            )
        return order

    def count(self) -> int:
        """How many orders ECDP has (deleted ones included)."""
        with self.store.read() as conn:
            return conn.execute("SELECT count(*) FROM ecdp_orders").fetchone()[0]

    def received(self, *, accepted_only: bool = True) -> list[tuple[str, str]]:
        """``(mode, order id)`` of every order received by ``POST /orders``, in order."""
        condition = "WHERE accepted = 1" if accepted_only else ""
        with self.store.read() as conn:
            return [
                (row[0], row[1])
                for row in conn.execute(
                    f"SELECT mode, order_id FROM ecdp_received {condition} ORDER BY seq"
                )
            ]


def _customer_id(conn: sqlite3.Connection, customer: dict[str, Any]) -> int | None:
    for field in ("email", "phone", "crmId"):
        value = customer.get(field)
        if isinstance(value, str) and value.strip():
            match = f"{field}:{value.strip().lower()}"
            break
    else:
        return None
    row = conn.execute(
        "SELECT customer_id FROM ecdp_customers WHERE match = ?", (match,)
    ).fetchone()
    if row:
        return row[0]
    return conn.execute(
        "INSERT INTO ecdp_customers (match) VALUES (?) RETURNING customer_id", (match,)
    ).fetchone()[0]
