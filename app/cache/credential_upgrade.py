"""Schema version 3: remove the credentials older versions stored with store data.

Before version 3 the cache stored orders exactly as Ecwid sent them, so an
old answer's ``adminUrl: …?token=…`` (the API token itself) was on disk.
:func:`remove_stored_credentials` runs once, inside the migration's
transaction, and applies :mod:`app.domain.url_credentials` to everything in the
file that holds store data: cached order bodies (re-indexed and re-digested
through :func:`app.cache.orders.rewrite`, so the stored digest is of the
scrubbed body and the same order fetched again is recognised as unchanged;
an ECDP push record made from the old body follows it, so the order does not
look changed since it was pushed), the server versions kept beside edited
orders, deleted orders, the outbox's changes and server values, and the
store's invoice HTML. Only what carries a credential is rewritten.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from typing import Any

from app.domain.url_credentials import might_carry_credentials, scrub_order, strip_url_credentials

from . import codec, filling
from . import orders as order_store
from .bodies import BodyCodec
from .columns import index_entry


def remove_stored_credentials(conn: sqlite3.Connection) -> None:
    """Scrub every stored copy of store data in the cache file (see the module
    doc). SQLite's ``secure_delete`` is on meanwhile, so the old content is
    overwritten, not left in free pages; the caller checkpoints the WAL
    afterwards (:meth:`app.cache.cache_file.CacheFile.open`)."""
    (secure,) = conn.execute("PRAGMA secure_delete").fetchone()
    conn.execute("PRAGMA secure_delete = ON")
    try:
        searchable_changed = _order_bodies(conn)
        _server_bodies(conn)
        _deleted_orders(conn)
        _outbox(conn)
        _invoices(conn)
        if searchable_changed and not filling.is_filling(conn):
            # merge the search index's segments: the old text leaves them too
            conn.execute("INSERT INTO orders_fts (orders_fts) VALUES ('optimize')")
    finally:
        conn.execute(f"PRAGMA secure_delete = {int(secure):d}")


def _scrubbed_blob(blob: bytes) -> Any | None:
    """The scrubbed JSON value of a compressed body; ``None`` when it carries no credential."""
    try:
        raw = zlib.decompress(blob)
    except zlib.error:
        return None  # a damaged body: reading it reports that, later
    if not might_carry_credentials(raw):
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    cleaned, changed = scrub_order(value)
    return cleaned if changed else None


def _order_bodies(conn: sqlite3.Connection) -> bool:
    """Scrub the cached orders; whether any one's search text changed."""
    codec_now = BodyCodec()  # (no dictionary yet: schema 4 adds them)
    searchable_changed = False
    rows = conn.execute(
        "SELECT o.key, o.digest, b.body FROM orders AS o JOIN order_bodies AS b ON b.rid = o.rid"
    )
    for key, old_digest, blob in rows.fetchall():
        cleaned = _scrubbed_blob(blob)
        if not isinstance(cleaned, dict):
            continue
        old_text = index_entry(codec.decode(blob), key)[1]
        searchable_changed |= index_entry(cleaned, key)[1] != old_text
        # the search index of this version is dropped and rebuilt from the
        # scrubbed text by schema 4: nothing to take out of it here
        order_store.rewrite(conn, codec_now, key, cleaned, fts_upto=0, keep_item_ids=False)
        (new_digest,) = conn.execute("SELECT digest FROM orders WHERE key = ?", (key,)).fetchone()
        conn.execute(
            "UPDATE ecdp_pushes SET source_digest = ? WHERE key = ? AND source_digest = ?",
            (new_digest, key, old_digest),
        )
    return searchable_changed


def _server_bodies(conn: sqlite3.Connection) -> None:
    for key, blob in conn.execute("SELECT key, body FROM order_server_bodies").fetchall():
        cleaned = _scrubbed_blob(blob)
        if cleaned is not None:
            conn.execute(
                "UPDATE order_server_bodies SET body = ? WHERE key = ?",
                (codec.compress(codec.encode(cleaned)), key),
            )


def _deleted_orders(conn: sqlite3.Connection) -> None:
    for key, blob in conn.execute("SELECT key, body FROM deleted_orders").fetchall():
        cleaned = _scrubbed_blob(blob)
        if not isinstance(cleaned, dict):
            continue
        columns, text = index_entry(cleaned, key)
        conn.execute(
            "UPDATE deleted_orders SET body = ?, columns = ?, text = ? WHERE key = ?",
            (
                codec.compress(codec.encode(cleaned)),
                json.dumps(list(columns)),
                json.dumps(list(text)),
                key,
            ),
        )


def _outbox(conn: sqlite3.Connection) -> None:
    for name in ("changes", "server_json", "base_json"):
        rows = conn.execute(f"SELECT id, {name} FROM outbox WHERE {name} IS NOT NULL")
        for entry_id, text in rows.fetchall():
            if not might_carry_credentials(text):
                continue
            try:
                value = json.loads(text)
            except ValueError:
                continue
            cleaned, changed = scrub_order(value)
            if changed:
                conn.execute(
                    f"UPDATE outbox SET {name} = ? WHERE id = ?",
                    (json.dumps(cleaned, separators=(",", ":"), ensure_ascii=False), entry_id),
                )


def _invoices(conn: sqlite3.Connection) -> None:
    for key, version, blob in conn.execute("SELECT key, version, html FROM invoices").fetchall():
        try:
            html = zlib.decompress(blob).decode("utf-8")
        except (zlib.error, UnicodeDecodeError):
            continue
        if not might_carry_credentials(html):
            continue
        cleaned = strip_url_credentials(html)
        if cleaned != html:
            conn.execute(
                "UPDATE invoices SET html = ? WHERE key = ? AND version = ?",
                (zlib.compress(cleaned.encode("utf-8"), codec.COMPRESSION_LEVEL), key, version),
            )
