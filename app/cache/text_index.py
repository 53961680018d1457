"""The full-text index of the search text, kept by the cache's own code.

``order_text`` holds each order's folded search text, one column per kind
(:class:`~app.cache.columns.SearchText`); ``orders_fts`` is a *contentless*
FTS5 trigram index of it (schema 4): the text is stored once, in
``order_text``, and this module feeds the index the same values with two
newlines after each column. The two newlines are what lets a search word
of one or two characters be answered from the trigram index (see
:mod:`app.cache.short_terms`): every character of the text then starts a
trigram, so "the orders containing ``ab``" are exactly the orders holding
one of the trigrams that begin with ``ab``. A search word never contains a
newline, so the end marks match nothing else.

What the index covers (:func:`app.cache.filling.coverage`):

* everything (``None``): the normal state;
* nothing (``0``) while a first full sync fills the cache
  (:mod:`app.cache.filling`): the index is built once at its end;
* the orders up to an internal id (``rid``) while the index is rebuilt in
  steps after an upgrade (:func:`rebuild_step`, run by the cache's
  compaction): orders after it are indexed by a later step.

Until it covers everything, queries match words with ``instr`` over
``order_text`` (same results, slower). The index is maintained here, not by
triggers: FTS5 flushes its pending data at every statement a trigger runs,
which made each insert 2.5 times slower.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from .columns import INDEX_COLUMNS

REBUILD = "text.indexed_upto"  # cache_meta: the rid the index covers up to, while rebuilt
END = "\n\n"
"""What follows each column's text in the index."""
STEP_ROWS = 200
"""Orders indexed by one rebuild step (~10 ms)."""

_FIELDS = ", ".join(INDEX_COLUMNS)
_VALUES = ",".join("?" * (len(INDEX_COLUMNS) + 1))
_INSERT = f"INSERT INTO orders_fts (rowid, {_FIELDS}) VALUES ({_VALUES})"
_DELETE = f"INSERT INTO orders_fts (orders_fts, rowid, {_FIELDS}) VALUES ('delete', {_VALUES})"
_TERMINATED = ", ".join(
    f"{column} || char(10, 10)" if column != "flags" else column for column in INDEX_COLUMNS
)
SELECT_INDEXED = f"SELECT rid, {_TERMINATED} FROM order_text"
"""The rows of ``order_text`` as the index is fed them."""

CREATE = (
    f"CREATE VIRTUAL TABLE orders_fts USING fts5 ({_FIELDS}, content = '', "
    "tokenize = 'trigram', columnsize = 0)"
)


def indexed(row: Sequence[Any]) -> tuple[Any, ...]:
    """``(rid, *texts)`` of ``order_text`` as the index is fed it."""
    rid, *texts = row
    last = len(texts) - 1  # flags: no end marks (never searched by a short word)
    return (rid, *(text + END if index < last else text for index, text in enumerate(texts)))


def covers(upto: int | None, rid: int) -> bool:
    return upto is None or rid <= upto


def add(conn: sqlite3.Connection, rows: Iterable[Sequence[Any]], upto: int | None) -> None:
    """Index ``(rid, *texts)`` rows (those the index covers)."""
    conn.executemany(_INSERT, [indexed(row) for row in rows if covers(upto, row[0])])


def remove(conn: sqlite3.Connection, rids: list[int], upto: int | None) -> None:
    """Take ``rids`` out of the index (before their ``order_text`` rows change or go)."""
    wanted = [rid for rid in rids if covers(upto, rid)]
    old: list[tuple[Any, ...]] = []
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        old += conn.execute(f"{SELECT_INDEXED} WHERE rid IN ({marks})", chunk).fetchall()
    conn.executemany(_DELETE, old)


def build_all(conn: sqlite3.Connection) -> None:
    """Index every order at once (the end of a fill)."""
    conn.execute(f"INSERT INTO orders_fts (rowid, {_FIELDS}) {SELECT_INDEXED}")


def start_rebuild(conn: sqlite3.Connection) -> None:
    """Index nothing now; :func:`rebuild_step` indexes the orders in steps."""
    conn.execute(
        "INSERT OR REPLACE INTO cache_meta (name, value) VALUES (?, '0')",
        (REBUILD,),
    )


def rebuild_step(conn: sqlite3.Connection, upto: int, rows: int = STEP_ROWS) -> bool:
    """Index the ``rows`` orders after ``upto`` of a rebuild (inside the
    caller's transaction); True while more remain."""
    batch = conn.execute(
        f"{SELECT_INDEXED} WHERE rid > ? ORDER BY rid LIMIT ?", (upto, rows)
    ).fetchall()
    conn.executemany(_INSERT, batch)
    if len(batch) < rows:
        conn.execute("DELETE FROM cache_meta WHERE name = ?", (REBUILD,))
        return False
    conn.execute("UPDATE cache_meta SET value = ? WHERE name = ?", (str(batch[-1][0]), REBUILD))
    return True
