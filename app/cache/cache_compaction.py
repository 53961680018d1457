"""Keeping the cache compact, in short steps (:class:`CacheCompaction`).

Two kinds of upkeep wait in a cache from time to time, and both are done in
steps of a few milliseconds each (one short transaction), so nothing that
reads or writes the cache waits long behind them:

* **the bodies' dictionary** (see :mod:`app.cache.bodies`): once
  :data:`~app.cache.bodies.TRAIN_AT` orders are stored without one, a
  dictionary is trained from a sample of them (~0.2 s, during the upsert that
  crossed the mark, i.e. the 20th page of a first sync); the bodies written
  before it (and those of a cache upgraded from schema 3, in zlib) are then
  written again with it, a few hundred per step (``bodies.rewrite`` in
  ``cache_meta``: the ``rid`` range still to look at);
* **the full-text index** after an upgrade rebuilt it: orders are added to
  it a few hundred per step (:mod:`app.cache.text_index`); and at any time
  its segments are merged a little per step (FTS5's ``merge``), which also
  drops what changed and deleted orders left in them;
* **free pages** given back to the file system.

:meth:`CacheCompaction.compact_step` does one step and says whether more
remain; the session runs the steps after a sync round
(:meth:`app.services.session.StoreSession.compact_cache`). A new cache is
created with ``auto_vacuum = INCREMENTAL``, so the pages the rewritten
bodies free are given back to the file system a step at a time.

A cache upgraded from schema 3 has its bodies shrunk in place, which leaves
its pages mostly empty (SQLite does not merge them): after the last rewrite,
one step writes the file again (``VACUUM``, switching it to incremental
auto-vacuum), 3.7 s for 100,000 orders, which brings it from 3.9 to 2.0 KB an
order. It runs on the sync's connection; the window's connection goes on
reading meanwhile (WAL: measured, its reads took at most 26 ms during it).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time

from . import bodies, filling, schema, text_index
from .cache_file import CacheFile
from .errors import CacheError, sqlite_errors

log = logging.getLogger(__name__)

REWRITE = "bodies.rewrite"  # cache_meta: {"next": rid, "until": rid} of bodies to look at
VACUUM = schema.VACUUM  # cache_meta: an upgraded file to write again once, when all is done
STEP_BODIES = 300
"""Bodies looked at by one step (~5–10 ms)."""
VACUUM_PAGES = 1000
"""Free pages given back to the file system by one step."""
MERGE_PAGES = 200
"""Pages of the search index one step writes while merging its segments."""


class CacheCompaction(CacheFile):
    """Training the bodies' dictionary, and the upkeep done in steps."""

    def _train_when_due(self) -> None:
        """Train the bodies' dictionary when none exists and enough orders
        are stored (call with the lock held, outside a transaction)."""
        if self._bodies.dictionary_id or self._refusal is not None or self._training_failed:
            return
        stored = self._read(
            "reading the cache",
            lambda conn: conn.execute("SELECT coalesce(max(rid), 0) FROM orders").fetchone()[0],
        )
        if stored >= bodies.TRAIN_AT:
            self.train_dictionary()

    def train_dictionary(self) -> int | None:
        """Train a dictionary from a sample of the stored bodies and write new
        bodies with it; the older ones are written again by :meth:`compact_step`.
        Returns its id, or ``None`` when too few orders are stored."""
        with self._lock:
            samples = self._read("reading orders", _samples_for_training(self._bodies))
            if len(samples) < min(bodies.TRAIN_AT, bodies.TRAIN_SAMPLES) // 2:
                return None
            try:
                data = bodies.train(samples, self._read("reading the cache", self._bodies.next_id))
            except Exception as exc:  # noqa: BLE001 - zstd's trainer: keep writing without one
                log.warning("training the order bodies' dictionary failed: %s", exc)
                self._training_failed = True
                return None

            def work(conn: sqlite3.Connection) -> int:
                dictionary = self._bodies.add(conn, data, len(samples))
                until = conn.execute("SELECT coalesce(max(rid), 0) FROM order_bodies").fetchone()
                conn.execute(
                    "INSERT OR REPLACE INTO cache_meta (name, value) VALUES (?, ?)",
                    (REWRITE, json.dumps({"next": 0, "until": until[0]})),
                )
                return dictionary

            return self._write("saving the orders' dictionary", work)

    @property
    def compacting(self) -> bool:
        """Whether upkeep waits (see :meth:`compact_step`)."""
        return self._read("reading the cache", _pending)

    def compact_step(self) -> bool:
        """Do one step of the waiting upkeep (a few milliseconds); True while
        more waits."""
        with self._lock:
            if self._refusal is not None or self.closed:
                return False
            if not self._bodies.dictionary_id and not self._training_failed:
                self._train_when_due()
            upto = self._fts_upto
            if upto is not None and not self._filling:

                def index(conn: sqlite3.Connection) -> bool:
                    more = text_index.rebuild_step(conn, upto)
                    self._fts_upto = filling.coverage(conn)
                    return more

                self._write("rebuilding the search index", index)
                return True
            if self._write("compressing orders", self._rewrite_bodies):
                return True
            if self._read("reading the cache", _vacuum_due):
                self._vacuum()
                return True
            if self._filling or self._write("tidying the search index", _merge_step):
                return not self._filling
            return self._write("giving back free space", _vacuum_step)

    def _vacuum(self) -> None:
        """Write an upgraded file again, compact (see the module doc)."""
        self._write(
            "compacting the cache file",
            lambda conn: conn.execute("DELETE FROM cache_meta WHERE name = ?", (VACUUM,)),
        )
        started = time.perf_counter()
        try:
            with sqlite_errors("compacting the cache file"):
                conn = self._live()
                conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
                conn.execute("VACUUM")
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except CacheError as exc:  # e.g. a full disk: the cache works as it is
            log.warning("compacting the cache file failed: %s", exc)
            return
        log.info("the cache file was compacted in %.1f s", time.perf_counter() - started)

    def _rewrite_bodies(self, conn: sqlite3.Connection) -> bool:
        row = conn.execute("SELECT value FROM cache_meta WHERE name = ?", (REWRITE,)).fetchone()
        if row is None:
            return False
        span = json.loads(row[0])
        batch = conn.execute(
            "SELECT rid, body FROM order_bodies WHERE rid >= ? AND rid <= ? ORDER BY rid LIMIT ?",
            (span["next"], span["until"], STEP_BODIES),
        ).fetchall()
        rewritten = [
            (self._bodies.compress(self._bodies.decompress(conn, blob)), rid)
            for rid, blob in batch
            if not self._bodies.is_current(blob)
        ]
        conn.executemany("UPDATE order_bodies SET body = ? WHERE rid = ?", rewritten)
        if len(batch) < STEP_BODIES:
            conn.execute("DELETE FROM cache_meta WHERE name = ?", (REWRITE,))
        else:
            span["next"] = batch[-1][0] + 1
            conn.execute(
                "UPDATE cache_meta SET value = ? WHERE name = ?", (json.dumps(span), REWRITE)
            )
        return True


def _samples_for_training(codec: bodies.BodyCodec):
    def read(conn: sqlite3.Connection) -> list[bytes]:
        last = conn.execute("SELECT coalesce(max(rid), 0) FROM order_bodies").fetchone()[0]
        step = max(1, last // bodies.TRAIN_SAMPLES)
        rids = list(range(1, last + 1, step))[: bodies.TRAIN_SAMPLES]
        samples: list[bytes] = []
        for start in range(0, len(rids), 500):
            chunk = rids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for (blob,) in conn.execute(
                f"SELECT body FROM order_bodies WHERE rid IN ({marks})", chunk
            ):
                samples.append(codec.decompress(conn, blob))
        return samples

    return read


def _pending(conn: sqlite3.Connection) -> bool:
    waiting = conn.execute(
        "SELECT 1 FROM cache_meta WHERE name IN (?, ?, ?)", (REWRITE, text_index.REBUILD, VACUUM)
    ).fetchone()
    return waiting is not None


def _vacuum_due(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM cache_meta WHERE name = ?", (VACUUM,)).fetchone() is not None


def _merge_step(conn: sqlite3.Connection) -> bool:
    """Merge some of the search index's segments (and drop what deleted and
    changed orders left in them); False when there was nothing to merge."""
    before = conn.total_changes
    conn.execute("INSERT INTO orders_fts (orders_fts, rank) VALUES ('merge', ?)", (MERGE_PAGES,))
    return conn.total_changes - before >= 2  # (FTS5's own sign that it merged)


def _vacuum_step(conn: sqlite3.Connection) -> bool:
    """Give free pages back (a cache created with incremental auto-vacuum)."""
    mode = conn.execute("PRAGMA auto_vacuum").fetchone()[0]
    free = conn.execute("PRAGMA freelist_count").fetchone()[0]
    if mode != 2 or free < VACUUM_PAGES:
        return False
    conn.execute(f"PRAGMA incremental_vacuum({VACUUM_PAGES:d})").fetchall()
    return True
