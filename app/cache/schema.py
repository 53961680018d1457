"""The cache file's schema and its migrations.

A cache file is an SQLite database marked with :data:`APPLICATION_ID`; its
``PRAGMA user_version`` is the number of :data:`MIGRATIONS` applied. Opening
runs the missing migrations, each in one transaction that also bumps the
version, so a crash never leaves a half-migrated file. To change the schema,
append a migration; never edit one that has shipped.

Tables (version 1):

* ``orders``: one row per order with the indexed columns of
  :class:`~app.cache.columns.OrderColumns`, the full-sync ``generation`` and
  the ``digest`` of the stored body. ``rid`` is the internal id (ties in
  every sort are broken by it).
* ``order_bodies``: the compressed JSON (kept apart so scans of ``orders`` stay small).
* ``order_text`` and ``orders_fts``: the folded search text and its FTS5
  trigram index (external content). The cache's own code keeps the index in
  sync (:mod:`app.cache.orders`): an FTS5 insert from a trigger costs 2.5
  times as much as one from a plain statement.
* ``outbox``: the user's changes until the server confirms them.
* ``invoices``: invoice HTML by order and order version.
* ``sync_state``: named values of the sync engine.
* ``cache_meta``: the cache's own bookkeeping (e.g. :mod:`app.cache.filling`).

Version 2:

* ``outbox.action``: what an entry does to its order (``update`` or ``delete``).
* ``invoice_prints``: when each order's invoice was last printed or saved as
  PDF on this computer.
* ``outbox.base_json``: the values of the changed fields in the server's
  version the change began from (a conflict shows them as "before").
* ``order_server_bodies``: the server's version of each order that has
  unconfirmed changes (``order_bodies`` holds it with the changes applied).
* ``deleted_orders``: orders deleted here or seen deleted by an incremental
  sync since the last full sync (see :mod:`app.cache.deleted`).
* ``ecdp_pushes``: what was last sent to ECDP for each order and ECDP
  target, when, and why the last attempt failed (see :mod:`app.cache.ecdp_pushes`).

Version 3:

* The outbox left the cache for a file of its own (the cache is disposable,
  the user's edits are not): ``outbox`` and ``order_server_bodies`` become
  ``legacy_outbox``/``legacy_server_bodies`` until their edits are carried
  over (or are dropped when empty), and cached bodies are the store's
  versions only.
* ``order_marks``: per order, the worst state of its open edits and whether
  a deletion waits — a projection of the outbox file.
* ``ecdp_pushes.unmatched_digest``: the version of an order that ECDP cannot
  match to a customer (no email, phone or customer id), so it is not tried
  again until the order changes.
* The search filters of Ecwid's current documentation, and totals compared
  in cents: ``orders`` gains ``internal_id``, ``total_cents``,
  ``customer_id``, ``payment_module_fold``, ``pickup_ts``,
  ``accept_marketing``, ``product_ids``, ``subscription_ids``,
  ``has_preorder`` and ``referer_id`` (see
  :class:`~app.cache.columns.OrderColumns`), filled from each stored body,
  with indexes for the total in cents, the customer id, the payment module,
  the pickup time, the referrer, the two yes/no filters and the items' ids,
  and for finding an order by its id or internal id (an exact reference).
  The deleted orders' columns are computed again.
* Credentials inside URLs in stored store data (an old answer's
  ``adminUrl: …?token=…``) are removed from every order body, server
  version, deleted order, edit and invoice, and the changed orders
  re-digested (see :mod:`app.cache.credential_upgrade`) — before the edits
  leave for the outbox file, so none carries one there.

Version 4 (a million orders in ~2 KB each):

* ``body_dictionaries``: the zstd dictionaries the bodies are compressed
  with (see :mod:`app.cache.bodies`); the zlib bodies of older versions are
  written again in steps after the upgrade (:mod:`app.cache.cache_compaction`),
  and read as they are until then.
* ``order_text`` loses ``alltext`` (a stored copy of all its text, kept for
  scanning): short search words are answered from the trigram index now.
* ``orders_fts`` becomes contentless, fed each column's text with two
  newlines after it (see :mod:`app.cache.text_index` and
  :mod:`app.cache.short_terms`); after the upgrade it is rebuilt in steps,
  and queries match words with ``instr`` until it is complete.
* ``order_item_ids``: one row per order and product or subscription id of
  its items (see :mod:`app.cache.item_ids`), instead of the index of the
  ``",1,2,"`` lists (``orders_item_ids``) that every such filter scanned.
* Indexes that did not pay: ``orders_total`` goes (the total sorts by its
  cents, ``orders_total_cents``); ``orders_order_id`` keeps only the orders
  whose id is not their key (all others are found by the key); the payment
  module's index keeps only orders that name one. ``orders_preorder``: the
  few orders with pre-order items, by date. ``orders_number`` carries the
  payment status (the many unfinished orders at its top are passed over
  from the index alone).

Version 5:

* ``order_count``: the number of cached orders, kept exact by two triggers
  on ``orders`` (see :mod:`app.cache.order_count`): the table's total is
  read, not counted, as the window opens.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

from . import codec, item_ids, order_count, text_index
from .columns import index_entry
from .credential_upgrade import remove_stored_credentials
from .errors import CacheCorruptError
from .filling import FILLING

Step = str | Callable[[sqlite3.Connection], None]
"""A migration step: an SQL statement, or a function for what SQL alone cannot do."""

APPLICATION_ID = 0x42524F4D  # "BROM": Backroom order cache
REQUIRED_TABLES = frozenset(
    {
        "orders",
        "order_bodies",
        "order_text",
        "orders_fts",
        "invoices",
        "sync_state",
        "cache_meta",
        "invoice_prints",
        "deleted_orders",
        "ecdp_pushes",
        "order_marks",
        "body_dictionaries",
        "order_item_ids",
        "order_count",
    }
)

_V1 = (
    f"PRAGMA application_id = {APPLICATION_ID}",
    """CREATE TABLE orders (
        rid INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        order_id TEXT,
        order_number INTEGER,
        vendor_order_number TEXT,
        number TEXT NOT NULL,
        created_ts INTEGER,
        updated_ts INTEGER,
        payment_status TEXT NOT NULL,
        fulfillment_status TEXT NOT NULL,
        total REAL,
        total_text TEXT,
        customer TEXT NOT NULL,
        customer_fold TEXT NOT NULL,
        email TEXT NOT NULL,
        email_fold TEXT NOT NULL,
        item_count INTEGER NOT NULL,
        tracking_number TEXT NOT NULL,
        tracking_fold TEXT NOT NULL,
        payment_method TEXT NOT NULL,
        payment_method_fold TEXT NOT NULL,
        shipping_method TEXT NOT NULL,
        shipping_method_fold TEXT NOT NULL,
        coupon_code TEXT NOT NULL,
        coupon_fold TEXT NOT NULL,
        generation INTEGER NOT NULL DEFAULT 0,
        digest BLOB NOT NULL
    )""",
    # one index per filter and sort key; SQLite appends rid to each, which
    # gives every sort its tie-break for free
    "CREATE INDEX orders_number ON orders (order_number)",
    "CREATE INDEX orders_vendor_number ON orders (vendor_order_number)",
    "CREATE INDEX orders_created ON orders (created_ts)",
    "CREATE INDEX orders_updated ON orders (updated_ts)",
    "CREATE INDEX orders_payment_status ON orders (payment_status)",
    "CREATE INDEX orders_fulfillment_status ON orders (fulfillment_status)",
    "CREATE INDEX orders_total ON orders (total)",
    "CREATE INDEX orders_customer ON orders (customer_fold)",
    "CREATE INDEX orders_email ON orders (email_fold)",
    "CREATE INDEX orders_items ON orders (item_count)",
    "CREATE INDEX orders_tracking ON orders (tracking_fold)",
    "CREATE INDEX orders_payment_method ON orders (payment_method_fold)",
    "CREATE INDEX orders_shipping_method ON orders (shipping_method_fold)",
    "CREATE INDEX orders_coupon ON orders (coupon_fold) WHERE coupon_fold <> ''",
    """CREATE TABLE order_bodies (
        rid INTEGER PRIMARY KEY REFERENCES orders (rid) ON DELETE CASCADE,
        body BLOB NOT NULL
    )""",
    """CREATE TABLE order_text (
        rid INTEGER PRIMARY KEY REFERENCES orders (rid) ON DELETE CASCADE,
        numbers TEXT NOT NULL,
        names TEXT NOT NULL,
        email TEXT NOT NULL,
        contact TEXT NOT NULL,
        items TEXT NOT NULL,
        notes TEXT NOT NULL,
        tracking TEXT NOT NULL,
        flags TEXT NOT NULL,
        -- what a search term of one or two characters (too short for trigrams) scans
        alltext TEXT GENERATED ALWAYS AS (
            numbers || char(10) || names || char(10) || email || char(10) || contact
            || char(10) || items || char(10) || notes || char(10) || tracking
        ) STORED
    )""",
    """CREATE VIRTUAL TABLE orders_fts USING fts5 (
        numbers, names, email, contact, items, notes, tracking, flags,
        content = 'order_text', content_rowid = 'rid', tokenize = 'trigram',
        columnsize = 0
    )""",
    """CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL,
        changes TEXT NOT NULL,
        base_update_ts INTEGER,
        state TEXT NOT NULL,
        severity INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        reason TEXT,
        server_json TEXT,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL
    )""",
    "CREATE INDEX outbox_key ON outbox (key, severity)",
    """CREATE TABLE invoices (
        key TEXT NOT NULL,
        version INTEGER NOT NULL,
        html BLOB NOT NULL,
        stored_at REAL NOT NULL,
        PRIMARY KEY (key, version)
    )""",
    # an order's invoices go with it
    """CREATE TRIGGER orders_ad AFTER DELETE ON orders BEGIN
        DELETE FROM invoices WHERE key = old.key;
    END""",
    """CREATE TABLE sync_state (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    # the cache's own bookkeeping (see app.cache.filling)
    """CREATE TABLE cache_meta (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
)

_V2 = (
    "ALTER TABLE outbox ADD COLUMN action TEXT NOT NULL DEFAULT 'update'",
    """CREATE TABLE invoice_prints (
        key TEXT PRIMARY KEY,
        printed_at REAL NOT NULL
    )""",
    # the values of the changed fields in the server's version the change began from
    "ALTER TABLE outbox ADD COLUMN base_json TEXT",
    """CREATE TABLE order_server_bodies (
        key TEXT PRIMARY KEY,
        body BLOB NOT NULL
    )""",
    """CREATE TABLE deleted_orders (
        did INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        origin TEXT NOT NULL,
        deleted_at REAL NOT NULL,
        columns TEXT NOT NULL,
        text TEXT NOT NULL,
        body BLOB NOT NULL
    )""",
    """CREATE TABLE ecdp_pushes (
        key TEXT NOT NULL,
        target TEXT NOT NULL,
        attempted_at REAL NOT NULL,
        error TEXT,
        sent_at REAL,
        sent_digest BLOB,
        source_digest BLOB,
        PRIMARY KEY (key, target)
    )""",
)


def _set_legacy_outbox_aside(conn: sqlite3.Connection) -> None:
    """The outbox moved to its own file: rename the old tables (their edits
    are carried over by the outbox service, then dropped), or drop them when
    they hold nothing."""
    pending = conn.execute("SELECT count(*) FROM outbox").fetchone()[0]
    if pending:
        conn.execute("ALTER TABLE outbox RENAME TO legacy_outbox")
        conn.execute("ALTER TABLE order_server_bodies RENAME TO legacy_server_bodies")
    else:
        conn.execute("DROP TABLE outbox")
        conn.execute("DROP TABLE order_server_bodies")


_V3_COLUMNS = (
    "internal_id INTEGER",
    "total_cents INTEGER",
    "customer_id INTEGER",
    "payment_module_fold TEXT NOT NULL DEFAULT ''",
    "pickup_ts INTEGER",
    "accept_marketing INTEGER",
    "product_ids TEXT NOT NULL DEFAULT ''",
    "subscription_ids TEXT NOT NULL DEFAULT ''",
    "has_preorder INTEGER NOT NULL DEFAULT 0",
    "referer_id TEXT NOT NULL DEFAULT ''",
)
_V3_NAMES = [column.split()[0] for column in _V3_COLUMNS]
V3_INDEXES = (
    "CREATE INDEX orders_total_cents ON orders (total_cents)",
    # most orders have no pickup time, referrer or customer id: partial indexes
    "CREATE INDEX orders_customer_id ON orders (customer_id) WHERE customer_id IS NOT NULL",
    "CREATE INDEX orders_payment_module ON orders (payment_module_fold)",
    "CREATE INDEX orders_pickup ON orders (pickup_ts) WHERE pickup_ts IS NOT NULL",
    "CREATE INDEX orders_referer ON orders (referer_id) WHERE referer_id <> ''",
    # the yes/no filters (marketing through a skip-scan of the few has_preorder values)
    "CREATE INDEX orders_flags ON orders (has_preorder, accept_marketing)",
    # the items' ids are searched with instr(): no lookup, but a scan of this
    # narrow index (2 MB for 100,000 orders) instead of the whole table
    "CREATE INDEX orders_item_ids ON orders (product_ids, subscription_ids)",
    # an exact order reference: by its id or its internal id
    "CREATE INDEX orders_internal_id ON orders (internal_id) WHERE internal_id IS NOT NULL",
    "CREATE INDEX orders_order_id ON orders (order_id) WHERE order_id IS NOT NULL",
)


def _fill_v3_columns(conn: sqlite3.Connection) -> None:
    """Take the version-3 columns of every cached order (and the columns of
    every deleted one) from its stored body."""
    update = (
        "UPDATE orders SET " + ", ".join(f"{name} = ?" for name in _V3_NAMES) + " WHERE rid = ?"
    )
    rows = conn.execute(
        "SELECT orders.rid, orders.key, order_bodies.body FROM orders "
        "JOIN order_bodies ON order_bodies.rid = orders.rid"
    )
    while chunk := rows.fetchmany(1000):
        values = []
        for rid, key, blob in chunk:
            columns, _ = index_entry(codec.decode(blob), key)
            values.append((*columns[-len(_V3_NAMES) :], rid))
        conn.executemany(update, values)
    deleted = conn.execute("SELECT did, key, body FROM deleted_orders").fetchall()
    for did, key, blob in deleted:
        columns, _ = index_entry(codec.decode(blob), key)
        conn.execute(
            "UPDATE deleted_orders SET columns = ? WHERE did = ?", (json.dumps(list(columns)), did)
        )


def _create_v3_indexes(conn: sqlite3.Connection) -> None:
    """Create the version-3 indexes, or, while a first full sync fills the
    cache without indexes (see :mod:`app.cache.filling`), add them to those
    it creates at its end."""
    row = conn.execute("SELECT value FROM cache_meta WHERE name = ?", (FILLING,)).fetchone()
    if row is None:
        for sql in V3_INDEXES:
            conn.execute(sql)
        return
    saved = [*json.loads(row[0]), *V3_INDEXES]
    conn.execute("UPDATE cache_meta SET value = ? WHERE name = ?", (json.dumps(saved), FILLING))


_V3: tuple[Step, ...] = (
    # the outbox's marks on orders: a projection of the outbox file (rebuilt from
    # it on every open), so the table can show and filter by them in SQL
    """CREATE TABLE order_marks (
        key TEXT PRIMARY KEY,
        severity INTEGER NOT NULL,
        deleting INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID""",
    # the cached version of an order that names no customer ECDP can match
    "ALTER TABLE ecdp_pushes ADD COLUMN unmatched_digest BLOB",
    *(f"ALTER TABLE orders ADD COLUMN {column}" for column in _V3_COLUMNS),
    _fill_v3_columns,
    _create_v3_indexes,
    # before the edits leave for the outbox file: none carries a credential there
    remove_stored_credentials,
    _set_legacy_outbox_aside,
)

V4_INDEXES = {
    # name -> its SQL in version 4 (None: dropped)
    "orders_total": None,
    # unfinished orders carry their internal id as their number, so the highest
    # numbers are tens of thousands of them: with the status in the index, a
    # walk along it passes them without reading their rows (rid before it keeps
    # the index in the order the table sorts by: number, then rid)
    "orders_number": "CREATE INDEX orders_number ON orders (order_number, rid, payment_status)",
    "orders_item_ids": None,  # the items' ids have a table of their own
    "orders_order_id": (
        "CREATE INDEX orders_order_id ON orders (order_id) "
        "WHERE order_id IS NOT NULL AND order_id <> key"
    ),
    "orders_payment_module": (
        "CREATE INDEX orders_payment_module ON orders (payment_module_fold) "
        "WHERE payment_module_fold <> ''"
    ),
    # orders with pre-order items (a few percent) by date, with their payment
    # status: the filter counted from the index alone, with a date range too
    "orders_preorder": (
        "CREATE INDEX orders_preorder ON orders (created_ts, payment_status) WHERE has_preorder = 1"
    ),
}


def _replace_v4_indexes(conn: sqlite3.Connection) -> None:
    """Drop or narrow the indexes that did not pay; while a first full sync
    fills the cache, change the SQL saved for its end instead."""
    row = conn.execute("SELECT value FROM cache_meta WHERE name = ?", (FILLING,)).fetchone()
    if row is None:
        for name, sql in V4_INDEXES.items():
            conn.execute(f"DROP INDEX IF EXISTS {name}")
            if sql is not None:
                conn.execute(sql)
        return
    saved = [sql for sql in json.loads(row[0]) if sql.split()[2] not in V4_INDEXES]
    saved += [sql for sql in V4_INDEXES.values() if sql is not None]
    conn.execute("UPDATE cache_meta SET value = ? WHERE name = ?", (json.dumps(saved), FILLING))


def _rebuild_text_index_in_steps(conn: sqlite3.Connection) -> None:
    """The new full-text index starts empty and is filled in steps (a fill
    in progress builds it at its end)."""
    filling = conn.execute("SELECT 1 FROM cache_meta WHERE name = ?", (FILLING,)).fetchone()
    has_orders = conn.execute("SELECT 1 FROM order_text LIMIT 1").fetchone()
    if has_orders and not filling:
        text_index.start_rebuild(conn)


VACUUM = "upgrade.vacuum"  # cache_meta: app.cache.cache_compaction.VACUUM


def _rewrite_bodies_in_steps(conn: sqlite3.Connection) -> None:
    """The zlib bodies are written again, with the dictionary, in steps."""
    until = conn.execute("SELECT coalesce(max(rid), 0) FROM order_bodies").fetchone()[0]
    if until:
        conn.execute(
            "INSERT OR REPLACE INTO cache_meta (name, value) VALUES (?, ?)",
            ("bodies.rewrite", json.dumps({"next": 0, "until": until})),
        )
        # then the file is written again once, half its size (see app.cache.cache_compaction)
        conn.execute("INSERT OR REPLACE INTO cache_meta (name, value) VALUES (?, '1')", (VACUUM,))


_V4: tuple[Step, ...] = (
    """CREATE TABLE body_dictionaries (
        id INTEGER PRIMARY KEY,
        data BLOB NOT NULL,
        digest BLOB NOT NULL,
        samples INTEGER NOT NULL
    )""",
    "ALTER TABLE order_text DROP COLUMN alltext",
    item_ids.CREATE,
    item_ids.fill,
    "DROP TABLE orders_fts",
    text_index.CREATE,
    _rebuild_text_index_in_steps,
    _replace_v4_indexes,
    _rewrite_bodies_in_steps,
)

_V5: tuple[Step, ...] = order_count.CREATE

MIGRATIONS: tuple[tuple[Step, ...], ...] = (_V1, _V2, _V3, _V4, _V5)
"""``MIGRATIONS[n]`` takes a file from version ``n`` to ``n + 1``."""

SCHEMA_VERSION = len(MIGRATIONS)


def pragma_int(conn: sqlite3.Connection, name: str) -> int:
    return int(conn.execute(f"PRAGMA {name}").fetchone()[0])


def check_file(conn: sqlite3.Connection) -> bool:
    """Check that ``conn`` is an order cache (or an empty database) before
    anything is written to it; True when it is empty. Raises
    :class:`CacheCorruptError` for a file that is not SQLite, a foreign
    database, or a cache from a newer Backroom."""
    application_id = pragma_int(conn, "application_id")  # fails first on a non-SQLite file
    version = pragma_int(conn, "user_version")
    objects = conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]
    if application_id == 0 and version == 0 and objects == 0:
        return True
    if application_id != APPLICATION_ID:
        raise CacheCorruptError("The file is an SQLite database, but not a Backroom order cache.")
    if version > SCHEMA_VERSION:
        raise CacheCorruptError(
            f"The order cache was written by a newer Backroom (schema {version}; "
            f"this version reads up to {SCHEMA_VERSION})."
        )
    return False


def migrate(conn: sqlite3.Connection) -> int:
    """Apply the missing migrations; return the version the file had before.

    ``conn`` must be in autocommit mode (``isolation_level=None``)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        before = pragma_int(conn, "user_version")  # again, now under the write lock
        for version in range(before, SCHEMA_VERSION):
            for step in MIGRATIONS[version]:
                if isinstance(step, str):
                    conn.execute(step)
                else:
                    step(conn)
        if before < SCHEMA_VERSION:
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION:d}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return before


def check_tables(conn: sqlite3.Connection) -> None:
    """Raise :class:`CacheCorruptError` if a table of the schema is missing."""
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_schema")}
    missing = REQUIRED_TABLES - names
    if missing:
        raise CacheCorruptError(
            f"The order cache is incomplete (missing {', '.join(sorted(missing))})."
        )
