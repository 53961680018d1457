"""Filling an empty cache fast: the secondary indexes and the search index
are built once at the end instead of row by row.

A store's first full sync writes every order into an empty cache. Keeping
the secondary indexes and a trigram index up to date one page of 100 orders
at a time costs about as much as everything else an upsert does (most index
pages are rewritten on every commit). So when a full sync (an upsert with a
generation) starts on an empty cache, the cache *fills*: it drops its
secondary indexes (their SQL is kept in ``cache_meta``) and stops feeding the
full-text index. Queries stay correct meanwhile, only slower: text terms
are matched with ``instr`` over the stored search text, and SQLite sorts
without indexes. When the full sync ends (``delete_unseen``), the indexes
are created again and the full-text index is built from ``order_text``, in
the same transaction. The state is kept in the file, so a sync interrupted
by a crash or a quit resumes filling and finishes it.

:func:`coverage` says which orders the full-text index holds: none while
the cache fills, those up to a ``rid`` while it is rebuilt in steps after an
upgrade (:mod:`app.cache.text_index`), else all.
"""

from __future__ import annotations

import json
import sqlite3

from . import text_index

FILLING = "filling.indexes"  # cache_meta name: the dropped indexes' SQL, as a JSON list


def is_filling(conn: sqlite3.Connection) -> bool:
    row = conn.execute("SELECT 1 FROM cache_meta WHERE name = ?", (FILLING,)).fetchone()
    return row is not None


def coverage(conn: sqlite3.Connection) -> int | None:
    """The ``rid`` the full-text index covers up to (0 while filling), or
    ``None`` when it covers every order."""
    if is_filling(conn):
        return 0
    row = conn.execute(
        "SELECT value FROM cache_meta WHERE name = ?", (text_index.REBUILD,)
    ).fetchone()
    return None if row is None else int(row[0])


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
    conn.execute("DELETE FROM cache_meta WHERE name = ?", (text_index.REBUILD,))
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')  # names read from the schema itself


def finish(conn: sqlite3.Connection) -> None:
    """Create the dropped indexes again and build the full-text index
    (inside the caller's transaction)."""
    row = conn.execute("SELECT value FROM cache_meta WHERE name = ?", (FILLING,)).fetchone()
    if row is None:
        return
    for sql in json.loads(row[0]):
        conn.execute(sql)
    conn.execute("INSERT INTO orders_fts (orders_fts) VALUES ('delete-all')")  # start clean
    text_index.build_all(conn)
    conn.execute("DELETE FROM cache_meta WHERE name = ?", (FILLING,))
