"""SQL of the ``invoice_prints`` table: when each order's invoice was last
printed or saved as PDF on this computer (one row per order, the latest)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

PRINTED_AT_SQL = "(SELECT printed_at FROM invoice_prints WHERE invoice_prints.key = orders.key)"
"""The print time of the order of the current ``orders`` row (a column expression)."""
PRINTED_CONDITION = "orders.key IN (SELECT key FROM invoice_prints)"
NOT_PRINTED_CONDITION = "orders.key NOT IN (SELECT key FROM invoice_prints)"


def record(conn: sqlite3.Connection, keys: Iterable[str], printed_at: float) -> None:
    """Remember that the invoices of ``keys`` were printed at ``printed_at`` (UNIX time)."""
    conn.executemany(
        "INSERT INTO invoice_prints (key, printed_at) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET printed_at = excluded.printed_at",
        [(key, printed_at) for key in dict.fromkeys(keys)],
    )


def printed_at(conn: sqlite3.Connection, key: str) -> float | None:
    """When the invoice of ``key`` was last printed (UNIX time), or ``None``."""
    row = conn.execute("SELECT printed_at FROM invoice_prints WHERE key = ?", (key,)).fetchone()
    return None if row is None else float(row[0])
