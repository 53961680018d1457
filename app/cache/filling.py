"""Filling an empty cache fast: the secondary indexes and the search index
are built once at the end instead of row by row.

A store's first full sync writes every order into an empty cache. Keeping
14 indexes and a trigram index up to date one page of 100 orders at a time
costs about as much as everything else an upsert does (most index pages are
rewritten on every commit). So when a full sync (an upsert with a
generation) starts on an empty cache, the cache *fills*: it drops its
secondary indexes (their SQL is kept in ``cache_meta``) and stops feeding the
full-text index. Queries stay correct meanwhile, only slower: text terms
are matched with ``instr`` over the stored search text, and SQLite sorts
without indexes. When the full sync ends (``delete_unseen``), the indexes
are created again and the full-text index is rebuilt from ``order_text``, in
the same transaction. The state is kept in the file, so a sync interrupted
by a crash or a quit resumes filling and finishes it.
"""

from __future__ import annotations

import json
import sqlite3

FILLING = "filling.indexes"  # cache_meta name: the dropped indexes' SQL, as a JSON list


def is_filling(conn: sqlite3.Connection) -> bool:
    row = conn.execute("SELECT 1 FROM cache_meta WHERE name = ?", (FILLING,)).fetchone()
    return row is not None


def is_empty(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM orders LIMIT 1").fetchone() is None


def start(conn: sqlite3.Connection) -> None:
    """Drop the secondary indexes of ``orders`` (inside the caller's transaction)."""
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_schema "
        "WHERE type = 'index' AND tbl_name = 'orders' AND sql IS NOT NULL ORDER BY name"
    ).fetchall()
    conn.execute(
        "INSERT OR REPLACE INTO cache_meta (name, value) VALUES (?, ?)",
        (FILLING, json.dumps([sql for _, sql in indexes])),
    )
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')  # names read from the schema itself


def finish(conn: sqlite3.Connection) -> None:
    """Create the dropped indexes again and rebuild the full-text index
    (inside the caller's transaction)."""
    row = conn.execute("SELECT value FROM cache_meta WHERE name = ?", (FILLING,)).fetchone()
    if row is None:
        return
    for sql in json.loads(row[0]):
        conn.execute(sql)
    conn.execute("INSERT INTO orders_fts (orders_fts) VALUES ('rebuild')")
    conn.execute("DELETE FROM cache_meta WHERE name = ?", (FILLING,))
